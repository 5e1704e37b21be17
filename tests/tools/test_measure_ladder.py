"""The ladder's measurement (tools/measure_ladder.py, the README's numbers): its losses are measured as
the engine's counting bigram measures its own, and its smoothed loss is the page's."""
import math

from microgpt_lab import Config, Session, ladder
from tools import measure_ladder

DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail"] * 3


def test_the_bigram_line_is_the_engines_and_a_model_is_measured_the_same_way():
    session = Session(Config(num_steps=5), DOCS)
    assert abs(measure_ladder.bigram_loss(session, session.docs) - session.bigram()["loss"]) < 1e-12
    # A model's loss on the documents, as the line is measured: the mean of each document's own mean.
    per_doc = []
    for doc in session.docs:
        tokens = session.tokenizer.encode(doc)
        losses = session.engine.evaluate(session.state_dict, [tokens], session.config)
        per_doc.append(sum(losses) / len(losses))
    assert measure_ladder.model_loss(session, session.docs) == sum(per_doc) / len(per_doc)


def test_the_smoothed_loss_is_the_pages_debiased_ema():
    assert measure_ladder.ema_beta() == 0.95  # read from web/js/draw/series.js
    # beta 0.5: smoothed 3, then (0.75 + 0.5) / 0.75 = 1.67: below 2 at step 2.
    assert measure_ladder.first_smoothed_below([3, 1, 1], 2, 0.5) == 2
    assert measure_ladder.first_smoothed_below([3, 3], 2, 0.5) is None


def test_every_rung_is_measured():
    result = measure_ladder.measure(ladder.LADDER[0], "\n".join(DOCS), steps=4, every=2, sample_size=5, beta=0.95)
    assert [step for step, _ in result["checkpoints"]] == [2, 4] and result["sample"] == 5
    assert all(math.isfinite(loss) for _, loss in result["checkpoints"]) and len(result["means"]) == 2
