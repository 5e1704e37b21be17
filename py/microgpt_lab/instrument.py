"""What a step tells the page: stage timings, top-k predictions, parameter statistics."""
from time import perf_counter

LEVELS = ("loss", "full")  # "loss": the loss curve only; "full": everything the panels draw


class Stages:
    """Wall time per stage of the model, in the order the forward pass first reaches them.

    The engines call `lap(name, kind)` when a stage ends, so the time since the
    previous lap is that stage's. The scalar engine, which runs the stages once
    per token, also passes a node counter to attribute the Value nodes it built.
    Both time their stages only when `detail` is asked for (level "full"), and
    otherwise call `lap_total` at the end of the forward and of the backward.
    """

    def __init__(self, count_nodes=None, detail=True):
        self.detail = detail
        self.ops = {}
        self.totals = {"forward_ms": 0.0, "backward_ms": 0.0}
        self.count_nodes = count_nodes
        self.last_time = perf_counter()
        self.last_count = count_nodes() if count_nodes else 0

    def _elapsed(self, phase):
        """(milliseconds, nodes built) since the previous lap, added to the phase's total."""
        now = perf_counter()
        ms = (now - self.last_time) * 1000
        self.last_time = now
        self.totals[phase] += ms
        if not self.count_nodes:
            return ms, None
        count = self.count_nodes()
        built = count - self.last_count
        self.last_count = count
        return ms, built

    def lap(self, name, kind):
        """The forward part of stage `name` just ended."""
        ms, built = self._elapsed("forward_ms")
        op = self.ops.get(name)
        if op is None:
            op = self.ops[name] = {"name": name, "kind": kind, "forward_ms": 0.0, "backward_ms": None, "nodes": None}
        op["forward_ms"] += ms
        if built is not None:
            op["nodes"] = (op["nodes"] or 0) + built

    def lap_backward(self, name):
        """The backward part of stage `name` just ended."""
        ms, _ = self._elapsed("backward_ms")
        op = self.ops[name]
        op["backward_ms"] = (op["backward_ms"] or 0.0) + ms

    def lap_total(self, phase):
        """Time spent in a phase as a whole (the scalar engine's one graph-wide backward)."""
        self._elapsed(phase)


class NoStages:
    """Stages for a pass nobody times (sampling, explaining)."""

    detail = False

    def lap(self, name, kind):
        pass

    def lap_backward(self, name):
        pass

    def lap_total(self, phase):
        pass


def top_k(probs, target, k):
    """The k most likely next tokens, and where the target stands among all of them."""
    order = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)
    return {
        "ids": order[:k],
        "probs": [probs[i] for i in order[:k]],
        "target": target,
        "target_prob": probs[target],
        "target_rank": order.index(target),
    }
