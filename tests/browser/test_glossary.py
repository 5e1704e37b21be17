"""The glossary where its words are used: a dotted term shows its definition (the
schema's, one place) on hover and on keyboard focus; hints off takes the
underlines, tooltips and captions away, and the choice survives a reload."""

import json

from helpers import open_lab


def definition(dist_dir, term):
    glossary = json.loads((dist_dir / "schema.json").read_text())["glossary"]
    entry = next(e for e in glossary if e["term"] == term)
    return f"{entry['term']}: {entry['text']}"


def test_terms_show_their_definition_on_hover_and_focus(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    tip = page.locator("#term-tip")
    # Every panel's caption explains its words; the loss panel's first term is "loss".
    assert page.locator(".panel-caption .term").count() >= 8
    loss_term = page.locator(".panel-loss .panel-caption .term").first
    loss_term.hover()
    tip.wait_for(state="visible")
    assert tip.text_content() == definition(dist_dir, "loss")

    # Keyboard only: Tab reaches a term, its definition shows, Escape hides it.
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    nats = page.locator(".panel-loss .term", has_text="nats")
    nats.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "nats"
    tip.wait_for(state="visible")
    assert tip.text_content() == definition(dist_dir, "nats")
    assert nats.get_attribute("aria-describedby") == "term-tip"
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")

    # The config form's help is explained too.
    assert page.locator("#config-fields .term").count() >= 3


def test_hints_off_hides_terms_and_captions_and_is_remembered(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    page.get_by_role("checkbox", name="Hints").uncheck()
    assert not page.locator(".panel-loss .panel-caption").is_visible()
    term = page.locator("#config-fields .term").first
    assert term.get_attribute("tabindex") == "-1"
    term.hover()
    assert page.locator("#term-tip").is_hidden()

    page.reload()
    open_lab(page, site_url)
    assert not page.get_by_role("checkbox", name="Hints").is_checked()
    assert not page.locator(".panel-loss .panel-caption").is_visible()
    page.get_by_role("checkbox", name="Hints").check()
    page.locator(".panel-loss .panel-caption").wait_for(state="visible")
