"""The why behind what the lab shows, said where the thing appears: the
learning rate's decay and Adam's bias correction at Adam's update of a row,
why wpe exists at the embedding, the causal mask's blank cells in the
attention heatmap's readout, why several heads in the glossary, and
temperature as the tempered probabilities beside the model's."""

import math

from helpers import new_session, open_lab, panel, show_all_panels, take_steps, wait_data
from microgpt_lab import Config, Session

FOLLOW = "[data-panel=follow]"


def walk_to(page, kind, stage=None):
    """Walk Follow a token with the arrow keys until the moment `kind` (at `stage`); returns its sentence."""
    follow = panel(page, "follow")
    follow.get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    for _ in range(int(follow.get_attribute("data-moments"))):
        data = follow.evaluate("(el) => ({...el.dataset})")
        if data["moment"] == kind and (stage is None or data["stage"] == stage):
            return page.locator(f"{FOLLOW} .follow-text").text_content()
        where = follow.locator(".panel-info").text_content()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(where) => document.querySelector('[data-panel=follow] .panel-info').textContent !== where", arg=where)
    raise AssertionError(f"no moment {kind} {stage}")


def test_each_why_is_said_where_the_thing_appears(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20, temperature=0.5)
    take_steps(page, 3)
    wait_data(page, "follow", "step", "3")
    native = Session.from_text(Config(num_steps=20, temperature=0.5), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(3):
        native.step()
    explained = native.explain(int(panel(page, "follow").get_attribute("data-position")))

    # wpe's reason, at the embedding.
    assert "attention alone takes no account of order" in walk_to(page, "forward", "embedding")

    # Temperature: the tempered probabilities beside the model's, at softmax.
    text = walk_to(page, "forward", "softmax")
    logits = next(s["forward"] for s in explained["stages"] if s["name"] == "lm_head")
    scaled = [l * 0.5 ** -1 for l in logits]
    exps = [math.exp(x - max(scaled)) for x in scaled]
    tempered = exps[explained["target"]] / sum(exps)
    assert "below 1 sharpens the probabilities, above 1 flattens them" in text
    assert f"would get {tempered:.4f}" in text, text
    captions = panel(page, "follow").locator(".heat figcaption").all_text_contents()
    assert any(c.startswith("probs at temperature 0.5") for c in captions), captions

    # The learning rate's decay and Adam's bias correction, at Adam's update.
    text = walk_to(page, "update")
    assert "m and v start at 0, so their early averages are too small" in text
    assert "the divisors fade toward 1" in text
    assert "falls in a straight line to 0 at the last step" in text and "instead of bouncing on one document's noise" in text
    assert f"decayed over 2 of 20 steps" in text

    # The causal mask: a blank cell's readout says why it is blank.
    heatmap = panel(page, "attention").locator("canvas").first
    heatmap.focus()
    page.keyboard.press("ArrowUp")  # from the last row to the one above it: its last cell is blank
    page.keyboard.press("ArrowRight")
    readout = page.wait_for_function("""() => {  // the readout is drawn in the panel's next frame
        const text = document.querySelector('[data-panel=attention] .panel-readout').textContent;
        return text.includes('cannot attend to key') && text;
    }""").json_value()
    assert "cannot attend to key" in readout and "must not see the character it is trying to predict" in readout, readout

    # Several heads: the glossary's head, on the attention panel's caption.
    head = panel(page, "attention").locator(".panel-caption .term", has_text="head")
    head.focus()
    assert "each head's own softmax can pick a different earlier position" in page.locator("#term-tip").text_content()
