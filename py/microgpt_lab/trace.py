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
    """Raise TraceError naming the first problem; return the trace's Config."""
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
    steps, samples = trace.get("steps"), trace.get("samples")
    if not isinstance(steps, list) or not isinstance(samples, list):
        raise TraceError("steps and samples must be lists")
    previous = 0
    for index, event in enumerate(steps):
        step = event.get("step") if isinstance(event, dict) else None
        if not isinstance(step, int) or step <= previous:
            raise TraceError(f"steps[{index}]: step must be an integer greater than {previous}, got {step!r}")
        if not is_finite(event.get("loss")):
            raise TraceError(f"steps[{index}] (step {step}): loss must be a finite number, got {event.get('loss')!r}")
        previous = step
    for index, record in enumerate(samples):
        if not isinstance(record, dict) or not isinstance(record.get("samples"), list):
            raise TraceError(f"samples[{index}] must be an object with a list of samples")
    return config


def is_finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
