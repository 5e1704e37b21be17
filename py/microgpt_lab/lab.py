"""The engine as the browser worker sees it: JSON strings in, JSON strings out.

Sessions are kept by an id the page chooses. Bad input comes back as
{"error": "..."} naming the problem, never as an exception, so the worker
forwards it to the page as data.
"""
import contextlib
import functools
import io
import json
import math

from . import probes, trace
from .config import Config
from .data import split_docs
from .session import Session, SessionError

sessions = {}
consoles = {}  # session id -> the console's variables


def replies_json(function):
    @functools.wraps(function)
    def wrapper(*args):
        try:
            return json.dumps(function(*args), allow_nan=False)
        except ValueError as error:  # ConfigError, DataError, SessionError, TraceError, bad JSON
            return json.dumps({"error": str(error)})

    return wrapper


def get(session_id):
    try:
        return sessions[session_id]
    except KeyError:
        raise SessionError(f"no session {session_id!r} in this worker") from None


def summary(session_id, session):
    return {
        "id": session_id,
        "config": session.config.to_dict(),
        "vocab": session.vocab,
        "num_docs": len(session.file_docs),
        "fingerprint": session.fingerprint,
        "num_params": session.num_params,
        "step": session.step_count,
        "trace_header": trace.header(session),
    }


@replies_json
def open(session_id, config_json, text):
    session = Session.from_text(Config.from_dict(json.loads(config_json)), text)
    sessions[session_id] = session
    return summary(session_id, session)


@replies_json
def restore(session_id, checkpoint_json, text):
    session = Session.restore(json.loads(checkpoint_json), split_docs(text))
    sessions[session_id] = session
    return summary(session_id, session)


@replies_json
def step(session_id, level="full"):
    return get(session_id).step(level)


@replies_json
def sample(session_id, num_samples, temperature):
    session = get(session_id)
    return {"step": session.step_count, "temperature": temperature, "samples": session.sample(num_samples, temperature)}


@replies_json
def reset(session_id):
    session = get(session_id)
    session.reset()
    return summary(session_id, session)


@replies_json
def checkpoint(session_id):
    return get(session_id).checkpoint()


@replies_json
def close(session_id):
    sessions.pop(session_id, None)
    consoles.pop(session_id, None)


@replies_json
def inspect_matrix(session_id, name):
    return probes.matrix(get(session_id), name)


@replies_json
def embedding_map(session_id):
    return probes.embedding_map(get(session_id))


@replies_json
def probe(session_id, context):
    return probes.next_token(get(session_id), context)


@replies_json
def console(session_id, code):
    """Run Python against the live session (the worker calls it between steps).

    An expression's value is printed, as in the Python REPL; variables persist
    per session. Names at hand: session, state_dict, config, vocab, math.
    """
    session = get(session_id)
    namespace = consoles.setdefault(session_id, {})
    namespace.update(session=session, state_dict=session.state_dict, config=session.config, vocab=session.vocab, math=math)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                code_object = compile(code, "<console>", "eval")
            except SyntaxError:
                exec(compile(code, "<console>", "exec"), namespace)
            else:
                value = eval(code_object, namespace)
                if value is not None:
                    print(repr(value))
    except Exception as error:  # the learner's code: report it, keep the session
        return {"output": output.getvalue(), "error_in_code": f"{type(error).__name__}: {error}"}
    return {"output": output.getvalue()}


@replies_json
def check_config(config_json):
    """Validate the form's config before anything starts (the dataset's size check comes at open)."""
    return {"config": Config.from_dict(json.loads(config_json)).to_dict()}


def reject_constant(name):
    raise trace.TraceError(f"numbers must be finite; the file has {name}")


@replies_json
def check_trace(text):
    """Validate an imported trace; returns its config and size."""
    try:
        data = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as error:
        raise trace.TraceError(f"not JSON ({error}); is the file cut short?") from None
    config = trace.check(data)
    return {"config": config.to_dict(), "num_steps": len(data["steps"]), "num_samples": len(data["samples"])}
