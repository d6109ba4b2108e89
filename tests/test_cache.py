"""Incremental builds: unchanged plans come from the cache, and the result is the same."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyoxigraph as ox
from conftest import REPO, second_plan

from wpsgraph.build import Project, build_graph


def _ground(store: ox.Store) -> set[str]:
    return {
        str(q)
        for q in store
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def test_unchanged_plans_come_from_the_cache(fixture_copy: Path, tmp_path: Path) -> None:
    second = second_plan(fixture_copy)
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


def test_a_plan_whose_source_document_is_gone_is_not_served_from_the_cache(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """The importer requires a plan's source document in data/sources/: the key covers
    which documents are there, so a plan read back from the cache fails as an imported one
    does once its document is removed (and is served again once it is back)."""
    import pytest

    from wpsgraph.errors import DataError

    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    build_graph(project, cache=cache)
    assert build_graph(project, cache=cache).reused == 1
    document = fixture_copy / "sources" / "fixture.txt"
    kept = document.read_bytes()
    document.unlink()
    with pytest.raises(DataError, match=r"no source document 'fixture\.txt'"):
        build_graph(project, cache=cache)
    document.write_bytes(kept)
    assert build_graph(project, cache=cache).reused == 1


def _results(report: object) -> set[tuple[object, ...]]:
    return {(r.severity, r.node, r.message, r.focus) for r in report.results}  # type: ignore[attr-defined]


def test_only_the_changed_plan_is_validated_again(fixture_copy: Path, tmp_path: Path) -> None:
    """The merged report (cached results of unchanged plans, shared results, and a fresh
    validation of the changed plan) equals a full validation, warnings and all."""
    second = second_plan(fixture_copy)
    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    full = build_graph(project, cache=cache)
    assert full.revalidated == ["fx-nap-2020", "fx-nap-2021"]
    assert _results(full.report) == _results(build_graph(project).report)
    assert any(r.focus.endswith("fx-nap-2021/action/2-b") for r in full.report.warnings)
    # 1.b loses its actors in the second plan: a new warning, on that plan only.
    second.write_text(
        second.read_text().replace("        actors: [fx-foreign-affairs, fx-defence]\n", "", 1)
    )
    changed = build_graph(project, cache=cache)
    assert changed.reused == 1
    assert changed.revalidated == ["fx-nap-2021"]
    expected = _results(build_graph(project).report)
    assert _results(changed.report) == expected
    new = [r for r in changed.report.warnings if r.focus.endswith("fx-nap-2021/action/1-b")]
    assert new and not any(r.focus.endswith("fx-nap-2020/action/1-b") for r in new)
    # Nothing changed: nothing is validated, and the report is still whole.
    again = build_graph(project, cache=cache)
    assert again.revalidated == []
    assert _results(again.report) == expected


def test_a_cached_violation_still_fails_the_build(fixture_copy: Path, tmp_path: Path) -> None:
    import pytest

    from wpsgraph.build import ValidationFailed

    root, cache = tmp_path / "root", tmp_path / "cache"
    shapes = root / "shapes"
    shutil.copytree(REPO / "shapes", shapes)
    (root / "ontology").symlink_to(REPO / "ontology")
    # a shape the fixture breaks: every action needs a responsible actor
    (shapes / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "<urn:strict> a sh:NodeShape ; sh:targetClass wps:Action ;\n"
        "  sh:property [ sh:path wps:responsibleActor ; sh:minCount 1 ] .\n"
    )
    project = Project(root, data_dir=fixture_copy)
    for _ in range(2):  # the second time the plan's results come from the cache
        with pytest.raises(ValidationFailed, match=r"action 2\.b"):
            build_graph(project, cache=cache)


def test_the_cache_keeps_a_plans_entry_of_before_its_last_change(tmp_path: Path) -> None:
    """Two entries per plan file at most: the current one and the one last used before it
    (which an incremental site reads to tell what the plan showed before its change); an
    entry of another plan file whose name starts alike is left alone."""
    from wpsgraph.cache import CachedPlan, PlanCache

    cache = PlanCache(tmp_path / "cache", "shared")
    plan, other = tmp_path / "p.yaml", tmp_path / "p.x.yaml"
    other.write_text("other")
    cache.put(other, CachedPlan("x", "p.x.yaml", b"<x> <y> <z> .\n", {}))
    keys = []
    for version in range(3):
        plan.write_text(f"version {version}")
        keys.append(cache.key(plan))
        cache.put(plan, CachedPlan("p", "p.yaml", f"v{version}".encode(), {}))
        time.sleep(0.01)  # the entries' times tell the newer from the older
    assert cache.nquads(plan, keys[2]) == b"v2"
    assert cache.nquads(plan, keys[1]) == b"v1"
    assert cache.nquads(plan, keys[0]) is None
    assert cache.nquads(other, cache.key(other)) == b"<x> <y> <z> .\n"
    # p's two, each in the folder of its file, and p.x's one in its own
    assert len(list((tmp_path / "cache" / "plans" / "p.yaml").glob("*.nq"))) == 2
    assert len(list((tmp_path / "cache" / "plans").rglob("*.nq"))) == 3
    hit = cache.get(plan)
    assert hit is not None and hit.nquads == b"v2"
    # back to version 1 (read from the cache, not written), then a new version: the entry
    # kept beside it is version 1's, the one the last build used
    plan.write_text("version 1")
    time.sleep(0.01)
    hit = cache.get(plan)
    assert hit is not None and hit.nquads == b"v1"
    time.sleep(0.01)
    plan.write_text("version 3")
    cache.put(plan, CachedPlan("p", "p.yaml", b"v3", {}))
    assert cache.nquads(plan, keys[1]) == b"v1"
    assert cache.nquads(plan, keys[2]) is None


def test_a_cache_drops_the_entries_it_kept_before_its_folder_per_plan(tmp_path: Path) -> None:
    """Entries of a cache from before its folder per plan file (``<stem>.<key>.nq`` side
    by side) are removed, no build reading them; the shared results, the dumps' and the
    templates' folders, and any other file are left."""
    from wpsgraph.cache import PlanCache

    folder = tmp_path / "cache"
    key = "0123456789abcdef" * 2
    flat = [f"p.{key}.nq", f"p.{key}.json", f"p.x.{key}.results.json", f"q.{key}.tmp"]
    kept = [f"_shared.{key}.results.json", "notes.txt", f"p.{key[:31]}.nq"]
    (folder / "dumps").mkdir(parents=True)
    for name in flat + kept:
        (folder / name).write_text("x")
    PlanCache(folder, "shared")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*kept, "dumps", "plans"])


def test_a_damaged_cache_entry_is_a_miss_and_is_put_back(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """An entry the cache cannot read whole (metadata cut short as when the machine
    stopped mid-write, N-Quads of another size than the metadata says, validation results
    that are not ours) is not served: the plan is imported (or validated) again, the
    graph is the one a build without the cache makes, and the entry is written anew."""
    second_plan(fixture_copy)
    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    first = build_graph(project, cache=cache)
    expected = _ground(first.store)
    assert first.report.results  # warnings, compared below
    entries = {p.name: p for p in (cache / "plans").iterdir()}
    meta = next(p for p in entries["fx-nap-2020.yaml"].glob("*.json") if ".results" not in p.name)
    nq = next(entries["fx-nap-2021.yaml"].glob("*.nq"))
    meta.write_text(meta.read_text()[:20])  # cut short
    nq.write_bytes(nq.read_bytes()[:-100])  # cut short, still valid lines up to there
    damaged = build_graph(project, cache=cache)
    assert damaged.reused == 0  # both imported again
    assert _ground(damaged.store) == expected
    assert build_graph(project, cache=cache).reused == 2  # both put back whole

    results = next(entries["fx-nap-2020.yaml"].glob("*.results.json"))
    results.write_text('[["no such severity"]]')
    revalidated = build_graph(project, cache=cache)
    assert revalidated.reused == 2
    assert "fx-nap-2020" in revalidated.revalidated
    assert [str(r) for r in revalidated.report.results] == [str(r) for r in first.report.results]
    assert build_graph(project, cache=cache).revalidated == []
