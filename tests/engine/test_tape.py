"""The vector engine's tape: stages named from model.STAGES, walked backwards in reverse."""
import pytest

from microgpt_lab import Config
from microgpt_lab.instrument import Stages
from microgpt_lab.model import stage_names
from microgpt_lab.tape import Tape


def test_records_take_the_stage_names_in_order():
    config = Config(n_layer=2)
    tape = Tape(config)
    for _ in stage_names(config):
        tape.record([[0.0]], (), lambda d: ())
    assert [r.name for r in tape.records] == stage_names(config)
    assert tape.records[3].weights == ["layer0.attn_wq"] and tape.records[0].weights == ["wte", "wpe"]
    with pytest.raises(LookupError, match="more stages than model.STAGES"):
        tape.record([[0.0]], (), lambda d: ())


def test_a_value_read_by_several_stages_gets_their_gradients_summed_in_reading_order():
    stages = Stages()
    tape = Tape(Config(), stages)
    d_x, walked = [], []
    x = tape.record([[1.0]], (), lambda dx: (d_x.append(dx) or [[0.0]], [[0.0]]))  # the embedding: wte's, wpe's
    readers = [tape.record([[0.0]], (x,), lambda d, g=g: (walked.append(g) or [[g]],)) for g in (0.1, 1e16, -1e16)]
    out = tape.record([[0.0]], tuple(readers), lambda d: (d, d, d))
    grads = tape.backward(out, [[1.0]])
    assert walked == [-1e16, 1e16, 0.1]  # the tape walked in reverse
    assert d_x == [[[(0.1 + 1e16) + -1e16]]]  # summed as read: 0.0, where the walk's order would give 0.1
    assert set(grads) == {"wte", "wpe"}
    assert [op["backward_ms"] is not None for op in stages.ops.values()] == [True] * 5
