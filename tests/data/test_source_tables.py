"""Every numbered row of the Belgian and NATO tables, read from the source text itself,
is in the graph with the same wording (whitespace aside).

Belgium (000_*.txt): rows are tab-separated, `number<TAB>goal<TAB>line of action<TAB>
indicators<TAB>departments`. NATO (002_*.txt): actions `N.M.` and indicators `N.M.K.` run
together in long lines; each numbered item's wording is the text after its number up to
the next number.
"""

from __future__ import annotations

import re

import pytest
from conftest import REPO, select

SOURCES = REPO / "data" / "sources"
BE = "https://w3id.org/wpsgraph/id/plan/be-nap-2017"
NATO = "https://w3id.org/wpsgraph/id/plan/nato-eapc-ap-2016"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _texts(store, plan: str, cls: str) -> dict[str, str]:
    rows = select(
        store,
        f"""
        SELECT ?n ?t WHERE {{ ?x a wps:{cls} ; wps:partOfPlan <{plan}> ;
                               dcterms:identifier ?n ; wps:text ?t }}""",
    )
    return {r["n"]: _norm(r["t"]) for r in rows}


def test_every_belgian_line_of_action_is_in_the_graph(corpus_store) -> None:
    lines = (SOURCES / "000_86cbbdb601da72d5.txt").read_text(encoding="utf-8").splitlines()
    rows = {}
    for line in lines:
        m = re.match(r"^(\d+\.[a-z]?\.?)\t", line)
        if m:
            cells = line.split("\t")
            rows[m.group(1)] = _norm(cells[2])
    assert len(rows) == 111
    graph = _texts(corpus_store, BE, "Action")
    assert set(rows) == set(graph)
    for number, cell in rows.items():
        # A row that continues on the next line is longer in the graph than its first line.
        assert graph[number].startswith(cell), number


def test_every_nato_action_and_indicator_is_in_the_graph(corpus_store) -> None:
    text = (SOURCES / "002_0f5dc898356ab10f.txt").read_text(encoding="utf-8")
    # Numbers may follow the end of the previous cell directly ("…filled.4.1.2. Evaluation").
    actions = set(re.findall(r"(?<!\d)(\d{1,2}\.\d\.)(?!\d)", text))
    indicators = set(re.findall(r"(?<!\d)(\d{1,2}\.\d\.\d\.)", text))
    graph_actions = _texts(corpus_store, NATO, "Action")
    graph_indicators = _texts(corpus_store, NATO, "Indicator")
    assert len(graph_actions) == 70 and len(graph_indicators) == 91
    assert set(graph_indicators) == indicators
    assert set(graph_actions) <= actions
    flat = _norm(text)
    for number, wording in {**graph_actions, **graph_indicators}.items():
        # The wording starts as in the source (the PDF split some cells over two lines,
        # with other cells in between, so only the first words are compared here).
        head = " ".join(wording.split()[:4])
        assert head in flat, number


@pytest.mark.parametrize("plan", [BE, NATO])
def test_each_item_cites_a_source_line_holding_its_first_words(corpus_store, plan) -> None:
    doc = {BE: "000_86cbbdb601da72d5.txt", NATO: "002_0f5dc898356ab10f.txt"}[plan]
    lines = (SOURCES / doc).read_text(encoding="utf-8").splitlines()
    rows = select(
        corpus_store,
        f"""
        SELECT ?n ?t ?line WHERE {{
            ?x wps:partOfPlan <{plan}> ; dcterms:identifier ?n ; wps:text ?t ;
               wps:sourceLine ?line ; a ?c .
            VALUES ?c {{ wps:Action wps:Indicator }} }}""",
    )
    assert rows
    for r in rows:
        first = " ".join(r["t"].split()[:3])
        window = _norm(" ".join(lines[int(r["line"]) - 1 : int(r["line"]) + 2]))
        assert first in window, (r["n"], r["line"], first)
