"""Where an engine's step spends its time: cProfile over a few default steps, in the Python that runs this file.

    PYTHONPATH=py python3 tools/bench_profile.py --data data/names.txt [--engine vector] [--level loss] [--steps 200]
    node tests/engine/pyodide.mjs tools/bench_profile.py --data $PWD/data/names.txt ...

Profile in Pyodide too: what is cheap in native CPython 3.11 can be dear in
Pyodide's 3.14 (docs: DESIGN.md "How to measure"). Prints the functions by
their own time.
"""
import argparse
import cProfile
import pstats

from microgpt_lab import Config, Session


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="text file, one document per line")
    parser.add_argument("--engine", default="vector", choices=("vector", "scalar"))
    parser.add_argument("--level", default="loss", choices=("loss", "full"))
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    args = parser.parse_args()
    with open(args.data, encoding="utf-8") as file:
        session = Session.from_text(Config(engine=args.engine), file.read())
    for _ in range(args.steps // 4):  # warm up (Pyodide compiles its WebAssembly lazily)
        session.step(args.level)
    session.reset()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.steps):
        session.step(args.level)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
