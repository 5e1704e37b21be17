"""The loss timeline, graph pulse and recording panels, driven through a real run
in Chromium (no mocks). Assertions read the panels' data (data-* attributes,
the stage table and the stage details), not only that a canvas exists."""

import math
import time
from pathlib import Path

from tools.testing import LONG_TASKS

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
LOSS = "[data-panel=loss]"
GRAPH = "[data-panel=graph]"


# ---- helpers ------------------------------------------------------------------

def new_session(page, num_steps, engine=None):
    page.fill("#cfg-num_steps", str(num_steps))
    if engine:
        page.select_option("#cfg-engine", engine)
    before = page.evaluate("() => window.lab.state.current")
    page.get_by_role("button", name="New session").click()
    page.wait_for_function("(b) => window.lab.state.current && window.lab.state.current !== b", arg=before)
    return page.evaluate("() => window.lab.state.current")


def steps_done(page):
    return int(page.get_by_role("progressbar").get_attribute("aria-valuenow"))


def wait_steps(page, at_least):
    page.wait_for_function(
        "(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n",
        arg=at_least)


def wait_points(page, count):
    page.wait_for_function(f"(n) => document.querySelector('{LOSS}').dataset.points === String(n)", arg=count)


def loss_panel(page):
    data = page.locator(LOSS).evaluate("(el) => ({...el.dataset})")
    return int(data["points"]), int(data["lastStep"]), float(data["latestLoss"]) if data["latestLoss"] else None


def stored_steps(page):
    return page.evaluate("() => window.lab.steps()")


def wait_status(page, text):
    page.get_by_role("status").filter(has_text=text).wait_for()


# ---- tests --------------------------------------------------------------------

def test_recording_plays_before_ready_and_stops_for_a_session(lab_page, site_url, wait_ready):
    page = lab_page
    page.goto(site_url)
    # The recording is on screen, labelled, with points in the timeline, while Python still loads.
    state = page.wait_for_function("""(loss) => {
        const badge = document.querySelector('.recording-badge');
        const points = Number(document.querySelector(loss)?.dataset.points || 0);
        return badge && !badge.hidden && badge.offsetParent && points > 0
            && document.getElementById('status').dataset.state;
    }""", arg=LOSS).json_value()
    assert state == "loading"
    badge = page.locator(".recording-badge")
    assert "Recording" in badge.text_content()
    assert badge.is_visible()

    # The graph panel shows a recorded step's stage times once a full event has played.
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step !== ''")
    assert int(page.locator(GRAPH).get_attribute("data-stages")) >= 17
    forward = page.locator(f"{GRAPH} tbody tr[data-stage=embedding] td").nth(1).text_content()
    assert float(forward) >= 0

    # A real session replaces it: no badge, an empty timeline for the new session.
    wait_ready(page)
    new_session(page, num_steps=20)
    assert page.locator(".recording-badge").count() == 0
    wait_points(page, 0)
    points, last_step, latest = loss_panel(page)
    assert (points, last_step, latest) == (0, 0, None)


def test_loss_timeline_holds_one_point_per_step(lab_page, site_url, wait_ready):
    page = lab_page
    page.goto(site_url)
    wait_ready(page)

    # A whole run of 30 steps.
    new_session(page, num_steps=30)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 30)
    wait_points(page, 30)
    points, last_step, latest = loss_panel(page)
    assert (points, last_step) == (30, 30)
    steps = stored_steps(page)
    assert [s["step"] for s in steps] == list(range(1, 31))
    assert latest == steps[-1]["loss"]
    assert latest == float(page.locator("#latest-loss").get_attribute("data-value"))
    assert math.isclose(page.evaluate("() => window.lab.state.events.at(-1).loss"), latest)

    # A run stopped by Pause: the timeline matches the steps taken, exactly.
    new_session(page, num_steps=400)
    wait_points(page, 0)
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    wait_steps(page, 15)
    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    time.sleep(0.3)
    done = steps_done(page)
    wait_points(page, done)
    points, last_step, latest = loss_panel(page)
    assert points == last_step == done == len(stored_steps(page))
    assert latest == float(page.locator("#latest-loss").get_attribute("data-value"))

    # Reset empties it; a step adds exactly one point.
    page.get_by_role("button", name="Reset").click()
    wait_points(page, 0)
    page.get_by_role("button", name="Step").click()
    wait_points(page, 1)
    assert loss_panel(page)[:2] == (1, 1)


def test_graph_panel_shows_the_engines_stages_and_formulas(lab_page, site_url, wait_ready):
    page = lab_page
    page.goto(site_url)
    wait_ready(page)
    new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step === '1'")

    # The stage table lists the event's ops, in order, with their times.
    event = page.evaluate("() => window.lab.state.events.at(-1)")
    ops = event["graph"]["ops"]
    rows = page.locator(f"{GRAPH} tbody tr")
    assert rows.evaluate_all("(rows) => rows.map((r) => r.dataset.stage)") == [op["name"] for op in ops]
    cells = rows.evaluate_all("(rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))")
    for op, (kind, forward, backward, nodes) in zip(ops, cells):
        assert kind == op["kind"]
        assert math.isclose(float(forward), op["forward_ms"], rel_tol=0.06, abs_tol=0.006), (op, forward)
        assert math.isclose(float(backward), op["backward_ms"], rel_tol=0.06, abs_tol=0.006), (op, backward)
        assert nodes == "-"  # the vector engine builds no Value graph
    assert page.locator(f"{GRAPH} .graph-totals").text_content().startswith("step 1 ")

    # The table's buttons show a stage's formula in microgpt's names.
    page.locator(f"{GRAPH} summary").click()
    page.locator(f"{GRAPH} tbody").get_by_role("button", name="layer0.attn_wq").click()
    info = page.locator(f"{GRAPH} .stage-info")
    assert "layer0.attn_wq" in info.locator("h3").text_content()
    assert info.locator(".formula").text_content() == "q = linear(xn, state_dict['layer0.attn_wq'])"
    assert "16 x 16 = 256 parameters" in info.text_content()

    # Keyboard: focus the diagram, End then Enter selects the optimizer.
    canvas = page.locator(f"{GRAPH} canvas")
    canvas.focus()
    canvas.press("End")
    canvas.press("Enter")
    assert page.locator(GRAPH).get_attribute("data-selected") == "optimizer"
    assert "Adam" in info.locator("h3").text_content()
    assert page.evaluate("() => window.lab.state.current") is not None  # Enter did not start a new session
    # Click: the first stage sits at the diagram's top left.
    canvas.click(position={"x": 30, "y": 36})
    assert page.locator(GRAPH).get_attribute("data-selected") == "embedding"
    assert info.locator(".formula").text_content() == "x = wte[token] + wpe[pos]"


def test_graph_panel_counts_value_nodes_with_the_scalar_engine(lab_page, site_url, wait_ready):
    page = lab_page
    page.goto(site_url)
    wait_ready(page)
    new_session(page, num_steps=5, engine="scalar")
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step === '1'")
    graph = page.evaluate("() => window.lab.state.events.at(-1).graph")
    assert graph["nodes"] > 0
    nodes = page.locator(f"{GRAPH} tbody tr").evaluate_all(
        "(rows) => rows.map((r) => r.querySelectorAll('td')[3].textContent)")
    assert nodes == [str(op["nodes"]) for op in graph["ops"]]
    assert f"{graph['nodes']:,} Value nodes" in page.locator(f"{GRAPH} .graph-totals").text_content()


def test_loss_timeline_holds_20000_steps(lab_page, site_url, wait_ready):
    """The panel module on its own, fed 20,000 stored steps then live events,
    keeps every point (it draws a per-pixel envelope). Its draw times are
    printed for the log; speed goals live in `python3 build.py bench`."""
    page = lab_page
    page.goto(site_url)
    wait_ready(page)
    page.wait_for_selector("[data-recording=done]")
    result = page.evaluate("""async () => {
        const { create } = await import('./js/panels/loss.js');
        const el = document.createElement('section');
        el.style.width = '900px';
        document.body.append(el);
        const view = create(el);
        const vocab = [...'abcdefghijklmnopqrstuvwxyz'];
        const N = 20000;
        const steps = Array.from({ length: N }, (_, i) => ({ step: i + 1, loss: 2 + Math.exp(-i / 4000) + 0.4 * Math.sin(i * 7.1) }));
        const start = performance.now();
        view.update({ type: 'session', session: 'big', record: { vocab }, steps });
        const rebuild = performance.now() - start;
        // Per frame: 50 events, then one draw; time it between rAF callbacks
        // registered before and after the panel's own.
        const frames = [];
        for (let k = 0; k < 20; k += 1) {
            await new Promise((resolve) => {
                let t0 = 0;
                requestAnimationFrame(() => { t0 = performance.now(); });
                for (let j = 1; j <= 50; j += 1) {
                    view.update({ type: 'event', session: 'big', current: 'big', event: { step: N + k * 50 + j, loss: 2.1 } });
                }
                requestAnimationFrame(() => { frames.push(performance.now() - t0); resolve(); });
            });
        }
        frames.sort((a, b) => a - b);
        const out = { rebuild, median: frames[10], worst: frames[19], points: el.dataset.points, last: el.dataset.lastStep };
        view.destroy();
        el.remove();
        return out;
    }""")
    print(f"\nloss timeline, 20,000 steps: rebuild {result['rebuild']:.1f} ms, "
          f"draw median {result['median']:.2f} ms, worst {result['worst']:.2f} ms")
    assert result["points"] == "21000" and result["last"] == "21000"


def test_a_run_keeps_the_page_responsive(lab_page, site_url, wait_ready):
    """At the engine's full speed with every panel drawing, every step's loss
    reaches the timeline, and a PerformanceObserver sees no long main-thread
    task. The 50 ms goal is measured by `python3 build.py bench`; here only a
    clear block (over 500 ms, thirty frames) fails: on a busy 2-core runner a
    starved main thread stretches ordinary tasks past 100 ms.
    Saves a screenshot of the whole lab mid-run for review."""
    page = lab_page
    page.add_init_script(LONG_TASKS)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url)
    wait_ready(page)
    new_session(page, 150)
    start = page.evaluate("() => performance.now()")
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 60)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "lab-mid-run.png"), full_page=True)
    wait_points(page, 150)
    longest = page.evaluate("(t) => Math.max(0, ...window.__longTasks.filter(([s]) => s >= t).map(([, d]) => d))", start)
    print(f"\nlongest main-thread task during a 150-step run: {longest:.0f} ms")
    assert longest < 500
    assert [e["step"] for e in stored_steps(page)] == list(range(1, 151))
