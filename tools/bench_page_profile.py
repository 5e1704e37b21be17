"""Where the page's main thread spends a vector run, every panel on screen: a CPU profile.

    python3 build.py                      # dist/
    CHROMIUM=/usr/bin/chromium .venv/bin/python -m tools.bench_page_profile [--seconds 8] [--top 30]

Serves dist/, starts a run, records the main thread with the DevTools
profiler for `--seconds` and prints the functions by their own time (ms and
share of the recorded time), with the file they are in.
"""
import argparse
import collections
import os
import threading

from playwright.sync_api import sync_playwright

from tools.bench_browser import open_until_ready, start_session, wait_for_step
from tools.common import DIST
from tools.server import make_server
from tools.testing import CHROMIUM_ARGS


def self_times(profile):
    """{(function, file:line): ms of own time} from a Profiler.stop profile."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    intervals = profile["timeDeltas"]
    totals = collections.Counter()
    for node_id, delta in zip(profile["samples"], intervals[1:] + [0]):
        frame = nodes[node_id]["callFrame"]
        where = f"{frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}" if frame["url"] else ""
        totals[(frame["functionName"] or "(anonymous)", where)] += delta / 1000
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    server = make_server(DIST, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM") or None, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 3600}).new_page()
        open_until_ready(page, server.url)
        start_session(page, "vector", 100_000)
        page.locator("#btn-run").click()
        wait_for_step(page, 20, 300)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.wait_for_timeout(args.seconds * 1000)
        profile = cdp.send("Profiler.stop")["profile"]
        browser.close()
    server.shutdown()
    totals = self_times(profile)
    recorded = sum(totals.values())
    print(f"main thread, {args.seconds:g} s of a run: {recorded:.0f} ms sampled")
    for (name, where), ms in totals.most_common(args.top):
        print(f"{ms:8.1f} ms {ms / recorded:6.1%}  {name}  {where}")


if __name__ == "__main__":
    main()
