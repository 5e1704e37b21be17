"""The attention and next-token probability panels, following a real short
run in Chromium (no mocks): their numbers (data-* attributes of each panel)
are checked against the step events the page stored (window.lab.steps()),
which are the engine's own output; by mouse, keyboard and buttons."""

import json
import math
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import (animation_frames, expect_progress, new_session, open_lab, panel, panel_data, run_to_end, take_steps,
                     wait_data)

SUM_TOL = 1e-6
NUM_STEPS = 40
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def stored_step(page, step):
    return page.evaluate("(n) => window.lab.steps().then((s) => s.find((e) => e.step === n))", step)


def vocab(page):
    return page.evaluate("""async () => {
        const id = window.lab.state.current;
        const trace = await window.lab.trace(id);
        return trace.dataset.vocab;
    }""")


def expected_target(doc, position):
    """The next character after `position` (0 = BOS) of a document, "BOS" at its end."""
    return doc[position] if position < len(doc) else "BOS"


def check_attention(page, layer, head, block_size):
    page.wait_for_function(
        "([l, h]) => { const el = document.querySelector('[data-panel=attention]');"
        " return el.dataset.layer === String(l) && el.dataset.head === String(h) && Number(el.dataset.rows) > 0; }",
        arg=[layer, head])
    shown = panel_data(page, "attention")
    event = stored_step(page, int(shown["step"]))
    assert event is not None and "attention" in event, shown
    rows = int(shown["rows"])
    sums = json.loads(shown["rowSums"])
    # The matrix has the document's length: BOS + characters, cut to block_size.
    assert shown["doc"] == event["doc"]
    assert rows == len(event["tokens"]) - 1 == min(len(event["doc"]) + 1, block_size)
    assert len(sums) == rows
    assert all(abs(s - 1) < SUM_TOL for s in sums), sums
    matrix = event["attention"][layer][head]
    assert [len(r) for r in matrix] == list(range(1, rows + 1))
    assert all(math.isclose(s, sum(r), abs_tol=1e-12) for s, r in zip(sums, matrix))
    return shown, event


def check_probs(page, chars):
    shown = panel_data(page, "probs")
    event = stored_step(page, int(shown["step"]))
    position = int(shown["position"])
    doc = event["doc"]
    assert shown["doc"] == doc
    assert shown["context"] == doc[:position]
    assert shown["targetChar"] == expected_target(doc, position)
    entry = event["topk"][position]
    target = entry["target"]
    assert (chars[target] if target < len(chars) else "BOS") == shown["targetChar"]
    assert float(shown["targetProb"]) == pytest.approx(entry["target_prob"], abs=1e-12)
    assert int(shown["targetRank"]) == entry["target_rank"] + 1
    return shown, event


def test_attention_and_probabilities_follow_a_run(lab_page, site_url):
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, site_url)
    session = new_session(page, num_steps=NUM_STEPS, n_head=4)
    run_to_end(page, session)
    expect_progress(page, NUM_STEPS, NUM_STEPS)
    chars = vocab(page)
    block_size = 16

    # Attention: default layer 0, head 0; then another head.
    shown, event = check_attention(page, 0, 0, block_size)
    assert shown["step"] == str(max(e["step"] for e in page.evaluate("() => window.lab.steps()") if "attention" in e))
    page.get_by_role("combobox", name="Head").select_option("2")
    check_attention(page, 0, 2, block_size)

    # Hovering the first cell (BOS attending to itself, necessarily weight 1).
    canvas = panel(page, "attention").locator("canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 42, box["y"] + 26)
    tooltip = panel(page, "attention").locator(".panel-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.text_content().endswith("1.000")
    readout = panel(page, "attention").locator("[aria-live]")
    expect(readout).to_contain_text("query 0")
    expect(readout).to_contain_text("weight 1.0000")
    # Keyboard: focus the heatmap, move the cursor, the readout follows.
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    rows = int(panel_data(page, "attention")["rows"])
    expect(readout).to_contain_text(f"query {rows - 1}")

    # Probabilities: follows the latest token (the last position) by default.
    shown, event = check_probs(page, chars)
    assert int(shown["position"]) == len(event["topk"]) - 1
    assert shown["targetChar"] == "BOS"  # after the whole name comes the end
    # Step back with the arrow keys and the buttons; the target stays the doc's next char.
    probs = panel(page, "probs")
    probs.locator("canvas").focus()
    # The panel redraws on the next animation frame: wait for the position it shows.
    page.keyboard.press("ArrowLeft")
    wait_data(page, "probs", "position", str(len(event["topk"]) - 2))
    shown, _ = check_probs(page, chars)
    assert int(shown["position"]) == len(event["topk"]) - 2
    page.keyboard.press("Home")
    wait_data(page, "probs", "position", "0")
    shown, _ = check_probs(page, chars)
    assert shown["position"] == "0" and shown["context"] == ""
    page.get_by_role("button", name="Next position").click()
    wait_data(page, "probs", "position", "1")
    shown, _ = check_probs(page, chars)
    assert shown["position"] == "1" and shown["context"] == event["doc"][:1]
    assert not page.get_by_role("checkbox", name="Follow the latest token").is_checked()
    assert f"“{shown['context']}”" in probs.locator("[aria-live]").text_content()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "attention-and-probabilities.png"), full_page=True)


def test_the_attention_readout_describes_the_shown_document(lab_page, site_url):
    """#13, problem 4: after a new step the readout never describes a cell of
    the previous document (it read 'Query 2 "m"' under a heatmap of "kartel")."""
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, site_url)
    new_session(page, num_steps=NUM_STEPS)
    take_steps(page, 1)
    wait_data(page, "attention", "step", "1")
    canvas = panel(page, "attention").locator("canvas").first
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    readout = panel(page, "attention").locator("[aria-live]")
    first_doc = panel_data(page, "attention")["doc"]
    expect(readout).to_contain_text(f"Step 1, “{first_doc}”")
    for step in range(2, 6):
        page.keyboard.press("s")  # the heatmap keeps the focus, and its cursor
        wait_data(page, "attention", "step", str(step))
        animation_frames(page, 2)
        doc = panel_data(page, "attention")["doc"]
        text = readout.text_content()
        # The cursor's cell in the new document, or (when it has fewer
        # positions) the hint: never the previous document's cell.
        assert text.startswith(f"Step {step}, “{doc}”") or text.startswith("Hover a cell"), text
