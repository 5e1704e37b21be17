"""The loss timeline, driven through real runs in Chromium (no mocks): one
point per step whatever stops the run, emptied by Reset; and the panel module
on its own holding 20,000 steps. Assertions read the panel's data-* attributes."""

import math

from helpers import (expect_progress, loss_panel, new_session, open_lab, session_done, session_info, wait_points,
                     wait_status, wait_steps)


def stored_steps(page):
    return page.evaluate("() => window.lab.steps()")


def test_loss_timeline_holds_one_point_per_step(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)

    # A whole run of 30 steps.
    session = new_session(page, num_steps=30)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 30)
    wait_points(page, 30)
    points, last_step, latest = loss_panel(page)
    assert (points, last_step) == (30, 30)
    session_done(page, session)  # a run's steps are stored in batches, the last as it ends
    steps = stored_steps(page)
    assert [s["step"] for s in steps] == list(range(1, 31))
    assert latest == steps[-1]["loss"]
    assert latest == float(page.locator("#latest-loss").get_attribute("data-value"))
    assert math.isclose(page.evaluate("() => window.lab.state.events.at(-1).loss"), latest)

    # A run stopped by Pause: the timeline matches the steps taken, exactly.
    session = new_session(page, num_steps=400)
    wait_points(page, 0)
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    wait_steps(page, 15)
    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    done = session_info(page, session)["step"]  # the session's own count, final once paused
    expect_progress(page, done, 400)
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


def test_loss_timeline_holds_20000_steps(lab_page, site_url):
    """The panel module on its own, fed 20,000 stored steps then live events,
    keeps every point (it draws a per-pixel envelope). Its draw times are
    printed for the log; speed goals live in `python3 build.py bench`."""
    page = lab_page
    open_lab(page, site_url)
    page.wait_for_selector("[data-recording=done]")
    result = page.evaluate("""async () => {
        const { create } = await import('./js/panels/loss.js');
        const schema = await (await fetch('./schema.json')).json();
        const el = document.createElement('section');
        el.style.width = '900px';
        document.body.append(el);
        const view = create(el, { schema });
        const vocab = [...'abcdefghijklmnopqrstuvwxyz'];
        const N = 20000;
        const steps = Array.from({ length: N }, (_, i) => ({ step: i + 1, loss: 2 + Math.exp(-i / 4000) + 0.4 * Math.sin(i * 7.1) }));
        const start = performance.now();
        view.reset({ session: 'big', record: { vocab }, steps, samples: [], travel: null });
        const rebuild = performance.now() - start;
        // Per frame: 50 events, then one draw; time it between rAF callbacks
        // registered before and after the panel's own.
        const frames = [];
        for (let k = 0; k < 20; k += 1) {
            await new Promise((resolve) => {
                let t0 = 0;
                requestAnimationFrame(() => { t0 = performance.now(); });
                for (let j = 1; j <= 50; j += 1) {
                    view.show({ step: N + k * 50 + j, loss: 2.1 });
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


def test_the_loss_panel_draws_degenerate_losses(lab_page, site_url):
    """One point, equal losses, two losses one rounding step apart near 1e300,
    tiny ones and an infinity: each draws (a tick loop that cannot advance
    would hang the page, and the test would time out)."""
    page = lab_page
    open_lab(page, site_url)
    page.wait_for_selector("[data-recording=done]")
    shown = page.evaluate("""async () => {
        const { create } = await import('./js/panels/loss.js');
        const schema = await (await fetch('./schema.json')).json();
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        const out = [];
        for (const losses of [[1.5], [2, 2, 2], [1e300, 1.0000000000000002e300], [1e-300, 2e-300], [2, Infinity, 3]]) {
            const el = document.createElement('section');
            el.style.width = '600px';
            document.body.append(el);
            const view = create(el, { schema });
            const steps = losses.map((loss, i) => ({ step: i + 1, loss }));
            view.reset({ session: 'odd', record: { vocab: ['a', 'b'] }, steps, samples: [], travel: null });
            await frame();
            await frame();
            out.push([el.dataset.points, el.dataset.latestLoss, el.querySelectorAll('canvas').length > 0]);
            view.destroy();
            el.remove();
        }
        return out;
    }""")
    assert shown == [["1", "1.5", True], ["3", "2", True], ["2", "1.0000000000000002e+300", True],
                     ["2", "2e-300", True], ["3", "3", True]]
