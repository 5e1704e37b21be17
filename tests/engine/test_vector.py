"""The vector engine: each stage's backward against finite differences, the whole model's
gradients, and the same numbers as the scalar engine, microgpt's own graph (1e-9)."""
import inspect
import random

import pytest

from microgpt_lab import Config, Session, vector
from microgpt_lab.model import stage_names

STEPS = 10  # steps the engines take side by side: Adam's moments and the lr decay are under way
PUNCTUATED = ["r2-d2", "c3po!", "k.i.t.t.", "hal 9000", "wall-e", "t-800?", "ava", "bb-8", "jarvis", "data", "tars", "eve"]


def test_linear(gradcheck, recorder):
    X, W, dY = gradcheck.matrix(5, 4), gradcheck.matrix(3, 4), gradcheck.matrix(5, 3)
    vector.linear(X, W, recorder)
    dX, dW = recorder.backward(dY)
    gradcheck.check(dX, lambda: vector.linear(X, W, recorder), dY, X)
    gradcheck.check(dW, lambda: vector.linear(X, W, recorder), dY, W)


def test_sparse_dots_are_dots_to_the_bit():
    """Leaving out the zero terms (relu's) gives exactly dots()'s numbers, signs of zero included."""
    rng = random.Random(7)
    for length, zero_share in [(7, 0.0), (7, 0.3), (7, 0.9), (16, 0.5), (64, 0.8), (64, 1.0), (3, 2 / 3)]:
        for _ in range(50):
            rows = [[rng.gauss(0, 1) * rng.choice((1, 1e-3, 1e3)) for _ in range(length)] for _ in range(5)]
            rows.append([0.0] * length)  # -0.0 products: dots gives 0.0
            x = [0.0 if rng.random() < zero_share else rng.gauss(0, 1) for _ in range(length)]
            x[rng.randrange(length)] *= -1  # a -0.0 now and then
            assert list(map(repr, vector.sparse_dots(rows, x))) == list(map(repr, vector.dots(rows, x)))


def test_linear_after_relu_keeps_the_gradients_relu_passes(gradcheck, recorder):
    X = [[xi if xi > 0 else 0.0 for xi in row] for row in gradcheck.matrix(6, 12)]
    W, dY = gradcheck.matrix(4, 12), gradcheck.matrix(6, 4)
    (dX, dW), (dX_live, dW_live) = (vector.linear_backward(dY, X, W, live) for live in (False, True))
    assert repr(dW_live) == repr(dW) and repr(vector.relu_backward(dX_live, X)) == repr(vector.relu_backward(dX, X))


def test_rmsnorm(gradcheck, recorder):
    X, dY = gradcheck.matrix(4, 6), gradcheck.matrix(4, 6)
    vector.rmsnorm(X, recorder)
    (dX,) = recorder.backward(dY)
    gradcheck.check(dX, lambda: vector.rmsnorm(X, recorder), dY, X)


def test_relu(gradcheck, recorder):
    X, dY = gradcheck.matrix(4, 6), gradcheck.matrix(4, 6)
    vector.relu(X, recorder)
    (dX,) = recorder.backward(dY)
    gradcheck.check(dX, lambda: vector.relu(X, recorder), dY, X)


@pytest.mark.parametrize("n_head", [1, 2, 4])
def test_attention(gradcheck, recorder, n_head):
    T, C = 5, 8
    Q, K, V, dOut = (gradcheck.matrix(T, C) for _ in range(4))
    vector.attention(Q, K, V, n_head, recorder)
    for head in recorder.kept["attn_weights"]:  # causal: row t has t+1 weights summing to 1
        assert [len(row) for row in head] == list(range(1, T + 1))
        assert all(abs(sum(row) - 1) < 1e-12 for row in head)
    dQ, dK, dV = recorder.backward(dOut)
    for analytic, X in ((dQ, Q), (dK, K), (dV, V)):
        gradcheck.check(analytic, lambda: vector.attention(Q, K, V, n_head, recorder), dOut, X)


def test_embedding(gradcheck, recorder):
    wte, wpe, dX = gradcheck.matrix(5, 3), gradcheck.matrix(4, 3), gradcheck.matrix(4, 3)
    tokens = [1, 3, 1, 0]
    forward = lambda: vector.embedding({"wte": wte, "wpe": wpe}, tokens, recorder)
    forward()
    dwte, dwpe = recorder.backward(dX)
    gradcheck.check(dwte, forward, dX, wte)
    gradcheck.check(dwpe, forward, dX, wpe)


def test_model_gradients(gradcheck):
    gradcheck.model(vector, Config(n_embd=8, n_head=2, n_layer=2, block_size=6, engine="vector"))


@pytest.mark.parametrize(
    "overrides, docs",
    [
        pytest.param({"n_layer": 2}, None, marks=pytest.mark.slow),  # 6 s; test_model_gradients checks two layers
        ({"n_head": 1}, None),
        pytest.param({"n_head": 8}, None, marks=pytest.mark.slow),  # n_embd 16: the scalar engine's dearest case
        ({"block_size": 4}, None),  # shorter than most documents: truncated as the original does
        ({}, PUNCTUATED),  # digits, punctuation and spaces in the vocabulary
    ],
    ids=["n_layer2", "n_head1", "n_head8", "block_size4", "punctuation"],
)
def test_agrees_with_the_scalar_engine(names_text, overrides, docs):
    docs = docs or names_text.split()[:300]
    config = {"n_embd": 8 if overrides.get("n_head") != 8 else 16, "num_steps": STEPS, **overrides}
    assert_engines_agree(config, docs)


@pytest.mark.slow  # the scalar engine at microgpt's size: some 20 s for the six rungs
def test_every_rung_agrees_with_the_scalar_engine(names_text, rung):
    """The model ladder's rungs as they are trained (n_embd 16), on the names, over their first 20 steps."""
    assert_engines_agree({"num_steps": 1000, **rung}, names_text.split(), steps=20)


def assert_engines_agree(config, docs, steps=STEPS):
    by_scalar = Session(Config(engine="scalar", **config), docs)
    by_vector = Session(Config(engine="vector", **config), docs)
    for _ in range(steps):
        a, b = by_scalar.step(), by_vector.step()
        assert a["doc"] == b["doc"] and a["tokens"] == b["tokens"]
        assert abs(a["loss"] - b["loss"]) < 1e-9
        assert all(abs(x - y) < 1e-9 for x, y in zip(a["losses"], b["losses"]))
        for layer_a, layer_b in zip(a["attention"], b["attention"]):
            for head_a, head_b in zip(layer_a, layer_b):
                assert all(abs(x - y) < 1e-9 for row_a, row_b in zip(head_a, head_b) for x, y in zip(row_a, row_b))
        assert [p["ids"] for p in a["topk"]] == [p["ids"] for p in b["topk"]]
    for name, mat in by_scalar.state_dict.items():
        assert all(abs(x - y) < 1e-9 for row_a, row_b in zip(mat, by_vector.state_dict[name]) for x, y in zip(row_a, row_b))
    assert by_scalar.sample(5, 0.7) == by_vector.sample(5, 0.7)


def test_gpt_names_each_stage_once(docs):
    """The stage functions take their names from model.STAGES, in order: gpt() types none."""
    source = inspect.getsource(vector.gpt)
    assert "heads" not in source and "lap(" not in source and '"attn_norm"' not in source
    event = Session(Config(n_embd=8, n_head=2, n_layer=2), docs).step("full")
    ops, time = event["graph"]["ops"], event["time"]
    assert [op["name"] for op in ops] == stage_names(Config(n_embd=8, n_head=2, n_layer=2))
    # each stage timed forward and backward, the laps adding up to the step's phases
    assert abs(sum(op["forward_ms"] for op in ops) - time["forward_ms"]) < 1e-6
    assert abs(sum(op["backward_ms"] for op in ops) - time["backward_ms"]) < 1e-6
