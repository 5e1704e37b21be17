"""The model ladder (ladder.py): one table of rungs, each a config the engine trains, carried by the schema."""
from dataclasses import fields

import pytest

from microgpt_lab import Config, Session, ladder
from microgpt_lab.ladder import LADDER, SGD_LEARNING_RATE
from microgpt_lab.model import describe
from microgpt_lab.schema import schema

DEFAULTS = Config()


def test_the_rungs_are_configs_with_the_same_seed_and_steps():
    assert [rung.id for rung in LADDER] == ["bigram", "mlp", "one-head", "four-heads", "adam"]
    assert len({rung.name for rung in LADDER}) == len(LADDER)
    known = {field.name for field in fields(Config)}
    for rung in LADDER:
        assert set(rung.config) <= known - {"seed", "num_steps"}, rung.id  # the same seed and steps for all
        assert all(getattr(DEFAULTS, name) != value for name, value in rung.config.items()), rung.id  # only what differs
        assert rung.adds.endswith(".") and len(rung.adds) < 300, rung.id
        ladder.config(rung).check_size(27)
    assert ladder.config(LADDER[-1]) == DEFAULTS  # the top rung is microgpt as written


def test_each_rung_adds_to_the_one_below():
    """Stage by stage the models grow: no block, an MLP block, attention with one head, with four; then Adam."""
    stages = [[stage["stage"] for stage in describe(ladder.config(rung), 27)["stages"]] for rung in LADDER]
    assert stages[0] == ["embedding", "rmsnorm", "lm_head", "softmax", "loss"]
    assert set(stages[0]) < set(stages[1]) < set(stages[2]) and "attention" in set(stages[2]) - set(stages[1])
    heads = [ladder.config(rung).n_head if ladder.config(rung).has_heads else 0 for rung in LADDER]
    assert heads == [0, 0, 1, 4, 4]
    assert [ladder.config(rung).optimizer for rung in LADDER] == ["sgd"] * 4 + ["adam"]
    assert {ladder.config(rung).learning_rate for rung in LADDER[:4]} == {SGD_LEARNING_RATE}


def test_the_schema_carries_the_ladder():
    assert schema()["ladder"] == [{"id": r.id, "name": r.name, "adds": r.adds, "config": r.config} for r in LADDER]


@pytest.mark.slow  # two whole 1,000-step runs
def test_plain_gradient_descent_learns_at_the_ladders_rate(names_text):
    """The learned bigram's mean loss over steps 901-1000 of the names: at the ladder's SGD rate it learns, at
    microgpt's 0.01 (Adam's rate) it barely does (measured: 2.39 against 2.62)."""
    def tail(**overrides):
        session = Session.from_text(ladder.config(LADDER[0], **overrides), names_text)
        losses = [session.step(level="loss")["loss"] for _ in range(session.config.num_steps)]
        return sum(losses[-100:]) / 100

    assert tail() < tail(learning_rate=DEFAULTS.learning_rate) - 0.15
