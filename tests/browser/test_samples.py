"""Samples: drawn at the temperature of the slider (by default the session's
own), kept with the step they were drawn at, newest first; by button and by
the C key. A learner can read them at every width (#13, problem 1): no name
breaks inside itself, step and temperature are said once per group, and no
row is cut in half."""

from playwright.sync_api import expect

from helpers import animation_frames, clipped, new_session, open_lab, take_steps

from microgpt_lab import probes
from microgpt_lab.config import Config
from microgpt_lab.session import Session

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
    items = page.get_by_role("list", name="Samples at step 1 · temperature 1.2").get_by_role("listitem")
    items.first.wait_for()
    assert items.count() == 10
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
    headings = page.locator("#samples .sample-heading")
    assert headings.all_text_contents() == ["step 2 · temperature 0.3", "step 1 · temperature 1.2"]


WIDTHS = [1440, 1280, 1024, 768, 390]


def sample_at(page, temperature):
    slider = page.get_by_role("slider", name="Temperature")
    slider.fill(str(temperature))
    before = len(page.evaluate("() => window.lab.samples()"))
    page.get_by_role("button", name="Sample").click()
    page.wait_for_function("(n) => document.querySelectorAll('#samples-view .sample-group').length > n", arg=before)


def test_samples_are_readable_at_every_width(lab_page, site_url):
    page = lab_page
    page.set_viewport_size({"width": 1440, "height": 900})
    open_lab(page, site_url)
    new_session(page, num_steps=NUM_STEPS)
    take_steps(page, 1)
    for temperature in (0.5, 1.0, 2.0):
        sample_at(page, temperature)
    take_steps(page, 1)
    for temperature in (0.5, 1.5):
        sample_at(page, temperature)

    # Newest first; each (step, temperature) said once, in its heading only.
    headings = page.locator("#samples .sample-heading").all_text_contents()
    assert headings == ["step 2 · temperature 1.5", "step 2 · temperature 0.5",
                        "step 1 · temperature 2", "step 1 · temperature 1"]
    assert "step" not in " ".join(page.locator("#samples .sample").all_text_contents())
    older = page.locator(".sample-older")
    assert older.locator("summary").text_content() == "Older samples (1 group)"

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        animation_frames(page, 2)
        # One line per name, never cut: its box holds all of its text.
        broken = page.evaluate("""() => [...document.querySelectorAll('#samples .sample-text')]
            .filter((el) => el.scrollWidth > el.clientWidth
                || el.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).fontSize))
            .map((el) => el.textContent)""")
        assert broken == [], (width, broken)
        assert clipped(page, "#samples .sample") == [], width
        # The groups of one step sit side by side where there is room.
        if width >= 1024:
            tops = page.evaluate("""() => [...document.querySelectorAll('#samples .sample-group')]
                .map((el) => Math.round(el.getBoundingClientRect().top))""")
            assert tops[0] == tops[1], (width, tops)


def test_a_names_characters_with_their_probabilities_when_drawn(lab_page, site_url, dist_dir):
    """Focusing a sampled name says how likely each of its characters was,
    with the model as it was at the batch's step (not the live one)."""
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=NUM_STEPS)
    take_steps(page, 3)
    sample_at(page, 0.5)
    take_steps(page, 2)
    first = page.locator("#samples .sample-text").first
    text = first.text_content()
    first.focus()
    readout = page.locator("#sample-readout")
    page.wait_for_function("() => /end \\d/.test(document.querySelector('#sample-readout').textContent)")

    native = Session.from_text(Config(num_steps=NUM_STEPS), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(3):
        native.step("loss")
    vocab = native.tokenizer.uchars
    expected = []
    for i in range(len(text) + 1):
        probs = [p ** 2 for p in probes.next_token(native, text[:i])["probs"]]  # T = 0.5: p^(1/T)
        total = sum(probs)
        char = text[i] if i < len(text) else "end"
        expected.append(f"{char} {probs[vocab.index(char) if i < len(text) else len(vocab)] / total:.3f}")
    assert readout.text_content() == f"“{text}” (step 3, temperature 0.5): " + " · ".join(expected)

    # The arrow keys go to the next name, which is read out in turn.
    page.keyboard.press("ArrowRight")
    second = page.locator("#samples .sample-text").nth(1)
    page.wait_for_function("(el) => document.activeElement === el", arg=second.element_handle())
    expect(readout).to_contain_text(f"“{second.text_content()}” (step 3")
