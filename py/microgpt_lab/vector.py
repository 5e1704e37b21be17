"""The `vector` engine: microgpt's model on lists of floats, with a hand-written backward.

Same parameters, same arithmetic as the scalar engine, but a whole document
at a time: each stage maps a (T, n_in) list of rows to a (T, n_out) one, and
its backward maps the output gradient to the input's and the weights'.
Causal attention over all T positions gives exactly the numbers of the
original's token-by-token key/value cache. Dot products are looped in C
(`math.sumprod` where Python has it, 3.12+ and Pyodide), with no Python
bytecode per element or per product: that is where the speed comes from.
"""
import math
from itertools import repeat
from operator import add, mul

from .instrument import NoStages
from .model import StepResult, softmax

node_count = None  # no Value graph: the engine reports its ops instead

if hasattr(math, "sumprod"):  # Python 3.12+, as in Pyodide

    def dot(a, b):
        return math.sumprod(a, b)

    def dots(rows, x):
        """[row . x for row in rows]"""
        return list(map(math.sumprod, rows, repeat(x)))

    def pair_dots(A, B):
        """[a . b for a, b in zip(A, B)]"""
        return list(map(math.sumprod, A, B))

else:

    def dot(a, b):
        return sum(map(mul, a, b))

    def dots(rows, x):
        return list(map(sum, map(map, repeat(mul), rows, repeat(x))))

    def pair_dots(A, B):
        return list(map(sum, map(map, repeat(mul), A, B)))


def linear(X, W):
    """(T, n_in) @ W^T -> (T, n_out); W is (n_out, n_in) as in state_dict."""
    return [dots(W, x) for x in X]


def linear_backward(dY, X, W):
    """Gradients of the input, (T, n_in), and of the weights, flat (n_out * n_in) row-major."""
    W_cols = list(zip(*W))
    dX = [dots(W_cols, dy) for dy in dY]
    X_cols = list(zip(*X))
    dW = [d for dy_o in zip(*dY) for d in dots(X_cols, dy_o)]
    return dX, dW


def rmsnorm(X):
    """x * (mean(x^2) + 1e-5) ** -0.5 per row; also returns each row's scale."""
    inv_n = len(X[0]) ** -1
    scales = [(ms * inv_n + 1e-5) ** -0.5 for ms in pair_dots(X, X)]
    return [[xi * s for xi in x] for x, s in zip(X, scales)], scales


def rmsnorm_backward(dY, X, scales):
    """dx = s * dy - (s^3 / n) * (dy . x) * x, for s = (mean(x^2) + eps) ** -0.5."""
    inv_n = len(X[0]) ** -1
    dX = []
    for dy, x, s, dy_x in zip(dY, X, scales, pair_dots(dY, X)):
        c = s * s * s * dy_x * inv_n
        dX.append([s * d - c * xi for d, xi in zip(dy, x)])
    return dX


def add_rows(A, B):
    return [[a + b for a, b in zip(x, y)] for x, y in zip(A, B)]


def relu(X):
    return [[xi if xi > 0 else 0.0 for xi in x] for x in X]


def relu_backward(dY, X):
    return [[d if xi > 0 else 0.0 for d, xi in zip(dy, x)] for dy, x in zip(dY, X)]


def attention(Q, K, V, n_head):
    """Causal multi-head attention; returns (T, n_embd) outputs and weights[head][t] over 0..t."""
    T, head_dim = len(Q), len(Q[0]) // n_head
    scale = (head_dim**0.5) ** -1
    out = [[] for _ in range(T)]
    weights = []
    for h in range(n_head):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        K_h, V_h = [k[hs] for k in K], [v[hs] for v in V]
        weights_h = []
        for t in range(T):
            w = softmax([logit * scale for logit in dots(K_h[: t + 1], Q[t][hs])])
            weights_h.append(w)
            out[t].extend(dots(list(zip(*V_h[: t + 1])), w))
        weights.append(weights_h)
    return out, weights


def attention_backward(dOut, Q, K, V, weights, n_head):
    """Gradients of Q, K, V from the output gradient, head by head, as (T, T) products."""
    T, head_dim = len(Q), len(Q[0]) // n_head
    scale = (head_dim**0.5) ** -1
    dQ, dK, dV = [[] for _ in range(T)], [[] for _ in range(T)], [[] for _ in range(T)]
    zeros = [0.0] * T
    for h in range(n_head):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        Q_h, K_h, V_h, dO_h = [q[hs] for q in Q], [k[hs] for k in K], [v[hs] for v in V], [d[hs] for d in dOut]
        W, dL = [], []  # (T, T) weights and logit gradients, zero above the diagonal
        for t, w in enumerate(weights[h]):
            dw = dots(V_h[: t + 1], dO_h[t])
            w_dw = dot(w, dw)
            pad = zeros[t + 1 :]
            W.append(w + pad)
            dL.append([wi * (dwi - w_dw) * scale for wi, dwi in zip(w, dw)] + pad)
        K_cols, Q_cols, dO_cols = list(zip(*K_h)), list(zip(*Q_h)), list(zip(*dO_h))
        for t, (dl, dl_col, w_col) in enumerate(zip(dL, zip(*dL), zip(*W))):
            dQ[t].extend(dots(K_cols, dl))
            dK[t].extend(dots(Q_cols, dl_col))
            dV[t].extend(dots(dO_cols, w_col))
    return dQ, dK, dV


def forward(state_dict, tokens, config, stages=NoStages()):
    """Logits (T, vocab_size) for tokens[:T] and everything the backward pass needs."""
    wte, wpe = state_dict["wte"], state_dict["wpe"]
    x = [[t + p for t, p in zip(wte[token_id], wpe[pos_id])] for pos_id, token_id in enumerate(tokens)]
    stages.lap("embedding", "embedding")
    cache = {"x_embed": x}
    x, cache["scale_embed"] = rmsnorm(x)
    stages.lap("rmsnorm", "rmsnorm")
    for li in range(config.n_layer):
        layer = f"layer{li}"
        c = cache[layer] = {}
        # 1) Multi-head attention block
        c["x_attn_in"] = x
        c["xn"], c["scale_attn"] = xn, _ = rmsnorm(x)
        stages.lap(f"{layer}.attn_norm", "rmsnorm")
        c["q"] = q = linear(xn, state_dict[f"{layer}.attn_wq"])
        stages.lap(f"{layer}.attn_wq", "linear")
        c["k"] = k = linear(xn, state_dict[f"{layer}.attn_wk"])
        stages.lap(f"{layer}.attn_wk", "linear")
        c["v"] = v = linear(xn, state_dict[f"{layer}.attn_wv"])
        stages.lap(f"{layer}.attn_wv", "linear")
        c["heads"], c["weights"] = heads, _ = attention(q, k, v, config.n_head)
        stages.lap(f"{layer}.attention", "attention")
        x_out = linear(heads, state_dict[f"{layer}.attn_wo"])
        stages.lap(f"{layer}.attn_wo", "linear")
        x = add_rows(x_out, x)
        stages.lap(f"{layer}.attn_residual", "residual")
        # 2) MLP block
        c["x_mlp_in"] = x
        c["xn2"], c["scale_mlp"] = xn2, _ = rmsnorm(x)
        stages.lap(f"{layer}.mlp_norm", "rmsnorm")
        c["h"] = h = linear(xn2, state_dict[f"{layer}.mlp_fc1"])
        stages.lap(f"{layer}.mlp_fc1", "linear")
        c["r"] = r = relu(h)
        stages.lap(f"{layer}.relu", "relu")
        x_out = linear(r, state_dict[f"{layer}.mlp_fc2"])
        stages.lap(f"{layer}.mlp_fc2", "linear")
        x = add_rows(x_out, x)
        stages.lap(f"{layer}.mlp_residual", "residual")
    cache["x_final"] = x
    logits = linear(x, state_dict["lm_head"])
    stages.lap("lm_head", "linear")
    return logits, cache


def train_step(state_dict, tokens, config, stages):
    """Forward the document, then backpropagate its mean loss by hand, stage by stage."""
    n = min(config.block_size, len(tokens) - 1)
    inputs, targets = tokens[:n], tokens[1 : n + 1]
    logits, cache = forward(state_dict, inputs, config, stages)
    probs = [softmax(row) for row in logits]
    stages.lap("softmax", "softmax")
    losses = [-math.log(p[target]) for p, target in zip(probs, targets)]
    stages.lap("loss", "loss")

    # loss = (1/n) * sum(-log p[target])  =>  d loss / d logits = (probs - onehot) / n
    inv_n = 1 / n
    dlogits = [[pi * inv_n for pi in p] for p in probs]
    for row, target in zip(dlogits, targets):
        row[target] -= inv_n
    stages.lap_backward("loss")
    stages.lap_backward("softmax")
    grads = {}
    dx, grads["lm_head"] = linear_backward(dlogits, cache["x_final"], state_dict["lm_head"])
    stages.lap_backward("lm_head")
    for li in reversed(range(config.n_layer)):
        layer, c = f"layer{li}", cache[f"layer{li}"]
        # 2) MLP block, backwards; the residual passes dx through unchanged
        d_mlp = dx
        stages.lap_backward(f"{layer}.mlp_residual")
        dr, grads[f"{layer}.mlp_fc2"] = linear_backward(d_mlp, c["r"], state_dict[f"{layer}.mlp_fc2"])
        stages.lap_backward(f"{layer}.mlp_fc2")
        dh = relu_backward(dr, c["h"])
        stages.lap_backward(f"{layer}.relu")
        dxn2, grads[f"{layer}.mlp_fc1"] = linear_backward(dh, c["xn2"], state_dict[f"{layer}.mlp_fc1"])
        stages.lap_backward(f"{layer}.mlp_fc1")
        dx = add_rows(dx, rmsnorm_backward(dxn2, c["x_mlp_in"], c["scale_mlp"]))
        stages.lap_backward(f"{layer}.mlp_norm")
        # 1) Attention block, backwards
        stages.lap_backward(f"{layer}.attn_residual")
        dheads, grads[f"{layer}.attn_wo"] = linear_backward(dx, c["heads"], state_dict[f"{layer}.attn_wo"])
        stages.lap_backward(f"{layer}.attn_wo")
        dq, dk, dv = attention_backward(dheads, c["q"], c["k"], c["v"], c["weights"], config.n_head)
        stages.lap_backward(f"{layer}.attention")
        dxn_v, grads[f"{layer}.attn_wv"] = linear_backward(dv, c["xn"], state_dict[f"{layer}.attn_wv"])
        stages.lap_backward(f"{layer}.attn_wv")
        dxn_k, grads[f"{layer}.attn_wk"] = linear_backward(dk, c["xn"], state_dict[f"{layer}.attn_wk"])
        stages.lap_backward(f"{layer}.attn_wk")
        dxn_q, grads[f"{layer}.attn_wq"] = linear_backward(dq, c["xn"], state_dict[f"{layer}.attn_wq"])
        stages.lap_backward(f"{layer}.attn_wq")
        dxn = [[a + b + d for a, b, d in zip(rq, rk, rv)] for rq, rk, rv in zip(dxn_q, dxn_k, dxn_v)]
        dx = add_rows(dx, rmsnorm_backward(dxn, c["x_attn_in"], c["scale_attn"]))
        stages.lap_backward(f"{layer}.attn_norm")
    dx = rmsnorm_backward(dx, cache["x_embed"], cache["scale_embed"])
    stages.lap_backward("rmsnorm")
    grads["wte"] = embedding_backward(dx, inputs, state_dict["wte"])
    grads["wpe"] = embedding_backward(dx, range(n), state_dict["wpe"])
    stages.lap_backward("embedding")
    attention_weights = [cache[f"layer{li}"]["weights"] for li in range(config.n_layer)]
    return StepResult(losses, probs, attention_weights, grads)


def embedding_backward(dX, ids, table):
    """Scatter-add each position's gradient into the row it was looked up from (flat)."""
    n = len(table[0])
    grad = [0.0] * (len(table) * n)
    for dx, i in zip(dX, ids):
        grad[i * n : (i + 1) * n] = map(add, grad[i * n : (i + 1) * n], dx)
    return grad


class Decoder:
    """Next-token logits one token at a time; reruns the causal forward over the prefix."""

    def __init__(self, state_dict, config):
        self.state_dict = state_dict
        self.config = config
        self.tokens = []

    def __call__(self, token_id):
        self.tokens.append(token_id)
        logits, _ = forward(self.state_dict, self.tokens, self.config)
        return logits[-1]
