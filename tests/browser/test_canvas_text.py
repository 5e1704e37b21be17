"""No text a canvas draws is cut (issue 23 item 10): every fillText of the page
is measured as it is drawn (its box from measureText, through the canvas's
transform) and must lie inside its canvas, at every tested width, before a
session exists and after a run; and in the graph pulse no two texts overlap
(item 11: a stage's name no longer runs into its shape line)."""

import pytest

from helpers import animation_frames, new_session, open_lab, run_to_end

WIDTHS = [1440, 1024, 768, 390]

# Wraps fillText: every text drawn since the log was cleared, with its box in
# the canvas's pixels, the canvas's size and the animation frame it was drawn in.
RECORD = """(() => {
    const fill = CanvasRenderingContext2D.prototype.fillText;
    window.__drawnText = [];
    window.__frame = 0; // texts of one frame are compared with each other only
    const tick = () => { window.__frame += 1; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
        const m = this.measureText(text);
        const t = this.getTransform();
        const xs = [], ys = [];
        for (const [px, py] of [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
                                [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]) {
            for (const qy of [y - m.actualBoundingBoxAscent, y + m.actualBoundingBoxDescent]) {
                xs.push(t.a * px + t.c * qy + t.e);
                ys.push(t.b * px + t.d * qy + t.f);
            }
        }
        const canvas = this.canvas;
        const panel = canvas.closest('[data-panel]');
        window.__drawnText.push({ text: String(text), left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys),
                                  bottom: Math.max(...ys), width: canvas.width, height: canvas.height, frame: window.__frame,
                                  where: panel ? panel.dataset.panel : canvas.className || canvas.parentElement.className });
        return fill.call(this, text, x, y, ...rest);
    };
})();"""

# The texts drawn since the last check that leave their canvas, by more than a pixel of the canvas,
# and the pairs of different texts that overlap in the graph pulse.
CUT = """() => {
    const ratio = window.devicePixelRatio || 1;
    const drawn = window.__drawnText.filter((d) => d.text.trim());
    const cut = drawn.filter((d) => d.left < -ratio || d.top < -ratio || d.right > d.width + ratio || d.bottom > d.height + ratio)
        .map((d) => `${d.where}: "${d.text}" [${Math.round(d.left)}, ${Math.round(d.right)}] of ${d.width}`);
    const graph = drawn.filter((d) => d.where === 'graph');
    for (const [i, a] of graph.entries()) {
        for (const b of graph.slice(i + 1)) {
            const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
            if (!apart && a.text !== b.text && a.frame === b.frame) cut.push(`graph: "${a.text}" overlaps "${b.text}"`);
        }
    }
    window.__drawnText = [];
    return [...new Set(cut)];
}"""


def drawn_everywhere(page):
    """At each width (a tall window: every panel on screen draws), redraw and return the texts that are cut."""
    cut = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 5200})
        animation_frames(page, 6)
        page.evaluate("() => { window.__drawnText = []; dispatchEvent(new Event('resize')); }")  # every view redraws
        animation_frames(page, 6)
        assert page.evaluate("() => window.__drawnText.length") > 0, width
        found = page.evaluate(CUT)
        if found:
            cut[width] = found
    return cut


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_no_canvas_text_is_cut(lab_page, site_url, engine):
    page = lab_page
    page.add_init_script(RECORD)
    open_lab(page, site_url)
    assert drawn_everywhere(page) == {}
    session = new_session(page, num_steps=12, engine=engine, learning_rate=0.3)
    run_to_end(page, session)
    assert drawn_everywhere(page) == {}
