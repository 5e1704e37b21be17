"""config.held_out: documents kept out of training, and the loss measured on them now and then."""
import json

import pytest

from microgpt_lab import Config, ConfigError, DataError, Session, trace, worker
from microgpt_lab.instrument import Stages
from microgpt_lab.schema import schema
from microgpt_lab.session import HELD_OUT_DOCS, HELD_OUT_EVERY

SMALL = dict(n_embd=8, n_head=2)


def test_off_by_default_and_then_nothing_changes(docs):
    assert Config().held_out == 0
    default, explicit = Session(Config(**SMALL), docs), Session(Config(**SMALL, held_out=0), docs)
    assert default.held_out_docs == [] and len(default.docs) == len(docs)
    for _ in range(3):
        a, b = default.step("full"), explicit.step("full")
        assert "held_out_loss" not in a
        timeless = lambda event: {k: v for k, v in event.items() if k not in ("time", "graph")}
        assert timeless(a) == timeless(b) and a["graph"]["ops"][0]["name"] == "embedding"


def test_the_last_documents_of_the_shuffle_are_kept_out(docs):
    everything = Session(Config(**SMALL, num_steps=20), docs)
    split = Session(Config(**SMALL, num_steps=20, held_out=0.25), docs)
    assert split.docs + split.held_out_docs == everything.docs and len(split.held_out_docs) == 2
    trained = [split.step("loss") for _ in range(20)]
    assert not {event["doc"] for event in trained} & set(split.held_out_docs)
    assert [event["doc"] for event in trained[:6]] == [event["doc"] for event in trained[6:12]]  # cycles over 6
    # same shuffle, same initial weights: the steps both sessions train on the same documents agree exactly
    assert [event["losses"] for event in trained[:6]] == [everything.step("loss")["losses"] for _ in range(6)]


@pytest.mark.parametrize("share, count", [(0.01, 1), (0.1, 1), (0.2, 2), (0.5, 4)])
def test_round_share_of_the_documents_at_least_one(share, count, docs):
    assert len(Session(Config(**SMALL, held_out=share), docs).held_out_docs) == count


def test_measured_on_step_1_every_so_often_and_the_last(docs):
    num_steps = HELD_OUT_EVERY + 3
    session = Session(Config(**SMALL, num_steps=num_steps, held_out=0.25), docs)
    weights = []  # the weights each step's loss is computed with
    events = []
    for _ in range(num_steps):
        weights.append(dict(session.state_dict))  # Adam gives each matrix new rows
        events.append(session.step("loss"))
    measured = {event["step"]: event["held_out_loss"] for event in events if "held_out_loss" in event}
    assert sorted(measured) == [1, HELD_OUT_EVERY, num_steps]
    assert schema()["held_out"] == {"every": HELD_OUT_EVERY, "docs": HELD_OUT_DOCS}
    for step, held_out_loss in measured.items():
        losses = [loss for doc in session.held_out_docs[:HELD_OUT_DOCS] for loss in session.engine.train_step(
            weights[step - 1], session.tokenizer.encode(doc), session.config, Stages(detail=False)).losses]
        assert held_out_loss == pytest.approx(sum(losses) / len(losses), rel=1e-12)


def test_the_engines_agree(docs):
    by = {}
    for engine in ("scalar", "vector"):
        session = Session(Config(**SMALL, num_steps=2, held_out=0.25, engine=engine), docs)
        by[engine] = [session.step("loss")["held_out_loss"] for _ in range(2)]
    assert by["scalar"] == pytest.approx(by["vector"], abs=1e-9)


def test_bad_shares_are_named(docs):
    for bad in (-0.1, 0.6, float("nan"), "0.1", True):
        with pytest.raises(ConfigError, match="held_out must be a number at least 0 and at most 0.5"):
            Config(held_out=bad)
    with pytest.raises(DataError, match="held_out 0.5 would keep the dataset's only document out of training"):
        Session(Config(**SMALL, held_out=0.5), ["emma"])


def test_the_trace_and_checkpoint_record_it_and_old_ones_load_with_0(docs):
    config = Config(**SMALL, num_steps=4, held_out=0.25)
    session = Session(config, docs)
    steps = [session.step("loss") for _ in range(2)]
    data = json.loads(json.dumps(trace.make(trace.header(session), steps, [])))
    assert trace.check(data) == config and data["config"]["held_out"] == 0.25
    data["steps"][0]["held_out_loss"] = "low"
    with pytest.raises(trace.TraceError, match="held_out_loss must be a finite number"):
        trace.check(data)
    resumed = Session.restore(json.loads(json.dumps(session.checkpoint())), docs)
    assert resumed.held_out_docs == session.held_out_docs
    continued, straight = [resumed.step("loss") for _ in range(2)], [session.step("loss") for _ in range(2)]
    assert [e["losses"] for e in continued] == [e["losses"] for e in straight]
    assert continued[1]["held_out_loss"] == straight[1]["held_out_loss"]  # the last step, 4
    old = Session(Config(**SMALL), docs).checkpoint()
    del old["config"]["held_out"]
    assert Session.restore(old, docs).config.held_out == 0
    old_trace = {**trace.header(Session(Config(**SMALL), docs)), "steps": [], "samples": []}
    del old_trace["config"]["held_out"]
    assert trace.check(old_trace).held_out == 0


def test_the_command_line_takes_it(tmp_path, names_path, run_cli):
    out = tmp_path / "run.json"
    result = run_cli("train", "--data", str(names_path), "--steps", "3", "--n-embd", "8", "--held-out", "0.1",
                     "--trace", str(out), "--samples", "0")
    assert result.returncode == 0, result.stderr
    assert "held out: " in result.stdout and "| held-out loss " in result.stdout
    data = json.loads(out.read_text())
    assert data["config"]["held_out"] == 0.1
    assert [("held_out_loss" in step) for step in data["steps"]] == [True, False, True]
    bad = run_cli("train", "--data", str(names_path), "--held-out", "0.7")
    assert bad.returncode == 2 and "held_out must be a number at least 0 and at most 0.5" in bad.stderr


def test_the_worker_says_how_many_are_held_out():
    summary = json.loads(worker.call("open", json.dumps(
        {"session": "h1", "config": {**SMALL, "held_out": 0.25}, "text": "emma\nava\nmia\nzoe\n"})))
    assert summary["num_docs"] == 4 and summary["num_held_out"] == 1 and summary["config"]["held_out"] == 0.25
    worker.call("close", json.dumps({"session": "h1"}))
