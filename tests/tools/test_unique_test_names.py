"""pytest imports test modules by their file name (rootdir-relative, no packages): two test files
with one name in different folders make it refuse to collect the second, which a run of one
folder never shows. CI met it twice (test_lessons, test_ladder)."""
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_file_has_a_name_of_its_own():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
