"""Counts and spot checks for data/plans/nato-eapc-ap-2016.yaml against the built corpus.

Source: data/sources/002_0f5dc898356ab10f.txt, the NATO/EAPC Action Plan for the
implementation of the NATO/EAPC Policy on Women, Peace and Security, June 2016 - June 2018
(123 lines; the tables are extracted one row a line, cells separated by tabs and often run
together).
"""

from __future__ import annotations

import pytest
from conftest import count, select

PLAN = "https://w3id.org/wpsgraph/id/plan/nato-eapc-ap-2016"
ACTORS = "https://w3id.org/wpsgraph/id/actor/"
ACT = f"?x a wps:Action ; wps:partOfPlan <{PLAN}>"
OBJ = f"?x a wps:Objective ; wps:partOfPlan <{PLAN}>"
IND = f"?x a wps:Indicator ; wps:partOfPlan <{PLAN}>"


def _slug(number: str) -> str:
    return number.strip(".").replace(".", "-")


def _action(number: str) -> str:
    return f"<{PLAN}/action/{_slug(number)}>"


def _indicator(number: str) -> str:
    return f"<{PLAN}/indicator/{_slug(number)}>"


def _outcome(number: str) -> str:
    return f"<{PLAN}/outcome/{number}>"


def _texts(store, subject: str, prop: str) -> list[str]:
    rows = select(store, f"SELECT ?t WHERE {{ {subject} {prop} ?t }}")
    return sorted(row["t"] for row in rows)


def _level(store, level: str) -> int:
    return count(store, f'{OBJ} ; wps:objectiveLevel ?lvl . FILTER(STR(?lvl) = "{level}")')


def test_objective_levels(corpus_store):
    # 2 strategic outcomes: the bulleted "- 1." and "- 2." at lines 15-16.
    assert _level(corpus_store, "strategic-outcome") == 2
    # 4 areas: Cross cutting enablers (line 18), Cooperative Security (line 72), Crisis
    # Management and NATO-led Operations and Missions (line 93), Defence Planning and Policy
    # (line 114).
    assert _level(corpus_store, "area") == 4
    # 3 sub-areas of the cross-cutting enablers: Institutional Policies and Structures
    # (line 20), Education, Training and Exercises (line 46), Public Diplomacy (line 55).
    assert _level(corpus_store, "sub-area") == 3
    # 19 outcomes: 1 and 2 unnumbered (lines 29, 30), 3-19 printed "N. " at the start of an
    # outcome cell (lines 33, 37, 42, 48, 57, 61, 64, 74, 75, 84, 89, 91, 95, 104, 112, 116,
    # 117).
    assert _level(corpus_store, "outcome") == 19
    assert count(corpus_store, f"{OBJ} .") == 28


def test_strategic_outcomes_are_top_level(corpus_store):
    # "All actions are to support these Strategic Outcomes" (line 13): no outcome is nested
    # under a strategic outcome; strategic outcomes and areas hang off the plan.
    for n in ("1", "2"):
        so = f"<{PLAN}/strategic-outcome/{n}>"
        assert count(corpus_store, f"<{PLAN}> wps:hasObjective ?x . FILTER(?x = {so})") == 1
        assert count(corpus_store, f"{so} wps:hasObjective ?x .") == 0
    assert count(corpus_store, f"<{PLAN}> wps:hasObjective ?x .") == 6


@pytest.mark.parametrize(
    ("area", "n"),
    [
        ("cross-cutting-enablers", 9),  # outcomes 1-9 (3 sub-areas + outcome 9)
        ("cooperative-security", 5),  # outcomes 10-14
        ("crisis-management-and-nato-led-operations-and-missions", 3),  # 15-17
        ("defence-planning-and-policy", 2),  # 18-19
    ],
)
def test_outcomes_per_area(corpus_store, area, n):
    where = (
        f"<{PLAN}/area/{area}> wps:hasObjective+ ?x . "
        '?x wps:objectiveLevel ?lvl . FILTER(STR(?lvl) = "outcome")'
    )
    assert count(corpus_store, where) == n


def test_actions(corpus_store):
    # 70 actions numbered "N.M.": per outcome 1,3,3,4,3,6,4,1,5,1,8,2,4,1,8,6,2,1,7.
    # `grep -oP "(?<![\d.])\d+\.\d+\.(?!\d)"` finds 68 distinct numbers; 17.2 and 19.5 are
    # run together with the action before them ("unit.17.2.", line 112; "NATO.19.5.",
    # line 120) and are found by hand.
    assert count(corpus_store, f"{ACT} .") == 70
    assert count(corpus_store, f"{ACT} ; wps:numberAssigned true .") == 0


@pytest.mark.parametrize(
    ("outcome", "n"),
    [
        ("1", 1), ("2", 3), ("3", 3), ("4", 4), ("5", 3), ("6", 6), ("7", 4), ("8", 1),
        ("9", 5), ("10", 1), ("11", 8), ("12", 2), ("13", 4), ("14", 1), ("15", 8),
        ("16", 6), ("17", 2), ("18", 1), ("19", 7),
    ],
)  # fmt: skip
def test_actions_per_outcome(corpus_store, outcome, n):
    assert count(corpus_store, f"{_outcome(outcome)} wps:hasAction ?x .") == n


def test_indicators(corpus_store):
    # 91 indicators numbered "N.M.K.": `grep -oP "(?<![\d.])\d+\.\d+\.\d+\."` finds 84
    # distinct numbers; 7 more are run together with the indicator before them (3.3.2,
    # 4.1.2, 4.2.1, 6.2.2, 6.5.2, 11.5.2, 16.1.2; e.g. "filled.4.1.2.", line 37).
    # 11.2.1 is printed twice on line 76 (truncated in the action cell); it is one node.
    assert count(corpus_store, f"{IND} .") == 91
    assert count(corpus_store, f"{IND} ; dcterms:identifier ?id .") == 91


def test_shared_indicators(corpus_store):
    # 13.1-13.3 are printed in one cell beside one indicator cell 13.3.1-13.3.3 (line 89);
    # 17.1-17.2 in one cell beside 17.2.1 (line 112): one node, measuring every action.
    for ind in ("13.3.1.", "13.3.2.", "13.3.3."):
        rows = select(corpus_store, f"SELECT ?a WHERE {{ ?a wps:hasIndicator {_indicator(ind)} }}")
        assert sorted(r["a"].rsplit("/", 1)[1] for r in rows) == ["13-1", "13-2", "13-3"]
    rows = select(
        corpus_store, f"SELECT ?a WHERE {{ ?a wps:hasIndicator {_indicator('17.2.1.')} }}"
    )
    assert sorted(r["a"].rsplit("/", 1)[1] for r in rows) == ["17-1", "17-2"]
    # 91 indicator nodes, 98 action-indicator links: 91 + 7 refs (13.3.1-3 from 13.1 and
    # 13.2, 17.2.1 from 17.1).
    rows = select(
        corpus_store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a wps:Action ; wps:partOfPlan <{PLAN}> ; "
        "wps:hasIndicator ?i . }",
    )
    assert int(rows[0]["n"]) == 98


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (
            "1.1.",
            "Integrate WPS as a further institutional adaptation priority task with related "
            "timelines and milestones.",
        ),  # line 29
        (
            "4.2.",
            "Continue advertising to Nations for Voluntary National Contributions and funding "
            "for the WPS Financial Mechanism.",
        ),  # lines 37-38, joined
        ("11.2.", "Encourage a gender perspective in all"),  # line 76, truncated
        (
            "13.2.",
            "Resource civil society dialogue with NATO on gender, security and defence through "
            "the WPS Financial Mechanism",
        ),  # line 89, no full stop
        ("19.5.", "NATO includes gender perspective in strategic assessments."),  # lines 120-121
    ],
)
def test_action_wording(corpus_store, number, text):
    assert _texts(corpus_store, _action(number), "wps:text") == [text]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("4.1.2.", "Evaluation of Gender Advisor functions, including training, resources and "
                   "access to their commander."),  # line 37, run together
        ("9.2.2.", "The reporting includes CR-SGBV.³"),  # line 65, footnote marker kept
        ("16.5.2.", "Number of engagements with local security forces to raise awareness on "
                    "UNSCR 1325."),  # lines 108 + 110
        ("19.6.1.", "UNSCR1325 is a guiding Principle in the Political guidance of the NDPP."),
    ],
)  # fmt: skip
def test_indicator_wording(corpus_store, number, text):
    assert _texts(corpus_store, _indicator(number), "wps:text") == [text]


def test_outcome_titles(corpus_store):
    # outcome 1 is printed without a number (line 29); outcome 12 keeps footnote marker 4.
    assert _texts(corpus_store, _outcome("1"), "dcterms:title") == [
        "Institutional Adaptation framework includes Women, Peace and Security agenda."
    ]
    assert _texts(corpus_store, _outcome("12"), "dcterms:title")[0].endswith(
        "in line with NATO's Comprehensive Approach Action Plan ⁴ ."
    )


def test_actors(corpus_store):
    def actors(number: str) -> set[str]:
        rows = select(
            corpus_store, f"SELECT ?a WHERE {{ {_action(number)} wps:responsibleActor ?a }}"
        )
        return {r["a"].removeprefix(ACTORS) for r in rows}

    assert actors("1.1.") == {"nato-international-staff", "nato-military-authorities"}
    assert actors("4.1.") == {
        "nato-relevant-national-authorities",
        "nato-international-staff",
        "nato-military-authorities",
    }
    assert actors("17.1.") == actors("17.2.") == {"nato-relevant-national-authorities"}
    # 2.2 ("Admontes", line 31, garbled) and 2.3 (empty cell below it) have no actor.
    assert actors("2.2.") == set() and actors("2.3.") == set()
    assert _texts(corpus_store, _action("2.2."), "wps:actorsAsWritten") == ["Admontes"]
    # Merged implementing-entity cells: the empty cells that run from an outcome's first
    # printed cell to its last row take that cell (3.2-3.3 line 33, 4.3-4.4 line 37,
    # 5.2-5.3 lines 42-43, 19.2-19.7 line 117).
    assert actors("3.3.") == actors("3.1.")
    assert actors("4.4.") == actors("4.1.")
    assert actors("5.3.") == actors("5.1.")
    assert actors("19.7.") == {"nato-international-staff"}
    # 67 of 70 actions have a responsible actor: not 2.2, 2.3 and 15.4.
    # Second curator: changed from 68. 15.4 (line 98) has an empty cell in the middle of
    # outcome 15, whose rows 15.2 and 15.3 (lines 96-97) each print their own, identical cell
    # and 15.5 a different one (line 99): no merged cell can be read from the layout, so the
    # actors inferred from 15.3 were removed.
    assert actors("15.4.") == set()
    assert _texts(corpus_store, _action("15.4."), "wps:actorsAsWritten") == []
    assert count(corpus_store, f"{ACT} ; wps:responsibleActor ?r .") == 67


def test_defects(corpus_store):
    # 25 nodes carry a source defect: the plan, 3 objectives (outcome 9, the areas
    # cooperative-security and crisis-management...), 19 actions and 2 indicators (6.1.1, 16.5.2).
    # Second curator: changed from 24 (18 actions): 15.4 now records its empty
    # implementing-entity cell (line 98) as a defect.
    assert count(corpus_store, f"?x wps:partOfPlan <{PLAN}> ; wps:sourceDefect ?d .") == 25
    assert any(
        "implementing-entity cell is empty" in d
        for d in _texts(corpus_store, _action("15.4."), "wps:sourceDefect")
    )
    # 4.2: the rest of its text ("Voluntary National Contributions ...", line 38) is printed in
    # the actions column, after the outcome title's continuation in the first column.
    assert any(
        "in the actions column" in d
        for d in _texts(corpus_store, _action("4.2."), "wps:sourceDefect")
    )
    defects = _texts(corpus_store, _action("11.2."), "wps:sourceDefect")
    assert any("truncated" in d for d in defects)
    assert any("17.3" in d for d in _texts(corpus_store, _action("2.2."), "wps:sourceDefect"))


def test_outcome_9_under_area(corpus_store):
    # Outcome 9 (line 64) follows a new table header (line 63) with no sub-area heading: it
    # hangs directly off the area, not off the sub-area Public Diplomacy (line 55).
    o9 = _outcome("9")
    area = f"<{PLAN}/area/cross-cutting-enablers>"
    public_diplomacy = f"<{PLAN}/sub-area/public-diplomacy>"
    assert count(corpus_store, f"{area} wps:hasObjective ?x . FILTER(?x = {o9})") == 1
    assert count(corpus_store, f"{public_diplomacy} wps:hasObjective ?x . FILTER(?x = {o9})") == 0


def test_partners_statement(corpus_store):
    # footnote 1, line 22: the EAPC partner list.
    rows = select(corpus_store, f"SELECT ?t WHERE {{ <{PLAN}> wps:partners ?s . ?s wps:text ?t }}")
    assert len(rows) == 1
    text = rows[0]["t"]
    assert text.startswith("Afghanistan, Armenia, Australia")
    assert text.endswith("the former Yugoslav Republic of Macedonia*.")
    assert text.count(",") == 26  # 27 partners


def test_budget_not_stated(corpus_store):
    rows = select(corpus_store, f"SELECT ?b WHERE {{ <{PLAN}> wps:budget ?s . ?s wps:stated ?b }}")
    assert [r["b"] for r in rows] == ["false"]


def test_references(corpus_store):
    def referenced(node: str) -> set[str]:
        rows = select(
            corpus_store, f"SELECT ?i WHERE {{ ?r wps:referringNode {node} ; wps:instrument ?i }}"
        )
        return {r["i"].rsplit("/", 1)[1] for r in rows}

    plan = referenced(f"<{PLAN}>")
    assert {"nato-eapc-wps-policy", "unscr-1325", "nato-strategic-concept-2010"} <= plan
    assert "nato-military-guidelines-cr-sgbv" in referenced(_action("6.3."))
    assert "nato-comprehensive-approach-action-plan" in referenced(_outcome("12"))
    assert referenced(_action("19.6.")) == {"unscr-1325", "nato-political-guidance-2015"}
