"""The fast validator (SHACL Core as SPARQL in the store) gives the same results as the
reference, pySHACL, on the corpus and on a suite of invalid graphs, one defect each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO

from wpsgraph.build import BuildResult, Project, build_graph
from wpsgraph.shacl_sparql import UnsupportedShape, compile_shapes
from wpsgraph.validate import ValidationReport, validate

ID = "https://w3id.org/wpsgraph/id/"
WPS = "https://w3id.org/wpsgraph/ontology#"
PLAN = ID + "plan/fx-nap-2020"
GRAPH = ox.NamedNode("https://w3id.org/wpsgraph/graph/plan/fx-nap-2020")
XSD = "http://www.w3.org/2001/XMLSchema#"


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _both(result: BuildResult, store: ox.Store) -> tuple[Counter, Counter]:
    """Run both validators over ``store``; results as multisets of (focus, path, severity)."""
    plans: dict[str, list[ox.Quad]] = {}
    reference: list[ox.Quad] = []
    for q in store:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if g.endswith("/graph/reference"):
            reference.append(q)
        elif "/graph/plan/" in g or "/graph/links/" in g:
            plans.setdefault(g.rsplit("/", 1)[1], []).append(q)
    out = []
    for validator in ("sparql", "pyshacl"):
        report: ValidationReport = validate(
            plans,
            reference,
            shapes_dir=REPO / "shapes",
            ontology_dir=REPO / "ontology",
            located=result.located,
            store=store,
            validator=validator,
        )
        out.append(Counter((r.focus, r.path, r.severity.value) for r in report.results))
    return out[0], out[1]


def test_same_results_on_the_corpus() -> None:
    result = build_graph(Project(REPO), check=False)
    fast, reference = _both(result, result.store)
    assert fast == reference
    assert sum(fast.values()) > 50  # the corpus' warnings are compared, not just nothing


Mutation = Callable[[ox.Store], None]


def _set(s: str, p: str, o: ox.NamedNode | ox.Literal) -> Mutation:
    def run(store: ox.Store) -> None:
        for q in list(store.quads_for_pattern(N(s), N(p), None)):
            store.remove(q)
        store.add(ox.Quad(N(s), N(p), o, GRAPH))

    return run


def _add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> Mutation:
    return lambda store: store.add(ox.Quad(N(s), N(p), o, GRAPH))


def _drop(s: str, p: str) -> Mutation:
    def run(store: ox.Store) -> None:
        for q in list(store.quads_for_pattern(N(s), N(p), None)):
            store.remove(q)

    return run


A1, B1 = PLAN + "/action/1-a", PLAN + "/action/1-b"
DEFECTS: dict[str, tuple[Mutation, str]] = {
    "minCount": (_drop(A1, WPS + "text"), "wps:text"),
    "maxCount": (_add(A1, WPS + "text", ox.Literal("again", language="en")), "wps:text"),
    "datatype": (_set(A1, WPS + "text", ox.Literal("plain")), "wps:text"),
    "class": (_add(A1, WPS + "responsibleActor", N(ID + "country/FX")), "wps:responsibleActor"),
    "pattern": (
        _set(PLAN, "http://purl.org/dc/terms/identifier", ox.Literal("Bad Id")),
        "dcterms:identifier",
    ),
    "in": (_set(PLAN, WPS + "translationStatus", ox.Literal("machine")), "wps:translationStatus"),
    "minLength": (_set(A1, WPS + "text", ox.Literal("", language="en")), "wps:text"),
    "minInclusive": (
        _set(A1, WPS + "sourceLine", ox.Literal("0", datatype=N(XSD + "integer"))),
        "wps:sourceLine",
    ),
    "or, warning": (_drop(B1, WPS + "responsibleActor"), ""),
    "inversePath maxCount": (
        _add(PLAN, WPS + "hasAction", N(PLAN + "/action/2-a")),
        "^wps:hasAction",
    ),
    "reference data": (
        _set(
            ID + "resolution/unscr-1820",
            "http://purl.org/dc/terms/identifier",
            ox.Literal("S/RES/1820"),
        ),
        "dcterms:identifier",
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_same_results_on_an_invalid_graph(
    fixture_build: tuple[BuildResult, Path], defect: str
) -> None:
    result = fixture_build[0]
    store = ox.Store()
    store.bulk_extend(result.store)
    mutate, path = DEFECTS[defect]
    mutate(store)
    fast, reference = _both(result, store)
    assert fast == reference
    baseline, _ = _both(result, result.store)
    new = fast - baseline
    assert new, f"{defect}: no new result"
    assert all(p == path for _focus, p, _sev in new), new


def test_an_unsupported_constraint_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "s.ttl"
    shapes.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:uniqueLang true ] .""")
    store = ox.Store()
    store.load(path=str(shapes), format=ox.RdfFormat.TURTLE)
    with pytest.raises(UnsupportedShape, match="uniqueLang"):
        compile_shapes(store)
