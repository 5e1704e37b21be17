"""The trace format: trace.check names the first problem of a damaged trace; a good one passes."""
import json

import pytest

from microgpt_lab import Config, Session, trace


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t.update(format="other"), "not a microgpt-lab-trace"),
        (lambda t: t.update(version=99), "version 99"),
        (lambda t: t["config"].update(n_embd=15), "config: n_embd"),
        (lambda t: t["steps"].reverse(), "steps\\[1\\]"),
        (lambda t: t["steps"][0].update(loss=float("nan")), "finite"),
        (lambda t: t.update(steps={}), "steps must be a list"),
        (lambda t: t["steps"][1].update(step=10**6), "steps\\[1\\].step must be an integer from 2 to 1000"),
        (lambda t: t["steps"][0].update(tokens=[0, 99]), "steps\\[0\\].tokens\\[1\\] must be an integer from 0 to 4"),
        (lambda t: t["steps"][0].update(doc={"x": 1}), "steps\\[0\\].doc must be a text"),
        (lambda t: t["steps"][0].update(attention=[[["x"]]]), "attention"),
        (lambda t: t["steps"][0].update(topk=[{"probs": [float("inf")]}]), "topk"),
        (lambda t: t["dataset"].update(vocab=["ab"]), "single characters"),
        (lambda t: t["samples"].append({"step": 1, "temperature": 0.5, "samples": [3]}), "samples\\[0\\]"),
        # a batch holds at most what one sample request draws (config.MAX_SAMPLES)
        (lambda t: t["samples"].append({"step": 1, "temperature": 0.5, "samples": ["ava"] * 1001}),
         "samples\\[0\\].samples must be a list of 0 to 1,000 items"),
    ],
)
def test_trace_check_names_the_problem(mutate, message):
    data = {**trace.header(Session(Config(n_embd=8, n_head=2), ["emma", "ava"])), "steps": [{"step": 1, "loss": 3.3}, {"step": 2, "loss": 3.1}], "samples": []}
    mutate(data)
    with pytest.raises(trace.TraceError, match=message):
        trace.check(data)



def test_a_written_trace_checks_and_survives_json(docs):
    session = Session(Config(n_embd=8, n_head=2, num_steps=3), docs)
    steps = [session.step("full"), session.step("loss")]
    data = json.loads(json.dumps(trace.make(trace.header(session), steps, [{"step": 2, "temperature": 0.5, "samples": ["ava"]}])))
    assert trace.check(data) == session.config
    assert data["dataset"]["vocab"] == session.vocab and data["format"] == trace.FORMAT and data["version"] == trace.VERSION


def test_every_rung_round_trips(rung, docs):
    session = Session(Config(**{"n_embd": 8, "num_steps": 3, **rung}), docs)
    steps = [session.step("full"), session.step("loss")]
    data = json.loads(json.dumps(trace.make(trace.header(session), steps, [])))
    assert trace.check(data) == session.config
    assert data["config"]["attention"] == session.config.attention and data["config"]["optimizer"] == session.config.optimizer
    assert [op["name"] for op in data["steps"][0]["graph"]["ops"]] == [s["name"] for s in data["model"]["stages"]]


def test_a_trace_from_before_the_rungs_imports_as_the_default_model(docs):
    """Traces written before attention and optimizer existed have neither: they are microgpt's model."""
    session = Session(Config(n_embd=8, n_head=2, num_steps=3), docs)
    data = json.loads(json.dumps(trace.make(trace.header(session), [session.step("full")], [])))
    for key in ("attention", "optimizer"):
        del data["config"][key]
    del data["model"]
    config = trace.check(data)
    assert (config.attention, config.optimizer) == (True, "adam") and config == session.config


def test_attention_must_match_the_rung(docs):
    session = Session(Config(n_embd=8, n_head=2, num_steps=3, attention=False), docs)
    data = json.loads(json.dumps(trace.make(trace.header(session), [session.step("full")], [])))
    data["steps"][0]["attention"] = [[[[1.0]]]]
    with pytest.raises(trace.TraceError, match="attention must be a list of exactly 0 items"):
        trace.check(data)


def test_the_size_limit_is_in_bytes_as_a_file_counts_them():
    """A text under the limit in characters but over it in UTF-8 bytes (3 per character here) is refused
    as the page refuses such a file, before any JSON is read."""
    euros = "\u20ac" * (trace.MAX_BYTES // 3 + 1)
    assert len(euros) < trace.MAX_BYTES
    with pytest.raises(trace.TraceError, match=r"^the trace is 104,857,602 bytes, over the limit of 104,857,600 bytes \(100 MB\)$"):
        trace.parse(euros)
    trace.check_size(trace.MAX_BYTES)  # at the limit: accepted
    with pytest.raises(trace.TraceError, match=r"^the file is 104,857,601 bytes, over the limit of 104,857,600 bytes"):
        trace.check_size(trace.MAX_BYTES + 1)
