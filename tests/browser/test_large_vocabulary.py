"""A large vocabulary (issue 25 item 9): 5,000 distinct characters train, and
the panels draw a summary past what a strip, a heatmap or a map can show, so
walking Follow a token through every moment stays light: a heat strip has at
most 128 cells a row (each the largest in size of its group, its readout naming
the group), the inspector's heatmap at most 1,200 px of rows, the counting
bigram's table at most 64 rows of blocks, the embedding map dots without
5,000 labels, and the walk keeps to the 50 ms task budget (two moments may go
over, on a slow runner)."""

import pytest

from helpers import new_session, open_lab, panel, take_steps, wait_data
from tools.testing import LONG_TASKS

VOCAB = 5000
CHARS = [chr(0x4E00 + i) for i in range(VOCAB)]
TEXT = "\n".join("".join(CHARS[i : i + 8]) for i in range(0, VOCAB, 8))


@pytest.mark.alone  # measures time
def test_a_large_vocabulary_draws_summaries_and_stays_light(lab_page, site_url):
    page = lab_page
    page.add_init_script(LONG_TASKS)
    page.set_viewport_size({"width": 1280, "height": 900})
    open_lab(page, site_url)
    page.get_by_label("Pasted text").check()
    page.locator("#dataset-text").fill(TEXT)
    new_session(page, num_steps=20, n_embd=32)
    take_steps(page, 2)
    follow = panel(page, "follow")
    follow.scroll_into_view_if_needed()
    wait_data(page, "follow", "step", "2")
    follow.get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    starts = {}  # moment -> the page's clock as it was asked for
    most_cells = 0
    for k in range(2, int(follow.get_attribute("data-moments")) + 1):
        starts[k] = page.evaluate("() => performance.now()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(k) => document.querySelector('[data-panel=follow] .panel-info').textContent"
                               ".includes(` ${k} of `)", arg=k)
        most_cells = max(most_cells, follow.locator(".heat-row").evaluate_all(
            "(rows) => Math.max(0, ...rows.map((row) => row.querySelectorAll('.heat-cell').length))"))
        if follow.get_attribute("data-stage") == "lm_head" and follow.get_attribute("data-moment") == "forward":
            caption = follow.locator(".heat figcaption").last.text_content()
            assert f"{VOCAB + 1:,} numbers a row" in caption, caption
            grid = follow.locator(".heat-grid").last
            grid.focus()
            page.keyboard.press("End")
            readout = follow.locator(".heat-readout").last.text_content()
            assert " to " in readout and "largest in size" in readout, readout
            follow.get_by_role("button", name="Next stage").focus()
    assert most_cells <= 128
    tasks = page.evaluate("(t) => window.__longTasks.filter(([s]) => s >= t)", starts[2])
    long = {}  # moment -> its longest task over 50 ms
    for start, duration in tasks:
        moment = max(k for k, t in starts.items() if t <= start)
        long[moment] = max(long.get(moment, 0), round(duration))
    longest = max(long.values(), default=0)
    print(f"\nmain-thread tasks over 50 ms walking Follow a token at vocabulary {VOCAB + 1}, by moment: {long}")
    # The goal is no task over 50 ms. Main took 7.8 s in one task here (1,061 ms in the issue), then 250-280 ms
    # while the bigram panel drew 50,000 cells (the counts below catch that for certain), then a task over 50 ms
    # at 18 of 35 moments (up to 181 ms) on a slow 2-core machine: each moment moved the panels below Follow a
    # token and Chromium painted the whole page again. Now none in 12 walks of 14 there, at most 87 ms in the others
    # (a minor collection on a slow runner): two moments may go over, none three times over.
    assert len(long) <= 2 and longest < 150, long

    # The inspector's wte (5,001 rows) and the embedding map, summarised.
    inspector = panel(page, "inspector")
    inspector.scroll_into_view_if_needed()
    wait_data(page, "inspector", "shape", f"{VOCAB + 1},32")
    assert inspector.locator("canvas").first.evaluate("(c) => c.getBoundingClientRect().height") <= 1200 + 40
    embeddings = panel(page, "embeddings")
    embeddings.scroll_into_view_if_needed()
    wait_data(page, "embeddings", "points", str(VOCAB + 1))
    assert "drawn as dots" in embeddings.text_content()

    # The counting bigram's 5,001 x 5,001 table, in blocks: a grid of at most 64 rows, each cell read by the keyboard.
    bigram = panel(page, "bigram")
    bigram.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[data-panel=bigram]').dataset.counts")
    grid = bigram.locator(".heat-grid")
    rows = grid.locator(".heat-row").count()
    assert 0 < rows <= 64 and grid.locator(".heat-cell").count() <= 2048
    assert f"{VOCAB + 1:,} rows of {VOCAB + 1:,} numbers" in bigram.locator("figcaption").text_content()
    grid.focus()
    page.keyboard.press("Home")
    readout = bigram.locator(".heat-readout").text_content()
    assert " to " in readout and ("largest in size" in readout or readout.endswith("all 0")), readout
    # The vocabulary is named in a line, not as 5,000 characters.
    assert "and 4,800 more" in page.locator("#session-info").text_content()
