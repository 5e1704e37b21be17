"""The engine as the browser worker sees it: one entry point, JSON in, JSON out.

    call("step", '{"session": "s1", "level": "full"}') -> '{"step": 1, "loss": 3.3, ...}'

A request's type is the name of the function below that answers it, and its
fields are that function's keyword arguments. Sessions are kept by an id the
page chooses. Every failure comes back as {"error": "..."} naming the problem
(a bad config, dataset or trace, an unknown session, request or field),
never as an exception, so the worker forwards it to the page as data.
"""
import contextlib
import inspect
import json
import math

from . import data, lessons, model, probes, trace
from .config import Config
from .console import CappedText, Console, Kept, KeptCode, put_back
from .data import split_docs
from .session import Diverged, NoStepHere, Session, SessionError

sessions = {}
consoles = {}  # session id -> its Console (the variables typed code keeps)
requests = {}  # request type -> the function that answers it


class RequestError(ValueError):
    """A request the worker cannot read: unknown type, missing or unknown fields."""


def call(name, fields_json):
    """Answer the request `name` with the keyword fields of the JSON object `fields_json`."""
    try:
        function = requests.get(name)
        if function is None:
            raise RequestError(f"unknown request {name!r}; the engine answers {', '.join(requests)}")
        return as_json(name, function(**read_fields(function, fields_json)))
    except Diverged as error:  # and what happened, as data for the page to word
        return json.dumps({"error": str(error), "diverged": error.data})
    except NoStepHere as error:  # the page asks time travel's rebuild of the step instead
        return json.dumps({"error": str(error), "no_step": True})
    except ValueError as error:  # ConfigError, DataError, SessionError, TraceError, RequestError, bad JSON
        return json.dumps({"error": str(error)})
    except TypeError as error:  # a field of the wrong type, e.g. a number for a text
        return json.dumps({"error": f"{name}: {error}"})


def as_json(name, answer):
    """The answer as JSON, which has no NaN or infinity: one in an answer is named where it is."""
    try:
        return json.dumps(answer, allow_nan=False)
    except ValueError:
        found = not_a_number(answer)
        if found is None:
            raise
        path, value = found
        raise ValueError(f"{name}: its answer holds {value} at {path}, which is not a number; "
                         "the engine sends numbers only") from None


def not_a_number(value, path="answer"):
    """(where, value) of the first NaN or infinity in JSON-ready data, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        found = not_a_number(item, f"{path}[{key!r}]")
        if found:
            return found
    return None


def read_fields(function, fields_json):
    """The request's keyword arguments, checked against the function's parameters."""
    try:
        fields = json.loads(fields_json)
    except json.JSONDecodeError as error:
        raise RequestError(f"{function.__name__}: the fields are not JSON ({error})") from None
    if not isinstance(fields, dict):
        raise RequestError(f"{function.__name__}: the fields must be a JSON object, got {type(fields).__name__}")
    parameters = inspect.signature(function).parameters
    missing = [name for name, p in parameters.items() if p.default is p.empty and name not in fields]
    unknown = sorted(set(fields) - set(parameters))
    problems = []
    if missing:
        problems.append(f"missing field(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}")
    if problems:
        raise RequestError(f"{function.__name__}: {'; '.join(problems)} (its fields: {', '.join(parameters)})")
    return fields


def request(function):
    """Register a request under the function's own name."""
    requests[function.__name__] = function
    return function


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
        "num_held_out": len(session.held_out_docs),  # kept out of training (config.held_out)
        "fingerprint": session.fingerprint,
        "num_params": session.num_params,
        "step": session.step_count,
        "trace_header": trace.header(session),
    }


@request
def open(session, config, text):
    sessions[session] = Session.from_text(Config.from_dict(config), text)
    return summary(session, sessions[session])


@request
def restore(session, checkpoint, text):
    sessions[session] = Session.restore(checkpoint, split_docs(text))
    return summary(session, sessions[session])


@request
def step(session, level="full"):
    return get(session).step(level)


@request
def sample(session, num_samples, temperature):
    live = get(session)
    return {"step": live.step_count, "temperature": temperature, "samples": live.sample(num_samples, temperature)}


@request
def explain(session, position):
    """The last step at one position of its document, stage by stage (Session.explain)."""
    return get(session).explain(position)


@request
def bigram(session):
    """The counting bigram of the session's training documents and its losses (Session.bigram)."""
    return get(session).bigram()


@request
def count_bigram(config, text):
    """The same counting bigram for a session that is not open here, from its config and data: the documents
    it trains on are its seed's shuffle of them, less its held-out ones (a stored or imported session, one
    another tab trains, none of them loaded for it)."""
    return Session.from_text(Config.from_dict(config), text).bigram()


@request
def reset(session):
    live = get(session)
    live.reset()
    return summary(session, live)


@request
def checkpoint(session):
    return get(session).checkpoint()


@request
def close(session):
    sessions.pop(session, None)
    consoles.pop(session, None)


@request
def matrix(session, name):
    return probes.matrix(get(session), name)


@request
def embedding_map(session):
    return probes.embedding_map(get(session))


@request
def next_token(session, context):
    return probes.next_token(get(session), context)


@request
def console(session, code):
    """Run Python typed at the console, between two steps, against read-only views of the live session
    (console.py: session, state_dict, config, vocab, math); the variables persist per session."""
    shell = consoles.setdefault(session, Console())
    return unharmed(session, lambda live: shell.run(live, code))


def unharmed(session_id, learner_code):
    """learner_code(live session) -> its answer; if the code changed the session all the same (it can reach
    past the read-only views), the session is put back as it was and the answer says so. Any code a learner
    types runs this way, so it can never harm a session. Code that replaced part of the engine's code (a
    method of Session, a function of math) is undone too: it would change every session of the worker."""
    kept, code = Kept(get(session_id)), KeptCode()
    answer = learner_code(kept.live)
    undone = code.put_back()
    if undone:
        answer = put_back(answer, undone)
    if not kept.intact(sessions.get(session_id)):
        sessions[session_id] = kept.session()
        answer = put_back(answer)
    return answer


@request
def check_exercise(exercise, code):
    """A learner's exercise, checked against the engine's function (lessons.check), with what it printed
    (cut to the console's limit). The page sends it to a worker of its own (no session there to harm): its
    Stop and time limit interrupt it, or end that worker."""
    output = CappedText()
    try:  # KeptCode: the worker's own sessions answer the chapters' widgets
        with KeptCode(), contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            result = lessons.check(exercise, code)
    except KeyboardInterrupt:  # the page's Stop or time limit
        return {"ok": False, "message": "stopped before it finished", "output": output.getvalue(), "stopped": True}
    return {**result, "output": output.getvalue()}


@request
def value_graph(code):
    """A learner's few lines with microgpt's Value: the graph they built, backpropagated (lessons.value_graph)."""
    try:
        with KeptCode(), contextlib.redirect_stdout(CappedText()), contextlib.redirect_stderr(CappedText()):
            return lessons.value_graph(code)
    except KeyboardInterrupt:
        return {"ok": False, "message": "stopped before it finished", "stopped": True}


@request
def tokens(session, text):
    """A name as the session's tokenizer reads it, the positions a step scores, the uniform guess's loss."""
    return lessons.tokens(get(session), text)


@request
def surprise(probability):
    """The loss when the target was given `probability`."""
    return lessons.surprise(probability)


@request
def gradient_check(session, name, row, col, h):
    """One weight's gradient on the next step's document: backpropagated, and by nudging it h each way."""
    return lessons.gradient_check(get(session), name, row, col, h)


@request
def attention_map(session, text):
    """The attention weights of a name through the session's model, each position's probability of the next token."""
    return lessons.attention_map(get(session), text)


@request
def bigram_samples(session, num_samples, seed):
    """Names drawn from the session's counting bigram, with a generator of their own (lessons.bigram_samples)."""
    return lessons.bigram_samples(get(session), num_samples, seed)


@request
def name_probabilities(session, text, temperature):
    """Each character of a sampled name, and its end, with the probability the model gave it at that temperature."""
    return lessons.name_probabilities(get(session), text, temperature)


@request
def check_config(config):
    """Validate the form's config before anything starts (the dataset's size check comes at open)."""
    return {"config": Config.from_dict(config).to_dict()}


@request
def check_size(size):
    """A dataset file's size in bytes, judged before the page reads it (data.check_size)."""
    data.check_size(size)
    return {"size": size}


@request
def check_trace_size(size):
    """A trace file's size in bytes, judged before the page reads it (trace.check_size)."""
    trace.check_size(size)
    return {"size": size}


@request
def check_data(text):
    """A dataset's text, judged before anything trains on it: {num_docs, vocab, longest, num_bytes} for the
    page's preview, or an error naming the problem (data.describe). `open` does not judge again: a session
    saved before a limit held must still open."""
    return data.describe(text)


@request
def check_trace(text):
    """Validate an imported trace; returns its config, its model (described by this engine: the file's own
    "model", if any, is not trusted) and its size."""
    data = trace.parse(text)
    config = trace.check(data)
    return {"config": config.to_dict(), "model": model.describe(config, len(data["dataset"]["vocab"]) + 1),
            "num_steps": len(data["steps"]), "num_samples": len(data["samples"])}


@request
def describe(config, vocab):
    """The model a config builds on a vocabulary (model.describe), for a stored session saved without it."""
    config = Config.from_dict(config)
    if not isinstance(vocab, list) or not all(isinstance(c, str) for c in vocab):
        raise RequestError(f"describe: vocab must be a list of characters, got {type(vocab).__name__}")
    config.check_size(len(vocab) + 1)
    return model.describe(config, len(vocab) + 1)
