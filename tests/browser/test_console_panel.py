"""The Python console: a Python prompt on the live model, run between two
training steps, during a run, without changing the run's numbers; it reads
the session and never changes it; what it prints is cut to a limit."""

import math

from playwright.sync_api import expect

from helpers import (TOL, check_losses, expect_progress, native_losses, new_session, open_lab, panel, run_console,
                     sample_now, session_done, session_info, show_all_panels, start_console, take_steps)
from microgpt_lab.config import Config
from microgpt_lab.session import Session
from tools.testing import LONG_TASKS


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


def native_session(dist_dir, steps, **config):
    session = Session.from_text(Config(**config), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(steps):
        session.step("loss")
    return session


def test_the_console_reads_the_session_and_never_changes_it(lab_page, site_url, dist_dir):
    """Stepping, resetting or reconfiguring from the console, writing a NaN
    into a weight or a row too long, are refused saying what to do instead;
    code that reaches the live session through the engine's modules is
    undone. The page's Step, Run and Export go on as if nothing was typed."""
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=10)
    take_steps(page, 1)
    refusals = {
        "e = session.step()": "press Step (S) or Run (R)",
        "session.reset()": "Press Reset",
        "from dataclasses import replace\nsession.config = replace(config, n_embd=8)": "press New session",
        "state_dict['wte'][0][0] = float('nan')": "the weights are read-only here",
        "state_dict['wte'][0].append(1.0)": "the weights are read-only here",
        "state_dict['__proto__'] = [[1.0]]": "the weights are read-only here",
    }
    for code, instead in refusals.items():
        status, _, error = run_console(page, code)
        assert status == "error" and "the console only reads the session" in error and instead in error, (code, error)
    reach = ("import microgpt_lab.worker as w\nlive = w.sessions[{session!r}]\n"
             "live.step()\nlive.state_dict['wte'][0][0] = float('nan')\nlive.step_count").format(session=session)
    status, output, error = run_console(page, reach)
    assert status == "error" and output == "2" and "put back as it was before the code ran" in error
    assert run_console(page, "session.step_count, config.n_embd") == ("ok", "(1, 16)", "")

    take_steps(page, 2)
    expect_progress(page, 3, 10)
    steps = page.evaluate("() => window.lab.steps()")
    assert [step["step"] for step in steps] == [1, 2, 3]
    assert all(abs(step["loss"] - native) < TOL  # the native engine's, untouched
               for step, native in zip(steps, native_losses(dist_dir, 3, num_steps=10)))
    assert session_info(page, session)["step"] == 3

    page.get_by_role("button", name="Run").click()  # a run after it: every step, with the original's numbers
    session_done(page, session)
    check_losses(page, session, dist_dir, 10)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export weights").click()
    assert download.value.suggested_filename == f"microgpt-lab-{session}-step10.safetensors"


def test_sampling_in_the_console_leaves_the_sessions_samples_the_originals(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    take_steps(page, 2)
    status, output, _ = run_console(page, "session.sample(10, 0.5)")
    native = native_session(dist_dir, 2, num_steps=20)
    assert status == "ok" and output == repr(native.sample(10, 0.5))  # a copy of the session's generator
    sample_now(page)
    batch = page.evaluate("() => window.lab.samples()")[-1]
    untouched = native_session(dist_dir, 2, num_steps=20)
    assert batch["samples"] == untouched.sample(10, 0.5)  # the page's own, as if the console had not drawn


def test_the_console_is_a_python_prompt(lab_page, site_url):
    """The value of a last expression is echoed, after statements too; errors
    are tracebacks with the learner's lines; the arrows go through the history."""
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=5)
    assert run_console(page, "import math; math.log(27)") == ("ok", repr(math.log(27)), "")
    assert run_console(page, "print(1)\n1+1") == ("ok", "1\n2", "")
    assert run_console(page, "def inverse(a):\n    return 1 / a") == ("ok", "", "")
    status, _, error = run_console(page, "inverse(0)")
    assert status == "error" and error.startswith("Traceback (most recent call last):")
    assert "inverse(0)" in error and "return 1 / a" in error and error.endswith("ZeroDivisionError: division by zero")
    assert "worker.py" not in error and "console.py" not in error

    box = panel(page, "console").get_by_label("Python")
    box.fill("draft")
    box.press("ArrowUp")
    expect(box).to_have_value("inverse(0)")
    box.press("ArrowUp")
    expect(box).to_have_value("def inverse(a):\n    return 1 / a")
    box.press("ArrowUp")  # from its last line, Up moves the caret within the text first
    box.press("ArrowUp")
    expect(box).to_have_value("print(1)\n1+1")
    box.press("ArrowDown")
    expect(box).to_have_value("def inverse(a):\n    return 1 / a")
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_value("draft")
    box.press("ArrowUp")
    box.press("Enter")  # the history's entry runs again
    again = panel(page, "console").locator(".console-entry").last
    expect(again).to_have_attribute("data-status", "error")
    expect(again.locator(".console-code")).to_have_text("inverse(0)")


def test_a_huge_output_is_cut_and_never_blocks_the_page(lab_page, site_url):
    page = lab_page
    page.add_init_script(LONG_TASKS)
    open_lab(page, site_url)
    new_session(page, num_steps=5)
    run_console(page, "1 + 1")  # the first command, once the new session's panels have drawn
    start = page.evaluate("() => performance.now()")
    for _ in range(3):
        status, output, _ = run_console(page, "print('x' * 50_000_000)")
        assert status == "ok" and "characters cut here: the console keeps the first 16,000 and the last 4,000" in output
        assert len(output) < 21_000
    status, output, _ = run_console(page, "for i in range(200_000): print(i)")
    assert output.startswith("0\n1\n") and output.endswith("199999") and len(output) < 21_000
    status, _, error = run_console(page, "raise ValueError('y' * 10_000_000)")
    assert status == "error" and len(error) < 21_000
    longest = page.evaluate("(t) => Math.max(0, ...window.__longTasks.filter(([s]) => s >= t).map(([, d]) => d))", start)
    assert longest < 250, longest  # 50 MB gave tasks of 16.3 s and 3.3 s
    entry = start_console(page, "'z' * 3_000 + '" + "w" * 100_000 + "'")  # the code echoed, cut
    page.wait_for_function("(el) => el.dataset.status !== 'pending'", arg=entry.element_handle())
    assert "more characters of code" in entry.locator(".console-code").text_content()
