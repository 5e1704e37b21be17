"""Before against after in one process: the engine at a git revision against the working tree's,
step for step, natively or in the lab's Pyodide under Node, timed in CPU seconds.

    python3 -m tools.bench_ab [--base HEAD] [--runtime native,node] [--engine vector] [--level loss] [--rounds 9]

Interleaved rounds (base then this tree, then the other way round) on the same documents
from step 0; prints each side's median steps per CPU second and the median and range of the
per-round ratios (this / base), and checks the two give the same losses and
weights, bit for bit. The base package is `git show`n into
.cache/bench-ab/base_lab (its imports are relative, so it loads beside
microgpt_lab under another name).
"""
import argparse
import importlib
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
STEPS = {"vector": 40, "scalar": 3}


def time_steps(cpu_seconds, package, engine, level, text, steps):
    """CPU seconds for steps 2..steps+1 of a fresh default session, and (losses, weights)."""
    session = package.Session.from_text(package.Config(engine=engine), text)
    session.step(level)
    start = cpu_seconds()
    losses = [session.step(level)["loss"] for _ in range(steps)]
    return cpu_seconds() - start, (losses, session.state_dict)


def measure(base_path, tools, engine, level, data, rounds):
    sys.path[:0] = [base_path, tools]
    from bench_steps import cpu_seconds

    sides = {"base": importlib.import_module("base_lab"), "this": importlib.import_module("microgpt_lab")}
    text = open(data, encoding="utf-8").read()
    steps = STEPS[engine]
    rates, numbers = {side: [] for side in sides}, {}
    for round_index in range(rounds + 1):  # round 0 warms up; odd rounds run this tree first
        for side, package in sorted(sides.items(), reverse=round_index % 2 == 1):
            seconds, numbers[side] = time_steps(cpu_seconds, package, engine, level, text, steps)
            if round_index:
                rates[side].append(steps / seconds)
    ratios = [b / a for a, b in zip(rates["base"], rates["this"])]
    return {"python": sys.version.split()[0], "engine": engine, "level": level,
            "base": statistics.median(rates["base"]), "this": statistics.median(rates["this"]),
            "ratio": statistics.median(ratios), "round_ratios": [min(ratios), max(ratios)], "identical": numbers["base"] == numbers["this"]}


def extract(base):
    """The base revision's engine package, as .cache/bench-ab/base_lab; returns .cache/bench-ab."""
    root = HERE.parents[1]
    folder = root / ".cache" / "bench-ab"
    target = folder / "base_lab"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.py"):
        old.unlink()
    names = subprocess.run(["git", "ls-tree", "--name-only", base, "py/microgpt_lab/"], cwd=root,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in names:
        if name.endswith(".py"):
            source = subprocess.run(["git", "show", f"{base}:{name}"], cwd=root, capture_output=True, check=True).stdout
            (target / Path(name).name).write_bytes(source)
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare against (default HEAD)")
    parser.add_argument("--runtime", default="native,node", help="comma-separated: native, node")
    parser.add_argument("--engine", default="vector", choices=tuple(STEPS))
    parser.add_argument("--level", default="loss", choices=("loss", "full"))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the base package's folder: measure here
    parser.add_argument("--tools", help=argparse.SUPPRESS)  # tools/ (Pyodide runs a copy of this file elsewhere)
    parser.add_argument("--data", default=str(HERE.parents[1] / "data" / "names.txt"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.tools, args.engine, args.level, args.data, args.rounds)))
        return
    root = HERE.parents[1]
    folder = extract(args.base)
    inner = ["--measure", str(folder), "--tools", str(HERE.parent), "--engine", args.engine, "--level", args.level,
             "--rounds", str(args.rounds), "--data", args.data]
    for runtime in args.runtime.split(","):
        command = ([sys.executable, str(HERE)] if runtime == "native"
                   else ["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(HERE)])
        load = Path("/proc/loadavg").read_text().split()[0]
        output = subprocess.run([*command, *inner], cwd=root, capture_output=True, text=True,
                                env={"PYTHONPATH": str(root / "py"), "PATH": "/usr/bin:/bin:/usr/local/bin"})
        if output.returncode:
            sys.exit(output.stderr)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"{runtime} {result['python']} {args.engine}/{args.level}: base {result['base']:.2f}, "
              f"this {result['this']:.2f} steps/CPU s, ratio (median of rounds) {result['ratio']:.3f} "
              f"(per round {result['round_ratios'][0]:.2f}-{result['round_ratios'][1]:.2f}), "
              f"identical numbers: {result['identical']}, load {load}->{Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
