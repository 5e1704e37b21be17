"""`build.py bench`: steps/s of the engines and the original program, natively, in Pyodide and in the lab.

The engines and the original program run natively and in Pyodide under Node
(tools/bench_steps.py), then the lab in headless Chromium
(tools/bench_browser.py); it prints a table (tools/bench_report.py) and
writes everything to bench-results.json.

    python3 build.py bench [--part native,node,browser] [--rounds 5] [--passes 2] [--long] [--window 10]
                           [--cores N] [--only side_by_side,...]

The native and Node parts alternate (`--passes` times, `--rounds` interleaved
rounds each), so a neighbour's load falls on both. The 1-minute load average
is read before each part and every second during it: a part during which it
went over one per core is marked busy, and its figures are not headlines.
The browser part is judged by the load before it: Chromium itself keeps two
or three threads busy (page, worker, compositor), which the load counts.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

from tools.bench_report import report
from tools.common import BuildError, NODE_MODULES, ROOT, engine_env, log, run

RESULTS = ROOT / "bench-results.json"
PARTS = ("native", "node", "browser")
STEPS_SCRIPT = ROOT / "tools" / "bench_steps.py"
ORIGINAL = ROOT / "tools" / "bench_original_program.py"
PYODIDE_RUNNER = ROOT / "tests" / "engine" / "pyodide.mjs"
DATA = ROOT / "data" / "names.txt"
BUSY_PER_CORE = 1.0


def loadavg():
    """The 1-minute load average (None where /proc is missing)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return None


def settle(most_s=120):
    """Wait (at most `most_s`) for the 1-minute load average to fall to one per core, as after a build."""
    limit = BUSY_PER_CORE * (os.cpu_count() or 1)
    start = time.monotonic()
    while (loadavg() or 0.0) > limit and time.monotonic() - start < most_s:
        time.sleep(5)
    if time.monotonic() - start >= 5:
        log(f"bench: waited {time.monotonic() - start:.0f} s for the load to fall (now {loadavg()})")


class LoadWatch:
    """The load average before a part and every second while it runs (over several `with` blocks)."""

    def __init__(self, judge_during=True):
        self.before = None
        self.during = []
        self.judge_during = judge_during  # False: only the load before the part says whether it was busy

    def __enter__(self):
        if self.before is None:
            self.before = loadavg()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(1.0):
            self.during.append(loadavg())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self):
        during = [x for x in self.during if x is not None]
        highest = max([self.before or 0.0, *(during if self.judge_during else [])])
        cores = os.cpu_count() or 1
        return {"before": self.before, "during_max": max(during, default=None),
                "during_median": statistics.median(during) if during else None,
                "cores": cores, "busy": highest > BUSY_PER_CORE * cores}


def steps_command(part, rounds):
    """The command that runs tools/bench_steps.py natively or in the lab's Pyodide under Node."""
    args = ["--data", str(DATA), "--original", str(ORIGINAL), "--rounds", str(rounds)]
    if part == "native":
        return [sys.executable, str(STEPS_SCRIPT), *args]
    return ["node", str(PYODIDE_RUNNER), str(STEPS_SCRIPT), *args]


def check_node_part():
    if not shutil.which("node"):
        raise BuildError("node is not on PATH: the Pyodide-under-Node part needs Node.js 20+")
    if not (NODE_MODULES / "pyodide" / "pyodide.mjs").exists():
        raise BuildError("node_modules/pyodide is missing: run `npm ci` (python3 build.py does it)")


def engine_parts(parts, rounds, passes, watches):
    """{part: {"rates": {figure: [steps/s, ...]}, "cpu_rates": the same per CPU second, ...}} over `passes` alternations of the native and Node parts."""
    results = {part: {"rates": {}, "cpu_rates": {}} for part in parts}
    for index in range(passes):
        for part in parts:
            log(f"bench: {part} engines and the original program, pass {index + 1} of {passes}")
            with watches[part]:
                output = run(steps_command(part, rounds), cwd=ROOT, env=engine_env()).stdout
            measured = json.loads(output.strip().splitlines()[-1])
            for clock in ("rates", "cpu_rates"):
                for figure, rates in measured.pop(clock).items():
                    results[part][clock].setdefault(figure, []).extend(rates)
            results[part].update(measured)
    return results


def in_browser(python: Path, chromium: str, args: list) -> dict:
    """tools/bench_browser.py with `args`, in the test virtualenv (it needs Playwright)."""
    log("bench: the lab in headless Chromium (tools/bench_browser.py)")
    env = dict(os.environ, CHROMIUM=chromium)
    return json.loads(run([str(python), "-m", "tools.bench_browser", *args], cwd=ROOT, env=env).stdout)


def parse(args):
    parser = argparse.ArgumentParser(prog="build.py bench", description=__doc__.split("\n")[0])
    parser.add_argument("--part", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per pass of the engine parts")
    parser.add_argument("--passes", type=int, default=2, help="alternations of the native and Node parts")
    parser.add_argument("--long", action="store_true", help="browser: memory over 10,000 steps, not 2,000")
    parser.add_argument("--window", type=float, default=10.0, help="browser: seconds per steps/s window")
    parser.add_argument("--cores", type=int, default=0,
                        help="browser: Chromium on the first N cores only (how the lab scales with cores)")
    parser.add_argument("--only", default="", help="browser: some of its parts (tools/bench_browser.py --only)")
    options = parser.parse_args(args)
    options.parts = options.part.split(",")
    unknown = [p for p in options.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
    return options


def run_bench(args: list, prepare_browser) -> int:
    """`prepare_browser()` builds dist/ and returns (the test virtualenv's Python, Chromium)."""
    options = parse(args)
    engines = [p for p in PARTS[:2] if p in options.parts]
    if "node" in engines:
        check_node_part()
    watches = {part: LoadWatch(judge_during=part != "browser") for part in options.parts}
    # The site is built first, so that its load (several cores for seconds) has left the 1-minute
    # average that judges the browser part; settle() waits for whatever is left.
    if "browser" in options.parts:
        python, chromium = prepare_browser()
    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": f"{os.cpu_count()} cores, {platform.platform()}"}
    results.update(engine_parts(engines, options.rounds, options.passes, watches))
    if "browser" in options.parts:
        settle()
        browser_args = ["--window", str(options.window)] + (["--long"] if options.long else [])
        browser_args += (["--cores", str(options.cores)] if options.cores else []) + (
            ["--only", options.only] if options.only else [])
        with watches["browser"]:
            results["browser"] = in_browser(python, chromium, browser_args)
    results["load"] = {part: watch.summary() for part, watch in watches.items()}
    summary, table = report(results)
    results["summary"], results["table"] = summary, table
    print("\n" + table)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    log(f"bench: wrote {RESULTS.name}")
    return 0
