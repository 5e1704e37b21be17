"""Samples: drawn at the temperature of the slider (by default the session's
own), kept with the step they were drawn at, newest first; by button and by
the C key."""

from helpers import new_session, open_lab

NUM_STEPS = 40


def test_samples_use_the_slider_temperature(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=NUM_STEPS, temperature=0.7)
    slider = page.get_by_role("slider", name="Temperature")
    # The default is the session's config temperature.
    assert slider.input_value() == "0.7"
    assert (slider.get_attribute("min"), slider.get_attribute("max"), slider.get_attribute("step")) == ("0.1", "2", "0.1")

    page.get_by_role("button", name="Step").click()
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuenow') === '1'")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert slider.input_value() == "1.2"
    page.get_by_role("button", name="Sample").click()
    items = page.get_by_role("list", name="Samples").get_by_role("listitem")
    items.first.wait_for()
    assert items.count() == 10
    assert "step 1" in items.first.text_content() and "T=1.2" in items.first.text_content()
    stored = page.evaluate("() => window.lab.samples()")
    assert [(b["step"], b["temperature"]) for b in stored] == [(1, 1.2)]

    # A later step, sampled with the C key at a lower temperature: newest first.
    page.locator("body").press("s")
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuenow') === '2'")
    slider.focus()
    for _ in range(9):
        page.keyboard.press("ArrowLeft")
    assert slider.input_value() == "0.3"
    slider.evaluate("(el) => el.blur()")
    page.keyboard.press("c")
    page.wait_for_function("() => document.querySelectorAll('#samples li').length === 20")
    assert "step 2" in items.first.text_content() and "T=0.3" in items.first.text_content()
    assert "step 1" in items.last.text_content() and "T=1.2" in items.last.text_content()
