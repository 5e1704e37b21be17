"""What a learner can ask of a live model: a matrix with its Adam state, the embedding map, the next token."""
import pytest

from microgpt_lab import Config, Session, probes
from microgpt_lab.probes import ProbeError


@pytest.fixture
def session():
    return Session(Config(n_embd=8, n_head=2), ["emma", "ava", "mia", "zoe"])


def test_matrix_with_its_gradient_and_adam_state(session):
    before = probes.matrix(session, "wte")
    assert before["shape"] == [8, 8] and before["grads"] is None and before["update"] is None
    session.step("loss")
    after = probes.matrix(session, "layer0.attn_wq")
    assert after["weights"][:4] == session.state_dict["layer0.attn_wq"][0][:4] and after["step"] == 1
    assert len(after["grads"]) == len(after["m"]) == len(after["update"]) == 64 and any(after["grads"])
    with pytest.raises(ProbeError, match="no matrix 'wqe'"):
        probes.matrix(session, "wqe")


def test_embedding_map(session):
    emb = probes.embedding_map(session)
    assert emb["labels"][-1] == "BOS" and len(emb["points"]) == 8 and len(emb["points"][0]) == 2
    assert 0 < emb["explained"][1] <= emb["explained"][0] <= 1
    assert probes.embedding_map(session) == emb  # the same model, the same picture


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_next_token(engine):
    session = Session(Config(n_embd=8, n_head=2, block_size=4, engine=engine), ["emma", "ava", "mia", "zoe"])
    probs = probes.next_token(session, "em")["probs"]
    assert len(probs) == 8 and abs(sum(probs) - 1) < 1e-12
    with pytest.raises(ProbeError, match="outside the vocabulary: 'x'"):
        probes.next_token(session, "ex")
    with pytest.raises(ProbeError, match="shorter than block_size"):
        probes.next_token(session, "emma")
