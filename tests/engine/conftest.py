"""The engine tests' shared fixtures and helpers (the only place test helpers live)."""
import math
import os
import pathlib
import random
import subprocess
import sys

import pytest

from microgpt_lab import Session
from microgpt_lab.instrument import Stages
from microgpt_lab.ladder import LADDER

ROOT = pathlib.Path(__file__).resolve().parents[2]
NAMES = ROOT / "data" / "names.txt"
DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"]
# The model ladder's rungs (ladder.py, the one table), each a config of the one model, and a deeper model
# without attention that no rung is (two blocks of MLP only).
RUNGS = {**{rung.id: rung.config for rung in LADDER}, "two-mlps-no-attention": {"n_layer": 2, "attention": False}}


@pytest.fixture(scope="session")
def root():
    """The checkout: py/, data/, node_modules/."""
    return ROOT


@pytest.fixture(scope="session")
def names_path():
    return NAMES


@pytest.fixture(scope="session")
def names_text():
    """The lab's default dataset (SSA names of 2018, committed in data/)."""
    return NAMES.read_text(encoding="utf-8")


@pytest.fixture(params=list(RUNGS.values()), ids=list(RUNGS))
def rung(request):
    """Each rung's config fields (the rest are the defaults)."""
    return dict(request.param)


@pytest.fixture
def docs():
    """A few names: small enough for any config, varied enough for every shape."""
    return list(DOCS)


@pytest.fixture(scope="session")
def run_cli():
    """Run `python -m microgpt_lab ARGS...` with this checkout's engine; returns the CompletedProcess."""

    def run(*args):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
        return subprocess.run([sys.executable, "-m", "microgpt_lab", *args], capture_output=True, text=True, timeout=300, env=env)

    return run


class Recorder:
    """A tape for one stage of the vector engine: it keeps what the stage records, so a test can
    call the stage's backward itself."""

    def record(self, output, inputs, backward, **kept):
        self.inputs, self.backward, self.kept = inputs, backward, kept
        return output


@pytest.fixture
def recorder():
    return Recorder()


class GradCheck:
    """Gradients against central finite differences (micrograd's test_engine idea)."""

    H = 1e-6

    def __init__(self):
        self.rng = random.Random(1234)

    def matrix(self, rows, cols):
        return [[self.rng.gauss(0, 1) for _ in range(cols)] for _ in range(rows)]

    def numeric(self, f, X):
        """d f / d X[i][j] by central differences; X is modified in place and restored."""
        grad = []
        for row in X:
            g = []
            for j in range(len(row)):
                keep = row[j]
                row[j] = keep + self.H
                up = f()
                row[j] = keep - self.H
                down = f()
                row[j] = keep
                g.append((up - down) / (2 * self.H))
            grad.append(g)
        return grad

    def check(self, analytic, forward, dY, X, tol=1e-6):
        """`analytic` is d(sum(forward() * dY)) / dX (rows, or flat row-major)."""
        weighted = lambda: sum(y * d for row, drow in zip(forward(), dY) for y, d in zip(row, drow))
        flat_a = [x for row in analytic for x in row] if isinstance(analytic[0], list) else list(analytic)
        flat_n = [x for row in self.numeric(weighted, X) for x in row]
        assert len(flat_a) == len(flat_n)
        for a, n in zip(flat_a, flat_n):
            assert abs(a - n) <= tol * max(1.0, abs(n)), (a, n)

    def model(self, engine, config):
        """Whole model, softmax and cross-entropy through every layer: a few random weights per matrix."""
        session = Session(config, ["emma", "olivia", "ava", "isabella"])
        tokens = session.tokenizer.encode("ava")
        state_dict = session.state_dict

        def loss():
            result = engine.train_step(state_dict, tokens, config, Stages(detail=False))
            return sum(result.losses) / len(result.losses)

        grads = engine.train_step(state_dict, tokens, config, Stages(detail=False)).grads
        picker = random.Random(7)
        for name, mat in state_dict.items():
            n_in = len(mat[0])
            for _ in range(2):
                i, j = picker.randrange(len(mat)), picker.randrange(n_in)
                keep = mat[i][j]
                mat[i][j] = keep + self.H
                up = loss()
                mat[i][j] = keep - self.H
                down = loss()
                mat[i][j] = keep
                numeric = (up - down) / (2 * self.H)
                assert math.isclose(grads[name][i * n_in + j], numeric, rel_tol=1e-5, abs_tol=1e-8), (name, i, j)


@pytest.fixture
def gradcheck():
    return GradCheck()


def flat(value):
    """Every number of a nested list or dict, in order (names and None left out)."""
    if isinstance(value, dict):
        return [x for key in value for x in flat(value[key])]
    if isinstance(value, list):
        return [x for item in value for x in flat(item)]
    return [value] if isinstance(value, (int, float)) else []


@pytest.fixture(scope="session")
def numbers_close():
    """close(a, b, tol=1e-9): two nested results have as many numbers, each pair within tol."""

    def close(a, b, tol=1e-9):
        a, b = flat(a), flat(b)
        return len(a) == len(b) and all(abs(x - y) < tol for x, y in zip(a, b))

    return close
