"""The benchmark's medians of several runs (bench/run.py): timings are never measured
in the tests, but how the runs' figures are combined is plain code."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from run import median_of


def test_median_of_runs() -> None:
    runs = [
        {"total": 9.0, "pages": 10, "stages": {"site": 5.0}, "file": "a", "rss": 3},
        {"total": 1.0, "pages": 10, "stages": {"site": 7.0}, "file": "b", "rss": 1},
        {"total": 4.0, "pages": 10, "stages": {"site": 6.0}, "file": "c", "rss": 2},
    ]
    merged = median_of(runs)
    assert merged["total"] == 4.0
    assert merged["stages"] == {"site": 6.0}
    assert merged["pages"] == 10 and merged["rss"] == 2
    assert merged["file"] == "a"  # not a number: the first run's
    assert merged["runs"] == runs


def test_median_of_two_keeps_counts_whole() -> None:
    merged = median_of([{"n": 3, "t": 1.0}, {"n": 5, "t": 2.0}])
    assert merged["n"] == 3 and isinstance(merged["n"], int)
    assert merged["t"] == 1.5


def test_one_run_is_itself() -> None:
    run = {"total": 2.0}
    assert median_of([run]) is run
