"""The Python console: code runs against the live model between two training
steps, during a run, without changing the run's numbers."""

import math

from helpers import TOL, native_losses, new_session, open_lab, run_console, session_done, show_all_panels


def test_console_during_a_run_leaves_the_run_exact(lab_page, site_url, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    num_steps = 40
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    seen = []
    while True:
        status, output, error = run_console(page, "session.step_count, len(vocab), math.pi")
        assert (status, error) == ("ok", ""), error
        step, size, pi = output.strip("()").split(", ")
        assert int(size) >= 26 and float(pi) == math.pi
        seen.append(int(step))
        if int(step) >= num_steps or len(seen) >= 12:
            break
    assert any(0 < s < num_steps for s in seen), f"no console call landed mid-run: {seen}"
    session_done(page, session)
    losses = page.evaluate("async () => (await window.lab.steps()).map((s) => s.loss)")
    expected = native_losses(dist_dir, num_steps)
    assert len(losses) == num_steps
    assert all(abs(a - b) < TOL for a, b in zip(losses, expected))
