"""A page that froze while drawing a session does not open that session by
itself on the next visits: they open on the sessions list and say why, and
the session draws again when chosen. A page reloaded mid-draw did not
freeze: its session opens as usual."""
import json

from helpers import alert_says, native_trace, open_lab


def shown_trace(page, site_url, tmp_path):
    """A 12-step trace imported, drawn and listed; returns its session id."""
    open_lab(page, site_url)
    path = tmp_path / "run.json"
    path.write_text(json.dumps(native_trace()))
    page.locator("#trace-file").set_input_files(str(path))
    page.wait_for_function("() => window.lab.state.current")
    session = page.evaluate("() => window.lab.state.current")
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '12'")
    page.locator(f'tr[data-session="{session}"] [data-role=name]').wait_for()  # the list refreshes on its own
    return session


def test_a_session_whose_drawing_froze_is_not_reopened(lab_page, site_url, tmp_path):
    page = lab_page
    session = shown_trace(page, site_url, tmp_path)
    # Choose it again and freeze the page before it has painted (a real
    # endless loop on the main thread, as a hostile file once caused).
    page.evaluate("""(id) => {
        document.querySelector(`tr[data-session="${id}"] [data-role=name]`).click();
        setTimeout(() => { for (;;); }, 0);
    }""", session)
    context = page.context
    page.close()
    again = context.new_page()
    open_lab(again, site_url)
    message = alert_says(again, "was being drawn when this page last stopped")
    assert session in message
    assert again.evaluate("() => window.lab.state.current") is None
    # Until it is chosen, every load opens without it.
    again.reload()
    alert_says(again, "was being drawn when this page last stopped")
    assert again.evaluate("() => window.lab.state.current") is None
    again.locator(f'tr[data-session="{session}"] [data-role=name]').click()
    again.wait_for_function("(id) => window.lab?.state.current === id", arg=session)
    again.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '12'")
    again.reload()
    again.wait_for_function("(id) => window.lab?.state.current === id", arg=session)


def test_a_page_reloaded_while_drawing_reopens_its_session(lab_page, site_url, tmp_path):
    """A reload before the chosen session's first frames painted is not a
    freeze: the next load opens that session and says nothing of it."""
    page = lab_page
    session = shown_trace(page, site_url, tmp_path)
    with page.expect_navigation():
        page.evaluate("""(id) => {
            document.querySelector(`tr[data-session="${id}"] [data-role=name]`).click();
            setTimeout(() => location.reload(), 0);  // long before two frames have painted
        }""", session)
    page.wait_for_function("(id) => window.lab?.state.current === id", arg=session)
    assert "was being drawn" not in page.locator("#form-error").text_content()
