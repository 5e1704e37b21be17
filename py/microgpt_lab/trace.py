"""The trace format: a session's history as one versioned JSON document.

    {"format": "microgpt-lab-trace", "version": 1, "generator": "microgpt_lab 0.1.0",
     "config": {...Config fields...},
     "dataset": {"fingerprint": sha256 hex, "num_docs": int, "vocab": [chars]},
     "model": {...model.describe(config, vocab_size)},
     "steps": [step events, in order],
     "samples": [{"step": int, "temperature": float, "samples": [str]}]}

The command line writes it, the browser exports and imports it; the JSON
Schema and a description live in docs/trace.schema.json and docs/trace.md.
"""
import json
import re

from . import __version__, trace_check
from .config import Config, ConfigError
from .data import over_limit
from .model import describe
from .trace_check import TraceError

FORMAT, VERSION = "microgpt-lab-trace", 1
MAX_BYTES = 100 * 1024 * 1024  # a trace's text in UTF-8 (a file's size); a 1,000-step trace with full detail is about 20 MB
MAX_DEPTH = 12  # a trace nests 7 deep (steps[i].attention[l][h][q][k]); JSON parsers recurse per level
NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))  # UTF-8 never uses these bytes inside a character
INNERMOST = re.compile(rb"\[\]|\{\}")


def check_size(num_bytes, what="the file"):
    """Refuse a trace of more than MAX_BYTES (a file's size, before the page reads it)."""
    if num_bytes > MAX_BYTES:
        raise TraceError(f"{what} is {over_limit(num_bytes, MAX_BYTES)}")


def header(session):
    """Everything a trace says about a session before its first step; "model" is the engine's description of
    the config's model (model.describe), which an importing lab recomputes rather than reads."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"microgpt_lab {__version__}",
        "config": session.config.to_dict(),
        "dataset": {"fingerprint": session.fingerprint, "num_docs": len(session.file_docs), "vocab": session.vocab},
        "model": describe(session.config, session.tokenizer.vocab_size),
    }


def make(header, steps, samples):
    return {**header, "steps": steps, "samples": samples}


def parse(text):
    """The trace's JSON value, or TraceError: nesting is bounded before any
    parser recurses (200,000 '[' would overflow Python's stack, and in
    Pyodide the WebAssembly stack, which leaves the interpreter broken)."""
    if not isinstance(text, str):
        raise TraceError(f"a trace is JSON text, got {type(text).__name__}")
    check_size(len(text.encode("utf-8", "surrogatepass")), "the trace")
    brackets = brackets_outside_strings(text)
    for _ in range(MAX_DEPTH):
        brackets = INNERMOST.sub(b"", brackets)
    if len(brackets) > MAX_DEPTH:  # what a cut-short or mismatched file leaves is shorter: json names it
        raise TraceError(f"not a trace: its brackets nest more than {MAX_DEPTH} deep")
    try:
        return json.loads(text, parse_constant=reject_constant)
    except ValueError as error:  # JSONDecodeError, or an integer of over 4,300 digits
        raise TraceError(f"not JSON ({error}); is the file cut short?") from None


def brackets_outside_strings(text):
    """The text's [ ] { } in order, those inside strings left out (fast: bytes
    operations only, 7 ms a megabyte natively)."""
    raw = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(raw.translate(None, NOT_STRUCTURE).split(b'"')[::2])


def reject_constant(name):
    raise TraceError(f"numbers must be finite; the file has {name}")


def check(trace):
    """Raise TraceError naming the first problem; return the trace's Config.

    Checks everything the lab reads when it shows a trace (trace_check.py),
    so an imported file either loads whole and draws or is refused with the
    field at fault.
    """
    if not isinstance(trace, dict):
        raise TraceError(f"a trace is a JSON object, got {trace_check.shown(trace)}")
    if trace.get("format") != FORMAT:
        raise TraceError(f"not a {FORMAT}: the format field is {trace_check.shown(trace.get('format'))}")
    if trace.get("version") != VERSION:
        raise TraceError(f"trace version {trace_check.shown(trace.get('version'))} is not supported "
                         f"(this lab reads version {VERSION})")
    try:
        config = Config.from_dict(trace.get("config"))
        vocab = trace_check.dataset(trace.get("dataset"))
        config.check_size(len(vocab) + 1)
    except ConfigError as error:
        raise TraceError(f"config: {error}") from None
    if "generator" in trace:
        trace_check.text(trace["generator"], "generator", 100)
    trace_check.fields(trace, "the trace", ("steps", "samples"))
    trace_check.events(trace["steps"], config, len(vocab) + 1)
    trace_check.samples(trace["samples"], config)
    return config
