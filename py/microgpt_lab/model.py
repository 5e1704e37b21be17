"""The model's layout: its matrices and its stages, in microgpt's order, and how it starts.

Weights live in `state_dict`: matrix name -> list of rows of floats. Both
autograd engines read the same state_dict, so one optimizer updates either.
MATRICES and STAGES are the one description of the model, and expand() says
which of them a config's model has (n_layer may be 0; config.attention off
leaves each layer's attention out): the engines name their stages from it,
matrix_shapes reads it, and describe() hands a config's model to the page.
"""
import math
import re
from typing import NamedTuple

from .optim import OPTIMIZERS

INIT_STD = 0.08
LAYER_NAME = "layer{i}.{name}"  # a per-layer matrix or stage, e.g. layer0.attn_wq


class Matrix(NamedTuple):
    name: str
    per_layer: bool
    block: str  # input, attention, mlp, output (the stages' blocks): attention's only with config.attention
    rows: str  # a dimension: "vocab_size", "block_size", "n_embd" or "<k>*<dim>"
    cols: str
    rows_are: str | None  # "tokens", "positions": what a row stands for, when it is one thing
    help: str


MATRICES = [
    Matrix("wte", False, "input", "vocab_size", "n_embd", "tokens",
           "The token embedding: one learned row of {n_embd} numbers per token of the vocabulary."),
    Matrix("wpe", False, "input", "block_size", "n_embd", "positions",
           "The position embedding: one learned row of {n_embd} numbers per position 0 to {block_size} - 1."),
    Matrix("lm_head", False, "output", "vocab_size", "n_embd", "tokens",
           "The output layer: one row per token; its dot product with the final x is that token's score (logit)."),
    Matrix("attn_wq", True, "attention", "n_embd", "n_embd", None,
           "Layer {i}'s query weights: turn x into what this position looks for in earlier ones."),
    Matrix("attn_wk", True, "attention", "n_embd", "n_embd", None,
           "Layer {i}'s key weights: turn x into what this position offers to later ones."),
    Matrix("attn_wv", True, "attention", "n_embd", "n_embd", None,
           "Layer {i}'s value weights: turn x into what this position passes on when attended to."),
    Matrix("attn_wo", True, "attention", "n_embd", "n_embd", None,
           "Layer {i}'s output weights: mix the heads' joined outputs back into x's {n_embd} numbers."),
    Matrix("mlp_fc1", True, "mlp", "4*n_embd", "n_embd", None,
           "Layer {i}'s first MLP weights: widen x to 4 x {n_embd} hidden numbers."),
    Matrix("mlp_fc2", True, "mlp", "n_embd", "4*n_embd", None,
           "Layer {i}'s second MLP weights: narrow the hidden numbers back to {n_embd}."),
]


class Stage(NamedTuple):
    name: str
    per_layer: bool
    kind: str  # embedding, rmsnorm, linear, attention, residual, relu, softmax, loss
    block: str  # input, attention, mlp, output
    reads: tuple  # the matrices it reads (a per-layer one: the same layer's)
    size: str  # a dimension: how many numbers it gives for one position
    output: str  # the variable of scalar.gpt / forward its lines leave that output in
    formula: str  # microgpt's own lines, as scalar.py runs them
    help: str


STAGES = [
    Stage("embedding", False, "embedding", "input", ("wte", "wpe"), "n_embd", "x",
          "tok_emb = state_dict['wte'][token_id]\n"
          "pos_emb = state_dict['wpe'][pos_id]\n"
          "x = [t + p for t, p in zip(tok_emb, pos_emb)]",
          "Looks up the token's row of wte (which character) and the position's row of wpe (where it stands) "
          "and adds them: {n_embd} numbers for this token at this position."),
    Stage("rmsnorm", False, "rmsnorm", "input", (), "n_embd", "x",
          "x = rmsnorm(x)",
          "rmsnorm divides x by the square root of the mean of its squares (its root mean square), "
          "so its numbers keep a steady size whatever the weights do."),
    Stage("attn_norm", True, "rmsnorm", "attention", (), "n_embd", "x",
          "x = rmsnorm(x)",
          "rmsnorm again before attention; x as it was is kept aside as x_residual, to be added back afterwards."),
    Stage("attn_wq", True, "linear", "attention", ("attn_wq",), "n_embd", "q",
          "q = linear(x, state_dict[f'layer{li}.attn_wq'])",
          "The query: a learned mix of x (each output a weighted sum of x's numbers) saying what this position "
          "looks for in the earlier ones."),
    Stage("attn_wk", True, "linear", "attention", ("attn_wk",), "n_embd", "k",
          "k = linear(x, state_dict[f'layer{li}.attn_wk'])",
          "The key: what this position offers to the queries of later positions; it joins this layer's list of keys."),
    Stage("attn_wv", True, "linear", "attention", ("attn_wv",), "n_embd", "v",
          "v = linear(x, state_dict[f'layer{li}.attn_wv'])",
          "The value: what this position passes on to those that attend to it; it joins this layer's list of values."),
    Stage("attention", True, "attention", "attention", (), "n_embd", "x_attn",
          "keys[li].append(k)\n"
          "values[li].append(v)\n"
          "x_attn = []\n"
          "for h in range(n_head):\n"
          "    hs = h * head_dim\n"
          "    q_h = q[hs:hs+head_dim]\n"
          "    k_h = [ki[hs:hs+head_dim] for ki in keys[li]]\n"
          "    v_h = [vi[hs:hs+head_dim] for vi in values[li]]\n"
          "    attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]\n"
          "    attn_weights = softmax(attn_logits)\n"
          "    head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]\n"
          "    x_attn.extend(head_out)",
          "Each of the {n_head} heads, on its own {head_dim} of the numbers, scores its query against the key of "
          "every position so far (dot products divided by the square root of {head_dim}), turns the scores into "
          "weights that sum to 1 with softmax (exp of each score over their total), and adds up the values with "
          "those weights; the heads' outputs are joined end to end."),
    Stage("attn_wo", True, "linear", "attention", ("attn_wo",), "n_embd", "x",
          "x = linear(x_attn, state_dict[f'layer{li}.attn_wo'])",
          "Mixes the joined head outputs back into {n_embd} numbers."),
    Stage("attn_residual", True, "residual", "attention", (), "n_embd", "x",
          "x = [a + b for a, b in zip(x, x_residual)]",
          "The residual connection: adds back x_residual, the x from before attention, so attention learns a "
          "change to x and the gradient has a direct path back to the input."),
    Stage("mlp_norm", True, "rmsnorm", "mlp", (), "n_embd", "x",
          "x = rmsnorm(x)",
          "rmsnorm before the MLP (a small two-layer network applied to each position); x as it was is kept aside "
          "as x_residual."),
    Stage("mlp_fc1", True, "linear", "mlp", ("mlp_fc1",), "4*n_embd", "x",
          "x = linear(x, state_dict[f'layer{li}.mlp_fc1'])",
          "Widens x to 4 x {n_embd} hidden numbers."),
    Stage("relu", True, "relu", "mlp", (), "4*n_embd", "x",
          "x = [xi.relu() for xi in x]",
          "relu keeps each positive number and turns each negative one into 0: the bend that lets the MLP "
          "compute more than a weighted sum."),
    Stage("mlp_fc2", True, "linear", "mlp", ("mlp_fc2",), "n_embd", "x",
          "x = linear(x, state_dict[f'layer{li}.mlp_fc2'])",
          "Narrows the hidden numbers back to {n_embd}."),
    Stage("mlp_residual", True, "residual", "mlp", (), "n_embd", "x",
          "x = [a + b for a, b in zip(x, x_residual)]",
          "The residual connection: adds back x_residual, the x from before the MLP."),
    Stage("lm_head", False, "linear", "output", ("lm_head",), "vocab_size", "logits",
          "logits = linear(x, state_dict['lm_head'])",
          "The logits: one score per token of the vocabulary ({vocab_size}), higher for tokens the model expects "
          "next; they are not probabilities yet."),
    Stage("softmax", False, "softmax", "output", (), "vocab_size", "probs",
          "probs = softmax(logits)",
          "softmax turns the logits into probabilities that sum to 1: exp of each (after subtracting the largest, "
          "so exp cannot overflow) divided by their total."),
    Stage("loss", False, "loss", "output", (), "1", "loss_t",
          "loss_t = -probs[target_id].log()\n"
          "loss = (1 / n) * sum(losses)",
          "The cross-entropy loss: minus the natural log of the probability given to the true next token, in nats "
          "(0 when certain and right; guessing all {vocab_size} tokens evenly scores ln {vocab_size}); the step's "
          "loss is the mean over the document's positions."),
]


def layer_name(i, name):
    return LAYER_NAME.format(i=i, name=name)


def has(entry, config):
    """Whether a config's model has a matrix or a stage: attention's only with config.attention."""
    return entry.block != "attention" or config.attention


def expand(table, config):
    """(full name, entry, layer or None) for the entries of MATRICES or STAGES a config's model has, in
    microgpt's order: the non-layer entries before the first layer's, each of the config.n_layer layers'
    entries, then the rest (both tables list the per-layer entries as one run)."""
    entries = [entry for entry in table if has(entry, config)]
    first = next(k for k, entry in enumerate(entries) if entry.per_layer)
    end = first + sum(entry.per_layer for entry in entries)
    per_layer = [(layer_name(i, e.name), e, i) for i in range(config.n_layer) for e in entries[first:end]]
    return [(e.name, e, None) for e in entries[:first]] + per_layer + [(e.name, e, None) for e in entries[end:]]


def stage_names(config):
    """The stages in forward order, as a step event's graph.ops names them."""
    return [name for name, _, _ in expand(STAGES, config)]


def sizes(config, vocab_size):
    """The numbers the dimensions and the texts of MATRICES and STAGES refer to."""
    return {"vocab_size": vocab_size, "block_size": config.block_size, "n_embd": config.n_embd,
            "n_head": config.n_head, "head_dim": config.head_dim}


def dimension(expr, sizes):
    """ "4*n_embd" -> 4 * sizes["n_embd"]; "1" -> 1."""
    factor, _, name = expr.rpartition("*")
    return int(factor or 1) * (int(name) if name.isdigit() else sizes[name])


def matrix_shapes(config, vocab_size):
    """(name, n_out, n_in) in microgpt's order; the flat parameter list follows it."""
    values = sizes(config, vocab_size)
    return [(name, dimension(m.rows, values), dimension(m.cols, values)) for name, m, _ in expand(MATRICES, config)]


def num_params(config, vocab_size):
    return sum(n_out * n_in for _, n_out, n_in in matrix_shapes(config, vocab_size))


def fill(text, values):
    """A text with its {placeholders} filled from `values`; any other braces (microgpt's f'layer{li}...') stay."""
    return re.sub(r"\{(\w+)\}", lambda match: str(values.get(match[1], match[0])), text)


DESCRIPTION_VERSION = 2  # 2: stages say their inputs


def describe(config, vocab_size):
    """The model a config builds on a vocabulary, as the page draws it: nothing in the page derives it again.

    {"version": DESCRIPTION_VERSION (a record keeping an older description is described again),
     "num_params": int,
     "matrices": [{"name": "layer0.attn_wq" (state_dict's key), "matrix": "attn_wq", "layer": 0 (None if not
                   per layer), "block", "shape": [rows, cols], "rows_are": "tokens" | "positions" | None,
                   "help": with its sizes filled}, ...] in state_dict's order,
     "stages": [{"name": "layer0.attn_wq" (as graph.ops and explain() name it), "stage": "attn_wq", "layer",
                 "kind", "block", "reads": [state_dict keys], "shape": [numbers per position], "output": the
                 variable of scalar.py that holds them, "formula": microgpt's lines, "help": filled;
                 "inputs": the names of the stages it reads (stage_inputs); attention adds "heads": n_head},
                ...] in forward order,
     "optimizer": {"name", "label", "formula", "help", and Adam's "beta1", "beta2", "eps"}}
    """
    values = sizes(config, vocab_size)
    per_layer = {m.name for m in MATRICES if m.per_layer}
    matrices = [
        {"name": name, "matrix": m.name, "layer": layer, "block": m.block,
         "shape": [dimension(m.rows, values), dimension(m.cols, values)], "rows_are": m.rows_are,
         "help": fill(m.help, {**values, "i": layer})}
        for name, m, layer in expand(MATRICES, config)
    ]
    stages = []
    for name, stage, layer in expand(STAGES, config):
        entry = {"name": name, "stage": stage.name, "layer": layer, "kind": stage.kind, "block": stage.block,
                 "reads": [layer_name(layer, m) if m in per_layer else m for m in stage.reads],
                 "shape": [dimension(stage.size, values)], "output": stage.output, "formula": stage.formula,
                 "help": fill(stage.help, {**values, "i": layer})}
        if stage.kind == "attention":
            entry["heads"] = config.n_head
        stages.append(entry)
    for entry, inputs in zip(stages, stage_inputs(stages)):
        entry["inputs"] = inputs
    return {"version": DESCRIPTION_VERSION, "num_params": num_params(config, vocab_size),
            "matrices": matrices, "stages": stages, "optimizer": OPTIMIZERS[config.optimizer].describe()}


def stage_inputs(stages):
    """The names of the stages whose outputs each stage reads (describe's entries, in forward order), as
    scalar.gpt passes x along: a residual adds the stage before it and its block's input (what came before
    the block's rmsnorm); attention reads q, k and v, computed side by side from the block's rmsnorm; every
    other stage reads the one before it. A stage's gradient is the sum of what its readers send back."""
    place = [(entry["layer"], entry["block"]) for entry in stages]
    inputs = []
    for j, entry in enumerate(stages):
        first = j  # the block's first stage: its rmsnorm
        while first > 0 and place[first - 1] == place[j]:
            first -= 1
        attention = next((k for k in range(first, len(stages)) if place[k] == place[j]
                          and stages[k]["kind"] == "attention"), None)
        if j == 0:
            read = []
        elif entry["kind"] == "residual":
            read = [j - 1, first - 1]
        elif entry["kind"] == "attention":
            read = [k for k in range(first + 1, j) if stages[k]["kind"] == "linear"]
        elif attention is not None and first < j < attention and entry["kind"] == "linear":
            read = [first]
        else:
            read = [j - 1]
        inputs.append([stages[k]["name"] for k in read])
    return inputs


def init_state_dict(config, vocab_size, rng):
    """Every weight ~ gauss(0, 0.08), row by row, matrices in microgpt's order."""
    return {
        name: [[rng.gauss(0, INIT_STD) for _ in range(n_in)] for _ in range(n_out)]
        for name, n_out, n_in in matrix_shapes(config, vocab_size)
    }


def softmax(logits):
    """microgpt's softmax on floats: subtract the max, exp, multiply by 1/total."""
    max_val = max(logits)
    exps = [math.exp(val - max_val) for val in logits]
    inv_total = sum(exps) ** -1
    return [e * inv_total for e in exps]
