"""Session behaviour: events, reset, sampling, checkpoints, the end of a run and divergence."""
import json
import math

import pytest

from microgpt_lab import Config, DataError, Session, SessionError
from microgpt_lab.session import Diverged


def test_event_has_the_instrumentation(docs):
    session = Session(Config(n_embd=8, n_head=2, n_layer=2, num_steps=10), docs)
    event = session.step("full")
    n = len(event["tokens"]) - 1
    assert event["step"] == 1 and event["num_steps"] == 10 and event["lr"] == 0.01
    assert session.tokenizer.decode(event["tokens"]) == event["doc"]
    assert len(event["losses"]) == n and math.isclose(event["loss"], sum(event["losses"]) / n)
    assert [len(layer) for layer in event["attention"]] == [2, 2]
    assert [len(row) for row in event["attention"][1][0]] == list(range(1, n + 1))
    for position, top in enumerate(event["topk"]):
        assert top["target"] == event["tokens"][position + 1] and len(top["ids"]) == 5
        assert top["probs"] == sorted(top["probs"], reverse=True)
        assert (top["target_rank"] < 5) == (top["target"] in top["ids"])
        assert top["target_prob"] <= top["probs"][0]
    assert set(event["params"]) == set(session.state_dict)
    assert all(p["grad_norm"] > 0 and 0 < p["update_ratio"] < 1 for p in event["params"].values())
    names = [op["name"] for op in event["graph"]["ops"]]
    assert names[:3] == ["embedding", "rmsnorm", "layer0.attn_norm"] and names[-3:] == ["lm_head", "softmax", "loss"]
    assert all(op["backward_ms"] is not None for op in event["graph"]["ops"])
    json.dumps(event, allow_nan=False)  # JSON-ready
    light = session.step("loss")
    assert light["step"] == 2 and "attention" not in light and "time" in light


def test_reset_returns_to_the_same_start(docs):
    session = Session(Config(n_embd=8, n_head=2), docs)
    first = [session.step()["loss"] for _ in range(3)]
    session.sample(3)
    session.reset()
    assert session.step_count == 0
    assert [session.step()["loss"] for _ in range(3)] == first


def test_long_document_is_truncated_to_block_size():
    session = Session(Config(n_embd=8, n_head=2, block_size=4), ["abcdefghij"])
    event = session.step()
    assert len(event["tokens"]) == 5 and len(event["losses"]) == 4


def test_samples_are_reproducible_and_bounded(docs):
    a, b = Session(Config(n_embd=8, n_head=2, block_size=5), docs), Session(Config(n_embd=8, n_head=2, block_size=5), docs)
    assert a.sample(10, 1.0) == b.sample(10, 1.0)
    assert all(len(s) <= 5 and set(s) <= set("".join(docs)) for s in a.sample(10, 2.0))


@pytest.mark.parametrize("engine, optimizer", [("vector", "adam"), ("scalar", "adam"), ("vector", "sgd")])
def test_checkpoint_restore_continues_exactly(engine, optimizer, docs):
    config = Config(n_embd=8, n_head=2, num_steps=8, engine=engine, optimizer=optimizer)
    straight = Session(config, docs)
    expected = [straight.step()["loss"] for _ in range(8)]
    first = Session(config, docs)
    for _ in range(4):
        first.step()
    first.sample(2)  # the generator moves: the checkpoint must carry it
    saved = json.loads(json.dumps(first.checkpoint()))  # through JSON, as the browser stores it
    resumed = Session.restore(saved, docs)
    assert resumed.step_count == 4
    assert [resumed.step()["loss"] for _ in range(4)] == expected[4:]
    assert Session.restore(saved, docs).sample(4) == first.sample(4)


def test_every_rung_restores_exactly(rung, docs):
    config = Config(**{"n_embd": 8, "num_steps": 6, **rung})
    straight = Session(config, docs)
    expected = [straight.step()["loss"] for _ in range(6)]
    first = Session(config, docs)
    first.step(), first.step()
    saved = json.loads(json.dumps(first.checkpoint()))
    assert ("adam" in saved) == (config.optimizer == "adam")  # SGD keeps no state between steps
    resumed = Session.restore(saved, docs)
    assert [resumed.step()["loss"] for _ in range(4)] == expected[2:]
    assert resumed.state_dict == straight.state_dict


def test_restore_refuses_other_data_and_damage(docs):
    session = Session(Config(n_embd=8, n_head=2), docs)
    saved = session.checkpoint()
    with pytest.raises(DataError, match="different dataset"):
        Session.restore(saved, docs + ["zoe"])
    broken = json.loads(json.dumps(saved))
    broken["state_dict"]["wte"].pop()
    with pytest.raises(SessionError, match="wte"):
        Session.restore(broken, docs)
    with pytest.raises(SessionError, match="format"):
        Session.restore({"format": "something else"}, docs)
    no_buffers = json.loads(json.dumps(saved))
    del no_buffers["adam"]["v"]
    with pytest.raises(SessionError, match="Adam buffers of wte"):
        Session.restore(no_buffers, docs)


def test_the_run_ends_at_num_steps(docs):
    session = Session(Config(n_embd=8, n_head=2, num_steps=2), docs)
    session.step(), session.step()
    with pytest.raises(SessionError, match="num_steps"):
        session.step()


def test_divergence_is_reported_and_leaves_the_weights(docs):
    session = Session(Config(n_embd=8, n_head=2, learning_rate=1.0, num_steps=1000), docs)
    with pytest.raises(SessionError, match="diverged.*learning_rate") as raised:
        for _ in range(1000):
            before = json.dumps(session.state_dict)
            session.step("loss")
    assert json.dumps(session.state_dict) == before
    # What happened, as data for the page to word: the step that failed, why, and the rate.
    assert raised.value.data == {"step": session.step_count + 1, "cause": raised.value.data["cause"], "learning_rate": 1.0}
    assert raised.value.data["cause"] in Diverged.CAUSES


@pytest.mark.parametrize("kwargs, match", [({"num_samples": 0}, "num_samples"), ({"temperature": -1}, "temperature")])
def test_sample_errors(kwargs, match, docs):
    with pytest.raises(ValueError, match=match):
        Session(Config(n_embd=8, n_head=2), docs).sample(**{"num_samples": 1, **kwargs})
