"""The panels that look inside the live model (issue 7, features 1, 2, 8, 9):
the parameter and gradient inspector, the embedding map, probe contexts and
the Python console, in real Chromium against the real engine (no mocks).

The panels publish what they show as data-* attributes of their element
(see each module's header); the console's log is read as text.
"""

import math

from helpers import TOL, native_losses, show_all_panels
from test_site import new_session, open_lab, session_done, wait_until


def panel(page, name):
    return page.locator(f"[data-panel={name}]")


def wait_data(page, name, key, value):
    """Wait until panel `name` has data-`key` equal to `value`."""
    page.wait_for_function(
        "([name, key, value]) => document.querySelector(`[data-panel=${name}]`)?.dataset[key] === value",
        arg=[name, key, value])


def run_console(page, code):
    """Type `code` in the console, press Enter, return (status, output text, error text)."""
    console = panel(page, "console")
    before = console.locator(".console-entry").count()
    box = console.get_by_label("Python")
    box.fill(code)
    box.press("Enter")
    entry = console.locator(".console-entry").nth(before)
    page.wait_for_function("(el) => el.dataset.status !== 'pending'", arg=entry.element_handle())
    output = entry.locator(".console-output")
    error = entry.locator(".console-error")
    return (entry.get_attribute("data-status"),
            output.text_content() if output.count() else "",
            error.text_content() if error.count() else "")


def test_inspector_gradients_and_the_console_agree(lab_page, site_url, wait_ready):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
    new_session(page, num_steps=20)
    inspector = panel(page, "inspector")

    # Before the first step: weights, but no gradient and no update yet.
    wait_data(page, "inspector", "step", "0")
    assert inspector.get_attribute("data-matrix") == "wte"
    assert inspector.get_attribute("data-grads") == "none"
    assert inspector.get_attribute("data-grad") == ""
    inspector.get_by_label("Gradients (last step)").check()
    wait_data(page, "inspector", "view", "grads")
    assert inspector.get_attribute("data-max-abs") == ""

    # One step: the real gradient of that step is there, and non-zero.
    page.get_by_role("button", name="Step").click()
    wait_data(page, "inspector", "step", "1")
    assert inspector.get_attribute("data-grads") == "present"
    assert float(inspector.get_attribute("data-max-abs")) > 0
    assert inspector.get_attribute("data-cell") == "0,0"
    assert inspector.get_attribute("data-grad") != ""

    # The console reads the same weight as the inspector's cell 0,0.
    status, output, error = run_console(page, "state_dict['wte'][0][0]")
    assert (status, error) == ("ok", "")
    assert float(output) == float(inspector.get_attribute("data-value"))
    status, output, _ = run_console(page, "session.adam.m['wte'][0]")
    assert float(output) == float(inspector.get_attribute("data-m"))

    # Another matrix, another cell by click: its shape, values and a history.
    inspector.get_by_label("Matrix", exact=True).select_option("layer0.mlp_fc1")
    wait_data(page, "inspector", "shape", "64,16")
    # Cells are at most 14 px square, after a 40 px label column and a 16 px header.
    canvas = inspector.locator("canvas").first
    canvas.click(position={"x": 43, "y": 16 + 14 * 3 + 3})
    wait_data(page, "inspector", "cell", "3,0")
    canvas.press("ArrowRight")
    canvas.press("ArrowRight")
    wait_data(page, "inspector", "cell", "3,2")
    cell = "3,2"
    row, col = map(int, cell.split(","))
    status, output, _ = run_console(page, f"state_dict['layer0.mlp_fc1'][{row}][{col}]")
    assert float(output) == float(inspector.get_attribute("data-value"))
    page.get_by_role("button", name="Step").click()
    wait_data(page, "inspector", "step", "2")
    wait_data(page, "inspector", "history", "2")
    assert inspector.get_attribute("data-cell") == cell

    # Errors in the learner's code are shown as such; the session goes on.
    status, _, error = run_console(page, "1 / 0")
    assert status == "error" and "ZeroDivisionError" in error


def test_embedding_map_has_one_labelled_point_per_token(lab_page, site_url, wait_ready):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
    new_session(page, num_steps=20)
    vocab = page.evaluate("async () => (await window.lab.trace()).dataset.vocab")
    embeddings = panel(page, "embeddings")
    wait_data(page, "embeddings", "step", "0")
    labels = embeddings.get_attribute("data-labels").split(" ")
    assert int(embeddings.get_attribute("data-points")) == len(vocab) + 1 == len(labels)
    assert labels[-1] == "BOS" and labels[:-1] == list(vocab)
    explained = [float(x) for x in embeddings.get_attribute("data-explained").split(",")]
    assert 0 < explained[1] <= explained[0] <= 1
    page.get_by_role("button", name="Step").click()
    wait_data(page, "embeddings", "step", "1")


def test_probe_a_context_across_a_run(lab_page, site_url, wait_ready, page_log):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=30)
    probe = panel(page, "probe")

    # Characters outside the vocabulary are named next to the input.
    probe.get_by_label("Context after BOS").fill("a7")
    probe.get_by_role("button", name="Pin").click()
    page.wait_for_function("() => document.querySelector('[data-panel=probe]').dataset.error.includes('7')")
    assert "7" in probe.locator(".probe-error").text_content()

    probe.get_by_label("Context after BOS").fill("a")
    probe.get_by_role("button", name="Pin").click()
    wait_data(page, "probe", "steps", "0")
    assert probe.get_attribute("data-error") == ""
    page.get_by_role("button", name="Run").click()
    session_done(page, session)
    wait_until(page, "() => document.querySelector('[data-panel=probe]').dataset.steps.endsWith(',30')")
    steps = [int(s) for s in probe.get_attribute("data-steps").split(",")]
    sums = [float(s) for s in probe.get_attribute("data-sums").split(",")]
    assert int(probe.get_attribute("data-points")) == len(steps) == len(sums)
    assert steps[0] == 0 and steps[-1] == 30 and len(steps) >= 3
    assert all(a < b for a, b in zip(steps, steps[1:])), steps
    assert all(abs(s - 1) < 1e-9 for s in sums), sums
    assert len(probe.get_attribute("data-top").split(" ")) == 5


def test_console_during_a_run_leaves_the_run_exact(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
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


def test_live_panels_read_the_model_only_on_screen(lab_page, site_url, wait_ready):
    """Each read waits for a gap between two training steps, so a panel
    scrolled out of view asks nothing (the default 720-pixel viewport shows
    only the top of the page)."""
    page = lab_page
    open_lab(page, site_url, wait_ready)
    new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    page.wait_for_function("() => window.lab.state.events.length === 1")
    page.wait_for_timeout(1000)
    assert not panel(page, "inspector").get_attribute("data-step")
    panel(page, "inspector").scroll_into_view_if_needed()
    wait_data(page, "inspector", "step", "1")
