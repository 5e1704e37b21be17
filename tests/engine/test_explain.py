"""Session.explain: one position of the last step, stage by stage, forward and backward, in both engines."""
import copy
import json
import math

import pytest

from microgpt_lab import Config, Session, SessionError
from microgpt_lab.config import ENGINES
from microgpt_lab.model import stage_names

CONFIGS = {
    "two layers, one head": dict(n_embd=8, n_head=1, n_layer=2),
    "four heads": dict(n_embd=8, n_head=4),
    "block_size shorter than the documents": dict(n_embd=8, n_head=2, block_size=3),
    "no layer, SGD": dict(n_embd=8, n_layer=0, optimizer="sgd"),
}


def stepped(engine, docs, steps=3, **overrides):
    """A session after `steps` steps, the last step's event, and the weights that step started from."""
    session = Session(Config(engine=engine, num_steps=20, **overrides), docs)
    for _ in range(steps - 1):
        session.step()
    before = copy.deepcopy(session.state_dict)
    return session, session.step("full"), before


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_sampled_is_softmax_of_the_logits_over_the_temperature(temperature, docs):
    """What sampling would draw from at the position: at temperature 1 the step's own probs; at T,
    p ** (1 / T) renormalised (softmax(logits / T) written through the probabilities)."""
    session, _, _ = stepped("vector", docs, n_embd=8, n_head=2, temperature=temperature)
    explained = session.explain(1)
    probs, sampled = explained["probs"], explained["sampled"]
    assert sampled["temperature"] == temperature
    powered = [p ** (1 / temperature) for p in probs]
    assert sampled["probs"] == pytest.approx([p / sum(powered) for p in powered], rel=1e-9, abs=1e-15)
    if temperature == 1.0:
        assert sampled["probs"] == probs


@pytest.mark.parametrize("engine", ENGINES)
def test_loss_and_probs_are_the_steps_own(engine, docs):
    session, event, _ = stepped(engine, docs, n_embd=8, n_head=2)
    n = len(event["losses"])
    for p in range(n):
        explained = session.explain(p)
        assert explained["loss"] == event["losses"][p]
        top = event["topk"][p]
        assert [explained["probs"][i] for i in top["ids"]] == top["probs"]
        assert explained["probs"][top["target"]] == top["target_prob"]
        assert (explained["step"], explained["position"], explained["n"]) == (event["step"], p, n)
        assert explained["tokens"] == event["tokens"] and explained["doc"] == event["doc"]
        assert (explained["token"], explained["target"]) == (event["tokens"][p], event["tokens"][p + 1])
    json.dumps(explained, allow_nan=False)  # JSON-ready
    session.sample(2)  # sampling changes no weight: the step is still explained
    light = session.step("loss")  # a lightly recorded step is explained all the same
    assert session.explain(0)["loss"] == light["losses"][0] and session.explain(0)["step"] == light["step"]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_stage_in_order_with_its_shape(engine, docs):
    config = dict(n_embd=8, n_head=2, n_layer=2)
    session, event, _ = stepped(engine, docs, **config)
    vocab_size, n, p = session.tokenizer.vocab_size, len(event["losses"]), 2
    explained = session.explain(p)
    stages = explained["stages"]
    assert [s["name"] for s in stages] == stage_names(session.config)
    width = {"mlp_fc1": 32, "relu": 32, "lm_head": vocab_size, "softmax": vocab_size, "loss": 1}
    for s in stages:
        assert s["stage"] == s["name"].split(".")[-1]
        assert s["layer"] == (int(s["name"][5]) if s["name"].startswith("layer") else None)
        assert len(s["forward"]) == len(s["backward"]) == width.get(s["stage"], 8), s["name"]
        assert ("heads" in s) == (s["stage"] == "attention")
    for s in stages:
        if s["stage"] == "attention":
            assert len(s["heads"]) == 2
            for head in s["heads"]:
                assert all(len(head[key]) == p + 1 for key in ("logits", "weights", "d_logits", "d_weights"))
            layer = s["layer"]
            assert [h["weights"] for h in s["heads"]] == [event["attention"][layer][h][p] for h in range(2)]
    by_name = {s["name"]: s for s in stages}
    assert by_name["loss"]["forward"] == [event["losses"][p]] and by_name["loss"]["backward"] == [1 / n]
    assert by_name["softmax"]["forward"] == explained["probs"]
    assert by_name["layer0.relu"]["forward"] == [max(0.0, x) for x in by_name["layer0.mlp_fc1"]["forward"]]


@pytest.mark.parametrize("overrides", CONFIGS.values(), ids=CONFIGS.keys())
def test_the_engines_agree(overrides, docs, numbers_close):
    scalar, _, _ = stepped("scalar", docs, **overrides)
    vector, _, _ = stepped("vector", docs, **overrides)
    for p in range(len(scalar.last_step.tokens) - 1):
        a, b = scalar.explain(p), vector.explain(p)
        assert [s["name"] for s in a["stages"]] == [s["name"] for s in b["stages"]]
        assert numbers_close(a, b), p


@pytest.mark.parametrize("engine", ENGINES)
def test_weights_are_the_updates_rows(engine, docs):
    session, event, before = stepped(engine, docs, n_embd=8, n_head=2)
    p = 1
    explained = session.explain(p)
    adam, n_embd = session.optimizer, 8
    for name, row in (("wte", event["tokens"][p]), ("wpe", p)):
        entry = explained["weights"][name]
        cut = slice(row * n_embd, (row + 1) * n_embd)
        assert entry["row"] == row
        assert entry["before"] == before[name][row] and entry["after"] == session.state_dict[name][row]
        assert entry["grad"] == adam.last_grads[name][cut]
        assert entry["m"] == adam.m[name][cut] and entry["v"] == adam.v[name][cut]
    # wpe's row p is read at position p only, added to the token's row: its gradient is d x there
    assert explained["weights"]["wpe"]["grad"] == explained["stages"][0]["backward"]
    step = event["step"] - 1
    assert explained["update"] == {
        "optimizer": "adam", "t": step, "lr": event["lr"], "beta1": 0.85, "beta2": 0.99, "eps": 1e-8,
        "bias_correction1": 1 - 0.85 ** (step + 1), "bias_correction2": 1 - 0.99 ** (step + 1),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_gradient_descent_moves_a_row_by_lr_times_its_gradient(engine, docs):
    session, event, before = stepped(engine, docs, n_embd=8, n_head=2, optimizer="sgd")
    explained = session.explain(1)
    assert explained["update"] == {"optimizer": "sgd", "t": event["step"] - 1, "lr": event["lr"]}
    lr = explained["update"]["lr"]
    for entry in explained["weights"].values():
        assert set(entry) == {"row", "before", "after", "grad"}  # no m or v: SGD keeps nothing between steps
        assert entry["after"] == [b - lr * g for b, g in zip(entry["before"], entry["grad"])]  # exactly
        assert any(b != a for b, a in zip(entry["before"], entry["after"]))


@pytest.mark.parametrize("engine", ENGINES)
def test_gradients_match_a_finite_difference(engine, docs):
    session, event, before = stepped(engine, docs, n_embd=8, n_head=2, n_layer=2)
    p, h = 2, 1e-6
    explained = session.explain(p)

    def mean_loss(state_dict):
        probe = Session(session.config, docs)
        probe.state_dict = state_dict
        probe.docs = [event["doc"]] * len(probe.docs)
        return probe.step("loss")["loss"]

    for name, row, j in (("wpe", p, 3), ("wte", event["tokens"][p], 5)):
        up, down = copy.deepcopy(before), copy.deepcopy(before)
        up[name][row][j] += h
        down[name][row][j] -= h
        numeric = (mean_loss(up) - mean_loss(down)) / (2 * h)
        assert math.isclose(explained["weights"][name]["grad"][j], numeric, rel_tol=1e-5, abs_tol=1e-9), name


@pytest.mark.parametrize("engine", ENGINES)
def test_errors_say_what_is_missing(engine, docs):
    session = Session(Config(engine=engine, n_embd=8, n_head=2), docs)
    with pytest.raises(SessionError, match="explain needs a step taken in this worker"):
        session.explain(0)
    event = session.step()
    n = len(event["losses"])
    for bad in (-1, n, 1.0, True, "0"):
        with pytest.raises(SessionError, match=f"position must be an integer from 0 to {n - 1}"):
            session.explain(bad)
    restored = Session.restore(session.checkpoint(), docs)
    with pytest.raises(SessionError, match="explain needs a step"):
        restored.explain(0)
    session.reset()
    with pytest.raises(SessionError, match="explain needs a step"):
        session.explain(0)
