"""Hostile variations of a valid trace, field by field, for the trace check's
fuzz tests (tests/engine/test_trace_fuzz.py natively, tests/browser/
test_hostile_traces.py imports a sample of the accepted ones).

    for where, how, text in mutations(valid_trace(), random.Random(1), 3000): ...

Each mutation changes one place of the trace: its value swapped for another
type, a huge, tiny or one-ulp-apart number, a number written as a string, a
list emptied or lengthened, a key removed. `text` is the JSON to import.
"""
import copy
import json

from microgpt_lab import trace
from microgpt_lab.config import Config
from microgpt_lab.session import Session

REPLACEMENTS = [
    None, True, False, 0, -1, 1, 2, 1.5, -0.0, 5e-324, 1e-310, 1e300, -1e300, 1.0000000000000002e300,
    2**53, 2**53 + 1, 10**400, "", "x", "NaN", "Infinity", "1e999", "0x10", "\ufeff", "a" * 5000,
    [], [0], [[]], [[[[[]]]]], {}, {"__proto__": {"polluted": 1}}, {"x": None},
]


def valid_trace():
    """A small trace as the command line writes it: full and loss-only steps, samples."""
    session = Session.from_text(Config(n_embd=8, n_head=2, n_layer=2, block_size=6, num_steps=20),
                                "emma\nolivia\nava\nmia\nzoe\n")
    events = [session.step(level="full" if i % 2 == 0 else "loss") for i in range(5)]
    samples = [{"step": 5, "temperature": 0.5, "samples": session.sample(3, 0.5)}]
    return trace.make(trace.header(session), events, samples)


def places(value, path=()):
    """Every path to a value inside `value` (dict keys and list indices)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*path, index))


def changes(value, rng):
    """(how, new value or REMOVE) for one place holding `value`."""
    options = [(f"replaced by {shown(new)}", new) for new in REPLACEMENTS]
    options.append(("removed", REMOVE))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for factor in (-1, 10, 1e10, 1e300, 1 + 2**-52):
            options.append((f"times {factor!r}", value * factor))
        options.append(("as a string", str(value)))
    if isinstance(value, list):
        options.append(("emptied", []))
        if value:
            options.append(("lengthened by one", [*value, copy.deepcopy(value[-1])]))
            options.append(("lengthened 1000 times", value * 1000))
            options.append(("its first item dropped", value[1:]))
    if isinstance(value, str):
        options.append(("doubled", value * 2))
    return [rng.choice(options) for _ in range(3)]


REMOVE = object()


def shown(value):
    text = repr(value)
    return text if len(text) < 30 else f"{text[:27]}..."


def mutations(base, rng, count):
    """`count` (where, how, JSON text) mutations of the trace `base`, spread over all its places."""
    fields = {}  # steps.*.attention.*.*.*.* -> its paths: each field is as likely as any other
    for path in places(base):
        # The header's model is the writer's description of its config: the lab never reads a file's own (it
        # describes the config again), so within it only the whole is changed or removed.
        if path and (path[0] != "model" or len(path) == 1):
            fields.setdefault(".".join("*" if isinstance(key, int) else key for key in path), []).append(path)
    fields = list(fields.values())
    for _ in range(count):
        path = rng.choice(rng.choice(fields))
        how, new = rng.choice(changes(lookup(base, path), rng))
        data = copy.deepcopy(base)
        parent = lookup(data, path[:-1])
        if new is REMOVE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = new
        yield ".".join(map(str, path)), how, json.dumps(data)


def lookup(value, path):
    for key in path:
        value = value[key]
    return value
