"""The lab measured where learners use it: headless Chromium, the real page and worker.

Run by `python3 build.py bench` with the test virtualenv's Python (it needs
Playwright); it serves dist/ on 127.0.0.1 and prints one JSON object.
Figures: page open -> ready (cold and warm), the first panel content (the
recording) after open, steps/s of each engine during a streamed run with all
panels drawing, the longest main-thread task during that run, and the page's
JS heap over a long run.
"""
import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402  (the server the tests use too)

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
# Collects long tasks (> 50 ms) on the main thread from the very start of the page.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""


def steps_done(page):
    return int(page.get_by_role("progressbar").get_attribute("aria-valuenow") or 0)


def open_until_ready(page, url):
    """Seconds from navigation to status "ready", and to the first drawn panel (the recording)."""
    start = time.perf_counter()
    page.goto(url)
    first = None
    deadline = start + 120
    while time.perf_counter() < deadline:
        if first is None and page.locator("[data-recording]").count():
            first = time.perf_counter() - start
        if "ready" in (page.locator("#status").text_content() or ""):
            break
        time.sleep(0.02)
    return time.perf_counter() - start, first


def start_session(page, engine, num_steps):
    page.fill("#cfg-num_steps", str(num_steps))
    page.select_option("#cfg-engine", engine)
    before = page.evaluate("() => window.lab.state.current")
    page.locator("#btn-new").click()
    page.wait_for_function("(b) => window.lab.state.current && window.lab.state.current !== b", arg=before)


def streamed_rate(page, engine, warmup, window_s):
    """Steps/s over `window_s` seconds of a Run, after `warmup` steps; and the longest task (ms)."""
    start_session(page, engine, 100_000)
    page.locator("#btn-run").click()
    page.wait_for_function("(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n",
                           arg=warmup, timeout=300_000)
    run_start = page.evaluate("() => performance.now()")
    s0, t0 = steps_done(page), time.perf_counter()
    time.sleep(window_s)
    s1, t1 = steps_done(page), time.perf_counter()
    longest = page.evaluate("(t) => Math.max(0, ...window.__longTasks.filter(([s]) => s >= t).map(([, d]) => d))", run_start)
    page.locator("#btn-pause").click()
    page.locator("#status").filter(has_text="paused").wait_for(timeout=120_000)
    return (s1 - s0) / (t1 - t0), longest


def heap_mb(page, cdp):
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 2**20


def long_run_memory(page, cdp, steps):
    """Page JS heap (MB) early in a vector run and after `steps` steps."""
    start_session(page, "vector", steps)
    page.locator("#btn-run").click()
    wait = "(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n"
    page.wait_for_function(wait, arg=200, timeout=600_000)
    early = heap_mb(page, cdp)
    page.wait_for_function(wait, arg=steps, timeout=1_800_000)
    return early, heap_mb(page, cdp)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memory-steps", type=int, default=2000)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which steps/s are measured")
    args = parser.parse_args()
    server = build.make_server(build.DIST, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = server.url
    results = {}
    with sync_playwright() as p:
        chromium = os.environ.get("CHROMIUM") or None
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(LONG_TASKS)
        page = context.new_page()
        results["ready_cold_s"], results["first_panel_cold_s"] = open_until_ready(page, url)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        results["ready_warm_s"], results["first_panel_warm_s"] = open_until_ready(page, url)
        results["boot_stages_ms"] = page.evaluate("() => window.lab.state.timings")
        for engine, warmup in (("vector", 20), ("scalar", 2)):
            rate, longest = streamed_rate(page, engine, warmup, args.window)
            results[f"browser_{engine}_steps_per_s"] = rate
            results[f"browser_{engine}_longest_task_ms"] = longest
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        results["heap_mb_at_200"], results[f"heap_mb_at_{args.memory_steps}"] = long_run_memory(page, cdp, args.memory_steps)
        browser.close()
    server.shutdown()
    server.server_close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
