import pathlib
import random

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
