"""The engine interface: both engines implement it, and microgpt's loop body drives either."""
import pytest

from microgpt_lab import Config, Session, scalar, vector
from microgpt_lab.engine import Engine
from microgpt_lab.instrument import Stages
from microgpt_lab.session import microgpt_step


@pytest.mark.parametrize("engine", [scalar, vector])
def test_both_engines_implement_the_interface(engine):
    assert isinstance(engine, Engine)


def test_the_loop_body_is_what_a_session_step_does(docs):
    """Session.step adds instrumentation around microgpt_step and changes no number."""
    config = Config(n_embd=8, n_head=2, num_steps=5)
    session, bare = Session(config, docs), Session(config, docs)
    for step in range(5):
        event = session.step("full")
        tokens = bare.tokenizer.encode(bare.docs[step])
        result, lr_t = microgpt_step(bare.engine, bare.optimizer, bare.state_dict, config, tokens, step, Stages(detail=False))
        assert (event["loss"], event["losses"], event["lr"]) == (result.loss, result.losses, lr_t)
    assert session.state_dict == bare.state_dict
