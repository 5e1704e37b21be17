"""Config: every field checked against its range, with a message naming it; the field table."""
from dataclasses import fields

import pytest

from microgpt_lab import Config, ConfigError, Session
from microgpt_lab.config import CHOICES, FIELDS, LIMITS, MAX_PARAMS


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
        ({"n_layer": -1}, "n_layer"),
        ({"attention": "false"}, "attention must be true or false"),
        ({"attention": 0}, "attention must be true or false"),
        ({"optimizer": "sgdd"}, "optimizer must be one of adam, sgd"),
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
        ({"temperature": 1e-310}, "temperature must be a number greater than 0.001"),  # sampling overflowed
        ({"temperature": 10**400}, "temperature must be a number"),  # OverflowError naming no field
        ({"learning_rate": 10**400}, "learning_rate must be a number"),
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


def test_too_large_for_a_browser(docs):
    with pytest.raises(ConfigError, match=f"{MAX_PARAMS:,}"):
        Session(Config(n_embd=256, n_head=4, n_layer=12), docs)




def test_every_field_is_described_and_bounded():
    assert list(FIELDS) == [field.name for field in fields(Config)]
    assert all(label and help.endswith(".") for label, help in FIELDS.values())
    switches = {field.name for field in fields(Config) if field.type is bool}
    assert switches == {"attention"} and set(LIMITS) | set(CHOICES) | switches == set(FIELDS)


def test_from_dict_round_trips_and_refuses_a_non_object():
    config = Config(n_embd=8, n_head=2, learning_rate=0.02, engine="scalar")
    assert Config.from_dict(config.to_dict()) == config
    assert Config.from_dict({"learning_rate": 1}).learning_rate == 1  # JSON writes 1.0 as 1
    with pytest.raises(ConfigError, match="must be an object of fields, got list"):
        Config.from_dict([])


def test_the_default_model_has_microgpts_size():
    config = Config()
    assert config.head_dim == 4 and config.num_params(27) == 4192
    assert (config.attention, config.optimizer) == (True, "adam")


def test_the_size_follows_the_rung():
    embeddings = (27 + 16 + 27) * 16  # wte, wpe, lm_head
    assert Config(n_layer=0).num_params(27) == embeddings
    assert Config(attention=False).num_params(27) == embeddings + 2 * 4 * 16 * 16  # mlp_fc1, mlp_fc2
    assert Config(n_layer=2).num_params(27) == embeddings + 2 * 12 * 16 * 16


def test_heads_must_divide_n_embd_only_where_there_is_attention():
    assert Config(n_embd=15, attention=False).n_embd == 15 and Config(n_embd=15, n_layer=0).n_embd == 15


def test_sampling_at_the_lowest_temperature_cannot_overflow(docs):
    session = Session(Config(temperature=0.0011, n_embd=8, n_head=2), docs)
    session.step("loss")
    assert all(isinstance(name, str) for name in session.sample(5))
