"""The lab measured where learners use it: headless Chromium, the real page and worker.

Run by `python3 build.py bench` as `python -m tools.bench_browser` with the test
virtualenv's Python (it needs Playwright); it serves dist/ on 127.0.0.1 and
prints one JSON object.
Figures: page open -> ready (cold and warm), the first panel content (the
recording) after open, steps/s of each engine during a streamed run with all
panels drawing, the time a default 1,000-step vector run takes, the longest main-thread task during that run, where a
streamed vector step's time goes (from the step events) and what the
live-model panels' reads cost it, and memory over a long run: the page's JS
heap, the engine worker's JS heap and the renderer process's resident memory
(which holds Pyodide's WebAssembly memory).
The 1-minute load average is recorded after each part: the figures are only
as steady as the machine.
"""
import argparse
import json
import os
import statistics
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.bench import loadavg
from tools.common import DIST
from tools.server import make_server
from tools.testing import CHROMIUM_ARGS, LONG_TASKS

# While window.__answerProbes is set, answers the live-model panels' reads
# (matrix, embedding_map, next_token) on the page with null ("no live model here"), so
# the run pays for none of them; counts the requests that do reach the engine
# worker. Done at the Worker's postMessage because the page offers no switch
# for it and web/ is not changed for a benchmark.
PROBE_SWITCH = """
window.__requests = {};
window.__answerProbes = false;
const postToWorker = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  const type = message && message.type;
  if (window.__answerProbes && ["matrix", "embedding_map", "next_token"].includes(type)) {
    setTimeout(() => this.dispatchEvent(new MessageEvent("message", { data: { type: "reply", id: message.id, result: null } })));
    return;
  }
  window.__requests[type] = (window.__requests[type] || 0) + 1;
  return postToWorker.call(this, message, ...rest);
};
"""
PROBES = ("matrix", "embedding_map", "next_token")
PARTS = ("start_up", "stream", "run", "scalar", "memory", "side_by_side")
VIEWPORT = {"width": 1280, "height": 3600}  # every panel on screen, so all of them draw and read
# The page's own clock (ms from navigation start) when the static page first
# painted, and when the first panel content (the recording) was drawn: the
# frame after [data-recording] appears draws the panels, and a task queued
# from that frame runs once it is painted. Unlike a poll from this process,
# it carries no round trip to the browser.
FIRST_PAINTS = """
window.__firstPanelMs = null;
new MutationObserver((_, observer) => {
  if (!document.querySelector("[data-recording]")) return;
  observer.disconnect();
  requestAnimationFrame(() => setTimeout(() => { window.__firstPanelMs = performance.now(); }));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-recording"] });
"""
# Where the steps of (s0, s1] spent their time, from the events the page stored:
# the engine's own stage timings (every event), and per kind of stage (full
# events only, which carry graph.ops).
STEP_SPLIT = """
async ([s0, s1]) => {
  const events = (await window.lab.steps()).filter((e) => e.step > s0 && e.step <= s1);
  const mean = (list, f) => list.reduce((total, e) => total + f(e), 0) / list.length;
  const full = events.filter((e) => e.graph);
  const kinds = {};
  for (const e of full) for (const op of e.graph.ops) kinds[op.kind] = (kinds[op.kind] || 0) + op.forward_ms + (op.backward_ms || 0);
  for (const kind in kinds) kinds[kind] /= full.length;
  return {
    forward: mean(events, (e) => e.time.forward_ms),
    backward: mean(events, (e) => e.time.backward_ms),
    optimizer: mean(events, (e) => e.time.optimizer_ms),
    full_share: full.length / events.length,
    full_stages: kinds,
  };
}
"""


def steps_done(page):
    return int(page.get_by_role("progressbar").get_attribute("aria-valuenow") or 0)


def wait_for_step(page, step, timeout_s):
    page.wait_for_function("(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n",
                           arg=step, timeout=timeout_s * 1000)


def open_until_ready(page, url):
    """Seconds from navigation to status "ready", as this process sees them (polled)."""
    start = time.perf_counter()
    page.goto(url)
    deadline = start + 120
    while time.perf_counter() < deadline:
        if "ready" in (page.locator("#status").text_content() or ""):
            break
        time.sleep(0.02)
    return time.perf_counter() - start


def page_clock_paints(page):
    """(first contentful paint, first panel drawn) in ms of the page's clock (FIRST_PAINTS)."""
    page.wait_for_function("() => window.__firstPanelMs !== null", timeout=60_000)
    return page.evaluate("""() => [
        Math.round(performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN),
        Math.round(window.__firstPanelMs)]""")


def start_up(browser, url, opens):
    """Start-up, `opens` times, each in a new browser context (no cache, no service
    worker: cold), then reloaded once the service worker controls it (warm): the
    median and range of each figure, {figure: {median, min, max, n}}.
    ready_*_s: navigation to status "ready", polled from here; first_paint_*_ms
    and first_panel_*_ms: the page's own clock (FIRST_PAINTS)."""
    seen = {}
    for _ in range(opens):
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(FIRST_PAINTS)
        page = context.new_page()
        for kind in ("cold", "warm"):
            if kind == "warm":
                page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
            ready = open_until_ready(page, url)
            paint, panel = page_clock_paints(page)
            for name, value in ((f"ready_{kind}_s", ready), (f"first_paint_{kind}_ms", paint),
                                (f"first_panel_{kind}_ms", panel)):
                seen.setdefault(name, []).append(value)
        seen.setdefault("boot_runtime_ms", []).append(page.evaluate("() => window.lab.state.timings.runtime"))
        context.close()
    return {name: rounded({"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)})
            for name, v in seen.items()}


def start_session(page, engine, num_steps):
    page.fill("#cfg-num_steps", str(num_steps))
    page.select_option("#cfg-engine", engine)
    before = page.evaluate("() => window.lab.state.current")
    page.locator("#btn-new").click()
    page.wait_for_function("(b) => window.lab.state.current && window.lab.state.current !== b", arg=before)


def chromium_cpu_s(browser_cdp):
    """CPU seconds used so far by all of Chromium's processes (page, worker, compositing, browser)."""
    return sum(p["cpuTime"] for p in browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"])


def measure_window(page, window_s, browser_cdp):
    """Steps/s over the next `window_s` seconds of a run, and per CPU second of all of
    Chromium (the lab's whole cost, which a busy neighbour moves far less), the
    live-model reads the page sent per second, and the mean step split (ms): the
    engine's forward, backward and optimizer, and the rest of the wall time per
    step (instrumentation, JSON, messages, checkpoints, reads)."""
    reads0 = page.evaluate("() => ({ ...window.__requests })")
    s0, t0, c0 = steps_done(page), time.perf_counter(), chromium_cpu_s(browser_cdp)
    time.sleep(window_s)
    s1, t1, c1 = steps_done(page), time.perf_counter(), chromium_cpu_s(browser_cdp)
    reads1 = page.evaluate("() => ({ ...window.__requests })")
    time.sleep(0.5)  # the page stores events every 250 ms (sessions/held.js FLUSH_MS)
    rate = (s1 - s0) / (t1 - t0)
    # Reading the split takes every stored step from IndexedDB: a long task of
    # the bench's own, left out of the run's longest (own_tasks).
    own_start = page.evaluate("() => performance.now()")
    split = page.evaluate(STEP_SPLIT, [s0, s1])
    page.evaluate("(t) => window.__ownTasks.push([t, performance.now()])", own_start)
    split["other"] = 1000 / rate - split["forward"] - split["backward"] - split["optimizer"]
    reads = sum(reads1.get(t, 0) - reads0.get(t, 0) for t in PROBES) / (t1 - t0)
    return {"steps_per_s": rate, "steps_per_cpu_s": (s1 - s0) / (c1 - c0), "reads_per_s": reads, "split_ms": split}


def streamed_run(page, browser_cdp, engine, warmup, window_s, modes):
    """One Run, after `warmup` steps measured in a window of `window_s` seconds per
    entry of `modes` (True: the live-model reads answered on the page). Alternating
    the modes within one run shares the machine's drifting load between them.
    Returns the median window per mode, each window's steps per wall and per CPU
    second per mode and the longest main-thread task (ms) of the run, but for the
    bench's own reads."""
    start_session(page, engine, 100_000)
    page.locator("#btn-run").click()
    wait_for_step(page, warmup, 300)
    run_start = page.evaluate("() => { window.__ownTasks = []; return performance.now(); }")
    windows = {}
    for answer in modes:
        page.evaluate("(on) => { window.__answerProbes = on; }", answer)
        time.sleep(1)  # let reads already in flight finish
        windows.setdefault(answer, []).append(measure_window(page, window_s, browser_cdp))
    page.evaluate("() => { window.__answerProbes = false; }")
    longest = page.evaluate("""(t) => Math.max(0, ...window.__longTasks
        .filter(([s, d]) => s >= t && !window.__ownTasks.some(([a, b]) => s < b && s + d > a))
        .map(([, d]) => d))""", run_start)
    page.locator("#btn-pause").click()
    page.locator("#status").filter(has_text="paused").wait_for(timeout=120_000)
    rates = {answer: [[round(w[key], 3) for w in runs] for key in ("steps_per_s", "steps_per_cpu_s")]
             for answer, runs in windows.items()}
    return {answer: rounded(median(runs)) for answer, runs in windows.items()}, rates, longest


# Chromium's threads whose CPU time tells where a run's time went: by the
# name Linux gives them (/proc/<pid>/task/<tid>/comm, cut to 15 characters)
# in a process of a type; the page's main thread has its process's name.
THREADS = {"worker": ("renderer", "DedicatedWorker"), "page": ("renderer", None),
           "compositor": ("renderer", "Compositor"), "raster": ("renderer", "ThreadPoolForeg"),
           "display": ("GPU", "VizCompositorTh")}


def thread_cpu_s(browser_cdp):
    """{thread kind: CPU seconds so far} over all of Chromium's processes (Linux /proc; {} elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys(THREADS, 0.0)
    for process in browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]:
        try:
            tasks = list(Path(f"/proc/{process['id']}/task").iterdir())
        except OSError:
            return {}
        for task in tasks:
            try:
                name = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the thread ended meanwhile
            main = task.name == str(process["id"])
            for kind, (process_type, prefix) in THREADS.items():
                if process["type"] == process_type and (name.startswith(prefix) if prefix else main):
                    totals[kind] += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return totals


def default_run_s(page, browser_cdp):
    """Seconds from Run to the last of a default run's 1,000 steps reaching the
    page, every panel on screen (the issue's "1,000 steps in 10 s"), and where
    the CPU went meanwhile: {thread kind: CPU seconds}, and the engine
    worker's share of the wall time (under 0.9: something else took its core,
    and the figure says more about the machine than about the lab)."""
    start_session(page, "vector", 1000)
    load = loadavg()
    visible = page.evaluate("() => document.visibilityState")  # a hidden page's frames and timers are throttled
    cpu0 = thread_cpu_s(browser_cdp)
    start = time.perf_counter()
    page.locator("#btn-run").click()
    wait_for_step(page, 1000, 300)
    seconds = time.perf_counter() - start
    cpu = {kind: round(cpu_s - cpu0[kind], 2) for kind, cpu_s in thread_cpu_s(browser_cdp).items()}
    return seconds, {"cpu_s": cpu, "worker_share": round(cpu["worker"] / seconds, 3) if cpu else None,
                     "load_before": load, "visibility": visible}


def default_runs(page, browser_cdp, runs):
    """default_run_s `runs` times: (the median seconds, every run's seconds and threads)."""
    measured = [default_run_s(page, browser_cdp) for _ in range(runs)]
    return statistics.median(seconds for seconds, _ in measured), [{"s": round(s, 3), **t} for s, t in measured]


LISTED_STEPS = "(ids) => window.lab.listSessions().then((list) => ids.map((id) => list.find((s) => s.id === id).step))"


LISTED = "(ids) => window.lab.listSessions().then((list) => list.filter((s) => ids.includes(s.id)))"


def until(page, expression, arg, timeout_s):
    """Poll the (async) page function until it returns something truthy (wait_for_function
    would take the Promise it returns as truthy at once)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = page.evaluate(expression, arg)
        if value:
            return value
        time.sleep(0.25)
    raise TimeoutError(f"waited {timeout_s} s for {expression}")


def side_by_side(browser, url, window_s):
    """A worker per running session: steps per second of one session alone,
    then the sum of two trained at once (a sweep of two seeds), with few
    panels on screen (1440x900, as a learner's laptop shows the page); and
    the renderer's resident memory during each (what the second worker costs).
    With one core (--cores 1) the lab has one worker: the second session
    waits for it, and the sum is the first's alone."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    open_until_ready(page, url)
    browser_cdp = browser.new_browser_cdp_session()
    start_session(page, "vector", 100_000)
    one = page.evaluate("() => window.lab.state.current")
    page.locator("#btn-run").click()
    wait_for_step(page, 20, 300)
    time.sleep(1)
    (s0,), t0 = page.evaluate(LISTED_STEPS, [one]), time.perf_counter()
    time.sleep(window_s)
    (s1,), t1 = page.evaluate(LISTED_STEPS, [one]), time.perf_counter()
    alone = (s1 - s0) / (t1 - t0)
    rss_one = renderer_rss_mb(browser_cdp)
    page.locator("#btn-pause").click()
    page.locator("#status").filter(has_text="paused").wait_for(timeout=120_000)
    before = {s["id"] for s in page.evaluate("() => window.lab.listSessions()")}
    page.locator("details.sweep summary").click()
    page.select_option("#sweep-field", "seed")
    page.fill("#sweep-values", "1, 2")
    page.locator("#btn-sweep").click()
    workers = min(2, page.evaluate("() => window.lab.workerLimit"))
    page.wait_for_function("(n) => window.lab.workers().filter((w) => w.running.length === 1).length === n",
                           arg=workers, timeout=120_000)
    pair = until(page, "(before) => window.lab.listSessions().then((list) => "
                       "list.length === before.length + 2 && list.map((s) => s.id).filter((id) => !before.includes(id)))",
                 sorted(before), 120)
    until(page, f"(ids) => ({LISTED})(ids).then((listed) => listed.filter((s) => s.status === 'running').length === "
                f"{workers} && listed.every((s) => s.status !== 'running' || s.step >= 20))", pair, 300)
    time.sleep(1)
    steps0, t0 = page.evaluate(LISTED_STEPS, pair), time.perf_counter()
    time.sleep(window_s)
    steps1, t1 = page.evaluate(LISTED_STEPS, pair), time.perf_counter()
    together = [(b - a) / (t1 - t0) for a, b in zip(steps0, steps1)]
    rss_two = renderer_rss_mb(browser_cdp)
    context.close()
    return rounded({"workers": workers, "alone_steps_per_s": alone, "together_steps_per_s": together,
                    "together_over_alone": sum(together) / alone, "renderer_rss_mb_one_worker": rss_one,
                    "renderer_rss_mb_two_workers": rss_two,
                    "extra_worker_mb": rss_two - rss_one if workers == 2 and rss_one and rss_two else None})


def median(values):
    """The median of numbers, or key by key of dicts with the same keys."""
    if isinstance(values[0], dict):
        return {key: median([v[key] for v in values]) for key in values[0]}
    return statistics.median(values)


def rounded(value):
    if isinstance(value, dict):
        return {key: rounded(v) for key, v in value.items()}
    return round(value, 3) if isinstance(value, float) else value


def heap_mb(page, cdp):
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 2**20


class WorkerHeap:
    """The engine worker's JS heap after a forced GC, read through the DevTools
    protocol so worker.js needs no debug hook. Playwright's CDP sessions attach to
    pages only; a browser session reaches the worker target with
    Target.sendMessageToTarget. (Pyodide's WebAssembly memory is not a JS heap
    object and the worker exposes no handle to it; Runtime.queryObjects could find
    it but crashed the renderer, so the renderer's resident memory stands in.)"""

    def __init__(self, cdp, page):
        self.page = page
        self.cdp = cdp
        self.replies = {}
        self.last_id = 0
        cdp.on("Target.receivedMessageFromTarget", self._receive)
        targets = cdp.send("Target.getTargets")["targetInfos"]
        worker = next(t for t in targets if t["type"] == "worker" and t["url"].endswith("/engine/worker.js"))
        self.session = cdp.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})["sessionId"]

    def _receive(self, event):
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def send(self, method):
        self.last_id += 1
        message = {"id": self.last_id, "method": method}
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": self.session, "message": json.dumps(message)})
        deadline = time.perf_counter() + 60
        while self.last_id not in self.replies:  # the reply comes as an event; waiting lets Playwright deliver it
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the worker did not answer {method}")
            self.page.wait_for_timeout(10)
        reply = self.replies.pop(self.last_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def mb(self):
        self.send("HeapProfiler.collectGarbage")
        return self.send("Runtime.getHeapUsage")["usedSize"] / 2**20


def renderer_rss_mb(cdp):
    """Resident memory of the renderer process that trains: the page, its worker and
    Pyodide's WebAssembly memory. It is the renderer with the most CPU time
    (SystemInfo.getProcessInfo), read from /proc (None off Linux)."""
    renderers = [p for p in cdp.send("SystemInfo.getProcessInfo")["processInfo"] if p["type"] == "renderer"]
    pid = max(renderers, key=lambda p: p["cpuTime"])["id"]
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kb) / 1024


def run_memory(page, cdp, browser_cdp, worker, num_steps, at):
    """Memory (MB) during one vector run of `num_steps` steps, when it passes each step of `at`."""
    start_session(page, "vector", num_steps)
    page.locator("#btn-run").click()
    figures = {}
    for step in at:
        wait_for_step(page, step, 1800)
        page_heap = heap_mb(page, cdp)
        figures[f"memory_mb_at_{step}"] = rounded({"page_heap": page_heap, "worker_heap": worker.mb(),
                                                    "renderer_rss": renderer_rss_mb(browser_cdp), "load": loadavg()})
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--long", action="store_true",
                        help="memory over a 10,000-step run (about 4-8 minutes) instead of a 2,000-step one")
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which steps/s are measured")
    parser.add_argument("--opens", type=int, default=5, help="cold and warm page opens for the start-up figures")
    parser.add_argument("--runs", type=int, default=3, help="default 1,000-step runs, every panel on screen")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--cores", type=int, default=0,
                        help="run Chromium on the first N cores only (its processes inherit this one's affinity)")
    args = parser.parse_args()
    only = args.only.split(",")
    if args.cores:
        os.sched_setaffinity(0, set(range(args.cores)))
    memory_steps = (200, 2000, 5000, 10_000) if args.long else (200, 2000)
    server = make_server(DIST, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = server.url
    results = {"cores": len(os.sched_getaffinity(0))}  # the cores Chromium may use
    load = {"start": loadavg()}
    with sync_playwright() as p:
        chromium = os.environ.get("CHROMIUM") or None
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        if "start_up" in only:
            results["start_up"] = start_up(browser, url, args.opens)
            load["ready"] = loadavg()
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(LONG_TASKS)
        context.add_init_script(PROBE_SWITCH)
        page = context.new_page()
        open_until_ready(page, url)
        browser_cdp = browser.new_browser_cdp_session()
        if "stream" in only:
            # The vector run with all panels live, alternating with windows where
            # the live-model reads are answered on the page: what they cost the run.
            windows, rates, longest = streamed_run(page, browser_cdp, "vector", 20, args.window / 2, [False, True] * 3)
            for name, answer in (("vector", False), ("vector_no_reads", True)):
                results[f"browser_{name}_steps_per_s"] = windows[answer].pop("steps_per_s")
                results[f"browser_{name}_steps_per_s_windows"], results[f"browser_{name}_steps_per_cpu_s_windows"] = rates[answer]
                results[f"browser_{name}_step"] = windows[answer]
            results["browser_vector_longest_task_ms"] = longest
        if "run" in only:
            load["run_before"] = loadavg()
            results["browser_vector_1000_steps_s"], results["browser_vector_1000_steps_runs"] = default_runs(
                page, browser_cdp, args.runs)
            load["vector"] = loadavg()
        if "scalar" in only:
            windows, rates, longest = streamed_run(page, browser_cdp, "scalar", 2, args.window, [False])
            results["browser_scalar_steps_per_s"] = windows[False].pop("steps_per_s")
            results["browser_scalar_steps_per_s_windows"], results["browser_scalar_steps_per_cpu_s_windows"] = rates[False]
            results["browser_scalar_step"] = windows[False]
            results["browser_scalar_longest_task_ms"] = longest
            load["scalar"] = loadavg()
        if "memory" in only:
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            worker = WorkerHeap(browser_cdp, page)
            results.update(run_memory(page, cdp, browser_cdp, worker, memory_steps[-1], memory_steps))
        context.close()
        if "side_by_side" in only:
            results["browser_side_by_side"] = side_by_side(browser, url, args.window)
        load["end"] = loadavg()
        results["loadavg_1min"] = load
        browser.close()
    server.shutdown()
    server.server_close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
