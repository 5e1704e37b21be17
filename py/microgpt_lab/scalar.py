"""The `scalar` engine: microgpt's own autograd, one Value node per scalar operation.

This is the teaching artifact: `Value`, `linear`, `softmax`, `rmsnorm` and
`gpt` read line for line like the original program. Two safe speed-ups keep
the graph identical: `__slots__`, and an iterative topological sort (deep
graphs no longer hit the recursion limit). The session hands in plain floats
and gets plain gradients back, so one Adam serves both engines.
"""
import math

from .instrument import NoStages
from .model import StepResult


class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads")
    created = 0  # nodes built so far: the lab shows how many each stage builds

    def __init__(self, data, children=(), local_grads=()):
        self.data = data  # scalar value of this node calculated during forward pass
        self.grad = 0  # derivative of the loss w.r.t. this node, calculated in backward pass
        self._children = children  # children of this node in the computation graph
        self._local_grads = local_grads  # local derivative of this node w.r.t. its children
        Value.created += 1

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

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
        topo, visited, stack = [], set(), [(self, False)]
        while stack:  # depth-first post-order, iteratively
            v, children_done = stack.pop()
            if children_done:
                topo.append(v)
            elif v not in visited:
                visited.add(v)
                stack.append((v, True))
                stack.extend((child, False) for child in v._children)
        self.grad = 1
        edges = 0
        for v in reversed(topo):
            edges += len(v._children)
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad
        return len(topo), edges


def node_count():
    return Value.created


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


def gpt(state_dict, config, token_id, pos_id, keys, values, stages=NoStages(), attention=None):
    """Logits for the next token; appends this position's k, v to the cache.

    `stages` times each stage; `attention[li][h]` collects each head's weights.
    """
    n_head, head_dim = config.n_head, config.head_dim
    tok_emb = state_dict["wte"][token_id]  # token embedding
    pos_emb = state_dict["wpe"][pos_id]  # position embedding
    x = [t + p for t, p in zip(tok_emb, pos_emb)]  # joint token and position embedding
    stages.lap("embedding", "embedding")
    x = rmsnorm(x)
    stages.lap("rmsnorm", "rmsnorm")

    for li in range(config.n_layer):
        layer = f"layer{li}"
        # 1) Multi-head attention block
        x_residual = x
        x = rmsnorm(x)
        stages.lap(f"{layer}.attn_norm", "rmsnorm")
        q = linear(x, state_dict[f"{layer}.attn_wq"])
        stages.lap(f"{layer}.attn_wq", "linear")
        k = linear(x, state_dict[f"{layer}.attn_wk"])
        stages.lap(f"{layer}.attn_wk", "linear")
        v = linear(x, state_dict[f"{layer}.attn_wv"])
        stages.lap(f"{layer}.attn_wv", "linear")
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(n_head):
            hs = h * head_dim
            q_h = q[hs : hs + head_dim]
            k_h = [ki[hs : hs + head_dim] for ki in keys[li]]
            v_h = [vi[hs : hs + head_dim] for vi in values[li]]
            attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]
            attn_weights = softmax(attn_logits)
            head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]
            x_attn.extend(head_out)
            if attention is not None:
                attention[li][h].append([w.data for w in attn_weights])
        stages.lap(f"{layer}.attention", "attention")
        x = linear(x_attn, state_dict[f"{layer}.attn_wo"])
        stages.lap(f"{layer}.attn_wo", "linear")
        x = [a + b for a, b in zip(x, x_residual)]
        stages.lap(f"{layer}.attn_residual", "residual")
        # 2) MLP block
        x_residual = x
        x = rmsnorm(x)
        stages.lap(f"{layer}.mlp_norm", "rmsnorm")
        x = linear(x, state_dict[f"{layer}.mlp_fc1"])
        stages.lap(f"{layer}.mlp_fc1", "linear")
        x = [xi.relu() for xi in x]
        stages.lap(f"{layer}.relu", "relu")
        x = linear(x, state_dict[f"{layer}.mlp_fc2"])
        stages.lap(f"{layer}.mlp_fc2", "linear")
        x = [a + b for a, b in zip(x, x_residual)]
        stages.lap(f"{layer}.mlp_residual", "residual")

    logits = linear(x, state_dict["lm_head"])
    stages.lap("lm_head", "linear")
    return logits


def as_values(state_dict):
    return {name: [[Value(w) for w in row] for row in mat] for name, mat in state_dict.items()}


def train_step(state_dict, tokens, config, stages):
    """Forward the document through the Value graph, backpropagate its mean loss."""
    params = as_values(state_dict)
    stages.lap_total("forward_ms")
    n = min(config.block_size, len(tokens) - 1)
    keys, values = [[] for _ in range(config.n_layer)], [[] for _ in range(config.n_layer)]
    attention = [[[] for _ in range(config.n_head)] for _ in range(config.n_layer)]
    losses, probs_rows = [], []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        logits = gpt(params, config, token_id, pos_id, keys, values, stages, attention)
        probs = softmax(logits)
        stages.lap("softmax", "softmax")
        loss_t = -probs[target_id].log()
        losses.append(loss_t)
        probs_rows.append([p.data for p in probs])
        stages.lap("loss", "loss")
    loss = (1 / n) * sum(losses)  # final average loss over the document sequence
    stages.lap("loss", "loss")
    nodes, edges = loss.backward()
    grads = {name: [p.grad for row in mat for p in row] for name, mat in params.items()}
    stages.lap_total("backward_ms")
    return StepResult([l.data for l in losses], probs_rows, attention, grads, nodes, edges)


class Decoder:
    """Next-token logits one token at a time, with microgpt's growing key/value cache."""

    def __init__(self, state_dict, config):
        self.params = as_values(state_dict)
        self.config = config
        self.keys = [[] for _ in range(config.n_layer)]
        self.values = [[] for _ in range(config.n_layer)]

    def __call__(self, token_id):
        pos_id = len(self.keys[0])
        logits = gpt(self.params, self.config, token_id, pos_id, self.keys, self.values)
        return [l.data for l in logits]
