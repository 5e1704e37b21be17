"""Every operation's gradient against central finite differences, in both engines."""
import math
import random

import pytest

from microgpt_lab import Config, Session
from microgpt_lab import scalar, vector
from microgpt_lab.instrument import Stages
from microgpt_lab.scalar import Value

H = 1e-6


def matrix(rng, rows, cols):
    return [[rng.gauss(0, 1) for _ in range(cols)] for _ in range(rows)]


def numeric_grad(f, X):
    """d f / d X[i][j] by central differences; X is modified in place and restored."""
    grad = []
    for row in X:
        g = []
        for j in range(len(row)):
            keep = row[j]
            row[j] = keep + H
            up = f()
            row[j] = keep - H
            down = f()
            row[j] = keep
            g.append((up - down) / (2 * H))
        grad.append(g)
    return grad


def weighted(Y, dY):
    """A scalar loss sum(Y * dY) whose gradient wrt Y is dY."""
    return sum(y * d for row, drow in zip(Y, dY) for y, d in zip(row, drow))


def assert_close(analytic, numeric, tol=1e-6):
    flat_a = [x for row in analytic for x in row] if isinstance(analytic[0], list) else list(analytic)
    flat_n = [x for row in numeric for x in row]
    assert len(flat_a) == len(flat_n)
    for a, n in zip(flat_a, flat_n):
        assert abs(a - n) <= tol * max(1.0, abs(n)), (a, n)


# vector engine: each stage's backward


def test_vector_linear(rng, recorder):
    X, W, dY = matrix(rng, 5, 4), matrix(rng, 3, 4), matrix(rng, 5, 3)
    vector.linear(X, W, recorder)
    dX, dW = recorder.backward(dY)
    assert_close(dX, numeric_grad(lambda: weighted(vector.linear(X, W, recorder), dY), X))
    assert_close(dW, numeric_grad(lambda: weighted(vector.linear(X, W, recorder), dY), W))


def test_vector_rmsnorm(rng, recorder):
    X, dY = matrix(rng, 4, 6), matrix(rng, 4, 6)
    vector.rmsnorm(X, recorder)
    (dX,) = recorder.backward(dY)
    assert_close(dX, numeric_grad(lambda: weighted(vector.rmsnorm(X, recorder), dY), X))


def test_vector_relu(rng, recorder):
    X, dY = matrix(rng, 4, 6), matrix(rng, 4, 6)
    vector.relu(X, recorder)
    (dX,) = recorder.backward(dY)
    assert_close(dX, numeric_grad(lambda: weighted(vector.relu(X, recorder), dY), X))


@pytest.mark.parametrize("n_head", [1, 2, 4])
def test_vector_attention(rng, recorder, n_head):
    T, C = 5, 8
    Q, K, V, dOut = (matrix(rng, T, C) for _ in range(4))
    vector.attention(Q, K, V, n_head, recorder)
    for head in recorder.kept["attn_weights"]:  # causal: row t has t+1 weights summing to 1
        assert [len(row) for row in head] == list(range(1, T + 1))
        assert all(abs(sum(row) - 1) < 1e-12 for row in head)
    dQ, dK, dV = recorder.backward(dOut)
    loss = lambda: weighted(vector.attention(Q, K, V, n_head, recorder), dOut)
    assert_close(dQ, numeric_grad(loss, Q))
    assert_close(dK, numeric_grad(loss, K))
    assert_close(dV, numeric_grad(loss, V))


def test_vector_embedding(rng):
    table, dX = matrix(rng, 5, 3), matrix(rng, 4, 3)
    ids = [1, 3, 1, 0]
    grad = vector.embedding_backward(dX, ids, table)
    lookup = lambda: weighted([table[i] for i in ids], dX)
    assert_close(grad, numeric_grad(lookup, table))


# scalar engine: each Value operation


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a * b,
        lambda a, b: a - b,
        lambda a, b: a / b,
        lambda a, b: 2.5 / a + 1.5 - b,
        lambda a, b: a**3 * b**-2,
        lambda a, b: (a * b).exp(),
        lambda a, b: (a * a + b * b).log(),
        lambda a, b: (a - b).relu() + (b - a).relu() * 3,
        lambda a, b: -a * b,
    ],
)
def test_value_ops(op):
    x, y = 0.7, -1.3
    a, b = Value(x), Value(y)
    out = op(a, b)
    out.backward()
    f = lambda x, y: op(Value(x), Value(y)).data
    assert math.isclose(a.grad, (f(x + H, y) - f(x - H, y)) / (2 * H), rel_tol=1e-6, abs_tol=1e-7)
    assert math.isclose(b.grad, (f(x, y + H) - f(x, y - H)) / (2 * H), rel_tol=1e-6, abs_tol=1e-7)


# whole model: softmax + cross-entropy through every layer, both engines


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_model_gradients(engine):
    config = Config(n_embd=8, n_head=2, n_layer=2, block_size=6, engine=engine)
    session = Session(config, ["emma", "olivia", "ava", "isabella"])
    tokens = session.tokenizer.encode("ava")
    module = {"vector": vector, "scalar": scalar}[engine]
    state_dict = session.state_dict

    def loss():
        result = module.train_step(state_dict, tokens, config, Stages())
        return sum(result.losses) / len(result.losses)

    grads = module.train_step(state_dict, tokens, config, Stages()).grads
    picker = random.Random(7)
    for name, mat in state_dict.items():
        n_in = len(mat[0])
        for _ in range(2):  # a few random weights per matrix
            i, j = picker.randrange(len(mat)), picker.randrange(n_in)
            keep = mat[i][j]
            mat[i][j] = keep + H
            up = loss()
            mat[i][j] = keep - H
            down = loss()
            mat[i][j] = keep
            numeric = (up - down) / (2 * H)
            assert math.isclose(grads[name][i * n_in + j], numeric, rel_tol=1e-5, abs_tol=1e-8), (name, i, j)
