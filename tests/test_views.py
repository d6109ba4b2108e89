"""The site's views of the grouped graph: the index lists."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.site.graph import Graph
from wpsgraph.site.views import members
from wpsgraph.vocab import PREFIXES, WPS, rdf, rdfs

BASE = "https://w3id.org/wpsgraph/id/"


def _quad(s: str, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), p, o, ox.NamedNode(BASE + "graph/x"))


def test_a_resource_of_a_class_and_its_subclass_is_listed_once() -> None:
    # a pillar is a theme and says so too (as the corpus's pillars do): the themes index
    # and the home page listed it twice
    theme, pillar = ox.NamedNode(WPS + "Theme"), ox.NamedNode(WPS + "Pillar")
    quads = [_quad(WPS + "Pillar", rdfs.subClassOf, theme)]
    for name, types in (("b-theme", [theme]), ("a-pillar", [theme, pillar])):
        quads += [_quad(BASE + "theme/" + name, rdf.type, t) for t in types]
        quads.append(_quad(BASE + "theme/" + name, rdfs.label, ox.Literal(name)))
    graph = Graph(quads, BASE)
    assert [r.iri for r in members(graph, "Theme")] == [
        BASE + "theme/a-pillar",
        BASE + "theme/b-theme",
    ]
    assert [r.iri for r in members(graph, "Pillar")] == [BASE + "theme/a-pillar"]
    members(graph, "Theme").clear()  # a copy: the list kept for the next call is whole
    assert len(members(graph, "Theme")) == 2


def test_each_classs_instances_are_those_its_type_test_finds(corpus_store: ox.Store) -> None:
    """The instances of a class, found from its incoming type links and its subclasses',
    are exactly the published resources the pages' type test (``is_a``) puts in it, each
    once, for every class of the ontology, on the real corpus."""
    graph = Graph(corpus_store.quads_for_pattern(None, None, None), BASE)
    classes = sorted(
        iri[len(WPS) :]
        for iri, r in graph.res.items()
        if iri.startswith(WPS)
        and any(t.value == PREFIXES["owl"] + "Class" for t in r.all(rdf.type))
    )
    assert {"Action", "ActionPlan", "Link", "Theme", "Pillar", "Instrument"} <= set(classes)
    for cls in classes:
        found = [r.iri for r in graph.instances(cls)]
        assert len(found) == len(set(found)), cls
        assert set(found) == {r.iri for r in graph.local() if graph.is_a(r, cls)}, cls
    assert len(graph.instances("Link")) > 100 and graph.instances("ActionPlan")
