"""Compare runs: two sessions with different learning rates overlaid, with the
config fields that differ and each run's final smoothed loss."""

import json

from helpers import new_session, open_lab, panel, run_to_end, session_done, set_field, wait_until


def ema(values, beta=0.95):
    raw = 0.0
    for value in values:
        raw = beta * raw + (1 - beta) * value
    return raw / (1 - beta ** len(values))


def test_compare_two_learning_rates(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    first = new_session(page, num_steps=25)
    run_to_end(page, first)
    set_field(page, "learning_rate", 0.002)
    second = new_session(page, num_steps=25)
    page.get_by_role("button", name="Run").click()
    compare = panel(page, "compare")
    page.wait_for_function("() => document.querySelector('[data-panel=compare] input[type=checkbox]') !== null")
    # The runs are named by what sets them apart (draw/names.js), in the
    # picker and the table's columns alike.
    for name in ("names", "lr 0.002 · names"):
        compare.get_by_label(name, exact=True).check()
    session_done(page, second)
    page.wait_for_function(
        "(want) => document.querySelector('[data-panel=compare]').dataset.points === want",
        arg=json.dumps({first: 25, second: 25}, separators=(",", ":")))
    assert compare.get_attribute("data-compared") == f"{first},{second}"
    assert compare.get_attribute("data-differ") == "learning_rate"
    rows = {row.locator("th").text_content(): [c.text_content() for c in row.locator("td").all()]
            for row in compare.locator("tbody tr").all()}
    assert rows["learning_rate"] == ["0.01", "0.002"]
    assert compare.locator("thead th").all_text_contents() == ["Run", "names", "lr 0.002 · names"]
    for i, session in enumerate((first, second)):
        losses = [s["loss"] for s in page.evaluate("(id) => window.lab.steps(id)", session)]
        assert rows["smoothed loss"][i] == f"{ema(losses):.4f}"
    assert rows["smoothed loss"][0] != rows["smoothed loss"][1]


def test_a_diverged_run_leaves_the_chart_and_keeps_the_others_readable(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    healthy = new_session(page, num_steps=30)
    run_to_end(page, healthy)
    set_field(page, "learning_rate", 0.3)
    diverged = new_session(page, num_steps=300)
    page.get_by_role("button", name="Run").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'error')",
               diverged, timeout=120)
    compare = panel(page, "compare")
    page.wait_for_function("() => document.querySelectorAll('[data-panel=compare] input[type=checkbox]').length === 2")
    for box in compare.locator("input[type=checkbox]").all():
        box.check()
    page.wait_for_function("(id) => document.querySelector('[data-panel=compare]').dataset.left === id", arg=diverged)
    losses = [s["loss"] for s in page.evaluate("(id) => window.lab.steps(id)", healthy)]
    # Scaled to the healthy run: its curve spans the chart instead of lying flat near 0.
    assert float(compare.get_attribute("data-y-top")) < max(losses) * 1.5
    assert "left the chart: it blew up" in compare.locator(".compare-left").text_content()
