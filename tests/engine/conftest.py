import os
import pathlib
import random
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NAMES = ROOT / "data" / "names.txt"


@pytest.fixture(scope="session")
def names_path():
    return NAMES


@pytest.fixture(scope="session")
def names_text():
    """The lab's default dataset (SSA names of 2018, committed in data/)."""
    return NAMES.read_text(encoding="utf-8")


@pytest.fixture
def rng():
    return random.Random(1234)


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
