"""A resource's RDF files made as text (wpsgraph.site.rdftext) are, byte for byte, what
pyoxigraph's serialisers write for its triples; a term the text writer is not sure of
sends the resource to the serialisers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import REPO

from wpsgraph.build import Project, build_graph
from wpsgraph.site.files import serialised
from wpsgraph.site.graph import Graph, Resource
from wpsgraph.site.rdftext import resource_texts, used_prefixes
from wpsgraph.vocab import PREFIXES, WPS

XSD = PREFIXES["xsd"]
SUBJECT = "https://w3id.org/wpsgraph/id/plan/x/action/1"


def _same_as_serialisers(r: Resource) -> bool:
    """Assert the texts equal the serialisers' output; True if the text writer made them
    (False: it left them to the serialisers)."""
    nt, ttl, jsonld = resource_texts(r)
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    assert nt == ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)  # and in its order
    assert sorted(str(q.triple) for q in triples) == sorted(map(str, _triples(r)))
    names = used_prefixes(nt.decode().splitlines(keepends=True), len(f"<{r.iri}> "))
    assert names == _used_prefixes(r)
    if ttl is None:
        assert jsonld is None
        return False
    expected_ttl, expected_jsonld = serialised(r, nt)
    assert ttl.decode() == expected_ttl.decode(), r.iri
    assert jsonld.decode() == expected_jsonld.decode(), r.iri
    return True


def _triples(r: Resource) -> list[ox.Triple]:
    s = ox.NamedNode(r.iri)
    return [ox.Triple(s, ox.NamedNode(p), o) for p, objs in r.out.items() for o in objs]


def _used_prefixes(r: Resource) -> tuple[str, ...]:
    """The prefixes the files declare, by their definition: each whose namespace appears
    in a property, a value or a datatype."""
    parts = list(r.out)
    for objs in r.out.values():
        for o in objs:
            parts.append(o.value)
            if isinstance(o, ox.Literal):
                parts.append(o.datatype.value)
    text = " ".join(parts)
    return tuple(p for p, ns in PREFIXES.items() if ns in text)


def test_every_resource_of_the_corpus_as_the_serialisers_write_it() -> None:
    result = build_graph(Project(REPO))
    graph = Graph(result.quads(), result.ids.id)
    made = [_same_as_serialisers(r) for r in graph.local()]
    assert len(made) > 2000
    # the text writer is the path taken, not a fallback that hides it: in the corpus, only
    # resources with an unusual term go to the serialisers
    assert sum(made) >= 0.99 * len(made), f"{len(made) - sum(made)} resources fell back"


def _resource(values: dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]) -> Resource:
    r = Resource(SUBJECT)
    r.out = {p: list(v) for p, v in values.items()}
    return r


def _lit(value: str, datatype: str = "", language: str = "") -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


HOSTILE = [
    'a "quoted" \\ backslash',
    "new\nline, return\r, tab\t, bell\x07, nul\x00, unit\x1f, del\x7f, \x08\x0c",
    "</script><script>alert(1)</script> & <!-- ",
    "line\u2028separator \u2029 é ☃ 😀 ſ",
    "",
    '\'single\' """ triple',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_literals_as_the_serialisers_write_them(text: str) -> None:
    r = _resource(
        {
            WPS + "text": [_lit(text, language="en"), _lit(text)],
            WPS + "note": [_lit(text, datatype="http://example.org/dt")],
            PREFIXES["rdfs"] + "label": [_lit(text, language="fr-be")],
        }
    )
    assert _same_as_serialisers(r)


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("5", "integer"),
        ("+5", "integer"),
        ("-05", "integer"),
        (" 5", "integer"),
        ("5.5", "integer"),
        ("true", "boolean"),
        ("false", "boolean"),
        ("1", "boolean"),
        ("True", "boolean"),
        ("2020-01-31", "date"),
        ("2020", "gYear"),
        ("x", "string"),
    ],
)
def test_typed_literals_as_the_serialisers_write_them(value: str, datatype: str) -> None:
    r = _resource({WPS + "order": [_lit(value, datatype=XSD + datatype)]})
    assert _same_as_serialisers(r)


@pytest.mark.parametrize(
    "values",
    [
        {WPS + "order": [_lit("5.0", datatype=XSD + "decimal")]},
        {WPS + "order": [_lit("5e0", datatype=XSD + "double")]},
        {WPS + "about": [ox.BlankNode("b0")]},
        {WPS + "about": [ox.NamedNode(WPS + "a.b")]},  # not a plain local name
        {WPS + "about": [ox.NamedNode(WPS + "9a")]},
        {WPS + "about": [ox.NamedNode(XSD)]},  # a namespace itself
        {WPS + "a/b": [_lit("x")]},
    ],
)
def test_unsure_terms_go_to_the_serialisers(values: dict) -> None:  # type: ignore[type-arg]
    assert not _same_as_serialisers(_resource(values))


def test_names_types_and_several_values_as_the_serialisers_write_them() -> None:
    r = _resource(
        {
            PREFIXES["rdf"] + "type": [ox.NamedNode(WPS + "Action"), ox.NamedNode(WPS + "Node")],
            PREFIXES["dcterms"] + "identifier": [_lit("1.2")],
            WPS + "partOfPlan": [ox.NamedNode("https://w3id.org/wpsgraph/id/plan/x")],
            WPS + "addressesTheme": [
                ox.NamedNode(f"https://w3id.org/wpsgraph/id/theme/{t}") for t in ("b", "a", "c")
            ],
            "http://example.org/other#p": [_lit("z"), _lit("a"), _lit("a", language="en")],
            PREFIXES["skos"] + "note": [_lit("mentions http://www.w3.org/ns/prov# in text")],
        }
    )
    assert _same_as_serialisers(r)
