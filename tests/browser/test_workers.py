"""A worker per running session (engine/pool.js): sessions started together
train side by side, each in its own engine worker, with the numbers each
would have alone; a crash of one worker resumes that session only; a sweep
of one setting starts one session per value, those beyond the workers wait
for a free one, and Compare runs overlays them. Real Chromium, real Pyodide,
numbers against the native engine (issue 22)."""

import json

from helpers import (TOL, alert_says, check_losses, expect_progress, new_session, open_lab, panel, session_done,
                     wait_until)
from microgpt_lab.config import Config
from microgpt_lab.session import Session


def workers(page):
    return page.evaluate("() => window.lab.workers()")


def running_in(page):
    """{session: worker} for each session a worker is running now."""
    return {session: w["worker"] for w in workers(page) for session in w["running"]}


def test_two_sessions_train_side_by_side_with_the_numbers_of_each_alone(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    assert page.evaluate("() => window.lab.workerLimit") >= 2
    num_steps = 300
    first = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    second = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    # Both run at once, each in a worker of its own.
    both = wait_until(page, """([a, b]) => {
        const running = window.lab.workers().filter((w) => w.running.length);
        const where = Object.fromEntries(running.flatMap((w) => w.running.map((s) => [s, w.worker])));
        return a in where && b in where && where[a] !== where[b] && where;
    }""", [first, second])
    assert all(len(w["running"]) <= 1 for w in workers(page)), workers(page)
    print(f"\nworkers: {both}")
    # The sessions table says which worker trains which.
    page.wait_for_function("""([a, b, where]) => [a, b].every((id) => document.querySelector(
        `#sessions tr[data-session="${id}"] td.badge`)?.textContent === `running in worker ${where[id] + 1}`)""",
                           arg=[first, second, both])
    for session in (first, second):
        session_done(page, session)
        check_losses(page, session, dist_dir, num_steps)
    expect_progress(page, num_steps, num_steps)


def test_a_crash_of_one_worker_resumes_that_session_only(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    num_steps = 400
    ids = []
    for _ in range(2):
        ids.append(new_session(page, num_steps=num_steps))
        page.get_by_role("button", name="Run").click()
    crashed, spared = ids
    wait_until(page, """([a, b]) => {
        const steps = Object.fromEntries(window.lab.workers().flatMap((w) => w.running.map((s) => [s, w.worker])));
        return a in steps && b in steps;
    }""", ids)
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.step > 60)", crashed)
    spared_worker = running_in(page)[spared]
    page.evaluate("(id) => window.lab.debug.terminateWorker(id)", crashed)
    message = alert_says(page, f"session {crashed} resumes from its checkpoint at step ")
    assert spared not in message
    for session in ids:
        session_done(page, session)
        check_losses(page, session, dist_dir, num_steps)
    # The spared session never left its worker, and stored its steps once each.
    steps = [s["step"] for s in page.evaluate("(id) => window.lab.steps(id)", spared)]
    assert steps == list(range(1, num_steps + 1))
    assert spared in next(w for w in workers(page) if w["worker"] == spared_worker)["sessions"]


def test_a_sweep_trains_one_session_per_value_and_compares_them(lab_page, site_url, dist_dir):
    """One more value than there are workers: the last waits, visibly, for a
    free worker, then trains; Compare runs overlays all of them."""
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 5200})
    open_lab(page, site_url)
    limit = page.evaluate("() => window.lab.workerLimit")
    rates = [0.003, 0.01, 0.03, 0.002, 0.004, 0.005, 0.006, 0.007][: limit + 1]
    num_steps = 200
    page.fill("#cfg-num_steps", str(num_steps))
    page.locator("details.sweep summary").click()
    page.select_option("#sweep-field", "learning_rate")
    page.fill("#sweep-values", ", ".join(str(rate) for rate in rates))
    before = {s["id"] for s in page.evaluate("() => window.lab.listSessions()")}
    page.get_by_role("button", name="Train the sweep").click()
    ids = wait_until(page, """(before) => window.lab.listSessions().then((list) => {
        const fresh = list.filter((s) => !before.includes(s.id));
        return fresh.length === %d && fresh.map((s) => s.id);
    })""" % len(rates), sorted(before))
    # More runs than workers: one waits, and says so in the sessions table.
    page.wait_for_function("() => [...document.querySelectorAll('#sessions td.badge')]"
                           ".some((cell) => cell.textContent.startsWith('waiting for a worker'))")
    compare = panel(page, "compare")
    page.wait_for_function("(n) => document.querySelector('[data-panel=compare]').dataset.compared.split(',')"
                           ".filter(Boolean).length === n", arg=len(rates))
    assert sorted(compare.get_attribute("data-compared").split(",")) == sorted(ids)
    assert compare.get_attribute("data-differ") == "learning_rate"
    text = (dist_dir / "data" / "names.txt").read_text()
    for session in ids:
        session_done(page, session, timeout=240)
    page.wait_for_function("(want) => document.querySelector('[data-panel=compare]').dataset.points === want",
                           arg=json.dumps({i: num_steps for i in compare.get_attribute("data-compared").split(",")},
                                          separators=(",", ":")))
    records = {s["id"]: s for s in page.evaluate("() => window.lab.listSessions()")}
    assert sorted(records[i]["config"]["learning_rate"] for i in ids) == sorted(rates)
    # Each is named by its learning rate, the default's (0.01) too.
    assert sorted(records[i]["name"] for i in ids) == sorted(f"lr {rate} · names" for rate in rates)
    for session in ids:
        native = Session.from_text(Config(num_steps=num_steps, learning_rate=records[session]["config"]["learning_rate"]), text)
        expected = [native.step(level="loss")["loss"] for _ in range(num_steps)]
        got = [s["loss"] for s in page.evaluate("(id) => window.lab.steps(id)", session)]
        assert len(got) == num_steps and max(abs(a - b) for a, b in zip(got, expected)) < TOL


def test_a_sweep_from_the_keyboard(lab_page, site_url):
    """The sweep with the keyboard alone: open it, pick the setting, type the values, Train."""
    page = lab_page
    open_lab(page, site_url)
    page.fill("#cfg-num_steps", "5")
    sweep = page.locator("details.sweep summary")
    sweep.focus()
    page.keyboard.press("Enter")  # opens it
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "sweep-field"
    page.keyboard.type("seed")  # picks it in the list
    page.keyboard.press("Tab")
    page.keyboard.type("7 8")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Train the sweep"
    page.keyboard.press("Enter")
    names = wait_until(page, """() => window.lab.listSessions().then((list) => list.length === 2
        && list.every((s) => s.status === 'done') && list.map((s) => s.name).sort())""")
    assert names == ["seed 7 · names", "seed 8 · names"]
