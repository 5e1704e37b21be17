"""What a step tells the page: stage timings, top-k predictions, parameter statistics."""
import math
from itertools import chain
from time import perf_counter

LEVELS = ("loss", "full")  # "loss": the loss curve only; "full": everything the panels draw


class Stages:
    """Wall time per stage of the model, in the order the forward pass first reaches them.

    The engines call `lap(name, kind)` when a stage ends, so the time since the
    previous lap is that stage's. The scalar engine, which runs the stages once
    per token, also hands in its node counter (count) to attribute the Value
    nodes each stage built. Both time their stages only when `detail` is asked
    for (level "full"), and otherwise call `lap_total` at the end of the
    forward and of the backward; the session laps "optimizer_ms" after the update.
    """

    def __init__(self, detail=True):
        self.detail = detail
        self.ops = {}
        self.totals = {"forward_ms": 0.0, "backward_ms": 0.0, "optimizer_ms": 0.0}
        self.count_nodes = None
        self.last_count = 0
        self.last_time = perf_counter()

    def count(self, count_nodes):
        """From now on, each lap also counts the nodes built since the last (count_nodes(): the total so far)."""
        self.count_nodes = count_nodes
        self.last_count = count_nodes()

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

    def count(self, count_nodes):
        pass

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


def param_stats(state_dict, optimizer):
    """Each matrix's gradient norm and update-to-weight ratio in the step just taken."""
    stats = {}
    for name, mat in state_dict.items():
        before, grad = optimizer.last_weights[name], optimizer.last_grads[name]
        weight_norm = math.hypot(*before)
        stats[name] = {
            "grad_norm": math.hypot(*grad),
            "update_ratio": math.dist(list(chain.from_iterable(mat)), before) / weight_norm if weight_norm else 0.0,
        }
    return stats
