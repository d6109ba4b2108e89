"""The query library: expected results on the fixture, bound parameters, headers."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from conftest import REPO

from wpsgraph.query import QueryError, QueryResult, list_queries, load_query, run_query

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
