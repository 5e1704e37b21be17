"""The keyboard path: skip links first, landmarks for the page's parts, and the
glossary's terms one tab stop per explained block (the arrow keys go from term
to term within it), so Tab does not stop at every dotted word."""

from helpers import open_lab, new_session, panel, show_all_panels, take_steps

FOCUSED = "() => { const el = document.activeElement; return el.id || el.className || el.tagName; }"


def tabs_until(page, done, limit=60):
    """Press Tab until `done` (a page predicate) holds for the focused element; returns how many presses."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(done):
            return count
    raise AssertionError(f"not reached in {limit} Tabs; focus on {page.evaluate(FOCUSED)}")


def test_skip_links_landmarks_and_few_tab_stops(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    # Landmarks: a banner, a main, a footer, and skip links in a navigation landmark.
    for role in ("banner", "main", "contentinfo", "navigation"):
        assert page.get_by_role(role).count() >= 1, role

    # The first Tab stop skips to Training: New session is then one Tab away.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to Training"
    page.keyboard.press("Enter")
    assert tabs_until(page, "() => document.activeElement.id === 'btn-new'") == 1

    # Without the skip link, the form's many dotted terms are one stop, not one each.
    page.evaluate("() => document.activeElement.blur()")
    page.reload()
    open_lab(page, site_url)
    stops = tabs_until(page, "() => document.activeElement.id === 'btn-new'")
    fields = page.locator("#config-fields input, #config-fields select").count()
    # besides the fields: the header's links, the card's disclosures (experiments, the ladder, the sweep) and buttons
    assert stops <= fields + 12, stops
    terms = page.locator("#config-fields .term")
    assert terms.count() > 3
    assert page.locator("#config-fields .term[tabindex='0']").count() == 1


def test_terms_are_one_stop_per_block_and_the_arrow_keys_walk_them(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    take_steps(page, 1)
    loss = panel(page, "loss")
    terms = loss.locator(".term")
    assert terms.count() >= 3
    assert loss.locator(".term[tabindex='0']").count() == 1
    loss.locator(".term[tabindex='0']").focus()
    first = page.locator("#term-tip").text_content()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('term')")
    assert page.evaluate("() => document.activeElement.tabIndex") == 0
    assert page.locator("#term-tip").text_content() != first
    assert loss.locator(".term[tabindex='0']").count() == 1
    # Arrow keys on a Follow a token term walk its terms, not its stages.
    follow = panel(page, "follow")
    page.wait_for_function("() => document.querySelector('[data-panel=follow]').dataset.step === '1'")
    moment = follow.get_attribute("data-stage")
    follow.locator(".follow-text .term").first.focus()
    page.keyboard.press("ArrowRight")
    assert follow.get_attribute("data-stage") == moment
    # The whole page: at most one stop per explained block.
    roots = page.locator("[data-terms]").count()
    assert page.locator(".term[tabindex='0']").count() <= roots
