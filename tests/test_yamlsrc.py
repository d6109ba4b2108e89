"""Reading YAML with lines: what a read leaves behind in the process."""

from __future__ import annotations

import gc

import yaml
from conftest import FIXTURE_DATA

from wpsgraph.yamlsrc import loads


def _yaml_nodes() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, (yaml.Node, yaml.Mark)))


def test_a_read_keeps_none_of_the_files_yaml_nodes() -> None:
    """A process reads hundreds of plan files (an import worker, a watch session): the
    nodes and marks of each file's YAML go once its value is made. A constructor kept for
    the whole process held every scalar node it had made a value of, about 0.85 MB a
    plan, and the import's workers slowed as they grew."""
    text = (FIXTURE_DATA / "plans" / "fx-nap-2020.yaml").read_text(encoding="utf-8")
    doc = loads(text, "fx-nap-2020.yaml")  # once before counting: whatever a first read sets up
    before = _yaml_nodes()
    for _ in range(5):
        assert loads(text, "fx-nap-2020.yaml") == doc
    assert _yaml_nodes() == before
