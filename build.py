#!/usr/bin/env python3
"""microGPT Lab: the one entry point. Standard library only.

    python3 build.py                 build dist/ from scratch (same as `build`)
    python3 build.py serve [--port 8000] [--host 127.0.0.1] [--prefix /lab/]
                                     build, then serve dist/ over HTTP
    python3 build.py test [ARGS...]  set up .venv, pick a Chromium, build,
                                     run the page's unit tests (node --test
                                     tests/web) and pytest with ARGS
    python3 build.py bench [--part native,node,browser] [--rounds 5] [--passes 2] [--long]
                                     benchmark the engines and the original program
                                     natively and in Pyodide under Node, and the lab
                                     in headless Chromium; prints a table, writes
                                     bench-results.json (--long: memory over a
                                     10,000-step run)

This file only names the steps; tools/ does them (site.py, engine_files.py and
dist.py build, server.py serves, testing.py tests, bench.py benchmarks).

dist/ is a self-contained static site: every URL in it is relative, so it
works from any static host, under a sub-path, and offline once cached.

    dist/index.html, js/, css/, sw.js ...  a copy of web/
    dist/pyodide/       the Pyodide runtime files loadPyodide needs at boot, and
                        snapshot.bin.gz: Python's memory with the engine
                        imported, which the worker restores (tools/snapshot.mjs)
    dist/wheels/        the engine wheel built from py/ (the worker's fallback)
    dist/schema.json    the engine's description of itself: config fields,
                        matrices, stages, formats (python -m microgpt_lab schema)
    dist/vendor/idb/    idb's ES module build     (npm, ISC)
    dist/vendor/uplot/  uPlot's ES module build, CSS and licence (npm, MIT)
    dist/data/names.txt the default dataset (see data/README.md)
    dist/data/recording.json  a short trace the page replays while Python loads
    dist/manifest.json  {"version", "pyodide_version", "engine_wheel",
                         "snapshot", "files"}; "files" lists every file
                         of dist/ (relative, sorted) except manifest.json
                         itself; "version" is a short sha256 over those
                         files' paths and contents (sw.js before stamping),
                         so it changes exactly when the site changes.
    dist/sw.js          if it contains the placeholder "__BUILD_MANIFEST__"
                         (with the quotes), that token is replaced by the
                         manifest's JSON: a new build gives the service worker
                         new bytes, which is how browsers notice an update.
"""

import argparse
import shutil
import sys
import time

from tools import dist, engine_files, site
from tools.bench import run_bench
from tools.common import DIST, BuildError, check_node, log
from tools.server import serve
from tools.testing import choose_chromium, run_node_tests, run_pytest, setup_venv


def build() -> dict:
    """Build dist/ from scratch in a staging folder, then publish it whole."""
    t0 = time.monotonic()
    log("build: dist/")
    site.install_npm()
    out = dist.staging_dir()
    try:
        site.copy_runtime(out)
        engine_wheel = engine_files.build_wheel(out)
        snapshot = engine_files.make_snapshot(out, engine_wheel)
        engine_files.write_schema(out)
        site.copy_vendor(out)
        site.copy_web(out)
        site.preload_modules(out)
        site.copy_data(out)
        engine_files.make_recording(out)
        manifest = dist.write_manifest(out, engine_wheel, snapshot, site.PYODIDE_VERSION)
        dist.stamp_service_worker(out, manifest)
        dist.publish(out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    log(f"build: done in {time.monotonic() - t0:.1f} s, dist/ is {dist.dir_size(DIST) / 1e6:.1f} MB")
    return manifest


def test(pytest_args: list) -> int:
    check_node()
    python = setup_venv()
    chromium = choose_chromium(python)
    build()
    node_code = run_node_tests()
    return run_pytest(python, chromium, pytest_args) or node_code


def bench(args: list) -> int:
    def prepare_browser():
        python = setup_venv()
        chromium = choose_chromium(python)
        build()
        return python, chromium

    return run_bench(args, prepare_browser)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="build dist/ from scratch (default)")
    p_serve = sub.add_parser("serve", help="build, then serve dist/")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--prefix", default="", help="serve under a sub-path, e.g. /lab/")
    sub.add_parser("test", help="build and run pytest (extra args go to pytest)")
    sub.add_parser("bench", add_help=False,  # its --help lists tools/bench.py's options
                   help="benchmark the engines natively, in Pyodide under Node and the lab in Chromium "
                        "(build.py bench --help: its options)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command in (None, "build"):
            build()
        elif args.command == "serve":
            build()
            serve(DIST, args.host, args.port, args.prefix)
        elif args.command == "test":
            return test(extra)
        elif args.command == "bench":
            return bench(extra)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
