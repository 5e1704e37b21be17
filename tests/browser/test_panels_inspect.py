"""The inspection panels in real Chromium (no mocks): attention, next-token
probabilities, the samples' temperature, and the help dialog.

A real short run trains in the page; the panels' numbers (exposed as data
attributes on each panel element) are checked against the step events the page
stored (window.lab.steps()), which are the engine's own output.
"""

import json
import math
from pathlib import Path

import pytest

SUM_TOL = 1e-6
NUM_STEPS = 40
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


# ---- helpers ------------------------------------------------------------------

def open_lab(page, url, wait_ready):
    page.goto(url)
    wait_ready(page)


def new_session(page, **fields):
    for name, value in fields.items():
        page.fill(f"#cfg-{name}", str(value))
    before = page.evaluate("() => window.lab.state.current")
    page.get_by_role("button", name="New session").click()
    page.wait_for_function("(b) => window.lab.state.current && window.lab.state.current !== b", arg=before)
    return page.evaluate("() => window.lab.state.current")


def run_to_done(page):
    page.get_by_role("button", name="Run").click()
    page.wait_for_function(
        "(n) => document.querySelector('[role=progressbar]').getAttribute('aria-valuenow') === String(n)",
        arg=NUM_STEPS, timeout=120_000)
    page.wait_for_function("() => window.lab.state.status === 'done'")


def panel(page, name):
    return page.locator(f'[data-panel="{name}"]')


def data(locator):
    return locator.evaluate("(el) => ({...el.dataset})")


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
    attn = panel(page, "attention")
    page.wait_for_function(
        "([l, h]) => { const el = document.querySelector('[data-panel=attention]');"
        " return el.dataset.layer === String(l) && el.dataset.head === String(h) && Number(el.dataset.rows) > 0; }",
        arg=[layer, head])
    shown = data(attn)
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
    shown = data(panel(page, "probs"))
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


# ---- tests --------------------------------------------------------------------

def test_attention_and_probabilities_follow_a_run(lab_page, site_url, wait_ready):
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, site_url, wait_ready)
    new_session(page, num_steps=NUM_STEPS, n_head=4)
    run_to_done(page)
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
    assert "Query 0" in readout.text_content() and "weight 1.0000" in readout.text_content()
    # Keyboard: focus the heatmap, move the cursor, the readout follows.
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    rows = int(data(panel(page, "attention"))["rows"])
    assert f"Query {rows - 1}" in readout.text_content()

    # Probabilities: follows the latest token (the last position) by default.
    shown, event = check_probs(page, chars)
    assert int(shown["position"]) == len(event["topk"]) - 1
    assert shown["targetChar"] == "BOS"  # after the whole name comes the end
    # Step back with the arrow keys and the buttons; the target stays the doc's next char.
    probs = panel(page, "probs")
    probs.locator("canvas").focus()
    page.keyboard.press("ArrowLeft")
    shown, _ = check_probs(page, chars)
    assert int(shown["position"]) == len(event["topk"]) - 2
    page.keyboard.press("Home")
    shown, _ = check_probs(page, chars)
    assert shown["position"] == "0" and shown["context"] == ""
    page.get_by_role("button", name="Next position").click()
    shown, _ = check_probs(page, chars)
    assert shown["position"] == "1" and shown["context"] == event["doc"][:1]
    assert not page.get_by_role("checkbox", name="Follow the latest token").is_checked()
    assert f"“{shown['context']}”" in probs.locator("[aria-live]").text_content()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "panels-inspect.png"), full_page=True)


def test_samples_use_the_slider_temperature(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url, wait_ready)
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


def test_help_dialog_and_accessible_names(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url, wait_ready)
    dialog = page.get_by_role("dialog", name="Help")
    assert not dialog.is_visible()

    # "?" opens the help; it lists every shortcut; Esc closes it and focus returns.
    page.locator("body").press("?")
    dialog.wait_for(state="visible")
    text = dialog.text_content()
    for key, what in [("N", "New session"), ("S", "step"), ("R", "Run"), ("P", "Pause"), ("C", "Sample"),
                      ("Enter", "New session"), ("?", "help"), ("Esc", "Close")]:
        assert dialog.locator("dt", has_text=key).count() >= 1, key
        assert what.lower() in text.lower(), what
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
    # Shortcuts do not act behind the open dialog.
    page.keyboard.press("n")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => window.lab.state.current") is None

    # The visible Help button opens it too; Close gives focus back to the button.
    help_button = page.get_by_role("button", name="Help")
    help_button.click()
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.id") == "btn-help"

    # Every new control has an accessible name, by role.
    for role, name in [("combobox", "Layer"), ("combobox", "Head"), ("button", "Previous position"),
                       ("button", "Next position"), ("checkbox", "Follow the latest token"),
                       ("slider", "Temperature"), ("button", "Help")]:
        assert page.get_by_role(role, name=name).count() == 1, (role, name)
    assert page.get_by_role("img", name="Attention weights").count() == 1
    assert page.get_by_role("img", name="Top next-token probabilities").count() == 1
    assert page.get_by_role("img", name="Colour scale").count() == 1
    # And nothing focusable in the new parts is unnamed.
    unnamed = page.evaluate("""() => {
        const scopes = ['#panels [data-panel=attention]', '#panels [data-panel=probs]', '#sample-controls', '#help', '#btn-help'];
        const bad = [];
        for (const scope of scopes) {
            const root = document.querySelector(scope);
            const controls = root.matches('button') ? [root] : root.querySelectorAll('button, select, input, canvas[tabindex]');
            for (const el of controls) {
                const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                    || (el.labels && el.labels.length) || el.textContent.trim();
                if (!named) bad.push(scope + ' ' + el.outerHTML.slice(0, 80));
            }
        }
        return bad;
    }""")
    assert unnamed == []
