"""The build's quads in load order: the site graph is grouped from them (while the store
loads), so they must hold what the store holds, in an order that does not depend on
whether a plan was imported or read back from the cache."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from conftest import REPO, second_plan

from wpsgraph.build import BuildResult, Project, build_graph
from wpsgraph.site.graph import Graph
from wpsgraph.site.rdftext import resource_texts
from wpsgraph.vocab import wps

BLANK = re.compile(r"_:\w+")


def _grouped(graph: Graph) -> dict[str, tuple[list[str], list[str]]]:
    return {
        iri: (
            sorted(resource_texts(r)[0].decode().splitlines()),
            sorted(f"{p} {s}" for p, subjects in r.inv.items() for s in subjects),
        )
        for iri, r in graph.res.items()
    }


def _listed(result: BuildResult) -> list[str]:
    """The quads in load order, blank nodes unnamed (each parse of the ontology names
    them anew)."""
    return [BLANK.sub("_:b", str(q)) for q in result.quads()]


def test_the_site_graph_from_the_load_order_holds_what_the_store_holds() -> None:
    result = build_graph(Project(REPO))
    from_store = Graph(result.store.quads_for_pattern(None, None, None, None), result.ids.id)
    from_order = Graph(result.quads(), result.ids.id)
    assert len(from_order.res) > 1000
    assert _grouped(from_order) == _grouped(from_store)
    # and no quad is in the order that the store does not have, or the other way round
    assert set(result.quads()) == set(result.store)


def test_the_load_order_is_the_same_for_imported_and_cached_plans(
    fixture_copy: Path, tmp_path: Path
) -> None:
    second = second_plan(fixture_copy)
    project, cache = Project(REPO, data_dir=fixture_copy), tmp_path / "cache"
    imported = build_graph(project, cache=cache)
    assert imported.reused == 0 and imported.plans[0].nquads is None  # made in this run
    cached = build_graph(project, cache=cache)
    assert cached.reused == len(cached.plans) == 2
    assert _listed(cached) == _listed(imported)
    # one plan changed: its quads come fresh, the other's from the cache, same order
    text = second.read_text(encoding="utf-8")
    edited = text.replace("text: ", "text: (edited) ", 1)
    assert edited != text
    second.write_text(edited, encoding="utf-8")
    mixed = build_graph(project, cache=cache)
    assert mixed.reused == 1
    fresh = build_graph(project)
    assert _listed(mixed) == _listed(fresh)
    assert _listed(mixed) != _listed(imported)
    shutil.rmtree(cache)


def test_values_keep_the_order_of_the_source() -> None:
    """A multi-valued property lists its values as the curated file gives them (here
    each theme's match terms), not in the store's internal order."""
    result = build_graph(Project(REPO))
    graph = Graph(result.quads(), result.ids.id)
    curated = yaml.safe_load((REPO / "data/reference/themes.yaml").read_text(encoding="utf-8"))
    checked = 0
    for theme in curated:
        terms = list(dict.fromkeys(theme.get("match", {}).get("terms", [])))
        shown = graph.res[result.ids.theme(theme["id"]).value].out.get(wps.matchTerm.value, [])
        assert [t.value for t in shown] == terms, theme["id"]
        checked += len(terms) > 2
    assert checked > 10
