"""Races between a session's actions, driven as a learner drives them: keys
back to back, clicks within a step, three tabs (issue 25, items 1-5 and 13).
One owner per session (sessions/lifecycle.js): actions take turns, only the
tab holding a session's Web Lock changes its record, a lock is held only
while a tab trains a session or shows it, and a tab whose trainer died takes
the run over. Real Chromium, real Pyodide; numbers against the native engine."""

import json

from helpers import (TOL, alert_says, check_losses, clear_alert, expect_progress, native_losses, new_session, open_lab,
                     session_done, session_info, start_console, stored, take_steps, wait_status, wait_steps, wait_until)
from microgpt_lab.config import Config
from microgpt_lab.session import Session

# A scalar step of this model takes about 2 s in Pyodide: long enough to
# press keys and click buttons while one is in flight.
SLOW = {"engine": "scalar", "n_embd": 32, "n_layer": 2}


def new_slow_session(page, num_steps):
    return new_session(page, num_steps=num_steps, **SLOW)


def stored_steps(page, session):
    return [s["step"] for s in page.evaluate("(id) => window.lab.steps(id)", session)]


def stored_record(page, session):
    return next(s for s in stored(page)["sessions"] if s["id"] == session)


def test_a_run_pressed_during_a_step_starts_after_it_and_pauses(lab_page, site_url):
    """S then R back to back: the Run waits for the Step and then runs; the
    page says running, and P pauses it (it trained on while the page said
    "ready", the step's end having set the status back to idle, and nothing
    could pause it)."""
    page = lab_page
    open_lab(page, site_url)
    session = new_slow_session(page, 20_000)
    take_steps(page, 1)
    body = page.locator("body")
    body.press("s")
    body.press("r")
    wait_steps(page, 4)  # the step, then two of the run's: the step has long ended
    wait_status(page, "running")
    assert session_info(page, session)["status"] == "running"
    assert page.get_by_role("button", name="Pause").is_enabled()
    body.press("p")
    wait_status(page, "paused")
    paused = session_info(page, session)
    assert paused["status"] == "paused"
    # Nothing trains on: a sample is drawn after any step the worker had queued.
    page.get_by_role("button", name="Sample").click()
    wait_until(page, "async (id) => (await window.lab.samples(id)).length === 1", session)
    # (On a loaded machine a 2 s step can outlast the watchdog's 5 s after the
    # Pause's interrupt: the worker is replaced and the session comes back
    # from its last checkpoint, earlier, still paused.)
    after = session_info(page, session)
    assert after["step"] <= paused["step"] and after["status"] == "paused"
    assert stored_steps(page, session) == list(range(1, after["step"] + 1))
    record = stored_record(page, session)
    assert record["status"] == "paused" and record["step"] == after["step"]


def test_reset_during_a_step_keeps_nothing_of_the_old_run(lab_page, site_url, dist_dir):
    """Step, then Reset while the step is in flight: the reset waits for the
    step and then clears it with the rest; the next Step is step 1 of the
    same numbers as a fresh run (the store held steps [4] at step 0, then [1, 4])."""
    page = lab_page
    open_lab(page, site_url)
    session = new_slow_session(page, 400)
    take_steps(page, 3)
    # The click on Reset lands within the 2 s step the click on Step started.
    page.get_by_role("button", name="Step").click()
    page.get_by_role("button", name="Reset").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.step === 0 "
                     "&& s.status === 'idle')", session)
    expect_progress(page, 0, 400)
    assert stored_steps(page, session) == []
    assert [c["step"] for c in stored(page)["checkpoints"] if c["session"] == session] in ([], [0])
    take_steps(page, 1)
    wait_until(page, "async (id) => (await window.lab.steps(id)).length === 1", session)
    steps = page.evaluate("(id) => window.lab.steps(id)", session)
    assert [s["step"] for s in steps] == [1]
    text = (dist_dir / "data" / "names.txt").read_text()
    expected = Session.from_text(Config(num_steps=400, n_embd=32, n_layer=2), text).step(level="loss")["loss"]
    assert abs(steps[0]["loss"] - expected) < TOL


def crash(page):
    """Crash the page's renderer, as a browser bug would: no pagehide, no
    goodbye. (Page.crash through the page's own CDP session never answers,
    so it is sent to the page's target from the browser's session.)"""
    crashed = []
    page.on("crash", lambda _: crashed.append(True))
    url = page.url
    browser = page.context.browser.new_browser_cdp_session()
    target = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page" and t["url"] == url)
    session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
    browser.send("Target.sendMessageToTarget", {"sessionId": session,
                                                "message": json.dumps({"id": 1, "method": "Page.crash"})})
    return crashed


def open_watcher(context, site_url, session):
    page = context.new_page()
    open_lab(page, site_url)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    return page


def owner_of(page, session):
    return session_info(page, session)["owner"]


def test_a_watchers_pause_asks_the_trainer(lab_page, site_url):
    """Tab A trains, B and C watch. B's Pause asks A, which pauses: all three
    say paused, and the stored record (written by A alone) matches its steps.
    Before, B wrote "paused" into A's record while A trained on."""
    trainer = lab_page
    open_lab(trainer, site_url)
    session = new_session(trainer, num_steps=100_000)
    take_steps(trainer, 1)
    watchers = [open_watcher(trainer.context, site_url, session) for _ in range(2)]
    trainer.get_by_role("button", name="Run").click()
    for watcher in watchers:
        wait_steps(watcher, 20)
        wait_status(watcher, "running")
    assert owner_of(watchers[0], session) == "other"
    watchers[0].get_by_role("button", name="Pause").click()
    for page in (trainer, *watchers):
        wait_status(page, "paused")
    paused = session_info(trainer, session)
    assert paused["owner"] == "this" and paused["status"] == "paused"
    # The trainer stopped: a sample is drawn after any step it had queued.
    trainer.get_by_role("button", name="Sample").click()
    wait_until(trainer, "async (id) => (await window.lab.samples(id)).length === 1", session)
    record = stored_record(trainer, session)
    steps = stored_steps(trainer, session)
    assert record["status"] == "paused" and record["run_to"] is None
    assert record["step"] == steps[-1] == session_info(trainer, session)["step"]
    for watcher in watchers:
        watcher.close()


def test_a_watcher_takes_over_the_run_of_a_crashed_trainer(lab_page, site_url, dist_dir):
    """The trainer's renderer crashes (no pagehide, no goodbye): its Web Lock
    goes with it, a watcher takes the session and resumes the run from its
    last checkpoint, with the numbers of an uninterrupted run. Before, the
    watcher said "running (other tab)" for ever."""
    watcher = lab_page
    trainer = watcher.context.new_page()
    open_lab(trainer, f"{site_url}#trainer")  # its own address: crash() finds its target by it
    num_steps = 600
    session = new_session(trainer, num_steps=num_steps)
    take_steps(trainer, 1)
    open_lab(watcher, site_url)
    watcher.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    trainer.get_by_role("button", name="Run").click()
    wait_steps(watcher, 120)  # past a checkpoint
    crashed = crash(trainer)
    wait_until(watcher, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.owner === 'this')",
               session)
    assert crashed
    session_done(watcher, session)
    check_losses(watcher, session, dist_dir, num_steps)
    expect_progress(watcher, num_steps, num_steps)


def test_a_watcher_takes_over_the_run_of_a_closed_trainer(lab_page, site_url, dist_dir):
    """The trainer's tab closes mid-run: an open watcher resumes the run (it
    said "interrupted" until someone pressed Run or opened a new tab)."""
    watcher = lab_page
    trainer = watcher.context.new_page()
    open_lab(trainer, site_url)
    num_steps = 600
    session = new_session(trainer, num_steps=num_steps)
    take_steps(trainer, 1)
    open_lab(watcher, site_url)
    watcher.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    trainer.get_by_role("button", name="Run").click()
    wait_steps(watcher, 120)
    trainer.close()
    wait_status(watcher, "running")
    session_done(watcher, session)
    assert owner_of(watcher, session) == "this"
    check_losses(watcher, session, dist_dir, num_steps)


def test_a_tab_that_no_longer_shows_a_session_lets_go_of_it(lab_page, site_url):
    """Tab A steps X, then shows Y. Tab B chooses X: it may step and delete it
    (A held X's lock for life: "open in another tab", "held")."""
    first = lab_page
    open_lab(first, site_url)
    x = new_session(first, num_steps=20)
    take_steps(first, 1)
    y = new_session(first, num_steps=30)
    take_steps(first, 1)
    second = first.context.new_page()
    open_lab(second, site_url)
    second.wait_for_function("(id) => window.lab.state.current === id", arg=y)
    second.locator(f'#sessions tr[data-session="{x}"] [data-role=name]').click()
    second.wait_for_function("(id) => window.lab.state.shown === id", arg=x)
    expect_progress(second, 1, 20)
    take_steps(second, 1)
    expect_progress(second, 2, 20)
    assert owner_of(second, x) == "this"
    assert stored_steps(second, x) == [1, 2]
    # Y, shown in A, stays A's.
    assert owner_of(second, y) == "other"
    second.once("dialog", lambda dialog: dialog.accept())
    second.locator(f'#sessions tr[data-session="{x}"] [data-role=delete]').click()
    wait_until(second, "async (id) => !(await window.lab.listSessions()).some((s) => s.id === id)", x)
    assert [s["id"] for s in stored(second)["sessions"]] == [y]
    second.close()


def test_delete_during_a_step_waits_for_it(lab_page, site_url):
    """Delete while a Step is in flight: the deletion waits for the step (the
    alert said "no session ... in this worker"), and the lab trains on."""
    page = lab_page
    open_lab(page, site_url)
    kept = new_session(page, num_steps=20)
    doomed = new_slow_session(page, 50)
    clear_alert(page)
    # The deletion is asked for within the 2 s step the click on Step started.
    page.get_by_role("button", name="Step").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'#sessions tr[data-session="{doomed}"] [data-role=delete]').click()
    wait_until(page, "async (id) => !(await window.lab.listSessions()).some((s) => s.id === id)", doomed)
    page.wait_for_function("(id) => window.lab.state.shown === id", arg=kept)
    take_steps(page, 1)  # after whatever the deleted session's step left to do
    assert stored_steps(page, kept) == [1]
    assert [s["id"] for s in stored(page)["sessions"]] == [kept]
    assert page.locator("#form-error").text_content() == ""


def test_delete_during_a_looping_console_command_does_not_wait_for_it(lab_page, page_log, site_url):
    """First visit (no interrupt reaches Python): Delete while console code
    loops deletes at once (it waited 34 s with no word, for the command's
    time limit); the command ends at its limit and the lab trains on."""
    page = lab_page
    page_log.allow_errors("sent nothing for 5 s")
    page.set_viewport_size({"width": 1280, "height": 5200})  # the console on screen
    open_lab(page, site_url)
    assert not page.evaluate("() => window.lab.state.isolated")
    kept = new_session(page, num_steps=20)
    doomed = new_session(page, num_steps=20)
    take_steps(page, 1)
    entry = start_console(page, "while True: pass")
    clear_alert(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'#sessions tr[data-session="{doomed}"] [data-role=delete]').click()
    wait_until(page, "async (id) => !(await window.lab.listSessions()).some((s) => s.id === id)", doomed, timeout=10)
    assert [s["id"] for s in stored(page)["sessions"]] == [kept]
    assert page.locator("#form-error").text_content() == ""
    page.wait_for_function("(el) => el.dataset.status === 'error'", arg=entry.element_handle(), timeout=90_000)
    page.wait_for_function("(id) => window.lab.state.shown === id", arg=kept)
    take_steps(page, 1)
    assert stored_steps(page, kept) == [1]
