"""Session behaviour: events, reset, sampling, checkpoints, and every bad input."""
import json
import math

import pytest

from microgpt_lab import Config, ConfigError, DataError, Session, SessionError
from microgpt_lab.config import MAX_PARAMS

DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"]


def test_event_has_the_instrumentation():
    session = Session(Config(n_embd=8, n_head=2, n_layer=2, num_steps=10), DOCS)
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


def test_scalar_reports_its_graph():
    session = Session(Config(n_embd=8, n_head=2, engine="scalar"), DOCS)
    graph = session.step()["graph"]
    assert graph["nodes"] > 10_000 and graph["edges"] > graph["nodes"]
    assert all(op["nodes"] > 0 for op in graph["ops"])
    assert sum(op["nodes"] for op in graph["ops"]) < graph["nodes"]  # the rest are the weights themselves


def test_reset_returns_to_the_same_start():
    session = Session(Config(n_embd=8, n_head=2), DOCS)
    first = [session.step()["loss"] for _ in range(3)]
    session.sample(3)
    session.reset()
    assert session.step_count == 0
    assert [session.step()["loss"] for _ in range(3)] == first


def test_long_document_is_truncated_to_block_size():
    session = Session(Config(n_embd=8, n_head=2, block_size=4), ["abcdefghij"])
    event = session.step()
    assert len(event["tokens"]) == 5 and len(event["losses"]) == 4


def test_samples_are_reproducible_and_bounded():
    a, b = Session(Config(n_embd=8, n_head=2, block_size=5), DOCS), Session(Config(n_embd=8, n_head=2, block_size=5), DOCS)
    assert a.sample(10, 1.0) == b.sample(10, 1.0)
    assert all(len(s) <= 5 and set(s) <= set("".join(DOCS)) for s in a.sample(10, 2.0))


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_checkpoint_restore_continues_exactly(engine):
    config = Config(n_embd=8, n_head=2, num_steps=12, engine=engine)
    straight = Session(config, DOCS)
    expected = [straight.step()["loss"] for _ in range(12)]
    first = Session(config, DOCS)
    for _ in range(5):
        first.step()
    first.sample(2)  # the generator moves: the checkpoint must carry it
    saved = json.loads(json.dumps(first.checkpoint()))  # through JSON, as the browser stores it
    resumed = Session.restore(saved, DOCS)
    assert resumed.step_count == 5
    assert [resumed.step()["loss"] for _ in range(7)] == expected[5:]
    assert Session.restore(saved, DOCS).sample(4) == first.sample(4)


def test_restore_refuses_other_data_and_damage():
    session = Session(Config(n_embd=8, n_head=2), DOCS)
    saved = session.checkpoint()
    with pytest.raises(DataError, match="different dataset"):
        Session.restore(saved, DOCS + ["zoe"])
    broken = json.loads(json.dumps(saved))
    broken["state_dict"]["wte"].pop()
    with pytest.raises(SessionError, match="wte"):
        Session.restore(broken, DOCS)
    with pytest.raises(SessionError, match="format"):
        Session.restore({"format": "something else"}, DOCS)


def test_the_run_ends_at_num_steps():
    session = Session(Config(n_embd=8, n_head=2, num_steps=2), DOCS)
    session.step(), session.step()
    with pytest.raises(SessionError, match="num_steps"):
        session.step()


def test_divergence_is_reported_and_leaves_the_weights():
    session = Session(Config(n_embd=8, n_head=2, learning_rate=1.0, num_steps=1000), DOCS)
    with pytest.raises(SessionError, match="diverged.*learning_rate"):
        for _ in range(1000):
            before = json.dumps(session.state_dict)
            session.step("loss")
    assert json.dumps(session.state_dict) == before


@pytest.mark.parametrize(
    "values, field",
    [
        ({"n_embd": 15}, "divisible"),
        ({"n_embd": 0}, "n_embd"),
        ({"n_embd": -4}, "n_embd"),
        ({"n_embd": 16.5}, "n_embd"),
        ({"n_embd": "16"}, "n_embd"),
        ({"n_embd": True}, "n_embd"),
        ({"n_head": 0}, "n_head"),
        ({"n_layer": 0}, "n_layer"),
        ({"n_layer": 13}, "n_layer"),
        ({"block_size": 0}, "block_size"),
        ({"block_size": 10_000}, "block_size"),
        ({"num_steps": 0}, "num_steps"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": -0.01}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"learning_rate": float("inf")}, "learning_rate"),
        ({"temperature": 0}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"seed": -1}, "seed"),
        ({"engine": "torch"}, "engine"),
    ],
)
def test_config_errors_name_the_field_and_range(values, field):
    with pytest.raises(ConfigError, match=field):
        Config(**values)


def test_unknown_config_fields_are_named():
    with pytest.raises(ConfigError, match="n_embed"):
        Config.from_dict({"n_embed": 16})


def test_too_large_for_a_browser():
    with pytest.raises(ConfigError, match=f"{MAX_PARAMS:,}"):
        Session(Config(n_embd=256, n_head=4, n_layer=12), DOCS)


@pytest.mark.parametrize("docs", [[], ["", "  ", "\t"]])
def test_empty_dataset(docs):
    with pytest.raises(DataError, match="no documents"):
        Session(Config(), docs)


def test_text_splitting_matches_the_original():
    text = "emma\r\nolivia\n\n  ava  \rmia\n"
    assert Session.from_text(Config(), text).file_docs == ["emma", "olivia", "ava", "mia"]


def test_unicode_documents_train():
    session = Session(Config(n_embd=8, n_head=2), ["zoë", "chloé", "😀smile", "naïve"])
    assert "😀" in session.vocab
    assert math.isfinite(session.step()["loss"])


@pytest.mark.parametrize("kwargs, match", [({"num_samples": 0}, "num_samples"), ({"temperature": -1}, "temperature")])
def test_sample_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Session(Config(n_embd=8, n_head=2), DOCS).sample(**{"num_samples": 1, **kwargs})
