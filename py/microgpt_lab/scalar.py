"""The `scalar` engine: microgpt's own autograd, one Value node per scalar operation.

This is the teaching artifact: `Value`, `linear`, `softmax`, `rmsnorm`, `gpt`
and `forward` read line for line like the original program, with state_dict
and config passed in instead of read from globals. Nothing in them measures:
train_step watches gpt() and forward() from outside (watch.py) for the
stage times, the nodes and the attention weights.

Every loss and every gradient is the original program's to the bit, in the
same Python (tests/engine/test_original.py runs microgpt itself beside it).
The speed-ups change no number: `__slots__`; microgpt's recursive
build_topo with an explicit stack (the same order, so every gradient adds up
in the same order, and no recursion limit for deep graphs); float constants
where microgpt writes the ints 0 and 1 as gradients (1 * x == 1.0 * x and
0 + x == 0.0 + x, but Python specializes float-only arithmetic); and no cycle
collection during a step. The session hands in plain floats and gets plain
gradients back, so one optimizer serves both engines.
"""
import functools
import gc
import math
from itertools import count

from .engine import StepResult
from .watch import Watch, stage_lines

# Value nodes built so far, for the lab's per-stage counts. A C counter, not
# `Value.created += 1`: writing a class attribute for every node makes
# CPython 3.12+ (Pyodide) stop specializing attribute access on every Value.
created = count()


def node_count():
    return int(repr(created)[len("count(") : -1])  # "count(N)": reading it this way does not advance it


class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data  # scalar value of this node calculated during forward pass
        self.grad = 0.0  # derivative of the loss w.r.t. this node, calculated in backward pass
        self._children = children  # children of this node in the computation graph
        self._local_grads = local_grads  # local derivative of this node w.r.t. its children
        next(created)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, other):
        return Value(self.data**other, (self,), (other * self.data ** (other - 1),))

    def log(self):
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self):
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        """Chain rule over the graph in reverse topological order; returns (nodes, edges)."""
        # microgpt's recursive build_topo, with the recursion's own stack made explicit (so a deep
        # graph needs no recursion limit): each entry is a node and where it is in its children.
        # A node goes into topo once all its children are in, children first to last, exactly in
        # the original's order, so every gradient adds up in the same order, to the same bits.
        topo, visited = [], {self}
        stack = [(self, iter(self._children))]
        while stack:
            v, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child._children)))
                    break
            else:
                stack.pop()
                topo.append(v)
        self.grad = 1.0
        edges = 0
        for v in reversed(topo):
            edges += len(v._children)
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad
        return len(topo), edges


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]


def softmax(logits):
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt(state_dict, config, token_id, pos_id, keys, values):
    n_layer, n_head, head_dim = config.n_layer, config.n_head, config.head_dim
    tok_emb = state_dict['wte'][token_id] # token embedding
    pos_emb = state_dict['wpe'][pos_id] # position embedding
    x = [t + p for t, p in zip(tok_emb, pos_emb)] # joint token and position embedding
    x = rmsnorm(x)

    for li in range(n_layer):
        if config.attention:
            # 1) Multi-head attention block
            x_residual = x
            x = rmsnorm(x)
            q = linear(x, state_dict[f'layer{li}.attn_wq'])
            k = linear(x, state_dict[f'layer{li}.attn_wk'])
            v = linear(x, state_dict[f'layer{li}.attn_wv'])
            keys[li].append(k)
            values[li].append(v)
            x_attn = []
            for h in range(n_head):
                hs = h * head_dim
                q_h = q[hs:hs+head_dim]
                k_h = [ki[hs:hs+head_dim] for ki in keys[li]]
                v_h = [vi[hs:hs+head_dim] for vi in values[li]]
                attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]
                attn_weights = softmax(attn_logits)
                head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]
                x_attn.extend(head_out)
            x = linear(x_attn, state_dict[f'layer{li}.attn_wo'])
            x = [a + b for a, b in zip(x, x_residual)]
        # 2) MLP block
        x_residual = x
        x = rmsnorm(x)
        x = linear(x, state_dict[f'layer{li}.mlp_fc1'])
        x = [xi.relu() for xi in x]
        x = linear(x, state_dict[f'layer{li}.mlp_fc2'])
        x = [a + b for a, b in zip(x, x_residual)]

    logits = linear(x, state_dict['lm_head'])
    return logits


def forward(state_dict, config, tokens):
    # Forward the token sequence through the model, building up the computation graph all the way to the loss.
    n = min(config.block_size, len(tokens) - 1)
    keys, values = [[] for _ in range(config.n_layer)], [[] for _ in range(config.n_layer)]
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        logits = gpt(state_dict, config, token_id, pos_id, keys, values)
        probs = softmax(logits)
        loss_t = -probs[target_id].log()
        losses.append(loss_t)
    loss = (1 / n) * sum(losses) # final average loss over the document sequence. May yours be low.
    return loss, losses


def without_collector(function):
    """Runs `function` with the cycle collector paused. A step's Value graph has no cycles, so
    reference counting frees it; the collector would only walk its ~100,000 nodes over and
    over as they are made (a step takes 1.5x as long natively, 1.08x in Pyodide)."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        collecting = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()

    return paused


def as_values(state_dict):
    return {name: [[Value(w) for w in row] for row in mat] for name, mat in state_dict.items()}


# The functions train_step watches. Their source is read now, at import: in the
# browser the engine boots from a memory snapshot taken after this import, and
# there the package's .py files are gone.
WATCHED = (gpt, forward)
stage_lines(WATCHED)


@without_collector
def train_step(state_dict, tokens, config, stages):
    """Forward the document through the Value graph, backpropagate its mean loss.

    When `stages.detail` is asked for, each stage's time and nodes go to
    `stages`, and the attention weights and probabilities are read as forward() runs.
    """
    stages.count(node_count)
    params = as_values(state_dict)
    stages.lap_total("forward_ms")
    attention = [[[] for _ in range(config.n_head)] for _ in range(config.n_layer if config.attention else 0)]  # [layer][head][query]
    probs_rows = []
    if stages.detail:
        captures = {
            "attn_weights": lambda names, weights: attention[names["li"]][names["h"]].append([w.data for w in weights]),
            "probs": lambda names, probs: probs_rows.append([p.data for p in probs]),
        }
        with Watch(WATCHED, stages, captures):
            loss, losses = forward(params, config, tokens)
    else:
        loss, losses = forward(params, config, tokens)
    stages.lap_total("forward_ms")
    nodes, edges = loss.backward()
    grads = {name: [p.grad for row in mat for p in row] for name, mat in params.items()}
    stages.lap_total("backward_ms")
    return StepResult(loss.data, [l.data for l in losses], probs_rows, attention, grads, nodes, edges)


@without_collector
def evaluate(state_dict, documents, config):
    """Every position's loss over the documents (token lists), forward only: no backward, nothing learned."""
    params = as_values(state_dict)
    return [loss.data for tokens in documents for loss in forward(params, config, tokens)[1]]


class Decoder:
    """Next-token logits one token at a time, with microgpt's growing key/value cache."""

    def __init__(self, state_dict, config):
        self.params = as_values(state_dict)
        self.config = config
        self.keys = [[] for _ in range(config.n_layer)]
        self.values = [[] for _ in range(config.n_layer)]
        self.pos_id = 0

    def __call__(self, token_id):
        logits = gpt(self.params, self.config, token_id, self.pos_id, self.keys, self.values)
        self.pos_id += 1
        return [l.data for l in logits]
