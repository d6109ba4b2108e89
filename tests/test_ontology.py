"""The ontology documents every term the data uses, and the check catches one it does not."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from conftest import REPO, select

from wpsgraph.build import BuildResult
from wpsgraph.validate import Severity, run_checks
from wpsgraph.vocab import WPS, rdf

CORE = {
    "classes": [
        "ActionPlan",
        "NationalActionPlan",
        "OrganisationalActionPlan",
        "RecommendationSet",
        "Objective",
        "Action",
        "Indicator",
        "Actor",
        "Country",
        "Resolution",
        "Convention",
        "Theme",
    ],
    "properties": [
        "hasObjective",
        "hasAction",
        "partOfPlan",
        "hasIndicator",
        "responsibleActor",
        "country",
        "issuedBy",
        "startYear",
        "endYear",
        "addressesTheme",
        "addressesResolution",
        "referencesInstrument",
        "resolutionNumber",
        "text",
        "subObjectiveOf",
    ],
}


def _ontology() -> ox.Store:
    store = ox.Store()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_core_vocabulary_is_declared_with_label_definition_domain_and_range() -> None:
    store = _ontology()
    for name in CORE["classes"] + CORE["properties"]:
        rows = select(
            store,
            f"""SELECT ?label ?def WHERE {{
              <{WPS}{name}> a ?kind ; rdfs:label ?label ; skos:definition ?def .
              FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
            }}""",
        )
        assert rows, f"wps:{name} lacks a type, label or definition"
    for name in CORE["properties"]:
        rows = select(
            store, f"SELECT ?d ?r WHERE {{ <{WPS}{name}> rdfs:domain ?d ; rdfs:range ?r }}"
        )
        assert rows, f"wps:{name} lacks a domain or range"


def test_ontology_header_and_alignments() -> None:
    store = _ontology()
    header = select(
        store,
        """SELECT ?version ?licence WHERE {
          ?o a owl:Ontology ; owl:versionInfo ?version ;
             dcterms:license ?licence ; dcterms:description ?d }""",
    )
    assert header
    aligned = {
        (r["c"], r["s"])
        for r in select(store, "SELECT ?c ?s WHERE { ?c rdfs:subClassOf|rdfs:subPropertyOf ?s }")
    }
    assert (WPS + "Actor", "http://www.w3.org/ns/org#Organization") in aligned
    assert (WPS + "Theme", "http://www.w3.org/2004/02/skos/core#Concept") in aligned
    assert (WPS + "partOfPlan", "http://purl.org/dc/terms/isPartOf") in aligned


def test_built_graph_uses_only_declared_terms(fixture_build: tuple[BuildResult, Path]) -> None:
    result = fixture_build[0]
    found = run_checks(result.store, REPO / "shapes" / "checks", result.located)
    assert found == []


def test_check_catches_an_undeclared_term(fixture_build: tuple[BuildResult, Path]) -> None:
    result = fixture_build[0]
    store = ox.Store()
    store.bulk_extend(result.store)
    action = ox.NamedNode("https://w3id.org/wpsgraph/id/plan/fx-nap-2020/action/1-b")
    graph = ox.NamedNode("https://w3id.org/wpsgraph/graph/plan/fx-nap-2020")
    store.add(ox.Quad(action, ox.NamedNode(WPS + "budgetAmount"), ox.Literal("12"), graph))
    found = run_checks(store, REPO / "shapes" / "checks", result.located)
    assert len(found) == 1
    (hit,) = found
    assert hit.severity is Severity.VIOLATION
    assert hit.file.endswith("fx-nap-2020.yaml") and hit.line == 28
    assert "budgetAmount" in hit.message
    # an undeclared class is caught too, on each node typed with it
    other = ox.NamedNode("https://w3id.org/wpsgraph/id/plan/fx-nap-2020/action/1-a")
    for node in (action, other):
        store.add(ox.Quad(node, rdf.type, ox.NamedNode(WPS + "Budget"), graph))
    found = run_checks(store, REPO / "shapes" / "checks", result.located)
    assert sorted((r.focus.rsplit("/", 1)[1], r.message.split()[1].rstrip(",")) for r in found) == [
        ("1-a", WPS + "Budget"),
        ("1-b", WPS + "Budget"),
        ("1-b", WPS + "budgetAmount"),
    ]
