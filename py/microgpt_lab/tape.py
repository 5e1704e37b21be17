"""The vector engine's tape: the forward pass recorded stage by stage, then walked backwards.

micrograd gives every Value a `_backward` closure and walks the graph in
reverse; the vector engine gives every stage one. As the forward pass runs,
each stage records its output, the values it read and a closure from its
output's gradient to theirs (and to its weights'). backward() walks the
records in reverse. Stages are named by their place in model.STAGES, the one
list of stages (those the config's model has: model.expand), and timed as
they are recorded and walked.
"""
from functools import cache, reduce
from typing import Callable, NamedTuple

from .instrument import NoStages
from .model import STAGES, expand, layer_name


def add_rows(A, B):
    return [[a + b for a, b in zip(x, y)] for x, y in zip(A, B)]


class Record(NamedTuple):
    name: str  # the stage, e.g. "layer0.attn_wq"
    weights: list  # the matrices it reads, e.g. ["layer0.attn_wq"]
    inputs: tuple  # the values it read, each a list of rows
    output: list
    backward: Callable  # d output -> (d input for each input..., d weight for each weight...)
    kept: dict  # what else it computed that the lab shows, e.g. attn_weights


@cache
def plan(config):
    """(name, Stage, the matrices it reads by name) for every stage of the config's model, in forward order."""
    return tuple((name, stage, [layer_name(layer, matrix) if stage.per_layer else matrix for matrix in stage.reads])
                 for name, stage, layer in expand(STAGES, config))


class Tape:
    def __init__(self, config, stages=NoStages(), keep_gradients=False):
        self.plan = iter(plan(config))
        self.stages = stages
        self.timed = stages.detail  # each stage's time; otherwise the forward's and the backward's only
        self.records = []
        # stage name -> d loss / d its output, kept by backward() when asked (explain.py asks; training does not)
        self.gradients = {} if keep_gradients else None

    def record(self, output, inputs, backward, **kept):
        """The next stage computed `output` from `inputs`; returns the output."""
        name, stage, weights = next(self.plan, (None, None, None))
        if stage is None:
            raise LookupError("the forward pass ran more stages than model.STAGES lists")
        if self.timed:
            self.stages.lap(name, stage.kind)
        self.records.append(Record(name, weights, inputs, output, backward, kept))
        return output

    def kept(self, key):
        return [record.kept[key] for record in self.records if key in record.kept]

    def backward(self, output, d_output):
        """The weights' gradients (name -> flat, row-major) from d loss / d output, stage by stage in reverse.

        A value read by several stages gets the sum of their gradients, added in the order the
        stages read it (so the sums round as the hand-written backward's did).
        """
        if not self.timed:
            self.stages.lap_total("forward_ms")
        pending = {id(output): [d_output]}  # value -> its readers' gradients, last reader first
        grads = {}
        for record in reversed(self.records):
            d_outputs = pending.pop(id(record.output), None)
            if d_outputs:  # softmax's probabilities get none: the loss's gradient goes past them
                d_output = reduce(add_rows, reversed(d_outputs))
                if self.gradients is not None:
                    self.gradients[record.name] = d_output
                d = record.backward(d_output)
                for value, d_value in zip(record.inputs, d):
                    pending.setdefault(id(value), []).append(d_value)
                grads.update(zip(record.weights, d[len(record.inputs) :]))
            if self.timed:
                self.stages.lap_backward(record.name)
        if not self.timed:
            self.stages.lap_total("backward_ms")
        return grads
