"""`build.py bench`: the engines natively, then the lab in headless Chromium
(tools/bench_browser.py), in one run; prints both and the headline ratio and
writes everything to bench-results.json."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from tools.common import CACHE, ROOT, engine_env, log, run

RESULTS = ROOT / "bench-results.json"


def native(args: list) -> dict:
    """`python -m microgpt_lab bench` with `args`: steps/s of each engine and level."""
    output = CACHE / "bench-native.json"
    log("bench: native engines (python -m microgpt_lab bench)")
    subprocess.run([sys.executable, "-m", "microgpt_lab", "bench", "--json", str(output), *args],
                   cwd=ROOT, env=engine_env(), check=True)
    return json.loads(output.read_text())


def in_browser(python: Path, chromium: str, args: list) -> dict:
    """tools/bench_browser.py with `args`, in the test virtualenv (it needs Playwright)."""
    log("bench: the lab in headless Chromium (tools/bench_browser.py)")
    env = dict(os.environ, CHROMIUM=chromium)
    return json.loads(run([str(python), "-m", "tools.bench_browser", *args], cwd=ROOT, env=env).stdout)


def run_bench(python: Path, chromium: str, args: list) -> int:
    """`--long` goes to the browser bench (memory over 10,000 steps, not 2,000);
    the other arguments go to the native one."""
    browser_args = [a for a in args if a == "--long"]
    native_results = native([a for a in args if a != "--long"])
    browser = in_browser(python, chromium, browser_args)
    rates = {(r["config"], r["engine"], r["level"]): r["steps_per_s"] for r in native_results["results"]}
    native_scalar = rates["default", "scalar", "loss"]
    browser["vector_in_browser_over_native_scalar"] = browser["browser_vector_steps_per_s"] / native_scalar
    print()
    for name, value in browser.items():
        print(f"{name:<40} {round(value, 3) if isinstance(value, float) else value}")
    results = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores, {platform.platform()}",
               "native": native_results, "browser": browser}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    log(f"bench: wrote {RESULTS.name}")
    return 0
