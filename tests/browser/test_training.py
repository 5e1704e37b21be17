"""Training from the page: New session, Step, Run, Pause, Reset, Sample, their
keyboard shortcuts, and a pause that interrupts a long step. Real Chromium,
real Pyodide; losses are compared with the engine run natively."""

import json
import time
from pathlib import Path

import pytest

from helpers import (TOL, expect_progress, latest_loss, native_losses, new_session, open_lab, sample_now,
                     session_info, set_field, wait_samples, wait_status, wait_steps, wait_until)

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.alone  # measures time
def test_start_step_run_pause_reset_sample(lab_page, site_url, dist_dir):
    page = lab_page
    seconds = open_lab(page, site_url)
    timings = page.evaluate("() => window.lab.state.timings")
    print(f"\npage open -> ready: {seconds:.2f} s (worker stages, ms: {timings})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ready-time.json").write_text(json.dumps({"seconds": seconds, "worker_ms": timings}))

    expected = native_losses(dist_dir, 3, num_steps=300)
    session = new_session(page, num_steps=300)
    expect_progress(page, 0, 300)

    # Step (through the button), then once more with the S shortcut.
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - expected[0]) < TOL
    page.locator("body").press("s")
    wait_steps(page, 2)
    assert abs(latest_loss(page) - expected[1]) < TOL

    # Run, then pause: the run stops within one step of the request.
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    wait_steps(page, 20)
    seen, stopped = page.evaluate("""async () => {
        const seen = window.lab.state.events.at(-1).step;
        document.querySelector('[data-action=pause]').click();
        while (window.lab.state.status !== 'paused') await new Promise((r) => setTimeout(r, 5));
        const info = (await window.lab.listSessions()).find((s) => s.id === window.lab.state.current);
        return [seen, info.step];
    }""")
    # `seen` is the last event the page had; the step in progress and, on a
    # loaded machine, an event or two already posted but not yet handled by
    # the page may follow it.
    assert 0 <= stopped - seen <= 3, (seen, stopped)
    wait_status(page, "paused")
    # The paused run stays paused: a sample asked now is drawn after any step
    # a still-going run would take, and at the step where it stopped.
    assert sample_now(page) == stopped
    assert session_info(page, session)["step"] == stopped
    expect_progress(page, stopped, 300)
    steps = page.evaluate("() => window.lab.steps()")
    assert [s["step"] for s in steps] == list(range(1, stopped + 1))

    # Reset: back to step 0 with the same initial weights.
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuenow') === '0'")
    assert page.evaluate("() => window.lab.steps()") == []
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - expected[0]) < TOL

    # Samples appear, grouped under the step (and temperature) they were drawn at.
    page.get_by_role("button", name="Sample").click()
    samples = page.get_by_role("list", name="Samples at step 1 · temperature 0.5").get_by_role("listitem")
    samples.first.wait_for()
    assert samples.count() == 10


def test_keyboard_shortcuts(lab_page, site_url):
    """N new session, S step, R run, P pause, C sample, Enter new session;
    typing in a field is never a shortcut; on a checkbox (no letters) it is."""
    page = lab_page
    open_lab(page, site_url)
    set_field(page, "num_steps", 500)
    page.evaluate("() => document.activeElement.blur()")  # leave the field
    body = page.keyboard
    body.press("n")
    page.wait_for_function("() => window.lab.state.current")
    first = page.evaluate("() => window.lab.state.current")
    expect_progress(page, 0, 500)
    page.locator("#cfg-seed").press("s")  # typed into a field: not a step
    page.evaluate("() => document.activeElement.blur()")
    body.press("c")
    # The sample is drawn after any step the typed "s" would have asked for.
    wait_samples(page, 1)
    assert page.evaluate("() => window.lab.samples()")[0]["step"] == 0
    expect_progress(page, 0, 500)
    body.press("s")
    wait_steps(page, 1)
    body.press("r")
    wait_status(page, "running")
    wait_steps(page, 10)
    body.press("p")
    wait_status(page, "paused")
    page.locator("#hints").press("c")  # the Hints checkbox has focus
    wait_samples(page, 2)
    body.press("Enter")
    page.wait_for_function("(id) => window.lab.state.current && window.lab.state.current !== id", arg=first)
    assert len(page.evaluate("() => window.lab.listSessions()")) == 2


@pytest.mark.alone  # measures time
def test_pause_interrupts_a_long_step_when_isolated(lab_page, site_url):
    """Cross-origin isolated (served through the service worker), a pause that
    a long step would delay interrupts the step through the SharedArrayBuffer;
    the session comes back from its last checkpoint (here: step 0)."""
    page = lab_page
    open_lab(page, site_url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    open_lab(page, site_url)
    assert page.evaluate("() => window.lab.state.isolated")

    # The scalar engine on a larger model: one step takes many seconds.
    set_field(page, "engine", "scalar")
    set_field(page, "n_embd", 64)
    set_field(page, "n_layer", 2)
    session = new_session(page, num_steps=10)
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    # The session itself says it runs (not only the page's status line): the
    # run is in the worker's hands, and its first step takes seconds.
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'running')",
               session)
    start = time.perf_counter()
    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    elapsed = time.perf_counter() - start
    print(f"\npause of a long step took {elapsed:.2f} s")
    assert elapsed < 5, elapsed
    info = session_info(page, session)
    assert (info["step"], info["status"]) == (0, "paused")
    assert page.evaluate("(id) => window.lab.steps(id)", session) == []
    expect_progress(page, 0, 10)
