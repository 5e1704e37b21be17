"""The published numbers of the original program on makemore's names.txt.

That file is on the lab's development machines only (../shared/data); a
user's clone does not have it, and then these tests are skipped.
"""
import pathlib

import pytest

from microgpt_lab import Config, Session

SHARED_NAMES = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "names.txt"

ANCHORS = {1: 3.365967, 2: 3.424273, 3: 3.177802, 4: 3.066356, 5: 3.220883, 1000: 2.649694}
FIRST_SAMPLES = ["kamon", "ann", "karai", "jaire", "vialan"]

pytestmark = pytest.mark.skipif(not SHARED_NAMES.exists(), reason="makemore's names.txt is not beside this clone")


@pytest.fixture(scope="module")
def makemore_text():
    return SHARED_NAMES.read_text(encoding="utf-8")


@pytest.mark.slow  # 1,000 steps
def test_vector_reproduces_the_full_run(makemore_text):
    session = Session.from_text(Config(), makemore_text)
    assert len(session.docs) == 32033 and session.num_params == 4192
    losses = {}
    for _ in range(1000):
        event = session.step("loss")
        losses[event["step"]] = event["loss"]
    for step, loss in ANCHORS.items():
        assert abs(losses[step] - loss) < 5e-7, step  # the anchors are printed to 6 decimals
    assert session.sample(20, 0.5)[:5] == FIRST_SAMPLES


def test_scalar_reproduces_the_first_steps(makemore_text):
    session = Session.from_text(Config(engine="scalar"), makemore_text)
    for step in range(1, 6):
        assert abs(session.step("loss")["loss"] - ANCHORS[step]) < 5e-7
