"""Import and link on every core (wpsgraph.workers) give what the serial path gives.

The corpus has five plans, fewer than the forking threshold, so the tests lower it: the
same files then go through forked workers and N-Quads bytes, and the plans, links,
locations, cache entries and errors must be the same as in one process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO, second_plan

from wpsgraph import workers
from wpsgraph.build import Project, build_graph
from wpsgraph.cache import PlanCache
from wpsgraph.errors import DataError
from wpsgraph.reference import load_reference
from wpsgraph.themes import load_themes
from wpsgraph.vocab import DEFAULT_BASE, Iris

pytestmark = pytest.mark.skipif(
    "fork" not in mp.get_all_start_methods() or (os.cpu_count() or 1) < 2,
    reason="the parallel import forks, and needs two cores",
)


def _both(data: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None = None):
    ids = Iris(DEFAULT_BASE)
    ref = load_reference(data, ids)
    themes = load_themes(data, ref, ids)
    files = sorted((data / "plans").glob("*.yaml"))
    runs = []
    for threshold in (10**6, 1):  # serial, then forked
        monkeypatch.setattr(workers, "MIN_FILES", threshold)
        plan_cache = PlanCache(cache / str(threshold), "shared") if cache else None
        timings: dict[str, float] = {}
        try:
            got = workers.import_and_link(files, data, ref, themes, ids, plan_cache, timings)
        except DataError as exc:
            runs.append(exc.issues)
            continue
        runs.append((got, timings))
    return runs


def _canon(quads: list[ox.Quad]) -> list[str]:
    return sorted(str(q) for q in quads)


def test_forked_import_equals_the_serial_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (serial, st), (forked, ft) = _both(REPO / "data", monkeypatch, tmp_path)
    assert [p.plan_id for p in forked.plans] == [p.plan_id for p in serial.plans]
    assert len(serial.plans) == 5
    for s, f in zip(serial.plans, forked.plans, strict=True):
        assert (f.file, f.display, f.graph) == (s.file, s.display, s.graph)
        # the forked plan comes as N-Quads bytes (plan and links graphs), the serial one
        # as quads and links
        assert f.nquads and s.nquads is None
        mine = f.with_links(forked.links[f.plan_id])
        assert _canon(mine) == _canon(s.with_links(serial.links[s.plan_id]))
        assert f.located == s.located
        links_graph = ox.NamedNode(f"{DEFAULT_BASE}/graph/links/{f.plan_id}")
        assert any(q.graph_name == links_graph for q in mine)  # every real plan has links

    # the workers wrote the same cache entries as the serial import
    def entries(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    forked_entries = entries(tmp_path / "1")
    assert len(forked_entries) == 2 * 5  # N-Quads and metadata, for each plan
    assert forked_entries == entries(tmp_path / str(10**6))
    # both stages are timed in both modes
    assert st["import"] > 0 and st["link"] > 0 and ft["import"] > 0 and ft["link"] > 0


def test_forked_import_reports_every_broken_file_in_order(
    fixture_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = second_plan(fixture_copy)
    first = fixture_copy / "plans" / "fx-nap-2020.yaml"
    first.write_text(first.read_text().replace("actors: [fx-justice]", "actors: [nobody]"))
    second.write_text(second.read_text().replace("actors: [fx-justice]", "actors: [nobody2]"))
    serial, forked = _both(fixture_copy, monkeypatch)
    assert forked == serial  # the same issues (file, line, node, message), same order
    text = [str(i) for i in forked]
    assert any("fx-nap-2020.yaml" in t and "nobody" in t for t in text)
    assert any("fx-nap-2021.yaml" in t and "nobody2" in t for t in text)


def test_a_build_with_forked_import_has_the_same_graph(
    fixture_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    serial = build_graph(project)
    monkeypatch.setattr(workers, "MIN_FILES", 1)
    forked = build_graph(project)
    assert len(forked.store) == len(serial.store) > 0
    # blank nodes (the ontology's class expressions) get new labels in every build

    def ground(store: ox.Store) -> list[str]:
        return [t for t in _canon(list(store)) if "_:" not in t]

    assert ground(forked.store) == ground(serial.store)
    assert any("/graph/plan/fx-nap-2021>" in t for t in ground(forked.store))
    assert forked.report.text() == serial.report.text()
