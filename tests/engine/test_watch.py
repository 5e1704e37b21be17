"""Watching microgpt's code run from outside: each stage's lines found by its formula, lapped as they run."""
import pytest

from microgpt_lab import Config, Session, scalar
from microgpt_lab.instrument import Stages
from microgpt_lab.watch import Watch, stage_lines


def not_microgpt(x):
    y = x + 1
    return y


def test_a_function_without_the_stages_lines_is_refused():
    with pytest.raises(LookupError, match="stage embedding: \"tok_emb = state_dict\\['wte'\\]\\[token_id\\]\" is not a line of not_microgpt"):
        stage_lines((not_microgpt,))


def test_watching_laps_each_stage_and_stops_afterwards():
    session = Session(Config(n_embd=8, n_head=2, engine="scalar"), ["emma", "ava"])
    tokens = session.tokenizer.encode("ava")
    params = scalar.as_values(session.state_dict)
    stages, captured = Stages(), []
    stages.count(scalar.node_count)
    with Watch((scalar.gpt, scalar.forward), stages, {"attn_weights": lambda names, w: captured.append((names["h"], len(w)))}):
        scalar.forward(params, session.config, tokens)
    assert captured == [(0, 1), (1, 1), (0, 2), (1, 2), (0, 3), (1, 3), (0, 4), (1, 4)]  # each head at each position
    assert list(stages.ops)[:2] == ["embedding", "rmsnorm"] and stages.ops["loss"]["nodes"] == 3 * 4 + 5 + 2
    laps = len(stages.ops)
    scalar.forward(params, session.config, tokens)  # unwatched now
    assert len(stages.ops) == laps and stages.ops["loss"]["nodes"] == 3 * 4 + 5 + 2


def test_a_full_step_needs_no_source_files(monkeypatch):
    """In the browser the engine boots from a memory snapshot taken after import, with no
    .py files left: the watched functions' lines must have been read at import."""
    def no_files(function):
        raise OSError("could not get source code")

    monkeypatch.setattr("inspect.getsourcelines", no_files)
    event = Session(Config(n_embd=8, n_head=2, engine="scalar"), ["emma", "ava"]).step("full")
    assert event["graph"]["ops"][0]["name"] == "embedding" and event["attention"]
