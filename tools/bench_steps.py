"""Steps per second of the lab's engines and of the original program, in the Python that runs this file.

    PYTHONPATH=py python3 tools/bench_steps.py --data data/names.txt [--rounds 5] [--figures vector,scalar]
    node tests/engine/pyodide.mjs tools/bench_steps.py --data /abs/data/names.txt \
        --original /abs/tools/bench_original_program.py ...

tools/bench.py runs it natively and in the lab's Pyodide under Node; it prints
one JSON object. Needs only the standard library and microgpt_lab, so it runs
in both. Every round measures each figure once, in turn (interleaved: a busy
neighbour slows all figures alike), on the same documents: each figure
starts again from step 0, takes one untimed step, then times the next ones.
Figures:

    vector, scalar   Session.step("loss"), default config
    vector_full      Session.step("full") (the panels' data: attention, top-k, stage times)
    vector_worker    what the lab's worker does per step, without the page: worker.call("step")
                     (JSON out), "full" at most every FULL_EVERY_MS and "loss" between
    vector_worker_run  the same over a whole default run, steps 1..1000, in the first round
                     only (a run's later steps are faster: relu zeroes more of the MLP as it
                     trains, and the vector engine skips those terms); the lab's own
                     1,000-step run is set against it
    original         the original microgpt program (tools/bench_original_program.py),
                     run as a program (module-level loop); its losses are checked
                     against the scalar engine's
"""
import argparse
import gc
import json
import os
import sys
import tempfile
import time

from microgpt_lab import Config, Session, worker

FULL_EVERY_MS = 100  # web/js/engine/protocol.js: the worker asks for a "full" step at most this often
STEPS = {"vector": 50, "vector_full": 50, "vector_worker": 50, "vector_worker_run": 1000, "scalar": 3, "original": 3}
ONCE = {"vector_worker_run"}  # measured in the first round only: a whole run takes 5-10 s
ORIGINAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_original_program.py")  # natively


def cpu_seconds():
    """This process's CPU time: unlike wall time, hardly moved by a busy neighbour. (Pyodide's
    time.process_time is wall time; Node's process.cpuUsage is the real one.)"""
    if sys.platform == "emscripten":
        import js

        usage = js.process.cpuUsage()
        return (usage.user + usage.system) / 1e6
    return time.process_time()


def now():
    """(wall, CPU) seconds on this process's clocks."""
    return time.perf_counter(), cpu_seconds()


def between(start, end):
    return end[0] - start[0], end[1] - start[1]


class Stop(Exception):
    """Ends the original program after the steps the bench wants."""


def time_session(engine, level, text, steps):
    """(wall, CPU) seconds for steps 2..steps+1 of a fresh default session, and their losses."""
    session = Session.from_text(Config(engine=engine), text)
    session.step(level)
    start = now()
    losses = [session.step(level)["loss"] for _ in range(steps)]
    return between(start, now()), losses


def time_worker(text, steps, whole_run=False):
    """As time_session, through the worker's JSON entry point, mixing levels as the lab's run loop does;
    whole_run: steps 1..steps, the first untimed step included."""
    worker.call("open", json.dumps({"session": "bench", "config": Config().to_dict(), "text": text}))
    if not whole_run:
        worker.call("step", '{"session": "bench", "level": "full"}')
    last_full = float("-inf")
    start = now()
    for _ in range(steps):
        wall = time.perf_counter()
        full = (wall - last_full) * 1000 >= FULL_EVERY_MS
        if full:
            last_full = wall
        worker.call("step", '{"session": "bench", "level": "%s"}' % ("full" if full else "loss"))
    seconds = between(start, now())
    worker.call("close", '{"session": "bench"}')
    return seconds, None


def time_original(program, steps):
    """(wall, CPU) seconds for steps 2..steps+1 of the original program, timed at its per-step print, and their losses.

    The program runs in a fresh module namespace from a folder holding input.txt; its
    `print` is the bench's, which stamps the time and ends the run."""
    stamps, losses = [], []
    namespace = {"__name__": "__main__"}

    def stamp(*args, **kwargs):
        if not str(args[0]).startswith("step "):
            return  # its set-up lines: num docs, vocab size, num params
        stamps.append(now())
        losses.append(namespace["loss"].data)
        if len(stamps) == steps + 1:
            raise Stop

    namespace["print"] = stamp
    try:
        exec(program, namespace)
    except Stop:
        pass
    namespace.clear()  # its functions hold it and it holds the last step's graph: let it all go now
    return between(stamps[0], stamps[-1]), losses[1:]


def measure(figures, text, program, rounds):
    """{figure: [steps per wall second, per round]}, the same per CPU second, and the
    original's losses next to the scalar engine's."""
    rates = {figure: [] for figure in figures}
    cpu_rates = {figure: [] for figure in figures}
    losses = {}
    for round_index in range(rounds + 1):  # round 0 warms up (Pyodide's WebAssembly is compiled lazily, tier by tier)
        for figure in figures:
            if figure in ONCE and round_index != 1:
                continue
            gc.collect()  # start each figure from the same heap, not the previous one's leftovers
            steps = STEPS[figure]
            if figure == "original":
                seconds, losses[figure] = time_original(program, steps)
            elif figure.startswith("vector_worker"):
                seconds, _ = time_worker(text, steps, whole_run=figure in ONCE)
            else:
                engine, _, level = figure.partition("_")
                seconds, losses[figure] = time_session(engine, level or "loss", text, steps)
            if round_index:
                rates[figure].append(steps / seconds[0])
                cpu_rates[figure].append(steps / seconds[1])
    return rates, cpu_rates, losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="text file, one document per line")
    parser.add_argument("--original", default=ORIGINAL,
                        help="the original program's file (pyodide.mjs copies this script away from tools/)")
    parser.add_argument("--rounds", type=int, default=5, help="times each figure is measured (interleaved)")
    parser.add_argument("--figures", default=",".join(STEPS), help=f"comma-separated, of {', '.join(STEPS)}")
    args = parser.parse_args()
    figures = args.figures.split(",")
    unknown = [f for f in figures if f not in STEPS]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; the figures are {', '.join(STEPS)}")
    with open(args.data, encoding="utf-8") as file:
        text = file.read()
    with open(args.original, encoding="utf-8") as file:
        program = compile(file.read(), args.original, "exec")
    with tempfile.TemporaryDirectory() as folder:  # the original reads ./input.txt
        with open(os.path.join(folder, "input.txt"), "w", encoding="utf-8") as file:
            file.write(text)
        here = os.getcwd()
        os.chdir(folder)
        try:
            rates, cpu_rates, losses = measure(figures, text, program, args.rounds)
        finally:
            os.chdir(here)
    result = {"python": sys.version.split()[0], "platform": sys.platform, "steps": {f: STEPS[f] for f in figures},
              "rates": rates, "cpu_rates": cpu_rates}
    if "original" in losses and "scalar" in losses:
        result["original_matches_scalar"] = all(abs(a - b) < 1e-9 for a, b in zip(losses["original"], losses["scalar"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
