"""The model ladder against the counting bigram's line, measured natively (the README's numbers).

    python3 -m tools.measure_ladder [--steps 1000] [--every 100] [--sample 1000] [--data data/names.txt]

Trains every rung of py/microgpt_lab/ladder.py for --steps steps (the vector engine gives the lab's
numbers to 1e-9) and prints, per rung:

- what the lab shows: the first step its smoothed loss went below the counting bigram's line and the mean
  loss of its last 100 steps (Compare runs), and of its last 200 (the path's rung charts). A step's loss
  is one document's, so these move with the documents: the rungs train on the same ones in the same
  order and dip below the line together;
- a like-for-like measure: its loss on a fixed sample of the training documents (every n-th one), measured
  as the line is (the mean over documents of each one's mean loss), every --every steps, against the
  counting bigram's loss on the same sample; the first such step below it;
- its loss on every training document at the last step, against the line itself.

A run's learning rate decays to 0 at its last step, so a 5,000-step run at step 1,000 is not a 1,000-step
run: measure each length with its own --steps.
"""
import argparse
import math
import re
import sys
import time

from tools.common import ROOT

sys.path.insert(0, str(ROOT / "py"))
from microgpt_lab import Session, ladder  # noqa: E402

TAILS = (100, 200)  # the last steps Compare runs and the path's rung charts average


def ema_beta():
    """The smoothed loss's constant, read from the page's own definition (draw/series.js)."""
    source = (ROOT / "web" / "js" / "draw" / "series.js").read_text()
    return float(re.search(r"export const EMA_BETA = ([0-9.]+);", source).group(1))


def first_smoothed_below(losses, line, beta):
    """The first step whose smoothed loss (the page's debiased EMA) is below the line, or None."""
    raw = 0.0
    for i, loss in enumerate(losses):
        raw = beta * raw + (1 - beta) * loss
        if raw / (1 - beta ** (i + 1)) < line:
            return i + 1
    return None


def scored(session, doc):
    """A document's tokens as a training step scores them: the first block_size + 1."""
    return session.tokenizer.encode(doc)[: session.config.block_size + 1]


def model_loss(session, docs):
    """The mean over the documents of each one's mean loss, forward only."""
    per_doc = []
    for doc in docs:
        losses = session.engine.evaluate(session.state_dict, [scored(session, doc)], session.config)
        per_doc.append(sum(losses) / len(losses))
    return sum(per_doc) / len(per_doc)


def bigram_loss(session, docs):
    """The counting bigram's loss on the documents, measured the same way."""
    rows = session.bigram()["rows"]
    probability = [dict(zip(row["next"], row["probs"])) for row in rows]
    per_doc = []
    for doc in docs:
        tokens = scored(session, doc)
        per_doc.append(sum(-math.log(probability[a][b]) for a, b in zip(tokens, tokens[1:])) / (len(tokens) - 1))
    return sum(per_doc) / len(per_doc)


def measure(rung, text, steps, every, sample_size, beta):
    session = Session.from_text(ladder.config(rung, num_steps=steps), text)
    sample = session.docs[:: max(1, len(session.docs) // sample_size)][:sample_size]
    line, sample_line = session.bigram()["loss"], bigram_loss(session, sample)
    losses, checkpoints = [], []
    for step in range(1, steps + 1):
        losses.append(session.step("loss")["loss"])
        if step % every == 0 or step == steps:
            checkpoints.append((step, model_loss(session, sample)))
    below = next((step for step, loss in checkpoints if loss < sample_line), None)
    return {
        "rung": rung.name, "line": line, "sample_line": sample_line, "sample": len(sample),
        "smoothed_below": first_smoothed_below(losses, line, beta),
        "means": [sum(losses[-tail:]) / len(losses[-tail:]) for tail in TAILS],
        "checkpoints": checkpoints, "sample_below": below, "all_docs": model_loss(session, session.docs),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tools.measure_ladder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1000, help="steps per rung (default: the ladder's 1,000)")
    parser.add_argument("--every", type=int, default=100, help="steps between the sample's measurements")
    parser.add_argument("--sample", type=int, default=1000, help="training documents in the fixed sample")
    parser.add_argument("--data", default=str(ROOT / "data" / "names.txt"), help="text file, one document per line")
    args = parser.parse_args(argv)
    text = open(args.data, encoding="utf-8").read()
    beta = ema_beta()
    results = []
    for rung in ladder.LADDER:
        start = time.perf_counter()
        results.append(measure(rung, text, args.steps, args.every, args.sample, beta))
        print(f"{rung.id}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    line = results[0]["line"]
    print(f"{args.steps} steps a rung; counting bigram {line:.4f} on every training document, "
          f"{results[0]['sample_line']:.4f} on the sample of {results[0]['sample']}")
    print("| rung | smoothed loss first below (step) | "
          + " | ".join(f"mean loss, last {tail} steps" for tail in TAILS)
          + " | sample loss first below (step) | sample loss at the end | loss on every training document at the end |")
    print("| --- |" + " --- |" * (len(TAILS) + 4))
    for r in results:
        shown = lambda step: "not yet" if step is None else str(step)  # noqa: E731
        print(f"| {r['rung']} | {shown(r['smoothed_below'])} | " + " | ".join(f"{mean:.4f}" for mean in r["means"])
              + f" | {shown(r['sample_below'])} | {r['checkpoints'][-1][1]:.4f} | {r['all_docs']:.4f} ({r['all_docs'] - line:+.4f}) |")
    print("\nThe sample's loss by step:")
    print("| step | " + " | ".join(r["rung"] for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for k, (step, _) in enumerate(results[0]["checkpoints"]):
        print(f"| {step} | " + " | ".join(f"{r['checkpoints'][k][1]:.4f}" for r in results) + " |")


if __name__ == "__main__":
    main()
