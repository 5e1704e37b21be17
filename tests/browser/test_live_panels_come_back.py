"""Live-model panels never go blank (#13, problem 2): after a switch to
another session and back, and after a reload, a finished session's model
comes back from its last checkpoint for the inspector, the embedding map,
the probe and the console. (Already so on main when this test was written:
it guards the behaviour.)"""

from helpers import new_session, open_lab, panel, run_console, run_to_end, show_all_panels, wait_data, wait_ready


def name_button(page, session):
    return page.locator(f'#sessions tr[data-session="{session}"] [data-role=name]')


def models_at(page, step):
    for name in ("inspector", "embeddings"):
        wait_data(page, name, "step", str(step))
    probe = panel(page, "probe")
    probe.get_by_label("Context after BOS").fill("a")
    probe.get_by_role("button", name="Pin").click()
    page.wait_for_function("(step) => document.querySelector('[data-panel=probe]').dataset.steps.endsWith(`,${step}`)",
                           arg=step)
    status, output, _ = run_console(page, "session.step_count")
    assert (status, output.strip()) == ("ok", str(step))


def test_a_finished_sessions_model_comes_back(lab_page, site_url):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    first = new_session(page, num_steps=20)
    run_to_end(page, first)
    second = new_session(page, num_steps=30, learning_rate=0.02)
    wait_data(page, "inspector", "step", "0")
    name_button(page, first).click()
    page.wait_for_function("(id) => window.lab.state.current === id", arg=first)
    models_at(page, 20)

    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=second)
    name_button(page, first).click()
    page.wait_for_function("(id) => window.lab.state.current === id", arg=first)
    models_at(page, 20)
