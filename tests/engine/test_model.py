"""The model's layout: matrices and stages in microgpt's order, and its initialisation."""
import math
import random

from microgpt_lab import Config
from microgpt_lab.model import STAGES, init_state_dict, matrix_shapes, softmax, stage_names


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
