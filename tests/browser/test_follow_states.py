"""Follow a token before and between explanations: with no step it says what to
do; once a step is shown its token strip is there to pick from (live and in
time travel); a followed position past the shown step's document is clamped to
it, as it is live; and the panel speaks in its own words, never the engine's."""

from helpers import new_session, open_lab, panel, show_all_panels, take_steps, travel_to, wait_data

FOLLOW = "[data-panel=follow]"
ENGINE_WORDS = ("explain needs", "position must be", "got ")


def message(page):
    return page.locator(f"{FOLLOW} .follow-message").text_content()


def steps_with_lengths(page):
    return page.evaluate("async () => (await window.lab.steps(window.lab.state.current)).map((s) => [s.step, s.tokens.length - 1])")


def test_no_step_says_what_to_do_and_reset_speaks_its_own_words(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    page.wait_for_function("() => document.querySelector('[data-panel=follow] .follow-message').textContent.includes('No step')")
    assert "Step (S)" in message(page) and panel(page, "follow").locator(".tok").count() == 0

    take_steps(page, 2)
    wait_data(page, "follow", "step", "2")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('[data-panel=follow]').dataset.step === ''")
    page.wait_for_function("() => document.querySelector('[data-panel=follow] .follow-message').textContent.includes('No step')")
    text = message(page)
    assert not any(words in text for words in ENGINE_WORDS), text

    # The first step after it: its document's strip, and a click there follows a position.
    take_steps(page, 1)
    wait_data(page, "follow", "step", "1")
    panel(page, "follow").locator(".tok").nth(1).click()
    wait_data(page, "follow", "position", "1")


def test_time_travel_clamps_the_position_to_the_shown_document(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=30)
    take_steps(page, 12)
    lengths = dict(steps_with_lengths(page))
    # A step whose document is longer than an earlier one's: follow its last position, travel back.
    late = max(range(2, 13), key=lambda s: lengths[s])
    early = min(range(1, late), key=lambda s: lengths[s])
    assert lengths[early] < lengths[late]
    travel_to(page, late)
    wait_data(page, "follow", "step", str(late))
    last = lengths[late] - 1
    panel(page, "follow").locator(".tok").nth(last).click()
    wait_data(page, "follow", "position", str(last))

    travel_to(page, early)
    wait_data(page, "follow", "step", str(early))
    wait_data(page, "follow", "position", str(lengths[early] - 1))
    assert panel(page, "follow").locator(".tok").count() == lengths[early]
    assert "problem" not in panel(page, "follow").evaluate("(el) => ({...el.dataset})")
    text = panel(page, "follow").text_content()
    assert not any(words in text for words in ENGINE_WORDS[:2]), text


def test_one_position_convention_pos_id_from_0(lab_page, site_url):
    """The probabilities panel and Follow a token name the same position with the same number."""
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    take_steps(page, 2)
    # The panel draws a frame after the step arrives: read its positions once it shows step 2
    # (read at step 1, the click then walked step 2's document, whose last position differs).
    wait_data(page, "probs", "step", "2")
    probs = panel(page, "probs")
    last = int(probs.get_attribute("data-positions")) - 1
    wait_data(page, "probs", "position", str(last))
    shown = probs.locator(".panel-info").text_content()
    assert shown.startswith(f"position {last} of 0 to {last}"), shown
    probs.get_by_role("button", name="Walk this position through the model").click()
    wait_data(page, "follow", "position", str(last))
    assert f"position {last}" in panel(page, "follow").locator(".panel-info").text_content()
    assert "count from 0" in panel(page, "follow").locator(".panel-caption").text_content()
