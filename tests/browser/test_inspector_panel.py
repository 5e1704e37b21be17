"""The parameter and gradient inspector, in real Chromium against the real
engine: weights, the last step's gradients and Adam's state of any matrix of
state_dict, by cell, with its history, the same numbers the console reads; and
the live-model panels read the model only while on screen."""

from helpers import new_session, open_lab, panel, run_console, run_to_end, show_all_panels, travel_to, wait_data


def test_inspector_gradients_and_the_console_agree(lab_page, site_url):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
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
    wait_data(page, "inspector", "history", "3")  # step 0 (the initial model), 1 and 2
    assert inspector.get_attribute("data-cell") == cell

    # Errors in the learner's code are shown as such; the session goes on.
    status, _, error = run_console(page, "1 / 0")
    assert status == "error" and "ZeroDivisionError" in error


def on_screen(page, name):
    """Whether any part of panel `name` is inside the viewport."""
    return panel(page, name).evaluate("(el) => { const r = el.getBoundingClientRect(); "
                                      "return r.bottom > 0 && r.top < innerHeight; }")


def test_live_panels_read_the_model_only_on_screen(lab_page, site_url):
    """Each read waits for a gap between two training steps, so a panel
    scrolled out of view asks nothing. A narrow viewport stacks the panels in
    one column, so the embedding map can be on screen without the inspector:
    the map having read the model after a step, and after one more, is the
    positive signal that an inspector reading off screen would have read too
    (both are asked at the same moments)."""
    page = lab_page
    page.set_viewport_size({"width": 600, "height": 400})
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    panel(page, "embeddings").evaluate("(el) => el.scrollIntoView({ block: 'start' })")
    assert on_screen(page, "embeddings") and not on_screen(page, "inspector")
    page.evaluate("() => document.activeElement.blur()")
    for step in (1, 2):
        page.keyboard.press("s")  # the S shortcut: the Step button would scroll the page to itself
        page.wait_for_function("(n) => window.lab.state.events.length === n", arg=step)
        wait_data(page, "embeddings", "step", str(step))
    assert not panel(page, "inspector").get_attribute("data-step")
    panel(page, "inspector").scroll_into_view_if_needed()
    wait_data(page, "inspector", "step", "2")


def test_a_cells_history_covers_the_whole_run(lab_page, site_url):
    """#13, problem 6: the history of a cell starts at step 0 even when the
    inspector was off screen during the run (the kept checkpoints), and
    follows time travel."""
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 700})  # the inspector is far below
    open_lab(page, site_url)
    session = new_session(page, num_steps=120)
    run_to_end(page, session)
    inspector = panel(page, "inspector")
    inspector.scroll_into_view_if_needed()
    wait_data(page, "inspector", "step", "120")
    wait_data(page, "inspector", "history", "4")  # steps 0, 50, 100 (kept) and 120 (read)
    show_all_panels(page)
    travel_to(page, 60)
    wait_data(page, "inspector", "step", "60")
    wait_data(page, "inspector", "history", "3")  # 0, 50 and 60
