"""Interrupts hit only what they were meant for: a Pause stops the run, not
a console command that happens to be running; the console has its own Stop;
neither loses the session in the worker."""
from helpers import (alert_says, new_session, open_lab, panel, session_info, show_all_panels, start_console, wait_status,
                     wait_steps, wait_until)


def test_pause_during_a_console_command_keeps_the_session(lab_page, site_url):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    open_lab(page, site_url)  # served by the service worker: cross-origin isolated, SIGINT works
    assert page.evaluate("() => window.lab.state.isolated")
    new_session(page, num_steps=100_000)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 3)
    entry = start_console(page, "import time\nstarted = time.time()\nwhile time.time() - started < 600: pass")
    page.get_by_role("button", name="Pause").click()
    page.evaluate("() => { window.pausedAt = performance.now(); }")
    # The Pause waits for the console command: past its grace (PAUSE_GRACE_MS,
    # when it writes its SIGINT) the command still runs.
    page.wait_for_function("(el) => el.dataset.status !== 'pending' || performance.now() - window.pausedAt > 3000",
                           arg=entry.element_handle())
    assert entry.get_attribute("data-status") == "pending"
    panel(page, "console").get_by_role("button", name="Stop").click()
    page.wait_for_function("(el) => el.dataset.status === 'error'", arg=entry.element_handle())
    assert "stopped" in entry.locator(".console-error").text_content()
    wait_status(page, "paused")
    paused_at = int(page.get_by_role("progressbar").get_attribute("aria-valuenow"))
    # The session is still in the worker, at the step it paused on.
    page.get_by_role("button", name="Step").click()
    wait_steps(page, paused_at + 1)
    assert page.evaluate("() => window.lab.state.events.at(-1).step") == paused_at + 1


def test_a_worker_that_stops_answering_is_replaced_and_the_pause_holds(lab_page, page_log, site_url):
    """A worker closed from the console sends nothing more: a Pause's
    interrupt gets no answer, the watchdog replaces the worker, and the
    session comes back from its checkpoint, paused."""
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=100_000)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 60)  # past the first checkpoint (every 50 steps)
    start_console(page, "import js\njs.close()")
    page.get_by_role("button", name="Pause").click()
    alert_says(page, "sent nothing for 5 s after an interrupt")
    wait_status(page, "paused")
    info = session_info(page, session)
    assert info["status"] == "paused" and info["step"] >= 50
    # Back from its checkpoint (every 50 steps), one step further.
    page.get_by_role("button", name="Step").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.step % 50 === 1)",
               session)


def test_a_run_whose_worker_goes_silent_resumes_in_a_new_one(lab_page, site_url):
    """No Pause at all: a run whose worker sends nothing for RUN_SILENCE_MS
    (60 s) gets a new worker and resumes from its checkpoint."""
    page = lab_page
    open_lab(page, site_url)
    # 1,000 steps: the close, typed in the console, must land before the run ends.
    session = new_session(page, num_steps=1000)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 60)
    start_console(page, "import js\njs.close()")
    alert_says(page, "sent nothing for 60 s during a run", timeout=150_000)
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'done')",
               session, timeout=120)


def test_an_endless_console_command_without_isolation_ends_with_its_time_limit(lab_page, site_url):
    """First visit (no service worker yet, no SIGINT): `while True: pass`
    cannot be interrupted, so its 30 s limit ends with the watchdog replacing
    the worker; the session comes back and steps on."""
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    assert not page.evaluate("() => window.lab.state.isolated")
    session = new_session(page, num_steps=50)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    entry = start_console(page, "while True: pass")
    alert_says(page, "sent nothing for 5 s after an interrupt", timeout=90_000)
    page.wait_for_function("(el) => el.dataset.status === 'error'", arg=entry.element_handle())
    page.get_by_role("button", name="Step").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.step === 2)",
               session)
