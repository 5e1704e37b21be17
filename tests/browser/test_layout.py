"""Every width (#13, problem 8): at 1440, 1280, 1024, 768 and 390 px no card
overflows, no text is cut, no column is left empty, the training card is not
stretched beside the long form; on a phone the training controls come before
the long config form; keyboard hints show only where there is a keyboard (a
fine pointer that hovers)."""

import pytest

from helpers import animation_frames, new_session, open_lab, run_to_end

WIDTHS = [1440, 1280, 1024, 768, 390]

# Everything in a card (or a panel) stays inside it, and no box that clips
# its content (overflow other than visible) hides any of it, scroll boxes
# included: [what overflows, by how many px].
OVERFLOWS = """() => {
    const out = [];
    const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    for (const box of document.querySelectorAll('.layout > .card, .panel')) {
        const edge = box.getBoundingClientRect();
        for (const el of box.querySelectorAll('*')) {
            const rect = el.getBoundingClientRect();
            if (!rect.width || !rect.height || el.closest('[hidden], details:not([open])')) continue;
            if (rect.right > edge.right + 1) out.push([name(el), Math.round(rect.right - edge.right)]);
            const style = getComputedStyle(el);
            const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
            if (clips && el.tagName !== 'CANVAS' && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
                out.push([name(el), Math.max(el.scrollWidth - el.clientWidth, el.scrollHeight - el.clientHeight)]);
            }
        }
    }
    return out;
}"""


def top_of(page, selector):
    return page.locator(selector).bounding_box()["y"]


def test_every_width(lab_page, site_url):
    page = lab_page
    page.set_viewport_size({"width": 1440, "height": 900})
    open_lab(page, site_url)
    session = new_session(page, num_steps=15, learning_rate=0.02)
    run_to_end(page, session)
    page.get_by_role("button", name="Sample").click()
    page.locator("#samples .sample").first.wait_for()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        animation_frames(page, 3)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, width
        assert page.evaluate(OVERFLOWS) == [], width
        # No empty column: the top cards reach the layout's right edge.
        right = page.evaluate("""() => {
            const layout = document.querySelector('.layout');
            const inner = layout.getBoundingClientRect().right - parseFloat(getComputedStyle(layout).paddingRight);
            const cards = [...layout.querySelectorAll(':scope > .card')].map((c) => c.getBoundingClientRect().right);
            return inner - Math.max(...cards);
        }""")
        assert abs(right) <= 1, (width, right)
        # Beside the long form, the training card keeps its own height (it stretched
        # to half the form's: hundreds of pixels of nothing under its buttons).
        blank = page.evaluate("""() => {
            const card = document.querySelector('.card.controls');
            const last = [...card.children].filter((c) => c.getBoundingClientRect().height).at(-1);
            return card.getBoundingClientRect().bottom - parseFloat(getComputedStyle(card).paddingBottom)
                - last.getBoundingClientRect().bottom;
        }""")
        assert blank <= 20, (width, blank)
        # The config form's inputs line up, row by row.
        rows = page.evaluate("""() => {
            const tops = new Map();
            for (const input of document.querySelectorAll('#config-fields input, #config-fields select')) {
                const field = input.closest('.field').getBoundingClientRect();
                const key = Math.round(field.top);
                tops.set(key, [...(tops.get(key) || []), Math.round(input.getBoundingClientRect().top)]);
            }
            return [...tops.values()].filter((row) => new Set(row).size > 1);
        }""")
        assert rows == [], (width, rows)
    # On a phone, the training controls come first.
    assert top_of(page, ".card.controls") < top_of(page, ".card.setup")
    # A mouse and keyboard here: the hints show.
    assert page.locator("#btn-step kbd").is_visible()


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_no_keyboard_hints_on_a_touch_screen(lab_page, site_url):
    page = lab_page  # a phone's context (the marker), watched for errors and foreign requests as every page
    open_lab(page, site_url)
    assert page.evaluate("() => matchMedia('(hover: none)').matches")
    assert page.locator("#btn-step").is_visible()
    assert not page.locator("#btn-step kbd").is_visible()
    assert not page.locator("#btn-help kbd").is_visible()
