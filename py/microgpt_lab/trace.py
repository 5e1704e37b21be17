"""The trace format: a session's history as one versioned JSON document.

    {"format": "microgpt-lab-trace", "version": 1, "generator": "microgpt_lab 0.1.0",
     "config": {...Config fields...},
     "dataset": {"fingerprint": sha256 hex, "num_docs": int, "vocab": [chars]},
     "steps": [step events, in order],
     "samples": [{"step": int, "temperature": float, "samples": [str]}]}

The command line writes it, the browser exports and imports it; the JSON
Schema and a description live in docs/trace.schema.json and docs/trace.md.
"""
import math

from . import __version__
from .config import Config, ConfigError

FORMAT, VERSION = "microgpt-lab-trace", 1


class TraceError(ValueError):
    """A document that is not a valid trace; the message says where."""


def header(session):
    """Everything a trace says about a session before its first step."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"microgpt_lab {__version__}",
        "config": session.config.to_dict(),
        "dataset": {"fingerprint": session.fingerprint, "num_docs": len(session.file_docs), "vocab": session.vocab},
    }


def make(header, steps, samples):
    return {**header, "steps": steps, "samples": samples}


def check(trace):
    """Raise TraceError naming the first problem; return the trace's Config.

    Checks everything the lab reads when it shows a trace, so an imported file
    either loads whole or is refused with the field and step at fault.
    """
    if not isinstance(trace, dict):
        raise TraceError(f"a trace is a JSON object, got {type(trace).__name__}")
    if trace.get("format") != FORMAT:
        raise TraceError(f"not a {FORMAT}: the format field is {trace.get('format')!r}")
    if trace.get("version") != VERSION:
        raise TraceError(f"trace version {trace.get('version')!r} is not supported (this lab reads version {VERSION})")
    try:
        config = Config.from_dict(trace.get("config"))
    except ConfigError as error:
        raise TraceError(f"config: {error}") from None
    dataset = trace.get("dataset")
    if not isinstance(dataset, dict) or not isinstance(dataset.get("vocab"), list):
        raise TraceError("dataset must be an object with fingerprint, num_docs and vocab")
    vocab = dataset["vocab"]
    if not all(isinstance(c, str) and len(c) == 1 for c in vocab) or len(set(vocab)) != len(vocab):
        raise TraceError("dataset.vocab must be a list of distinct single characters")
    steps, samples = trace.get("steps"), trace.get("samples")
    if not isinstance(steps, list) or not isinstance(samples, list):
        raise TraceError("steps and samples must be lists")
    previous = 0
    for index, event in enumerate(steps):
        step = event.get("step") if isinstance(event, dict) else None
        if not is_int(step) or not previous < step <= config.num_steps:
            raise TraceError(f"steps[{index}]: step must be an integer greater than {previous} and at most "
                             f"num_steps ({config.num_steps}), got {step!r}")
        problem = event_problem(event, len(vocab))
        if problem:
            raise TraceError(f"steps[{index}] (step {step}): {problem}")
        previous = step
    for index, record in enumerate(samples):
        if (not isinstance(record, dict) or not is_int(record.get("step")) or not is_finite(record.get("temperature"))
                or not isinstance(record.get("samples"), list) or not all(isinstance(s, str) for s in record["samples"])):
            raise TraceError(f"samples[{index}] must be an object with a step, a temperature and a list of strings")
    return config


def event_problem(event, vocab_size):
    """What is wrong with one step event, or None."""
    if not is_finite(event.get("loss")):
        return f"loss must be a finite number, got {event.get('loss')!r}"
    if "held_out_loss" in event and not is_finite(event["held_out_loss"]):
        return f"held_out_loss must be a finite number, got {event['held_out_loss']!r}"
    tokens = event.get("tokens", [])
    if not isinstance(tokens, list) or not all(is_int(t) and 0 <= t <= vocab_size for t in tokens):
        return f"tokens must be token ids from 0 to {vocab_size}"
    if not isinstance(event.get("doc", ""), str):
        return "doc must be a string"
    if not is_numbers(event.get("losses", []), 1):
        return "losses must be a list of finite numbers"
    if "attention" in event and not is_numbers(event["attention"], 4):
        return "attention must be finite numbers nested [layer][head][query][key]"
    topk = event.get("topk", [])
    if not isinstance(topk, list) or not all(isinstance(k, dict) and is_numbers(k.get("probs"), 1) for k in topk):
        return "topk must be a list of objects with probs"
    return None


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_numbers(value, depth):
    """A list nested `depth` deep whose leaves are finite numbers."""
    if not isinstance(value, list):
        return False
    if depth == 1:
        return all(map(is_finite, value))
    return all(is_numbers(item, depth - 1) for item in value)
