"""Command line: train like the original program, write a trace, benchmark the engines, print the schema.

    python -m microgpt_lab train --data names.txt [--steps 1000] [--engine scalar] [--no-attention] [--trace run.json]
    python -m microgpt_lab bench [--data data/names.txt] [--json bench.json]
    python -m microgpt_lab schema [--output schema.json]

This is the package's only module that does I/O.
"""
import argparse
import json
import statistics
import sys
import time
from dataclasses import fields

from . import trace
from .config import CHOICES, ENGINES, FIELDS, Config
from .schema import schema
from .session import Session

FLAGS = {"num_steps": "--steps"}  # the original program's name for it


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m microgpt_lab", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train on a text file, one document per line")
    train.add_argument("--data", required=True, help="text file, one document per line")
    for field in fields(Config):
        flag = FLAGS.get(field.name, f"--{field.name.replace('_', '-')}")
        if field.type is bool:  # --attention / --no-attention
            kind = {"action": argparse.BooleanOptionalAction}
        else:
            kind = {"choices": CHOICES[field.name]} if field.name in CHOICES else {"type": field.type}
        train.add_argument(flag, dest=field.name, default=field.default, help=FIELDS[field.name][1], **kind)
    train.add_argument("--trace", help="write the run's trace (JSON) to this file")
    train.add_argument("--level", choices=("loss", "full"), help="instrumentation per step (default: full with --trace)")
    train.add_argument("--samples", type=int, default=20, help="samples to draw after training")

    bench = commands.add_parser("bench", help="steps per second of each engine")
    bench.add_argument("--data", default="data/names.txt", help="text file, one document per line")
    bench.add_argument("--json", help="also write the figures to this JSON file")
    bench.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is reported")

    describe = commands.add_parser("schema", help="print what the engine is made of (JSON), for the page")
    describe.add_argument("--output", help="write it to this file instead")

    args = parser.parse_args(argv)
    if args.command == "schema":
        return run_schema(args)
    try:
        with open(args.data, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        parser.error(f"cannot read --data {args.data}: {error}")
    try:
        return run_train(args, text) if args.command == "train" else run_bench(args, text)
    except ValueError as error:  # bad config, empty dataset, divergence: say it plainly
        parser.error(str(error))


def run_schema(args):
    text = json.dumps(schema(), indent=2, allow_nan=False) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)
    return 0


def run_train(args, text):
    session = Session.from_text(Config(**{field.name: getattr(args, field.name) for field in fields(Config)}), text)
    level = args.level or ("full" if args.trace else "loss")
    steps, samples, start = [], [], time.perf_counter()
    live = sys.stdout.isatty()
    held_out = ""  # the last held-out loss measured, shown until the next
    print(f"num docs: {len(session.docs)}\nvocab size: {session.tokenizer.vocab_size}\nnum params: {session.num_params}")
    if session.held_out_docs:
        print(f"held out: {len(session.held_out_docs)} docs, loss measured on {len(session.held_out_tokens)} of them")
    for _ in range(session.config.num_steps):
        event = session.step(level)
        if args.trace:
            steps.append(event)
        if "held_out_loss" in event:
            held_out = f" | held-out loss {event['held_out_loss']:.4f} (step {event['step']})"
        line = f"step {event['step']:4d} / {event['num_steps']:4d} | loss {event['loss']:.4f}{held_out}"
        if live:
            rate = event["step"] / (time.perf_counter() - start)
            print(f"\r{line} {progress_bar(event['step'], event['num_steps'])} {rate:.1f} steps/s", end="", flush=True)
        else:
            print(line)
    if live:
        print()  # end the progress line
    print("--- inference (new, hallucinated names) ---")
    names = session.sample(args.samples, args.temperature) if args.samples > 0 else []
    for index, name in enumerate(names):
        print(f"sample {index + 1:2d}: {name}")
    if args.trace:
        samples.append({"step": session.step_count, "temperature": args.temperature, "samples": names})
        with open(args.trace, "w", encoding="utf-8") as file:
            json.dump(trace.make(trace.header(session), steps, samples), file, allow_nan=False)
        print(f"trace: {args.trace}")
    return 0


def progress_bar(done, total, width=30):
    filled = round(width * done / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


BENCH_CONFIGS = {"default": {}, "n_embd 32, n_layer 2": {"n_embd": 32, "n_layer": 2}}
# (steps, runs) per engine: scalar steps are long and steady (a second to ten), vector ones short and noisy
BENCH_PLAN = {"vector": (100, None), "scalar": (3, 1)}


def measure(config, text, level, steps, repeats):
    """Median steps/s over `repeats` runs of `steps` steps (fresh session each run, one warm-up step)."""
    rates = []
    for _ in range(repeats):
        session = Session.from_text(config, text)
        session.step(level)  # warm-up
        start = time.perf_counter()
        for _ in range(steps):
            session.step(level)
        rates.append(steps / (time.perf_counter() - start))
    return statistics.median(rates)


def run_bench(args, text):
    results = []
    print(f"{'config':<22} {'engine':<7} {'level':<5} {'steps/s':>9}")
    for name, overrides in BENCH_CONFIGS.items():
        for engine in ENGINES:
            for level in ("loss", "full"):
                config = Config(engine=engine, num_steps=10_000, **overrides)
                steps, runs = BENCH_PLAN[engine]
                rate = measure(config, text, level, steps, runs or args.repeats)
                results.append({"config": name, "engine": engine, "level": level, "steps_per_s": rate})
                print(f"{name:<22} {engine:<7} {level:<5} {rate:9.2f}", flush=True)
    by = {(r["config"], r["engine"], r["level"]): r["steps_per_s"] for r in results}
    for name in BENCH_CONFIGS:
        speedup = by[name, "vector", "loss"] / by[name, "scalar", "loss"]
        cost = by[name, "vector", "loss"] / by[name, "vector", "full"] - 1
        print(f"{name}: vector is {speedup:.1f}x scalar; full instrumentation costs {cost:+.1%} of a vector step")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump({"python": sys.version.split()[0], "results": results}, file, indent=2)
    return 0
