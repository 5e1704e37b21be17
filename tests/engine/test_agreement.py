"""The two engines compute the same numbers (1e-9), on configs that stress every shape."""
import pytest

from microgpt_lab import Config, Session

STEPS = 20
PUNCTUATED = ["r2-d2", "c3po!", "k.i.t.t.", "hal 9000", "wall-e", "t-800?", "ava", "bb-8", "jarvis", "data", "tars", "eve"]


@pytest.mark.parametrize(
    "overrides, docs",
    [
        ({"n_layer": 2}, None),
        ({"n_head": 1}, None),
        ({"n_head": 8}, None),
        ({"block_size": 4}, None),  # shorter than most documents: truncated as the original does
        ({}, PUNCTUATED),  # digits, punctuation and spaces in the vocabulary
    ],
    ids=["n_layer2", "n_head1", "n_head8", "block_size4", "punctuation"],
)
def test_scalar_and_vector_agree(names_text, overrides, docs):
    docs = docs or names_text.split()[:300]
    config = {"n_embd": 8 if overrides.get("n_head") != 8 else 16, "num_steps": STEPS, **overrides}
    scalar = Session(Config(engine="scalar", **config), docs)
    vector = Session(Config(engine="vector", **config), docs)
    for _ in range(STEPS):
        a, b = scalar.step(), vector.step()
        assert a["doc"] == b["doc"] and a["tokens"] == b["tokens"]
        assert abs(a["loss"] - b["loss"]) < 1e-9
        assert all(abs(x - y) < 1e-9 for x, y in zip(a["losses"], b["losses"]))
        for layer_a, layer_b in zip(a["attention"], b["attention"]):
            for head_a, head_b in zip(layer_a, layer_b):
                assert all(abs(x - y) < 1e-9 for row_a, row_b in zip(head_a, head_b) for x, y in zip(row_a, row_b))
        assert [p["ids"] for p in a["topk"]] == [p["ids"] for p in b["topk"]]
    for name, mat in scalar.state_dict.items():
        assert all(abs(x - y) < 1e-9 for row_a, row_b in zip(mat, vector.state_dict[name]) for x, y in zip(row_a, row_b))
    assert scalar.sample(5, 0.7) == vector.sample(5, 0.7)
