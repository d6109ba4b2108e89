"""The query library: expected results on the fixture, bound parameters, headers."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from conftest import REPO, count, select

from wpsgraph.query import QueryError, list_queries, load_query, parse_query, run_query
from wpsgraph.results import QueryResult

QUERIES = REPO / "queries"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
MANIFEST = yaml.safe_load((EXPECTED / "manifest.yaml").read_text())


@pytest.mark.parametrize("case", MANIFEST, ids=[c["expected"] for c in MANIFEST])
def test_query_gives_the_expected_rows(fixture_store: ox.Store, case: dict) -> None:
    result = run_query(fixture_store, case["query"], case.get("params", {}), directory=QUERIES)
    expected = (EXPECTED / case["expected"]).read_text(encoding="utf-8")
    assert result.to_csv() == expected


def test_every_library_query_has_a_header_and_an_expected_result() -> None:
    tested = {c["query"] for c in MANIFEST}
    for q in list_queries(QUERIES):
        assert q.title != q.name and q.description, f"{q.name}: no title or description"
        assert q.name in tested, f"{q.name}: no expected result in the manifest"
        # pyoxigraph substitutes only projected variables: every parameter is a column.
        for p in q.params:
            assert p.name in q.columns, f"{q.name}: parameter {p.name} is not a column"


@pytest.mark.parametrize(
    "value",
    ['x" } ; DROP ALL ; #', "../../etc/passwd", "<script>", "a b", "fx-justice> ?p ?o . <x"],
)
def test_hostile_iri_parameters_are_refused(fixture_store: ox.Store, value: str) -> None:
    with pytest.raises(QueryError, match="not an identifier"):
        run_query(fixture_store, "actions-of-actor", {"actor": value}, directory=QUERIES)


def test_string_parameters_are_bound_as_literals_not_pasted(
    fixture_store: ox.Store, tmp_path: Path
) -> None:
    # A .rq file with a string parameter: a value full of SPARQL is one literal.
    text = (
        "# title: Actions whose number is\n"
        "# param: number | string | | an action number\n"
        "# columns: number, action\n"
        "SELECT ?number ?action WHERE { ?action dcterms:identifier ?number }\n"
    )
    path = tmp_path / "by-number.rq"
    path.write_text(text)
    hits = run_query(fixture_store, str(path), {"number": "2.a"}, directory=QUERIES)
    assert [r[0] for r in hits.values()] == ["2.a"]
    evil = run_query(
        fixture_store,
        str(path),
        {"number": '2.a" } UNION { ?action ?p ?number } #'},
        directory=QUERIES,
    )
    assert evil.rows == []


def test_integer_parameter_must_be_a_number(fixture_store: ox.Store) -> None:
    with pytest.raises(QueryError, match="not a whole number"):
        run_query(
            fixture_store, "actions-by-resolution", {"resolution": "1820 ."}, directory=QUERIES
        )


def test_missing_and_unknown_parameters(fixture_store: ox.Store) -> None:
    with pytest.raises(QueryError, match="needs --param for actor"):
        run_query(fixture_store, "actions-of-actor", {}, directory=QUERIES)
    with pytest.raises(QueryError, match="has no parameter 'who'"):
        run_query(
            fixture_store,
            "actions-of-actor",
            {"who": "x", "actor": "fx-justice"},
            directory=QUERIES,
        )


def test_unknown_query_name_suggests(fixture_store: ox.Store) -> None:
    with pytest.raises(QueryError, match="did you mean 'actions-of-actor'"):
        load_query("actions-of-actors", QUERIES)


def test_json_output_is_sparql_results_json(fixture_store: ox.Store) -> None:
    result = run_query(fixture_store, "actions-without-indicator", directory=QUERIES)
    doc = json.loads(result.render("sparql-json"))
    assert doc["head"]["vars"] == ["plan", "number", "action"]
    (binding,) = doc["results"]["bindings"]
    assert binding["number"] == {"type": "literal", "value": "1.b"}
    assert binding["action"]["xml:lang"] == "en"


def test_the_stores_json_is_given_as_it_is_and_holds_the_same_results(
    fixture_store: ox.Store,
) -> None:
    """A SELECT's SPARQL JSON is the document the store wrote (the site's downloads are
    not encoded a second time), with the head and bindings the rows are made from."""
    result = run_query(fixture_store, "plans-overview", directory=QUERIES)
    assert result.raw is not None and result.to_json() == result.raw.decode("utf-8")
    again = QueryResult(result.variables, result.bindings).to_json()  # encoded by json
    assert json.loads(result.to_json()) == json.loads(again)
    assert json.loads(again)["head"]["vars"] == result.variables and result.count > 0


def test_json_output_is_a_list_of_rows(fixture_store: ox.Store) -> None:
    result = run_query(fixture_store, "actions-without-indicator", directory=QUERIES)
    assert json.loads(result.render("json")) == [
        {"plan": "fx-nap-2020", "number": "1.b", "action": "Fund women's organisations"}
    ]


def test_tsv_keeps_one_row_per_line(fixture_store: ox.Store) -> None:
    result = run_query(
        fixture_store, "actions-of-actor", {"actor": "fx-foreign-affairs"}, directory=QUERIES
    )
    lines = result.to_csv("\t").splitlines()
    assert len(lines) == 3 and all(line.count("\t") == 5 for line in lines)


def test_queries_folder_is_the_library() -> None:
    names = [q.name for q in list_queries(QUERIES)]
    assert len(names) >= 3 and names == sorted(names)


def test_every_query_gives_the_same_rows_whatever_order_the_store_was_loaded_in() -> None:
    """Pages are taken from the previous build when nothing they show changed, so a
    query's output must not depend on the store's internal order (SAMPLE and
    GROUP_CONCAT take their values in the order they come): the real corpus loaded in
    three orders gives every query the same CSV."""
    from wpsgraph.build import Project, build_graph

    quads = list(build_graph(Project(REPO)).quads())
    stores = []
    for order in (quads, quads[::-1], sorted(quads, key=str)):
        store = ox.Store()
        store.bulk_extend(order)
        stores.append(store)
    example = {"actor": "be-defence", "resolution": "1820", "theme": "crsv", "year": "2018"}
    checked = 0
    for q in list_queries(QUERIES):
        params = {p.name: example[p.name] for p in q.params}
        outs = [run_query(store, q, params).to_csv() for store in stores]
        assert outs[1] == outs[0] and outs[2] == outs[0], q.name
        checked += outs[0].count("\n") > 3
    assert checked > 12


def test_a_result_kept_as_the_stores_tsv_holds_the_stores_own_json(
    corpus_store: ox.Store,
) -> None:
    """run_query keeps the solutions as the store wrote them in TSV: their count, their
    SPARQL JSON (written from the TSV) and so their rows are those of the store's own JSON
    of the same query, for every library query on the real corpus."""
    from wpsgraph.query import PREFIX_BLOCK, bind, bound_text

    example = {"actor": "be-defence", "resolution": "1820", "theme": "crsv", "year": "2018"}
    for q in list_queries(QUERIES):
        result = run_query(corpus_store, q, {p.name: example[p.name] for p in q.params})
        assert result.tsv is not None
        text = bound_text(
            q, bind(q, {p.name: example[p.name] for p in q.params}, "https://w3id.org/wpsgraph/id/")
        )
        direct = corpus_store.query(text or PREFIX_BLOCK + q.text, use_default_graph_as_union=True)
        assert isinstance(direct, ox.QuerySolutions)
        own = direct.serialize(format=ox.QueryResultsFormat.JSON)
        assert result.count == len(json.loads(own)["results"]["bindings"]), q.name
        assert result.raw == own, q.name  # byte for byte
        assert result.count == len(result.rows), q.name


def test_a_newline_or_tab_inside_a_literal_is_one_cell_of_one_row() -> None:
    store = ox.Store()
    s = ox.NamedNode("https://example.org/s")
    for i, text in enumerate(["two\nlines", "a\ttab", 'quote " and \\ and \r', "é\u2028x"]):
        store.add(ox.Quad(s, ox.NamedNode(f"https://example.org/p{i}"), ox.Literal(text)))
    result = run_query(store, parse_query("t", "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"))
    assert result.count == 4
    assert [r["o"].value for r in result.rows] == [  # type: ignore[union-attr]
        "two\nlines",
        "a\ttab",
        'quote " and \\ and \r',
        "é\u2028x",
    ]
    empty = run_query(store, parse_query("t", "SELECT ?p WHERE { ?s ?p 1 }"))
    assert empty.count == 0 and empty.rows == [] and empty.variables == ["p"]


PLAIN = REPO / "tests" / "fixtures" / "plain-queries"


def _same_as_plain(store: ox.Store) -> int:
    checked = 0
    for plain in sorted(PLAIN.glob("*.rq")):
        fast = run_query(store, plain.stem, directory=QUERIES).to_csv()
        reference = parse_query(plain.stem, plain.read_text(), plain)
        assert fast == run_query(store, reference).to_csv(), plain.stem
        checked += fast.count("\n") > 2
    return checked


def test_faster_formulations_give_the_rows_of_the_plain_ones_on_the_real_corpus(
    corpus_store: ox.Store,
) -> None:
    """Queries rewritten for speed lean on how the linker makes links (one link per action
    and target; the shortcut wps:addressesResolution beside each link to a resolution) or
    on the ontology's domains (only objectives have a level): they must give the rows of
    their plain formulation (``tests/fixtures/plain-queries``)."""
    assert _same_as_plain(corpus_store) == len(list(PLAIN.glob("*.rq")))


def test_faster_formulations_give_the_rows_of_the_plain_ones_on_a_synthetic_corpus(
    tmp_path: Path,
) -> None:
    """The same on a synthetic corpus of ten plans (the benchmark's generator)."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import synthesise
    finally:
        sys.path.remove(str(REPO / "bench"))
    from wpsgraph.build import Project, build_graph

    synthesise(2, tmp_path)
    store = build_graph(Project(REPO, data_dir=tmp_path / "data")).store
    assert _same_as_plain(store) == len(list(PLAIN.glob("*.rq")))


def test_every_link_to_a_resolution_is_one_per_action_and_has_its_shortcut(
    corpus_store: ox.Store,
) -> None:
    """What the faster queries lean on, checked directly on the real corpus."""
    pairs = """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?r WHERE { %s } }"""
    links = "?l wps:linkFrom ?a ; wps:linkTo ?r . ?r a wps:Resolution"
    shortcuts = "?a a wps:Action ; wps:addressesResolution ?r"
    n_links = count(corpus_store, "?x a wps:Link ; wps:linkTo ?r . ?r a wps:Resolution")
    for where in (links, shortcuts, f"{links} . {shortcuts}"):
        (row,) = select(corpus_store, pairs % where)
        assert int(row["n"]) == n_links > 100, where
