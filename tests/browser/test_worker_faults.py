"""Faults of the engine worker (issue 6): a worker that is terminated or
crashes mid-run is replaced, the page says so, and the run resumes from its
last checkpoint with the numbers of an uninterrupted run; a crash loop and a
worker that cannot boot end with a message instead of restarting forever.

Real Chromium, real Pyodide. The faults are real: window.lab.debug
terminates the worker, Python code in the console throws from a timer, and a
route makes the worker's script fail to load. Losses are compared with the
engine run natively (helpers.check_losses).
"""

import re

from helpers import (alert_says, animation_frames, check_losses, expect_progress, new_session, open_lab, run_console,
                     run_to_end, sample_now, session_done, session_info, wait_status, wait_steps, wait_until)

CHECKPOINT_EVERY = 50  # protocol.js: the run stores a checkpoint every 50 steps
NUM_STEPS = 120
# A fault typed into the console lands only after Playwright has typed it:
# on a busy machine that can take longer than the 65 steps a 120-step run
# has left, and a crash after the run's end resumes nothing.
CONSOLE_FAULT_STEPS = 400


def start_run(page, site_url, num_steps=NUM_STEPS):
    """A running session past its first checkpoint; returns its id."""
    open_lab(page, site_url)
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, CHECKPOINT_EVERY + 5)
    return session


def terminate_worker(page):
    """Terminate the worker mid-run; returns the last step the page saw. Both
    happen in one task, so no event lands between: the last stored checkpoint
    is the one at or before that step."""
    seen = page.evaluate("""() => {
        const seen = window.lab.state.events.at(-1).step;
        window.lab.debug.terminateWorker();
        return seen;
    }""")
    assert seen < NUM_STEPS, "the run ended before the fault"
    return seen


def expect_resumed(page, session, dist_dir, reason, checkpoint, num_steps=NUM_STEPS):
    """The page names the fault and the checkpoint the run resumes from, and
    the run ends with every loss of an uninterrupted native run (checkpoint: a
    regex of the steps it may resume from)."""
    message = alert_says(page, f"; restarted it - session {session} resumes from its checkpoint at step ",
                         timeout=90_000)
    match = re.fullmatch(rf"The engine worker stopped \({re.escape(reason)}.*\); restarted it - "
                         rf"session {session} resumes from its checkpoint at step ({checkpoint})\.", message)
    assert match, message
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)
    expect_progress(page, num_steps, num_steps)


def test_terminated_worker_is_restarted_and_the_run_resumes(lab_page, site_url, dist_dir):
    page = lab_page
    session = start_run(page, site_url)
    seen = terminate_worker(page)
    expect_resumed(page, session, dist_dir, "it was terminated", seen // CHECKPOINT_EVERY * CHECKPOINT_EVERY)


def test_a_pause_while_the_worker_restarts_holds(lab_page, site_url, dist_dir):
    """Paused between the fault and the resumed run: the session comes back
    to its checkpoint and stays paused; Run then finishes it exactly."""
    page = lab_page
    session = start_run(page, site_url)
    seen = terminate_worker(page)
    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    checkpoint = seen // CHECKPOINT_EVERY * CHECKPOINT_EVERY
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id).step === "
                     f"{checkpoint}", session)
    expect_progress(page, checkpoint, NUM_STEPS)
    # A sample asked now is drawn after any step a resumed run would take.
    assert sample_now(page) == checkpoint
    assert session_info(page, session)["status"] == "paused"
    assert len(page.evaluate("(id) => window.lab.steps(id)", session)) == checkpoint
    run_to_end(page, session)
    check_losses(page, session, dist_dir, NUM_STEPS)


def test_crashed_worker_is_restarted_and_the_run_resumes(lab_page, page_log, site_url, dist_dir):
    page = lab_page
    page_log.allow_errors("ZeroDivisionError")  # the worker's own report of the crash
    session = start_run(page, site_url, num_steps=CONSOLE_FAULT_STEPS)
    # Between two steps, Python schedules a callback that raises: an uncaught
    # error in the worker, as a bug in the engine's glue would be. It lands a
    # few steps later, after one of the run's checkpoints.
    run_console(page, "import js; from pyodide.ffi import create_once_callable; "
                      "js.setTimeout(create_once_callable(lambda: 1 / 0), 0)")
    checkpoints = "|".join(str(step) for step in range(CHECKPOINT_EVERY, CONSOLE_FAULT_STEPS, CHECKPOINT_EVERY))
    expect_resumed(page, session, dist_dir, "it crashed: ", checkpoints, CONSOLE_FAULT_STEPS)
    assert "ZeroDivisionError" in page.locator("#form-error").text_content()


def test_a_crash_loop_ends_with_a_fatal_message(lab_page, site_url):
    page = lab_page
    start_run(page, site_url)
    page.evaluate("() => { for (let i = 0; i < 4; i++) window.lab.debug.terminateWorker(); }")
    message = alert_says(page, "the engine worker stopped 4 times within a minute (last: it was terminated)")
    assert "reload the page to try again" in message
    wait_status(page, "error")


def test_a_worker_that_cannot_boot_is_not_restarted(lab_page, page_log, site_url):
    page = lab_page
    page_log.allow_errors("404")
    started = []  # the page's requests for the worker (not the service worker's precache)

    def missing(route):
        if route.request.service_worker is None:
            started.append(route.request.url)
        route.fulfill(status=404)
    page.context.route("**/js/engine/worker.js", missing)
    page.goto(site_url)
    message = alert_says(page, "The engine failed to start (worker)")
    wait_status(page, "error")
    # The page starts a replacement worker in the same task that reports a
    # lost one; 30 frames later its script would have been asked for.
    animation_frames(page, 30)
    assert len(started) == 1, started
    assert page.locator("#form-error").text_content() == message
    assert page.locator("#status").text_content() == "error"


def test_a_missing_snapshot_boots_python_from_scratch(lab_page, page_log, site_url, dist_dir):
    """Without the build's memory snapshot the worker starts Python and loads
    the engine wheel itself: slower, and the same numbers."""
    page = lab_page
    page_log.allow_errors(r"snapshot\.bin\.gz|404")
    page.route("**/snapshot.bin.gz", lambda route: route.fulfill(status=404, body="gone"))
    open_lab(page, site_url)
    timings = page.evaluate("() => window.lab.state.timings")
    assert "packages" in timings, timings  # the from-scratch path ran
    session = new_session(page, num_steps=10)
    run_to_end(page, session)
    check_losses(page, session, dist_dir, 10)
