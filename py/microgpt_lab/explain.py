"""Session.explain: what the last step computed at one position of its document, forward and backward.

Both engines rerun the step's document with the weights the step started from
(Adam.last_weights keeps them) and the same mean loss, so the numbers are the
step's own. The scalar engine is the oracle: its Value graph is watched
(watch.py) to keep each stage's Values at the position, then backpropagated,
and each Value's .data and .grad are the stage's numbers. The vector engine
reruns its tape keeping each stage's output gradient. The training path keeps
nothing extra: only the step's document, number and learning rate (LastStep).

    {"step": 12, "position": p, "n": n, "doc": "emma", "tokens": [BOS, ...] (n + 1),
     "token": tokens[p], "target": tokens[p + 1],
     "loss": loss_t (== the step event's losses[p]), "probs": [vocab_size],
     "stages": [{"name": "layer0.attn_wq", "stage": "attn_wq", "layer": 0 (None if not per layer),
                 "forward": its output at p, "backward": d loss / d that output (loss: the step's mean)}, ...]
               in model.stage_names order; attention's forward is x_attn (the heads joined), and it adds
               "heads": [{"logits", "weights", "d_logits", "d_weights"}: over positions 0..p, per head];
               softmax: probs and d loss / d probs; loss: [loss_t] and [1 / n],
     "weights": {"wte": {"row": token, "before", "after", "grad", and with Adam its "m", "v" after the step},
                 "wpe": {"row": p, ...}},
     "update": {"optimizer": config.optimizer, "t": 0-based step, "lr": lr_t,
                and with Adam "beta1", "beta2", "eps", "bias_correction1", "bias_correction2"},
     "sampled": {"temperature": config.temperature, "probs": what Session.sample draws from after these
                 logits at that temperature}}

The stages are those of the config's model (model.describe): none of attention's without
config.attention, none of a block's with n_layer 0. With SGD a row's after is exactly
before - lr * grad.
"""
from typing import NamedTuple

from . import scalar, vector
from .model import STAGES, expand, softmax
from .optim import rows
from .tape import Tape
from .watch import Watch

# The scalar engine's variables that hold a stage's output at one position (see scalar.gpt and scalar.forward).
OUTPUTS = {stage.output for stage in STAGES}


class LastStep(NamedTuple):
    """What a session remembers of its last step, to explain it."""

    index: int  # 0-based; the event's "step" is index + 1
    doc: str
    tokens: list  # the step's tokens, [BOS, ..., target of the last position]: n + 1 of them
    lr: float  # lr_t, the learning rate the update used


def explain(session, position):
    """The contract's dict (see Session.explain) for a session whose last_step is set and a checked position."""
    config, last, optimizer = session.config, session.last_step, session.optimizer
    before = {name: rows(optimizer.last_weights[name], len(mat[0])) for name, mat in session.state_dict.items()}
    loss, probs, stages = RERUNS[config.engine](before, last.tokens, config, position)
    token, target = last.tokens[position], last.tokens[position + 1]
    return {
        "step": last.index + 1,
        "position": position,
        "n": len(last.tokens) - 1,
        "doc": last.doc,
        "tokens": list(last.tokens),
        "token": token,
        "target": target,
        "loss": loss,
        "probs": probs,
        "stages": stages,
        "weights": {"wte": weight_row(optimizer, session.state_dict, "wte", token),
                    "wpe": weight_row(optimizer, session.state_dict, "wpe", position)},
        "update": update(optimizer, last),
        "sampled": sampled(stages, config.temperature),
    }


def sampled(stages, temperature):
    """The probabilities sampling draws from at the position: Session.sample's softmax of logits * temperature**-1."""
    logits = next(stage["forward"] for stage in stages if stage["name"] == "lm_head")
    return {"temperature": temperature, "probs": softmax([l * temperature**-1 for l in logits])}


def update(optimizer, last):
    """How the step moved the weights: the optimizer, its learning rate and, for Adam, its constants."""
    return {"optimizer": optimizer.name, "t": last.index, "lr": last.lr, **optimizer.update_details(last.index)}


def weight_row(optimizer, state_dict, name, row):
    """One row of a matrix around the update: before, after, its gradient and Adam's buffers after it."""
    n_in = len(state_dict[name][0])
    cut = slice(row * n_in, (row + 1) * n_in)
    entry = {
        "row": row,
        "before": optimizer.last_weights[name][cut],
        "after": list(state_dict[name][row]),
        "grad": optimizer.last_grads[name][cut],
    }
    return entry | {key: buffer[cut] for key, buffer in optimizer.buffers(name).items()}


def stage_entry(name, stage, layer, forward, backward):
    return {"name": name, "stage": stage.name, "layer": layer, "forward": forward, "backward": backward}


class StageNames:
    """The watch's stages: only the stage that ran last, so a capture knows whose variable it read."""

    name = None

    def lap(self, name, kind):
        self.name = name


def scalar_run(state_dict, tokens, config, position):
    """(loss_t, probs, stages) at `position`, read from the Value graph's .data and .grad."""
    params = scalar.as_values(state_dict)
    ran = StageNames()
    outputs, heads = {}, {}  # stage name -> its Values at the position; layer -> head -> {"logits", "weights"}

    def output(names, value):
        if names["pos_id"] == position:
            outputs[ran.name] = value if isinstance(value, list) else [value]  # loss_t is one Value

    def head(key):
        def capture(names, value):
            if names["pos_id"] == position:
                heads.setdefault(names["li"], {}).setdefault(names["h"], {})[key] = value
        return capture

    captures = {name: output for name in OUTPUTS} | {"attn_logits": head("logits"), "attn_weights": head("weights")}
    with Watch(scalar.WATCHED, ran, captures):
        loss, _ = scalar.forward(params, config, tokens)
    loss.backward()

    data = lambda values: [v.data for v in values]
    grad = lambda values: [float(v.grad) for v in values]  # a Value the loss does not reach keeps grad 0
    stages = []
    for name, stage, layer in expand(STAGES, config):
        entry = stage_entry(name, stage, layer, data(outputs[name]), grad(outputs[name]))
        if stage.kind == "attention":
            entry["heads"] = [
                {"logits": data(h["logits"]), "weights": data(h["weights"]),
                 "d_logits": grad(h["logits"]), "d_weights": grad(h["weights"])}
                for h in heads[layer].values()
            ]
        stages.append(entry)
    return outputs["loss"][0].data, data(outputs["softmax"]), stages


def vector_run(state_dict, tokens, config, position):
    """(loss_t, probs, stages) at `position`, from the tape's records and their output gradients."""
    tape = Tape(config, keep_gradients=True)
    losses, probs, _ = vector.forward_backward(state_dict, tokens, config, tape)
    n, p_target = len(losses), probs[position][tokens[position + 1]]
    stages = []
    for record, (name, stage, layer) in zip(tape.records, expand(STAGES, config), strict=True):
        if stage.kind == "loss":
            entry = stage_entry(name, stage, layer, [losses[position]], [tape.gradients[name][position]])
        elif stage.kind == "softmax":  # no backward of its own: d loss_t / d p = -1 / p for the target, 0 elsewhere
            d_probs = [0.0] * len(probs[position])
            d_probs[tokens[position + 1]] = (1 / p_target) * -(1 / n)  # as the Value graph multiplies it
            entry = stage_entry(name, stage, layer, probs[position], d_probs)
        else:
            d_output = tape.gradients[name]
            entry = stage_entry(name, stage, layer, record.output[position], d_output[position])
            if stage.kind == "attention":
                entry["heads"] = vector_heads(record, d_output, position, config.n_head)
        stages.append(entry)
    return losses[position], probs[position], stages


def vector_heads(record, d_x_attn, position, n_head):
    """Each head's attention logits and weights over positions 0..position, and their gradients."""
    q, k, v = record.inputs
    head_dim = len(q[0]) // n_head
    scale = (head_dim**0.5) ** -1
    heads = []
    for h, weights in enumerate(record.kept["attn_weights"]):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        w = weights[position]
        d_w = vector.dots([row[hs] for row in v[: position + 1]], d_x_attn[position][hs])
        logits = vector.attention_logits([row[hs] for row in k[: position + 1]], q[position][hs], scale)
        heads.append({"logits": logits, "weights": w, "d_logits": vector.softmax_backward(w, d_w), "d_weights": d_w})
    return heads


RERUNS = {"scalar": scalar_run, "vector": vector_run}
