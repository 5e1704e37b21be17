"""Adam: microgpt's constants and per-parameter arithmetic, on whole matrices."""
import json
import math
import random

from microgpt_lab.instrument import param_stats
from microgpt_lab.optim import Adam


def test_step_is_microgpts_loop_to_the_bit():
    rng = random.Random(3)
    state_dict = {"w": [[rng.gauss(0, 1) for _ in range(3)] for _ in range(2)]}
    adam = Adam(state_dict)
    params = [w for row in state_dict["w"] for w in row]
    m, v = [0.0] * 6, [0.0] * 6
    beta1, beta2, eps_adam = 0.85, 0.99, 1e-8
    for step in range(3):
        grads = [rng.gauss(0, 1) for _ in range(6)]
        lr_t = 0.01 * (1 - step / 10)
        adam.step(state_dict, {"w": grads}, lr_t, step)
        for i, g in enumerate(grads):  # microgpt's own lines
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g ** 2
            m_hat = m[i] / (1 - beta1 ** (step + 1))
            v_hat = v[i] / (1 - beta2 ** (step + 1))
            params[i] -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)
        assert [w for row in state_dict["w"] for w in row] == params
        assert adam.m["w"] == m and adam.v["w"] == v and adam.last_grads["w"] == grads


def test_param_stats_give_gradient_norm_and_update_ratio():
    state_dict = {"w": [[3.0, 4.0]]}
    adam = Adam(state_dict)
    adam.step(state_dict, {"w": [0.6, 0.8]}, 0.1, 0)
    stats = param_stats(state_dict, adam)
    step = math.dist(state_dict["w"][0], [3.0, 4.0])  # Adam's first step is about lr per weight
    assert stats["w"]["grad_norm"] == 1.0 and stats["w"]["update_ratio"] == step / 5.0
    assert 0.1 < step < 0.15


def test_snapshot_undoes_a_step():
    state_dict = {"w": [[3.0, 4.0]]}
    adam = Adam(state_dict)
    adam.step(state_dict, {"w": [0.6, 0.8]}, 0.1, 0)
    weights, snapshot = dict(state_dict), adam.snapshot()
    kept = json.dumps([state_dict, adam.m, adam.v, adam.last_grads, adam.last_weights])
    adam.step(state_dict, {"w": [float("nan"), 0.8]}, 0.1, 1)
    state_dict.update(weights)
    adam.undo(snapshot)
    assert json.dumps([state_dict, adam.m, adam.v, adam.last_grads, adam.last_weights]) == kept
