"""The `vector` engine: microgpt's model on lists of floats, a whole document at a time.

gpt() reads like microgpt's, line for line, but each stage maps a (T, n_in)
list of rows to a (T, n_out) one for all T positions at once: causal
attention over the document gives exactly the numbers of the original's
token-by-token key/value cache. Each stage function computes its forward and
records on the tape (tape.py) the closure of its hand-written backward; the
backward pass walks the tape in reverse. Dot products are looped in C
(`math.sumprod` where Python has it, 3.12+ and Pyodide), with no Python
bytecode per element or per product: that is where the speed comes from.
Around relu, where most numbers are 0 once the model has trained a little,
they leave the zero terms out (sparse_dots), which changes no bit.
"""
import math
from itertools import chain, compress, repeat
from operator import add, itemgetter, mul

from .engine import StepResult
from .model import softmax as softmax_row
from .tape import Tape, add_rows

if hasattr(math, "sumprod"):  # Python 3.12+, as in Pyodide

    def dot(a, b):
        return math.sumprod(a, b)

    def dots(rows, x):
        """[row . x for row in rows] (rows: any iterable of sequences)"""
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


def sparse_dots(rows, x):
    """dots(rows, x), leaving out the terms where x is 0: the same numbers, to the bit, in less time
    when relu has zeroed most of x (or of its gradient), as it does more and more as the model trains.

    A term 0 * w (w finite) is an exact zero, and adding an exact zero changes neither sumprod's
    extended-precision total nor a plain float sum; both return +0.0 for an all-zero sum, and
    for a single term its product (+ 0.0, as they turn -0.0 into 0.0). (A w that is inf or nan,
    where 0 * w is nan, makes the loss nan too: the session stops that step as diverged.)
    """
    n, zeros = len(x), x.count(0.0)
    if zeros * 4 < n:  # picking the terms out costs more than a few zeros save
        return dots(rows, x)
    if zeros == n:
        return [0.0] * len(rows)
    nonzero = list(compress(range(n), x))
    if len(nonzero) == 1:
        j = nonzero[0]
        xj = x[j]
        return [row[j] * xj + 0.0 for row in rows]
    pick = itemgetter(*nonzero)
    return dots(map(pick, rows), pick(x))


def gpt(state_dict, config, tokens, tape):
    """Logits (T, vocab_size) for every position of `tokens`, stage by stage onto the tape."""
    x = embedding(state_dict, tokens, tape)  # joint token and position embedding, (T, n_embd)
    x = rmsnorm(x, tape)

    for li in range(config.n_layer):
        if config.attention:
            # 1) Multi-head attention block
            x_residual = x
            x = rmsnorm(x, tape)
            q = linear(x, state_dict[f'layer{li}.attn_wq'], tape)
            k = linear(x, state_dict[f'layer{li}.attn_wk'], tape)
            v = linear(x, state_dict[f'layer{li}.attn_wv'], tape)
            x_attn = attention(q, k, v, config.n_head, tape)
            x = linear(x_attn, state_dict[f'layer{li}.attn_wo'], tape)
            x = residual(x, x_residual, tape)
        # 2) MLP block
        x_residual = x
        x = rmsnorm(x, tape)
        x = linear(x, state_dict[f'layer{li}.mlp_fc1'], tape)  # (T, 4 * n_embd)
        x = relu(x, tape)
        x = linear(x, state_dict[f'layer{li}.mlp_fc2'], tape, after_relu=True)
        x = residual(x, x_residual, tape)

    logits = linear(x, state_dict['lm_head'], tape)
    return logits


def train_step(state_dict, tokens, config, stages):
    """Forward the document, then backpropagate its mean loss through the tape."""
    tape = Tape(config, stages)
    losses, probs, grads = forward_backward(state_dict, tokens, config, tape)
    loss = (1 / len(losses)) * sum(losses)
    return StepResult(loss, losses, probs, tape.kept("attn_weights"), grads)


def forward_backward(state_dict, tokens, config, tape):
    """(losses, probs, weight gradients) of the document, every stage recorded on `tape`."""
    losses, probs = forward(state_dict, tokens, config, tape)
    n = len(losses)
    grads = tape.backward(losses, [1 / n] * n)  # loss = (1/n) * sum(losses)
    return losses, probs, grads


def forward(state_dict, tokens, config, tape):
    """(losses, probs) of the document: its first block_size positions, each predicting the next token."""
    n = min(config.block_size, len(tokens) - 1)
    inputs, targets = tokens[:n], tokens[1 : n + 1]
    logits = gpt(state_dict, config, inputs, tape)
    probs = softmax(logits, tape)
    return cross_entropy(logits, probs, targets, tape), probs


def evaluate(state_dict, documents, config):
    """Every position's loss over the documents (token lists), forward only: nothing is learned."""
    return [loss for tokens in documents for loss in forward(state_dict, tokens, config, Tape(config))[0]]


# The stages: each computes its output, records how to go back, and returns the output.


def embedding(state_dict, tokens, tape):
    wte, wpe = state_dict['wte'], state_dict['wpe']
    x = [[t + p for t, p in zip(wte[token_id], wpe[pos_id])] for pos_id, token_id in enumerate(tokens)]
    backward = lambda dx: (embedding_backward(dx, tokens, wte), embedding_backward(dx, range(len(tokens)), wpe))
    return tape.record(x, (), backward)


def rmsnorm(x, tape):
    y, scales = rmsnorm_forward(x)
    return tape.record(y, (x,), lambda dy: (rmsnorm_backward(dy, x, scales),))


def linear(x, w, tape, after_relu=False):
    """(T, n_in) @ w^T -> (T, n_out); w is (n_out, n_in) as in state_dict, and has no bias.

    after_relu: x is relu's output, whose backward keeps d x only where x > 0, so the others are
    left 0 here (unless the tape keeps every stage's gradient, as explain's does).
    """
    live = after_relu and tape.gradients is None
    dots_x = sparse_dots if after_relu else dots  # relu leaves most of x 0; other inputs have none
    return tape.record([dots_x(w, row) for row in x], (x,), lambda dy: linear_backward(dy, x, w, live))


def attention(q, k, v, n_head, tape):
    x_attn, attn_weights = attention_forward(q, k, v, n_head)
    backward = lambda dx_attn: attention_backward(dx_attn, q, k, v, attn_weights, n_head)
    return tape.record(x_attn, (q, k, v), backward, attn_weights=attn_weights)


def residual(x, x_residual, tape):
    return tape.record(add_rows(x, x_residual), (x, x_residual), lambda dx: (dx, dx))


def relu(x, tape):
    return tape.record([[xi if xi > 0 else 0.0 for xi in row] for row in x], (x,), lambda dy: (relu_backward(dy, x),))


def softmax(logits, tape):
    """Probabilities; no backward of its own: the loss's gradient goes to the logits directly."""
    return tape.record([softmax_row(row) for row in logits], (logits,), None)


def cross_entropy(logits, probs, targets, tape):
    """-log p(target) per position. Through softmax, d loss_t / d logits = (probs - onehot(target)) * d loss_t."""

    def backward(d_losses):
        dlogits = [[pi * d for pi in p] for p, d in zip(probs, d_losses)]
        for row, target, d in zip(dlogits, targets, d_losses):
            row[target] -= d
        return (dlogits,)

    return tape.record([-math.log(p[target]) for p, target in zip(probs, targets)], (logits,), backward)


# The arithmetic of the stages, forward and backward, on lists of rows.


def rmsnorm_forward(X):
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


def linear_backward(dY, X, W, live_only=False):
    """Gradients of the input, (T, n_in), and of the weights, flat (n_out * n_in) row-major.
    live_only: d X only where X is not 0, 0 elsewhere."""
    zeros_X, zeros_dY = zero_share(X), zero_share(dY)
    dots_dy = sparse_dots if zeros_dY else dots
    W_cols = list(zip(*W))
    if live_only:
        dX = [scatter(dots_dy(pick_rows(W_cols, x), dy), x) for dy, x in zip(dY, X)]
    else:
        dX = [dots_dy(W_cols, dy) for dy in dY]
    X_cols, dY_cols = list(zip(*X)), list(zip(*dY))
    # dW[o][i] = dY_cols[o] . X_cols[i]. Row by row, an output whose gradient is 0 at every position
    # (after relu: mlp_fc1) costs nothing; column by column, an input that is always 0 (mlp_fc2's) does.
    if zeros_X > zeros_dY:
        dW_cols = map(sparse_dots, repeat(dY_cols), X_cols)
        return dX, list(chain.from_iterable(zip(*dW_cols)))
    return dX, list(chain.from_iterable(map(dots_dy, repeat(X_cols), dY_cols)))


def pick_rows(rows, x):
    """The rows where x is not 0, in order."""
    return list(compress(rows, x))


def scatter(values, x):
    """A row as long as x: the values in order where x is not 0, 0 elsewhere."""
    row = [0.0] * len(x)
    for i, value in zip(compress(range(len(x)), x), values):
        row[i] = value
    return row


def zero_share(X):
    """The share of X's numbers that are 0."""
    return sum(row.count(0.0) for row in X) / (len(X) * len(X[0]))


def relu_backward(dY, X):
    return [[d if xi > 0 else 0.0 for d, xi in zip(dy, x)] for dy, x in zip(dY, X)]


def attention_forward(Q, K, V, n_head):
    """Causal multi-head attention: (T, n_embd) outputs, and attn_weights[head][t] over positions 0..t."""
    T, head_dim = len(Q), len(Q[0]) // n_head
    scale = (head_dim**0.5) ** -1
    x_attn = [[] for _ in range(T)]  # each position's heads, joined end to end
    attn_weights = []
    for h in range(n_head):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        K_h, V_h = [k[hs] for k in K], [v[hs] for v in V]
        weights_h = []
        for t in range(T):
            w = softmax_row(attention_logits(K_h[: t + 1], Q[t][hs], scale))
            weights_h.append(w)
            x_attn[t].extend(dots(list(zip(*V_h[: t + 1])), w))
        attn_weights.append(weights_h)
    return x_attn, attn_weights


def attention_backward(dX_attn, Q, K, V, attn_weights, n_head):
    """Gradients of Q, K, V from the output gradient, head by head, as (T, T) products."""
    T, head_dim = len(Q), len(Q[0]) // n_head
    scale = (head_dim**0.5) ** -1
    dQ, dK, dV = [[] for _ in range(T)], [[] for _ in range(T)], [[] for _ in range(T)]
    zeros = [0.0] * T
    for h in range(n_head):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        Q_h, K_h, V_h, dO_h = [q[hs] for q in Q], [k[hs] for k in K], [v[hs] for v in V], [d[hs] for d in dX_attn]
        W, dL = [], []  # (T, T) weights and logit gradients, zero above the diagonal
        for t, w in enumerate(attn_weights[h]):
            pad = zeros[t + 1 :]
            W.append(w + pad)
            dL.append(softmax_backward(w, dots(V_h[: t + 1], dO_h[t]), scale) + pad)
        K_cols, Q_cols, dO_cols = list(zip(*K_h)), list(zip(*Q_h)), list(zip(*dO_h))
        for t, (dl, dl_col, w_col) in enumerate(zip(dL, zip(*dL), zip(*W))):
            dQ[t].extend(dots(K_cols, dl))
            dK[t].extend(dots(Q_cols, dl_col))
            dV[t].extend(dots(dO_cols, w_col))
    return dQ, dK, dV


def attention_logits(K_h, q_h, scale):
    """One head's scores of a query against the keys so far: dot products divided by sqrt(head_dim)."""
    return [logit * scale for logit in dots(K_h, q_h)]


def softmax_backward(w, dw, scale=1.0):
    """d logits from d weights through softmax, w * (dw - w . dw), times `scale` (the logits' own factor)."""
    w_dw = dot(w, dw)
    return [wi * (dwi - w_dw) * scale for wi, dwi in zip(w, dw)]


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
        return gpt(self.state_dict, self.config, self.tokens, Tape(self.config))[-1]
