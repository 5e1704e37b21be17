"""A run at the engine's full speed with every panel drawing keeps the page
responsive and loses no step (the speed goals themselves are measured by
`python3 build.py bench`)."""

from pathlib import Path

import pytest

from helpers import new_session, open_lab, session_done, wait_points, wait_steps
from tools.testing import LONG_TASKS

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
RUN_FRAME_MS, FRAME_SLACK_MS = 50, 8  # draw/frame.js


@pytest.mark.alone  # measures time
def test_a_run_keeps_the_page_responsive(lab_page, site_url):
    """At the engine's full speed with every panel drawing, every step's loss
    reaches the timeline, and a PerformanceObserver sees no long main-thread
    task. The 50 ms goal is measured by `python3 build.py bench`; here only a
    clear block (over 500 ms, thirty frames) fails: on a busy 2-core runner a
    starved main thread stretches ordinary tasks past 100 ms.
    Saves a screenshot of the whole lab mid-run for review."""
    page = lab_page
    page.add_init_script(LONG_TASKS)
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, site_url)
    session = new_session(page, num_steps=150)
    start = page.evaluate("() => performance.now()")
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 60)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "lab-mid-run.png"), full_page=True)
    wait_points(page, 150)
    longest = page.evaluate("(t) => Math.max(0, ...window.__longTasks.filter(([s]) => s >= t).map(([, d]) => d))", start)
    print(f"\nlongest main-thread task during a 150-step run: {longest:.0f} ms")
    assert longest < 500
    session_done(page, session)  # a run's steps are stored in batches, the last as it ends
    assert [e["step"] for e in page.evaluate("() => window.lab.steps()")] == list(range(1, 151))


@pytest.mark.alone  # the run must outpace the drawing: a neighbouring test slowed it to 18 step events/s
def test_a_run_draws_at_most_twenty_frames_a_second(lab_page, site_url):
    """Step events arrive faster than the panels need to redraw: while a run
    streams, the page draws at most every 50 ms, and less often when frames
    cost more (draw/frame.js), so the browser's own work per frame does not
    take the engine's CPU. Counted on
    the progress bar, which every drawn frame updates, against the step
    events that reached the page in the same seconds. The wait between
    frames ends FRAME_SLACK_MS early so that a 60 Hz display keeps 20 frames
    a second; headless Chromium draws when asked, so frames may come
    RUN_FRAME_MS - FRAME_SLACK_MS apart (CI once saw 21.3 a second). A small
    model (n_embd 8, one head) steps several times faster than the drawing."""
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, site_url)
    new_session(page, num_steps=100_000, n_embd=8, n_head=1)
    page.evaluate("""() => {
        window.__draws = 0;
        new MutationObserver(() => { window.__draws += 1; })
            .observe(document.querySelector('[role=progressbar]'), { attributes: true, attributeFilter: ['aria-valuenow'] });
    }""")
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 20)
    before = page.evaluate("() => [window.__draws, window.lab.state.events.at(-1).step, performance.now()]")
    page.wait_for_timeout(3000)
    after = page.evaluate("() => [window.__draws, window.lab.state.events.at(-1).step, performance.now()]")
    page.get_by_role("button", name="Pause").click()
    seconds = (after[2] - before[2]) / 1000
    draws, steps = after[0] - before[0], after[1] - before[1]
    print(f"\n{steps / seconds:.0f} step events/s, progress drawn {draws / seconds:.1f} times/s")
    most = 1000 / (RUN_FRAME_MS - FRAME_SLACK_MS)  # frames a second
    assert steps / seconds > 1.25 * most, "the run must outpace the drawing for this test to mean anything"
    assert draws <= seconds * most + 1  # + 1: a window of whole frames may hold one more

