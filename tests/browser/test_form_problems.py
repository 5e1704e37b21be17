"""Forms that help (#13, problem 9): an engine's refusal focuses and marks
the field it names and clears once that field is fixed; your own data (a
file or pasted text) is still in the form after a reload; makemore's names
offline say why they cannot come."""

from playwright.sync_api import expect

from helpers import alert_says, new_session, open_lab, wait_ready


def test_an_engine_refusal_focuses_the_field_and_clears_when_fixed(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    field = page.locator("#cfg-n_embd")
    field.fill("999")
    page.get_by_role("button", name="New session").click()
    alert_says(page, "n_embd must be an integer from 1 to 256")
    page.wait_for_function("() => document.activeElement.id === 'cfg-n_embd'")
    expect(field).to_have_attribute("aria-invalid", "true")
    # Still wrong: the problem stays (the engine is asked again, as New session would).
    page.keyboard.press("Backspace")
    field.fill("300")
    field.fill("32")
    expect(page.locator("#form-error")).to_have_text("")
    expect(field).not_to_have_attribute("aria-invalid", "true")


def test_own_data_stays_in_the_form_after_a_reload(lab_page, site_url, tmp_path):
    page = lab_page
    open_lab(page, site_url)
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill("anna\nbob\n")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    page.wait_for_function("() => (sessionStorage.getItem('microgpt-lab-dataset-choice') || '').includes('bob')")
    page.reload()
    wait_ready(page)
    expect(page.get_by_label("Pasted text")).to_be_checked()
    expect(page.get_by_label("Dataset text")).to_have_value("anna\nbob\n")

    path = tmp_path / "digits.txt"
    path.write_text("3141\n2718\n")
    page.get_by_label("My text file").check()
    page.get_by_label("Dataset file").set_input_files(str(path))
    page.wait_for_function("() => (sessionStorage.getItem('microgpt-lab-dataset-choice') || '').includes('2718')")
    page.reload()
    wait_ready(page)
    expect(page.get_by_label("My text file")).to_be_checked()
    expect(page.locator("#dataset-info")).to_contain_text("Using digits.txt, kept from before the reload")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    new_session(page, num_steps=10)
    expect(page.locator("#session-info")).to_contain_text("digits.txt · 2 documents · vocabulary 6 + BOS: 123478")


def test_makemore_offline_says_why(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    page.get_by_label("makemore names.txt").check()
    page.context.set_offline(True)
    try:
        page.get_by_role("button", name="New session").click()
        alert_says(page, "you are offline: makemore's names need a connection; the bundled names work offline")
    finally:
        page.context.set_offline(False)
