"""The scalar engine: microgpt's own Value graph, each operation's gradient, and the lab's
stage figures, watched from outside."""
import inspect
import math

import pytest

from microgpt_lab import Config, Session, scalar
from microgpt_lab.model import STAGES
from microgpt_lab.scalar import Value
from microgpt_lab.watch import stage_lines

H = 1e-6


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


def test_model_gradients(gradcheck):
    gradcheck.model(scalar, Config(n_embd=8, n_head=2, n_layer=2, block_size=6, engine="scalar"))


def test_gpt_is_microgpts_code_and_nothing_else():
    lines = stage_lines((scalar.gpt, scalar.forward))
    assert {stage.name for stage, _ in lines.values()} == {stage.name for stage in STAGES}
    source = inspect.getsource(scalar.gpt) + inspect.getsource(scalar.forward)
    assert not any(word in source for word in ("stages", "lap(", "attention[", "perf_counter"))


def test_reports_its_graph(docs):
    session = Session(Config(n_embd=8, n_head=2, engine="scalar"), docs)
    graph = session.step()["graph"]
    assert graph["nodes"] > 10_000 and graph["edges"] > graph["nodes"]
    assert all(op["nodes"] > 0 for op in graph["ops"])
    assert sum(op["nodes"] for op in graph["ops"]) < graph["nodes"]  # the rest are the weights themselves


@pytest.mark.parametrize("n_layer, n_head", [(1, 2), (2, 4)])
def test_each_stage_gets_the_nodes_it_builds(docs, n_layer, n_head):
    config = Config(n_embd=8, n_head=n_head, n_layer=n_layer, engine="scalar")
    session = Session(config, docs)
    event = session.step("full")
    T, n, vocab_size = len(event["tokens"]) - 1, config.n_embd, session.tokenizer.vocab_size
    nodes = {op["name"]: op["nodes"] for op in event["graph"]["ops"]}
    linear = lambda rows, cols: T * rows * (2 * cols + 1)  # a product and a sum per weight, and sum()'s 0
    for i in range(n_layer):
        for name in ("attn_wq", "attn_wk", "attn_wv", "attn_wo"):
            assert nodes[f"layer{i}.{name}"] == linear(n, n)
        assert nodes[f"layer{i}.mlp_fc1"] == linear(4 * n, n) and nodes[f"layer{i}.mlp_fc2"] == linear(n, 4 * n)
        assert nodes[f"layer{i}.relu"] == T * 4 * n and nodes[f"layer{i}.attn_residual"] == T * n
    assert nodes["embedding"] == T * n and nodes["lm_head"] == linear(vocab_size, n)
    assert nodes["softmax"] == T * (3 * vocab_size + (vocab_size + 1) + 2 * vocab_size)  # exp(l - max), sum, e / total
    assert nodes["loss"] == 3 * T + (T + 1) + 2  # -log p per position, then (1 / n) * sum(losses)


def test_the_watched_step_reports_attention_and_probabilities(docs):
    session = Session(Config(n_embd=8, n_head=2, n_layer=2, engine="scalar"), docs)
    event = session.step("full")
    T = len(event["tokens"]) - 1
    assert [[len(head) for head in layer] for layer in event["attention"]] == [[T, T], [T, T]]
    assert all(abs(sum(row) - 1) < 1e-12 for layer in event["attention"] for head in layer for row in head)
    assert len(event["topk"]) == T
    light = session.step("loss")
    assert "graph" not in light and light["time"]["forward_ms"] > 0


def test_no_class_or_module_attribute_is_written_per_node(docs):
    """A class attribute written per Value (Value.created += 1) stops CPython 3.12+ from
    specializing attribute access on every Value: the graph is built without one."""
    session = Session(Config(n_embd=8, n_head=2, engine="scalar"), docs)
    session.step("full")
    before = (dict(vars(scalar.Value)), dict(vars(scalar)))
    session.step("full")
    session.sample(2)
    after = (dict(vars(scalar.Value)), dict(vars(scalar)))
    assert all(before[k] == after[k] and all(before[k][name] is after[k][name] for name in before[k]) for k in (0, 1))
