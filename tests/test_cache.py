"""Incremental builds: unchanged plans come from the cache, and the result is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
from conftest import REPO

from wpsgraph.build import Project, build_graph


def _ground(store: ox.Store) -> set[str]:
    return {
        str(q)
        for q in store
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def _two_plans(data: Path) -> Path:
    plan = data / "plans" / "fx-nap-2020.yaml"
    second = data / "plans" / "fx-nap-2021.yaml"
    second.write_text(plan.read_text().replace("id: fx-nap-2020", "id: fx-nap-2021"))
    return second


def test_unchanged_plans_come_from_the_cache(fixture_copy: Path, tmp_path: Path) -> None:
    second = _two_plans(fixture_copy)
    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    first = build_graph(project, cache=cache)
    assert first.reused == 0
    again = build_graph(project, cache=cache)
    assert again.reused == 2
    assert _ground(again.store) == _ground(first.store)
    assert again.located == first.located
    # One plan changes: only it is imported and linked again.
    second.write_text(
        second.read_text().replace(
            "Fund women's organisations", "Fund women's organisations and networks"
        )
    )
    changed = build_graph(project, cache=cache)
    assert changed.reused == 1
    assert [p.plan_id for p in changed.plans if p.data is not None] == ["fx-nap-2021"]
    assert _ground(changed.store) == _ground(build_graph(project).store)


def test_the_key_covers_the_shared_inputs(fixture_copy: Path, tmp_path: Path) -> None:
    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    build_graph(project, cache=cache)
    assert build_graph(project, cache=cache).reused == 1
    # A theme rule changes: the links of every plan may change, so nothing is reused.
    themes = fixture_copy / "reference" / "themes.yaml"
    themes.write_text(themes.read_text().replace('"curriculum"', '"curriculum", "mediators"'))
    rebuilt = build_graph(project, cache=cache)
    assert rebuilt.reused == 0
    assert _ground(rebuilt.store) == _ground(build_graph(project).store)


def test_a_broken_plan_is_never_served_from_the_cache(fixture_copy: Path, tmp_path: Path) -> None:
    import pytest

    from wpsgraph.errors import DataError

    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    build_graph(project, cache=cache)
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    plan.write_text(plan.read_text().replace("actors: [fx-justice]", "actors: [nobody]"))
    with pytest.raises(DataError):
        build_graph(project, cache=cache)
    shutil.rmtree(cache)
    with pytest.raises(DataError):
        build_graph(project, cache=cache)
