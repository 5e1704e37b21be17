"""The model's layout: matrices and stages in microgpt's order, what a config's model has, and its
initialisation."""
import math
import random
import re

import pytest

from microgpt_lab import Config, Session, scalar
from microgpt_lab.explain import OUTPUTS
from microgpt_lab.watch import Watch
from microgpt_lab.model import STAGES, describe, init_state_dict, matrix_shapes, softmax, stage_names


def test_matrices_in_microgpts_order():
    names = [name for name, _, _ in matrix_shapes(Config(n_layer=2), 27)]
    layer = ["attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"]
    assert names == ["wte", "wpe", "lm_head"] + [f"layer{i}.{m}" for i in range(2) for m in layer]
    shapes = {name: (rows, cols) for name, rows, cols in matrix_shapes(Config(), 27)}
    assert shapes["wte"] == (27, 16) and shapes["wpe"] == (16, 16) and shapes["layer0.mlp_fc1"] == (64, 16)
    assert sum(rows * cols for rows, cols in shapes.values()) == Config().num_params(27)


def test_init_draws_row_by_row_in_that_order():
    config = Config(n_embd=4, n_head=2, block_size=3)
    state_dict = init_state_dict(config, 5, random.Random(42))
    draws = random.Random(42)
    assert [w for mat in state_dict.values() for row in mat for w in row] == [
        draws.gauss(0, 0.08) for _ in range(config.num_params(5))]


def test_stages_in_forward_order():
    names = stage_names(Config(n_layer=2))
    assert names[:3] == ["embedding", "rmsnorm", "layer0.attn_norm"] and names[-3:] == ["lm_head", "softmax", "loss"]
    assert len(names) == 5 + 2 * sum(stage.per_layer for stage in STAGES)
    assert names.index("layer1.attn_norm") == names.index("layer0.mlp_residual") + 1


def test_softmax_is_microgpts():
    probs = softmax([1.0, 2.0, 3.0])
    assert math.isclose(sum(probs), 1) and probs == sorted(probs)
    assert softmax([1000.0, 0.0])[0] == 1.0  # the max is subtracted: no overflow


def test_the_rungs_leave_out_what_they_do_not_have():
    assert stage_names(Config(n_layer=0)) == ["embedding", "rmsnorm", "lm_head", "softmax", "loss"]
    assert [name for name, _, _ in matrix_shapes(Config(n_layer=0), 27)] == ["wte", "wpe", "lm_head"]
    names = stage_names(Config(n_layer=2, attention=False))
    assert not [name for name in names if "attn" in name or "attention" in name]
    assert names[2:7] == ["layer0.mlp_norm", "layer0.mlp_fc1", "layer0.relu", "layer0.mlp_fc2", "layer0.mlp_residual"]
    assert [name for name, _, _ in matrix_shapes(Config(attention=False), 27)] == [
        "wte", "wpe", "lm_head", "layer0.mlp_fc1", "layer0.mlp_fc2"]


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_the_description_is_the_model_that_runs(engine, rung, docs):
    """Every rung: its matrices are state_dict's, its stages a real step's ops and explain()'s (only
    those it has: no attention's without attention, no layer's with n_layer 0), each stage's shape and
    output what explain() reads at a position."""
    session = Session(Config(n_embd=8, n_head=min(rung.get("n_head", 2), 2), block_size=4, engine=engine,
                             **{k: v for k, v in rung.items() if k != "n_head"}), docs)
    model = describe(session.config, session.tokenizer.vocab_size)
    assert [(m["name"], m["shape"]) for m in model["matrices"]] == [
        (name, [len(mat), len(mat[0])]) for name, mat in session.state_dict.items()]
    assert model["num_params"] == session.num_params == sum(len(mat) * len(mat[0]) for mat in session.state_dict.values())
    ops = session.step("full")["graph"]["ops"]
    assert [(op["name"], op["kind"]) for op in ops] == [(s["name"], s["kind"]) for s in model["stages"]]
    explained = session.explain(0)["stages"]
    assert [s["name"] for s in explained] == [s["name"] for s in model["stages"]]
    for stage, answer in zip(model["stages"], explained):
        assert [len(answer["forward"])] == stage["shape"], stage["name"]
        assert set(stage["reads"]) <= set(session.state_dict), stage["name"]
        assert re.search(rf"^\s*{stage['output']}( = |\.extend\()", stage["formula"], re.M), stage["name"]
        assert ("heads" in stage) == ("heads" in answer) == (stage["kind"] == "attention")
    assert model["optimizer"]["name"] == session.config.optimizer == session.explain(0)["update"]["optimizer"]
    names = [s["name"] for s in model["stages"]]
    assert any("attention" in name for name in names) == (session.config.attention and session.config.n_layer > 0)
    assert any(name.startswith("layer") for name in names) == (session.config.n_layer > 0)


@pytest.mark.parametrize("config", [dict(n_layer=2), dict(n_layer=2, attention=False), dict(n_layer=0)],
                         ids=["two layers", "no attention", "no layer"])
def test_each_stage_reads_the_stages_the_value_graph_says(config, docs):
    """A stage's inputs (describe) are the stages whose output Values its own output Values are computed
    from in microgpt's Value graph (walking back through operations that belong to no stage)."""
    config = Config(n_embd=8, n_head=2, block_size=6, **config)
    model = describe(config, 27)
    tokens = [26, 4, 12, 12, 0, 26]  # BOS e m m a BOS
    captured = []  # (stage, its output at a position): a list may still grow (attention's x_attn.extend)

    class Laps:
        name = None

        def lap(self, name, kind):
            self.name = name

    laps = Laps()

    def output(names, value):
        captured.append((laps.name, value if isinstance(value, list) else [value]))

    params = scalar.as_values(init_state_dict(config, 27, random.Random(0)))
    with Watch(scalar.WATCHED, laps, {name: output for name in OUTPUTS}):
        loss, _ = scalar.forward(params, config, tokens)
    outputs, of_stage = {}, {}  # id(Value) -> the stage whose output it is; stage -> its Values at every position
    for name, found in captured:
        for v in found:
            outputs.setdefault(id(v), name)
            of_stage.setdefault(name, []).append(v)
    for stage in model["stages"]:
        read, stack, seen = set(), [c for v in of_stage[stage["name"]] for c in v._children], set()
        while stack:
            v = stack.pop()
            if id(v) in seen:
                continue
            seen.add(id(v))
            if outputs.get(id(v), stage["name"]) != stage["name"]:
                read.add(outputs[id(v)])
            else:
                stack.extend(v._children)
        assert read == set(stage["inputs"]), stage["name"]


def test_the_description_fills_its_texts():
    model = describe(Config(n_layer=2), 27)
    wq = next(m for m in model["matrices"] if m["name"] == "layer1.attn_wq")
    assert (wq["layer"], wq["matrix"], wq["rows_are"]) == (1, "attn_wq", None) and wq["help"].startswith("Layer 1's query")
    attention = next(s for s in model["stages"] if s["name"] == "layer1.attention")
    assert attention["heads"] == 4 and attention["reads"] == [] and "Each of the 4 heads, on its own 4" in attention["help"]
    assert next(s for s in model["stages"] if s["name"] == "layer0.attn_wq")["reads"] == ["layer0.attn_wq"]
    for entry in model["matrices"] + model["stages"]:
        assert not re.findall(r"\{(\w+)\}", entry["help"]) and entry["help"].endswith("."), entry["name"]
    adam, sgd = describe(Config(), 27)["optimizer"], describe(Config(optimizer="sgd"), 27)["optimizer"]
    assert (adam["name"], adam["beta1"], adam["beta2"], adam["eps"]) == ("adam", 0.85, 0.99, 1e-8)
    assert sgd["name"] == "sgd" and "beta1" not in sgd and sgd["formula"].endswith("p.data -= lr_t * p.grad")
