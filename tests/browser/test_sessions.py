"""Sessions: several listed and switched between, a run resumed after a reload
with the same numbers, and a second tab that watches the first tab's run
(BroadcastChannel events, Web Locks). Real Chromium, real Pyodide."""

from helpers import (check_losses, expect_progress, new_session, open_lab, session_done, session_info, wait_ready,
                     wait_status, wait_steps, wait_until)


def test_two_sessions_listed_and_switching(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    first = new_session(page, num_steps=50)
    page.locator("body").press("s")
    wait_steps(page, 1)
    second = new_session(page, num_steps=60)
    assert first != second
    rows = page.locator("#sessions tbody tr")
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 2")
    assert sorted(rows.evaluate_all("(rows) => rows.map((r) => r.dataset.session)")) == sorted([first, second])
    expect_progress(page, 0, 60)

    # Switching: click the first session's name.
    page.locator(f'#sessions tr[data-session="{first}"] [data-role=name]').click()
    page.wait_for_function("(id) => window.lab.state.current === id", arg=first)
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuemax') === '50'")
    expect_progress(page, 1, 50)
    listed = page.evaluate("() => window.lab.listSessions()")
    by_id = {s["id"]: s for s in listed}
    assert by_id[first]["step"] == 1 and by_id[second]["step"] == 0
    assert by_id[first]["watchers"] == 1 and by_id[second]["watchers"] == 0


def test_reload_mid_run_resumes_with_the_same_numbers(lab_page, site_url, dist_dir):
    page = lab_page
    num_steps = 160
    open_lab(page, site_url)
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 75)  # past the checkpoint at step 50
    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    # The session resumes by itself from its last checkpoint and runs to the end.
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)
    expect_progress(page, num_steps, num_steps)


def watchers_are(page, session, count):
    """Wait until `count` tabs watch the session; returns its info then."""
    return wait_until(page, "async ([id, n]) => (await window.lab.listSessions()).find((s) => s.id === id && s.watchers === n)",
               [session, count])


def test_second_tab_watches_the_first_tabs_run(lab_page, site_url):
    """Tabs share events over a BroadcastChannel; watchers are counted per
    session; the tab holding the session's Web Lock is the only one to train it."""
    first = lab_page
    open_lab(first, site_url)
    session = new_session(first, num_steps=400)
    first.get_by_role("button", name="Step").click()
    wait_steps(first, 1)

    second = first.context.new_page()
    errors = []
    second.on("pageerror", lambda error: errors.append(str(error)))
    second.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    open_lab(second, site_url)
    second.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    info = watchers_are(second, session, 2)
    assert info["owner"] == "other"
    watchers_are(first, session, 2)

    # The owner runs; the watcher's progress bar follows the shared events.
    first.get_by_role("button", name="Run").click()
    wait_steps(second, 30)
    # The watcher's sessions table follows the run too (it said "0 / 400" while the bar moved on).
    second.wait_for_function("""(id) => {
        const cell = document.querySelector(`#sessions tr[data-session="${id}"] td:nth-child(2)`);
        return cell && parseInt(cell.textContent, 10) >= 30;
    }""", arg=session)
    wait_status(second, "running")
    first.get_by_role("button", name="Pause").click()
    wait_status(first, "paused")
    # Only the owner trains it (Web Locks): the watcher is told, nothing runs twice.
    wait_status(second, "paused")
    second.get_by_role("button", name="Run").click()
    second.wait_for_function("(id) => document.querySelector('#form-error').textContent"
                             ".includes(`session ${id} is open in another tab`)", arg=session)
    steps = [s["step"] for s in first.evaluate("() => window.lab.steps()")]
    assert steps == list(range(1, len(steps) + 1))
    assert session_info(first, session)["status"] == "paused"
    second.close()
    watchers_are(first, session, 1)
    assert errors == []
