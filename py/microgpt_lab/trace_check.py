"""The one judge of an imported trace: every field the page reads, checked.

A trace that passes can be drawn by every panel: types as the engine writes
them, lengths that agree with the config and the vocabulary, integers in
range, and numbers finite and within +-DRAWABLE, so that any span or margin
a panel computes from them is finite too. Anything else raises TraceError
naming the field (steps[3].topk[2].probs[0]); nothing else is raised.
"""
from .config import LIMITS, MAX_SAMPLES
from .model import matrix_shapes, stage_names

DRAWABLE = 1e306  # |x| at most this: spans, sums of a few and 6% margins stay finite (doubles end at 1.8e308)
MAX_DOC = 100_000  # characters of one document or sample
MAX_BATCHES = 10_000  # sample records (a batch each)
FINGERPRINT = set("0123456789abcdef")


class TraceError(ValueError):
    """A document that is not a valid trace; the message says where."""


def shown(value):
    """A short description of a bad value for a message (never its whole text)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10**15 else f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"a text of {len(value):,} characters"
    if isinstance(value, list):
        return f"a list of {len(value):,} items"
    return "an object" if isinstance(value, dict) else type(value).__name__


def fail(where, expected, value):
    raise TraceError(f"{where} must be {expected}, got {shown(value)}")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def integer(value, where, low, high):
    if not is_int(value) or not low <= value <= high:
        fail(where, f"an integer from {low} to {high}", value)
    return value


def number(value, where, low=-DRAWABLE, high=DRAWABLE):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        fail(where, f"a finite number from {low:g} to {high:g}", value)
    return value


def text(value, where, longest=MAX_DOC):
    if not isinstance(value, str) or len(value) > longest:
        fail(where, f"a text of at most {longest:,} characters", value)
    return value


def items(value, where, shortest, longest):
    if not isinstance(value, list) or not shortest <= len(value) <= longest:
        size = f"exactly {shortest}" if shortest == longest else f"{shortest} to {longest:,}"
        fail(where, f"a list of {size} items", value)
    return value


def fields(value, where, required=(), optional=()):
    """An object with the `required` keys; returns the known keys present."""
    if not isinstance(value, dict):
        fail(where, "an object", value)
    missing = [key for key in required if key not in value]
    if missing:
        raise TraceError(f"{where} lacks {', '.join(missing)}")
    return [key for key in (*required, *optional) if key in value]


def dataset(data):
    """The dataset header; returns the vocabulary."""
    fields(data, "dataset", ("fingerprint", "num_docs", "vocab"))
    digest = data["fingerprint"]
    if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= FINGERPRINT:
        fail("dataset.fingerprint", "64 lowercase hex digits (sha256)", digest)
    integer(data["num_docs"], "dataset.num_docs", 1, 10**9)
    vocab = items(data["vocab"], "dataset.vocab", 1, MAX_DOC)
    if not all(isinstance(c, str) and len(c) == 1 for c in vocab) or len(set(vocab)) != len(vocab):
        raise TraceError("dataset.vocab must be a list of distinct single characters")
    return vocab


def events(steps, config, vocab_size):
    items(steps, "steps", 0, config.num_steps)
    shapes = {name: None for name, _, _ in matrix_shapes(config, vocab_size)}
    judge = EventJudge(config, vocab_size, shapes, stage_names(config))
    previous = 0
    for index, event in enumerate(steps):
        where = f"steps[{index}]"
        fields(event, where, ("step", "loss"))
        previous = integer(event["step"], f"{where}.step", previous + 1, config.num_steps)
        judge.event(event, where)


def samples(records, config):
    items(records, "samples", 0, MAX_BATCHES)
    low, high = LIMITS["temperature"]
    for index, record in enumerate(records):
        where = f"samples[{index}]"
        fields(record, where, ("step", "temperature", "samples"))
        integer(record["step"], f"{where}.step", 0, config.num_steps)
        temperature = number(record["temperature"], f"{where}.temperature", 0, high)
        if temperature <= low:
            fail(f"{where}.temperature", f"above {low:g}", temperature)
        for i, sample in enumerate(items(record["samples"], f"{where}.samples", 0, MAX_SAMPLES)):
            text(sample, f"{where}.samples[{i}]")


class EventJudge:
    """Checks one step event's optional parts against the config and vocabulary."""

    def __init__(self, config, vocab_size, matrices, stages):
        self.config, self.vocab_size, self.matrices, self.stages = config, vocab_size, matrices, stages

    def event(self, event, where):
        config, bos = self.config, self.vocab_size - 1
        number(event["loss"], f"{where}.loss", 0)
        present = fields(event, where, optional=("num_steps", "lr", "doc", "tokens", "losses", "time", "attention",
                                                 "topk", "params", "graph", "held_out_loss"))
        n = None  # positions in this step's document, once a field tells
        if "num_steps" in present:
            integer(event["num_steps"], f"{where}.num_steps", config.num_steps, config.num_steps)
        if "lr" in present:
            number(event["lr"], f"{where}.lr", 0, LIMITS["learning_rate"][1])
        if "held_out_loss" in present:
            number(event["held_out_loss"], f"{where}.held_out_loss", 0)
        if "doc" in present:
            text(event["doc"], f"{where}.doc")
        if "tokens" in present:
            tokens = items(event["tokens"], f"{where}.tokens", 2, config.block_size + 1)
            for i, token in enumerate(tokens):
                integer(token, f"{where}.tokens[{i}]", 0, bos)
            n = len(tokens) - 1
        if "losses" in present:
            n = self.positions(event["losses"], f"{where}.losses", n)
            for i, loss in enumerate(event["losses"]):
                number(loss, f"{where}.losses[{i}]", 0)
        if "time" in present:
            for key in fields(event["time"], f"{where}.time", ("forward_ms", "backward_ms", "optimizer_ms")):
                number(event["time"][key], f"{where}.time.{key}", 0)
        if "attention" in present:
            self.attention(event["attention"], f"{where}.attention", n)
        if "topk" in present:
            if n is None or "tokens" not in present:
                raise TraceError(f"{where}.topk needs the step's tokens and losses")
            for i, entry in enumerate(items(event["topk"], f"{where}.topk", n, n)):
                self.topk(entry, f"{where}.topk[{i}]", event["tokens"][i + 1])
        if "params" in present:
            self.params(event["params"], f"{where}.params")
        if "graph" in present:
            self.graph(event["graph"], f"{where}.graph")

    def positions(self, value, where, n):
        """A list with one item per position: n of them once n is known."""
        if n is None:
            return len(items(value, where, 1, self.config.block_size))
        items(value, where, n, n)
        return n

    def attention(self, layers, where, n):
        config = self.config
        with_attention = config.n_layer if config.attention else 0  # one entry per layer that has attention
        for l, heads in enumerate(items(layers, where, with_attention, with_attention)):
            for h, rows in enumerate(items(heads, f"{where}[{l}]", config.n_head, config.n_head)):
                n = self.positions(rows, f"{where}[{l}][{h}]", n)
                for q, row in enumerate(rows):
                    for k, weight in enumerate(items(row, f"{where}[{l}][{h}][{q}]", q + 1, q + 1)):
                        number(weight, f"{where}[{l}][{h}][{q}][{k}]", 0, 1)

    def topk(self, entry, where, target):
        bos = self.vocab_size - 1
        fields(entry, where, ("ids", "probs", "target", "target_prob", "target_rank"))
        ids = items(entry["ids"], f"{where}.ids", 1, self.vocab_size)
        items(entry["probs"], f"{where}.probs", len(ids), len(ids))
        for i, (token, prob) in enumerate(zip(ids, entry["probs"])):
            integer(token, f"{where}.ids[{i}]", 0, bos)
            number(prob, f"{where}.probs[{i}]", 0, 1)
        integer(entry["target"], f"{where}.target", target, target)
        number(entry["target_prob"], f"{where}.target_prob", 0, 1)
        integer(entry["target_rank"], f"{where}.target_rank", 0, bos)

    def params(self, params, where):
        fields(params, where)
        for name, entry in params.items():
            if name not in self.matrices:
                raise TraceError(f"{where} names {shown(name)}, not a matrix of this model")
            for key in fields(entry, f"{where}.{name}", ("grad_norm", "update_ratio")):
                number(entry[key], f"{where}.{name}.{key}", 0)

    def graph(self, graph, where):
        fields(graph, where, ("ops", "nodes", "edges"))
        for key in ("nodes", "edges"):
            if graph[key] is not None:
                integer(graph[key], f"{where}.{key}", 0, 2**53 - 1)
        ops = items(graph["ops"], f"{where}.ops", len(self.stages), len(self.stages))
        for i, (op, stage) in enumerate(zip(ops, self.stages)):
            at = f"{where}.ops[{i}]"
            fields(op, at, ("name", "kind", "forward_ms", "backward_ms", "nodes"))
            if op["name"] != stage:
                fail(f"{at}.name", repr(stage), op["name"])
            text(op["kind"], f"{at}.kind", 40)
            for key in ("forward_ms", "backward_ms"):
                if op[key] is not None:
                    number(op[key], f"{at}.{key}", 0)
            if op["nodes"] is not None:
                integer(op["nodes"], f"{at}.nodes", 0, 2**53 - 1)
