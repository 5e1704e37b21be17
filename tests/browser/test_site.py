"""The lab as a static site, end to end in real Chromium (no mocks).

Drives the page through its visible controls and reads state from the DOM
and from window.lab (a read-only debug handle the page exposes). Losses are
compared with the engine run natively in this process (1e-9: Python's
compensated float sum differs across platforms at ~1e-15).
"""

import json
import math
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from helpers import TOL, check_losses, native_losses
from microgpt_lab import trace as engine_trace

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


# ---- helpers ------------------------------------------------------------------

def open_lab(page, url, wait_ready):
    """Open the lab and wait for "ready"; returns seconds from navigation to ready."""
    start = time.perf_counter()
    page.goto(url)
    wait_ready(page)
    return time.perf_counter() - start


def set_field(page, name, value):
    page.fill(f"#cfg-{name}", str(value))


def new_session(page, num_steps=None):
    if num_steps is not None:
        set_field(page, "num_steps", num_steps)
    before = page.evaluate("() => window.lab.state.current")
    page.get_by_role("button", name="New session").click()
    page.wait_for_function("(before) => window.lab.state.current && window.lab.state.current !== before", arg=before)
    return page.evaluate("() => window.lab.state.current")


def expect_progress(page, done, total, timeout=10_000):
    """Wait until the progressbar says `done` of `total` steps (it repaints on
    the next animation frame)."""
    page.wait_for_function(
        """([done, total]) => {
            const bar = document.querySelector('[role=progressbar]');
            return bar.getAttribute('aria-valuenow') === String(done)
                && bar.getAttribute('aria-valuemax') === String(total);
        }""", arg=[done, total], timeout=timeout)


def wait_steps(page, at_least):
    page.wait_for_function(
        "(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n",
        arg=at_least)


def wait_status(page, text):
    page.get_by_role("status").filter(has_text=text).wait_for()


def latest_loss(page):
    return float(page.locator("#latest-loss").get_attribute("data-value"))


def wait_until(page, expression, arg=None, timeout=60):
    """Poll an (async) page function until it returns a truthy value.
    (wait_for_function treats a returned Promise as truthy, so it cannot wait
    on async predicates.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(expression, arg)
        except PlaywrightError as error:  # the page navigated meanwhile
            if "context was destroyed" not in str(error):
                raise
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def session_done(page, session_id, timeout=120):
    return wait_until(
        page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'done')",
        session_id, timeout)


def session_info(page, session_id):
    return page.evaluate(
        "async (id) => (await window.lab.listSessions()).find((s) => s.id === id)", session_id)


# ---- tests --------------------------------------------------------------------

def test_start_step_run_pause_reset_sample(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    seconds = open_lab(page, site_url, wait_ready)
    timings = page.evaluate("() => window.lab.state.timings")
    print(f"\npage open -> ready: {seconds:.2f} s (worker stages, ms: {timings})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ready-time.json").write_text(json.dumps({"seconds": seconds, "worker_ms": timings}))

    expected = native_losses(dist_dir, 3, num_steps=300)
    session = new_session(page, num_steps=300)
    expect_progress(page, 0, 300)

    # Step (through the button), then once more with the S shortcut.
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - expected[0]) < TOL
    page.locator("body").press("s")
    wait_steps(page, 2)
    assert abs(latest_loss(page) - expected[1]) < TOL

    # Run, then pause: the run stops within one step of the request.
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    wait_steps(page, 20)
    seen, stopped = page.evaluate("""async () => {
        const seen = window.lab.state.events.at(-1).step;
        document.querySelector('[data-action=pause]').click();
        while (window.lab.state.status !== 'paused') await new Promise((r) => setTimeout(r, 5));
        const info = (await window.lab.listSessions()).find((s) => s.id === window.lab.state.current);
        return [seen, info.step];
    }""")
    # `seen` is the last event the page had; the step in progress and, on a
    # loaded machine, an event or two already posted but not yet handled by
    # the page may follow it.
    assert 0 <= stopped - seen <= 3, (seen, stopped)
    wait_status(page, "paused")
    time.sleep(0.3)
    assert session_info(page, session)["step"] == stopped
    expect_progress(page, stopped, 300)
    steps = page.evaluate("() => window.lab.steps()")
    assert [s["step"] for s in steps] == list(range(1, stopped + 1))

    # Reset: back to step 0 with the same initial weights.
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuenow') === '0'")
    assert page.evaluate("() => window.lab.steps()") == []
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - expected[0]) < TOL

    # Samples appear, each with its step.
    page.get_by_role("button", name="Sample").click()
    samples = page.get_by_role("list", name="Samples").get_by_role("listitem")
    samples.first.wait_for()
    assert samples.count() == 10
    assert "step 1" in samples.first.text_content()


def test_two_sessions_listed_and_switching(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url, wait_ready)
    first = new_session(page, num_steps=50)
    page.locator("body").press("s")
    wait_steps(page, 1)
    second = new_session(page, num_steps=60)
    assert first != second
    rows = page.locator("#sessions tbody tr")
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 2")
    assert sorted(rows.evaluate_all("(rows) => rows.map((r) => r.dataset.session)")) == sorted([first, second])
    expect_progress(page, 0, 60)

    # Switching: click the first session's id.
    page.get_by_role("button", name=f"Switch to session {first}").click()
    page.wait_for_function("(id) => window.lab.state.current === id", arg=first)
    page.wait_for_function("() => document.querySelector('[role=progressbar]').getAttribute('aria-valuemax') === '50'")
    expect_progress(page, 1, 50)
    listed = page.evaluate("() => window.lab.listSessions()")
    by_id = {s["id"]: s for s in listed}
    assert by_id[first]["step"] == 1 and by_id[second]["step"] == 0
    assert by_id[first]["watchers"] == 1 and by_id[second]["watchers"] == 0


def test_reload_mid_run_resumes_with_the_same_numbers(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    num_steps = 160
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 75)  # past the checkpoint at step 50
    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    # The session resumes by itself from its last checkpoint and runs to the end.
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)
    expect_progress(page, num_steps, num_steps)


def test_export_trace(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=40)
    for n in range(1, 4):
        page.get_by_role("button", name="Step").click()
        wait_steps(page, n)
    page.get_by_role("button", name="Sample").click()
    page.get_by_role("list", name="Samples").get_by_role("listitem").first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export trace").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    trace = json.loads(Path(download.path()).read_text())
    assert trace["format"] == "microgpt-lab-trace"
    assert trace["version"] == 1
    assert engine_trace.check(trace).num_steps == 40  # the engine's own validator
    assert trace["config"]["num_steps"] == 40
    assert trace["dataset"]["num_docs"] > 1000
    assert [s["step"] for s in trace["steps"]] == [1, 2, 3]
    assert all(math.isfinite(s["loss"]) for s in trace["steps"])
    assert len(trace["samples"]) == 1 and trace["samples"][0]["step"] == 3
    assert len(trace["samples"][0]["samples"]) == 10
    assert session in download.suggested_filename


def test_served_under_a_sub_path(lab_page, serve_site, wait_ready, dist_dir):
    page = lab_page
    url = serve_site("/some/lab/")
    open_lab(page, url, wait_ready)
    new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - native_losses(dist_dir, 1, num_steps=20)[0]) < TOL
    assert all(u.startswith(url) for u in lab_page_requests(page, url))


def lab_page_requests(page, url):
    """Same-origin requests made by the page: all of them under the sub-path."""
    origin = url.split("/some/")[0]
    return [u for u in page.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
            if u.startswith(origin)]


def test_offline_after_first_visit(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    open_lab(page, site_url, wait_ready)
    # The first install claims the page; then everything is precached.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.context.set_offline(True)
    try:
        seconds = open_lab(page, site_url, wait_ready)
        print(f"\noffline reload -> ready: {seconds:.2f} s")
        assert page.evaluate("() => self.crossOriginIsolated")
        assert page.evaluate("() => window.lab.state.isolated")
        session = new_session(page, num_steps=30)
        page.get_by_role("button", name="Run").click()
        session_done(page, session)
        steps = page.evaluate("() => window.lab.steps()")
        assert [s["step"] for s in steps] == list(range(1, 31))
        expected = native_losses(dist_dir, 30)
        assert max(abs(s["loss"] - e) for s, e in zip(steps, expected)) < TOL
    finally:
        page.context.set_offline(False)


def test_second_tab_watches_the_first_tabs_run(lab_page, site_url, wait_ready):
    """Tabs share events over a BroadcastChannel; watchers are counted per
    session; the tab holding the session's Web Lock is the only one to train it."""
    first = lab_page
    open_lab(first, site_url, wait_ready)
    session = new_session(first, num_steps=400)
    first.get_by_role("button", name="Step").click()
    wait_steps(first, 1)

    second = first.context.new_page()
    errors = []
    second.on("pageerror", lambda error: errors.append(str(error)))
    second.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    open_lab(second, site_url, wait_ready)
    second.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    info = wait_until(second, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.watchers === 2)", session)
    assert info["owner"] == "other"
    wait_until(first, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.watchers === 2)", session)

    # The owner runs; the watcher's progress bar follows the shared events.
    first.get_by_role("button", name="Run").click()
    wait_steps(second, 30)
    wait_status(second, "running")
    first.get_by_role("button", name="Pause").click()
    wait_status(first, "paused")
    # Only the owner trains it (Web Locks): the watcher is told, nothing runs twice.
    wait_status(second, "paused")
    second.get_by_role("button", name="Run").click()
    second.wait_for_function("(id) => document.querySelector('#form-error').textContent"
                             ".includes(`session ${id} is open in another tab`)", arg=session)
    steps = [s["step"] for s in first.evaluate("() => window.lab.steps()")]
    assert steps == list(range(1, len(steps) + 1))
    assert session_info(first, session)["status"] == "paused"
    second.close()
    wait_until(first, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.watchers === 1)", session)
    assert errors == []


def test_pause_interrupts_a_long_step_when_isolated(lab_page, site_url, wait_ready):
    """Cross-origin isolated (served through the service worker), a pause that
    a long step would delay interrupts the step through the SharedArrayBuffer;
    the session comes back from its last checkpoint (here: step 0)."""
    page = lab_page
    open_lab(page, site_url, wait_ready)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    open_lab(page, site_url, wait_ready)
    assert page.evaluate("() => window.lab.state.isolated")

    # The scalar engine on a larger model: one step takes many seconds.
    page.select_option("#cfg-engine", "scalar")
    set_field(page, "n_embd", 64)
    set_field(page, "n_layer", 2)
    session = new_session(page, num_steps=10)
    page.get_by_role("button", name="Run").click()
    wait_status(page, "running")
    time.sleep(0.5)
    start = time.perf_counter()
    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    elapsed = time.perf_counter() - start
    print(f"\npause of a long step took {elapsed:.2f} s")
    assert elapsed < 5, elapsed
    info = session_info(page, session)
    assert (info["step"], info["status"]) == (0, "paused")
    assert page.evaluate("(id) => window.lab.steps(id)", session) == []
    expect_progress(page, 0, 10)


def test_keyboard_shortcuts(lab_page, site_url, wait_ready):
    """N new session, S step, R run, P pause, C sample, Enter new session;
    typing in a field is never a shortcut."""
    page = lab_page
    open_lab(page, site_url, wait_ready)
    set_field(page, "num_steps", 500)
    page.evaluate("() => document.activeElement.blur()")  # leave the field
    body = page.keyboard
    body.press("n")
    page.wait_for_function("() => window.lab.state.current")
    first = page.evaluate("() => window.lab.state.current")
    expect_progress(page, 0, 500)
    page.locator("#cfg-seed").press("s")  # typed into a field: not a step
    time.sleep(0.5)
    expect_progress(page, 0, 500)
    page.evaluate("() => document.activeElement.blur()")
    body.press("s")
    wait_steps(page, 1)
    body.press("r")
    wait_status(page, "running")
    wait_steps(page, 10)
    body.press("p")
    wait_status(page, "paused")
    body.press("c")
    page.get_by_role("list", name="Samples").get_by_role("listitem").first.wait_for()
    body.press("Enter")
    page.wait_for_function("(id) => window.lab.state.current && window.lab.state.current !== id", arg=first)
    assert len(page.evaluate("() => window.lab.listSessions()")) == 2


def test_service_worker_update_never_interrupts_a_run(lab_page, dist_dir, tmp_path, wait_ready):
    """A new build installs while a run goes on and waits; the next load, once
    the page is alone, uses it."""
    import shutil
    import threading

    from tools.server import make_server

    site = tmp_path / "site"
    shutil.copytree(dist_dir, site)
    server = make_server(site, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = lab_page
        url = server.url
        open_lab(page, url, wait_ready)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        version = json.loads((site / "manifest.json").read_text())["version"]
        assert page.evaluate("() => caches.keys()") == [f"microgpt-lab-{version}"]
        new_session(page, num_steps=5000)
        page.get_by_role("button", name="Run").click()
        wait_steps(page, 5)

        # A new build is deployed: new service-worker bytes, a new cache name.
        sw = site / "sw.js"
        stamped = f'"version":"{version}"'
        assert stamped in sw.read_text()
        sw.write_text(sw.read_text().replace(stamped, f'"version":"{version}-next"'))
        other = page.context.new_page()
        other.goto(url)  # it watches the running session: its status says "running"
        wait_until(other, "() => Boolean(window.lab) && window.lab.state.phase === 'ready'", timeout=90)
        wait_until(other, "async () => Boolean((await navigator.serviceWorker.getRegistration()).waiting)")
        other.close()

        # The run went on untouched, still served by the old version.
        done = int(page.get_by_role("progressbar").get_attribute("aria-valuenow"))
        wait_steps(page, done + 20)
        assert page.locator("#status").text_content() == "running"
        assert f"microgpt-lab-{version}" in page.evaluate("() => caches.keys()")
        page.get_by_role("button", name="Pause").click()
        wait_status(page, "paused")

        # The next load: alone, the page lets the new version take over. Right
        # after a reload the tab's previous document can still count as a
        # window; the page asks again for 1.5 s, and on a loaded runner that
        # may not be enough, so one more load is allowed (noted on issue 6).
        takeover = "async (name) => (await caches.keys()).join() === name"
        page.reload()
        try:
            wait_until(page, takeover, f"microgpt-lab-{version}-next", timeout=30)
        except AssertionError:
            page.reload()
            wait_until(page, takeover, f"microgpt-lab-{version}-next")
        wait_until(page, "() => Boolean(window.lab) && window.lab.state.phase === 'ready'", timeout=90)
        wait_status(page, "paused")  # the session, as it was left
    finally:
        server.shutdown()
        server.server_close()
