"""What a step tells the page beyond the loss: stage times and top-k predictions."""
from microgpt_lab.instrument import Stages, top_k


def test_top_k_ranks_the_target_even_outside_the_top():
    probs = [0.1, 0.4, 0.05, 0.3, 0.15]
    top = top_k(probs, 2, 3)
    assert top["ids"] == [1, 3, 4] and top["probs"] == [0.4, 0.3, 0.15]
    assert top["target"] == 2 and top["target_prob"] == 0.05 and top["target_rank"] == 4


def test_stages_keep_first_reached_order_and_add_up_repeats():
    nodes = iter([0, 10, 15, 40, 40])  # read at the start and at every lap
    stages = Stages()
    stages.count(lambda: next(nodes))
    stages.lap("embedding", "embedding")
    stages.lap("layer0.attn", "attention")
    stages.lap("embedding", "embedding")
    stages.lap_backward("layer0.attn")
    assert list(stages.ops) == ["embedding", "layer0.attn"]
    assert stages.ops["embedding"]["nodes"] == 10 + 25 and stages.ops["layer0.attn"]["nodes"] == 5
    assert stages.ops["embedding"]["backward_ms"] is None
    assert set(stages.totals) == {"forward_ms", "backward_ms", "optimizer_ms"}
    # every lap's time goes to its stage and to its phase's total, none lost or counted twice
    forward = sum(op["forward_ms"] for op in stages.ops.values())
    assert abs(forward - stages.totals["forward_ms"]) < 1e-9
    assert stages.ops["layer0.attn"]["backward_ms"] == stages.totals["backward_ms"]
