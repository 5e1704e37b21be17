"""A finished session says so (#13, problem 5): Step and Run are off, the
note says why in words, and their shortcuts say it too, also after a reload;
Reset turns them on again."""

from playwright.sync_api import expect

from helpers import alert_says, new_session, open_lab, run_to_end, wait_ready


def test_step_and_run_on_a_finished_session_say_why(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=5)
    run_to_end(page, session)
    note = page.locator("#controls-note")
    for _ in range(2):
        expect(note).to_have_text("Finished: all 5 steps are taken. Press Reset to train it again from step 0, "
                                  "or start a new session with more steps.")
        expect(page.locator("#btn-step")).to_be_disabled()
        expect(page.locator("#btn-run")).to_be_disabled()
        page.locator("body").press("r")
        alert_says(page, "Finished: all 5 steps are taken")
        page.reload()
        wait_ready(page)
        page.wait_for_function("(id) => window.lab.state.current === id", arg=session)

    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#btn-step")).to_be_enabled()
    expect(note).to_have_text("")
