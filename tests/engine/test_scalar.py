"""The scalar engine: microgpt's own Value graph, watched from outside for the lab's stage figures."""
import inspect

import pytest

from microgpt_lab import Config, Session, scalar
from microgpt_lab.model import STAGES
from microgpt_lab.watch import stage_lines

DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"]


def test_gpt_is_microgpts_code_and_nothing_else():
    lines = stage_lines((scalar.gpt, scalar.forward))
    assert {stage.name for stage, _ in lines.values()} == {stage.name for stage in STAGES}
    source = inspect.getsource(scalar.gpt) + inspect.getsource(scalar.forward)
    assert not any(word in source for word in ("stages", "lap(", "attention[", "perf_counter"))


@pytest.mark.parametrize("n_layer, n_head", [(1, 2), (2, 4)])
def test_each_stage_gets_the_nodes_it_builds(n_layer, n_head):
    config = Config(n_embd=8, n_head=n_head, n_layer=n_layer, engine="scalar")
    session = Session(config, DOCS)
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
    assert nodes["loss"] == 3 * T + (T + 1) + 2  # -log p per position, then (1 / n) * sum(losses)
    assert nodes["softmax"] == T * (3 * vocab_size + (vocab_size + 1) + 2 * vocab_size)  # exp(l - max), sum, e / total


def test_the_watched_step_reports_attention_and_probabilities():
    session = Session(Config(n_embd=8, n_head=2, n_layer=2, engine="scalar"), DOCS)
    event = session.step("full")
    T = len(event["tokens"]) - 1
    assert [[len(head) for head in layer] for layer in event["attention"]] == [[T, T], [T, T]]
    assert all(abs(sum(row) - 1) < 1e-12 for layer in event["attention"] for head in layer for row in head)
    assert len(event["topk"]) == T
    light = session.step("loss")
    assert "graph" not in light and light["time"]["forward_ms"] > 0


def test_no_class_or_module_attribute_is_written_per_node():
    """A class attribute written per Value (Value.created += 1) stops CPython 3.12+ from
    specializing attribute access on every Value: the graph is built without one."""
    session = Session(Config(n_embd=8, n_head=2, engine="scalar"), DOCS)
    session.step("full")
    before = (dict(vars(scalar.Value)), dict(vars(scalar)))
    session.step("full")
    session.sample(2)
    after = (dict(vars(scalar.Value)), dict(vars(scalar)))
    assert all(before[k] == after[k] and all(before[k][name] is after[k][name] for name in before[k]) for k in (0, 1))
