"""Counts and spot checks for data/plans/lu-nap-2018.yaml against the built corpus.

Source: data/sources/001_057d7450f9a252e7.txt, the English version of the National Action
Plan "Women and Peace and Security" 2018-2023 of the Grand Duchy of Luxembourg.

How the plan was counted (all line numbers are lines of the source file):

- pillars: `grep -nE "^ ?(I|II|III|IV)\\. "` finds the four pillar headings, lines 276, 531,
  944 and 1317;
- commitments: `grep -n "^•"` finds 29 bullets; the first 4 (lines 79-83) are in the
  introduction (section 1), the other 25 are the pillars' commitments: 5 (lines 282-289),
  12 (lines 536-552), 4 (lines 953-957), 4 (lines 1322-1325);
- table rows: `grep -n "^Action$"` finds the 11 column headers, one per table page
  (lines 295, 412 | 555, 676, 771, 902 | 964, 1081, 1196 | 1332, 1399). Each row is printed
  as four paragraphs (objective, action, indicator, ministries); counting the objective
  paragraphs page by page gives 5+5 = 10 rows in pillar I, 7+5+7+2 = 21 in pillar II,
  5+5+7 = 17 in pillar III and 3+4 = 7 in pillar IV: 55 rows, one action each.
"""

from __future__ import annotations

import pytest
from conftest import count, select

PLAN = "https://w3id.org/wpsgraph/id/plan/lu-nap-2018"
ACTORS = "https://w3id.org/wpsgraph/id/actor/"
ACT = f"?x a wps:Action ; wps:partOfPlan <{PLAN}>"
OBJ = f"?x a wps:Objective ; wps:partOfPlan <{PLAN}>"
IND = f"?x a wps:Indicator ; wps:partOfPlan <{PLAN}>"
# The eight ministries implementing the plan (lines 255-257), the meaning of "All".
ALL = {
    "lu-state",
    "lu-maee",
    "lu-menje",
    "lu-mega",
    "lu-mifa",
    "lu-justice",
    "lu-health",
    "lu-msi",
}


def _action(number: str) -> str:
    return f"<{PLAN}/action/{number.replace('.', '-')}>"


def _texts(store, subject: str, prop: str) -> list[str]:
    rows = select(store, f"SELECT ?t WHERE {{ {subject} {prop} ?t }}")
    return sorted(row["t"] for row in rows)


def _actors(store, number: str) -> set[str]:
    rows = select(store, f"SELECT ?a WHERE {{ {_action(number)} wps:responsibleActor ?a }}")
    return {row["a"].removeprefix(ACTORS) for row in rows}


def _indicators(store, number: str) -> list[str]:
    rows = select(
        store,
        f"""SELECT ?t ?o WHERE {{ {_action(number)} wps:hasIndicator ?i .
              ?i wps:text ?t ; wps:order ?o }} ORDER BY ?o""",
    )
    return [row["t"] for row in rows]


def test_plan_metadata(corpus_store):
    assert _texts(corpus_store, f"<{PLAN}>", "dcterms:identifier") == ["lu-nap-2018"]
    rows = select(corpus_store, f"SELECT ?c WHERE {{ <{PLAN}> wps:country ?c }}")
    assert [row["c"].rsplit("/", 1)[-1] for row in rows] == ["LU"]
    assert _texts(corpus_store, f"<{PLAN}>", "wps:translationStatus") == ["official"]
    rows = select(corpus_store, f"SELECT ?a WHERE {{ <{PLAN}> wps:coordinatedBy ?a }}")
    assert {row["a"] for row in rows} == {ACTORS + "lu-maee"}


def test_pillars(corpus_store):
    # 4 pillar headings (lines 276, 531, 944, 1317)
    where = f'{OBJ} ; wps:objectiveLevel ?lvl . FILTER(STR(?lvl) = "pillar")'
    assert count(corpus_store, where) == 4
    for number, title in [
        ("i", "Participation"),
        ("ii", "Prevention"),
        ("iii", "Protection, relief and recovery"),
        ("iv", "Promotion"),
    ]:
        assert _texts(corpus_store, f"<{PLAN}/pillar/{number}>", "dcterms:title") == [title]
    # the main objective is the pillar's text (lines 278-280)
    assert _texts(corpus_store, f"<{PLAN}/pillar/i>", "wps:text") == [
        "Promote the equal participation of women and men at all levels of peace and security "
        "processes, and support women's participation in decision-making"
    ]


def test_table_objectives(corpus_store):
    # distinct objective cells per pillar (a cell repeated over consecutive rows is one node):
    # I: 5, II: 13, III: 4, IV: 5 (row 2's cell at line 1352 is worded differently from
    # rows 3-5, lines 1372/1403/1418).
    where = f'{OBJ} ; wps:objectiveLevel ?lvl . FILTER(STR(?lvl) = "objective")'
    assert count(corpus_store, where) == 27
    assert count(corpus_store, f"{OBJ} .") == 31
    for pillar, n in [("i", 5), ("ii", 13), ("iii", 4), ("iv", 5)]:
        assert count(corpus_store, f"<{PLAN}/pillar/{pillar}> wps:hasObjective ?x .") == n


def test_actions(corpus_store):
    # 25 commitments + 55 table rows
    assert count(corpus_store, f"{ACT} .") == 80
    where = f'{ACT} ; wps:actionKind ?k . FILTER(STR(?k) = "commitment")'
    assert count(corpus_store, where) == 25
    where = f'{ACT} ; wps:actionKind ?k . FILTER(STR(?k) = "action")'
    assert count(corpus_store, where) == 55
    # the plan numbers none of them
    assert count(corpus_store, f"{ACT} ; wps:numberAssigned true .") == 80


@pytest.mark.parametrize(("pillar", "n"), [("i", 5), ("ii", 12), ("iii", 4), ("iv", 4)])
def test_commitments_per_pillar(corpus_store, pillar, n):
    assert count(corpus_store, f"<{PLAN}/pillar/{pillar}> wps:hasAction ?x .") == n


@pytest.mark.parametrize(("pillar", "n"), [("i", 10), ("ii", 21), ("iii", 17), ("iv", 7)])
def test_rows_per_pillar(corpus_store, pillar, n):
    where = f"<{PLAN}/pillar/{pillar}> wps:hasObjective ?o . ?o wps:hasAction ?x ."
    assert count(corpus_store, where) == n


@pytest.mark.parametrize(
    ("key", "n"),
    [
        ("1-1", 4),  # lines 299, 322, 341, 358
        ("1-2", 2),  # lines 380, 416 (across a page break)
        ("2-2", 3),  # lines 594, 614, 631
        ("2-4", 3),  # lines 663, 683, 705
        ("3-1", 10),  # lines 968 ... 1166
        ("3-4", 4),  # lines 1250, 1264, 1279, 1296
        ("4-3", 3),  # lines 1372, 1403, 1418
    ],
)
def test_objectives_heading_several_rows(corpus_store, key, n):
    assert count(corpus_store, f"<{PLAN}/objective/{key}> wps:hasAction ?x .") == n


def test_indicators(corpus_store):
    # one indicator per row, except row 1.1 (the leftover cell "Procedures adopted", line 406)
    # and row 3.5 (two indicator cells, lines 1068 and 1070): 55 + 2
    assert count(corpus_store, f"{IND} .") == 57
    # no commitment has an indicator; no indicator is shared between actions
    where = f'{ACT} ; wps:actionKind ?k ; wps:hasIndicator ?i . FILTER(STR(?k) = "commitment")'
    assert count(corpus_store, where) == 0
    rows = select(
        corpus_store,
        f"""SELECT ?i (COUNT(?a) AS ?n) WHERE {{
              ?a wps:partOfPlan <{PLAN}> ; wps:hasIndicator ?i }}
            GROUP BY ?i HAVING (COUNT(?a) > 1)""",
    )
    assert rows == []


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (
            "1.c1",
            "Promote equal representation of women and men in the diplomatic, military and "
            "Police forces ;",
        ),  # line 282
        (
            "2.c11",
            "Commit to eliminate cluster munitions and anti-personnel mines and to highlight "
            "their effects on the women in their socio-economic activities in situations of "
            "conflict or post-conflict situations (farming, collecting water or firewood, "
            "etc) ;",
        ),  # lines 549-551
        ("4.c4", "Promote the women and peace and security agenda to the general public."),
        (
            "1.4",
            "Career guidance Initiatives aimed at raising awareness among young people about "
            "atypical employment opportunities (Defence, Police, etc.)...... Girls 'Day, "
            "Boys' Day)",
        ),  # lines 364-371, garbled as printed
        ("2.9", "Life and society »"),  # line 709, truncated
        (
            "3.10",
            "Undertake to ensure that measures for the Prevention of genderbased violence "
            "are included in the mandates of missions to which Luxembourg contributes "
            "personnel",
        ),  # lines 1175-1181
        (
            "4.7",
            'Communicate on the "women and peace and security" agenda and develop and '
            'support actions to raise public awareness of the "women and peace and '
            'security" agenda »',
        ),  # lines 1456-1463
    ],
)
def test_action_wording(corpus_store, number, text):
    assert _texts(corpus_store, _action(number), "wps:text") == [text]


@pytest.mark.parametrize(
    ("number", "indicators"),
    [
        (
            "1.1",
            ["Annual Monitoring of the number of men and women recruited", "Procedures adopted"],
        ),
        (
            "2.3",
            ['Follow-up to the national programme "promotion of emotional and Sexual Health"»'],
        ),
        ("3.5", ["Interventions", "Structures created, nap Evaluation, reported / protected"]),
        ("3.10", ["Interventions Control mandates"]),
        (
            "4.6",
            [
                "Co-financing; promotion and dialogue at the InterMinisterial Committee on "
                "human rights"
            ],
        ),
    ],
)
def test_indicator_wording(corpus_store, number, indicators):
    assert _indicators(corpus_store, number) == indicators


@pytest.mark.parametrize(
    ("number", "actors_text", "actors"),
    [
        ("1.1", "MAEE D4, D7/Army", {"lu-maee-d4", "lu-maee-d7", "lu-army"}),  # lines 403-404
        (
            "1.4",
            "MEGA MSI / Police D7 / Army MENJE",
            {"lu-mega", "lu-msi", "lu-police", "lu-maee-d7", "lu-army", "lu-menje"},
        ),
        ("2.1", "All", ALL),  # line 572
        ("3.4", "All", ALL),  # line 1054
        ("2.2", "MAEE D1, UN PR", {"lu-maee-d1", "lu-rp-un"}),
        (
            "2.19",
            "SRE MAEE D1 (Dialogue with civil society at the interministerial Committee on "
            "human rights), D5",
            {"lu-sre", "lu-maee-d1", "lu-imchr", "lu-maee-d5"},
        ),
        ("3.2", "MAEE D8 MIFA / OLAI", {"lu-maee-d8", "lu-mifa", "lu-olai"}),
        (
            "3.17",
            "MAEE SG (Legal Service), D1, D2, D5, RP The Hague, RP the UN, diplomatic "
            "Missions in the states concerned",
            {
                "lu-maee-sg",
                "lu-maee-d1",
                "lu-maee-d2",
                "lu-maee-d5",
                "lu-rp-the-hague",
                "lu-rp-un",
                "lu-maee-diplomatic-missions",
            },
        ),
        (
            "4.2",
            "MAEE D1, D2, D5, RP UN, RP NATO, RP OSCE, RP EU / PSC, RP Geneva, PR Strasbourg",
            {
                "lu-maee-d1",
                "lu-maee-d2",
                "lu-maee-d5",
                "lu-rp-un",
                "lu-rp-nato",
                "lu-rp-osce",
                "lu-rp-eu",
                "lu-rp-geneva",
                "lu-rp-strasbourg",
            },
        ),
    ],
)
def test_ministries(corpus_store, number, actors_text, actors):
    assert _texts(corpus_store, _action(number), "wps:actorsAsWritten") == [actors_text]
    assert _actors(corpus_store, number) == actors


def test_every_row_has_ministries_and_commitments_have_none(corpus_store):
    where = f'{ACT} ; wps:actionKind ?k ; wps:responsibleActor ?a . FILTER(STR(?k) = "action")'
    assert count(corpus_store, where) == 55
    where = f'{ACT} ; wps:actionKind ?k ; wps:responsibleActor ?a . FILTER(STR(?k) = "commitment")'
    assert count(corpus_store, where) == 0


def test_directorates_belong_to_the_ministry(corpus_store):
    rows = select(
        corpus_store,
        f"""SELECT ?p WHERE {{ <{ACTORS}lu-maee-d7> ?prop ?p .
              FILTER(STRENDS(STR(?prop), "subOrganizationOf")) }}""",
    )
    assert [row["p"] for row in rows] == [ACTORS + "lu-maee"]


def test_defects(corpus_store):
    # actions with a recorded source defect: 1.1 (leftover cells, lines 403-406), 1.4
    # (garbled, lines 369-371), 2.3 (unmatched guillemet), 2.9 (truncated, line 709), 2.11
    # (mixed quotes), 2.21 (action worded as an indicator, line 931), 3.5 (extra cell,
    # line 1068), 4.7 (unmatched guillemet)
    where = f"{ACT} ; wps:sourceDefect ?d ."
    assert count(corpus_store, where) == 8
    for number in ("1.1", "1.4", "2.9", "2.21", "3.5"):
        assert _texts(corpus_store, _action(number), "wps:sourceDefect")
    assert any(
        "Procedures adopted" in d for d in _texts(corpus_store, _action("1.1"), "wps:sourceDefect")
    )
    # the garbled list of areas in section 5 (line 273) is a plan-level defect
    assert any(
        "(IV) prevention" in d for d in _texts(corpus_store, f"<{PLAN}>", "wps:sourceDefect")
    )
    # indicator 3.5.2 ("reported / protected") has its own defect
    assert _texts(corpus_store, f"<{PLAN}/indicator/3-5-2>", "wps:sourceDefect")


@pytest.mark.parametrize(
    ("node", "instrument"),
    [
        (f"<{PLAN}>", "unscr-1325"),
        (f"<{PLAN}>", "unscr-2242"),
        (f"<{PLAN}>", "cedaw"),
        (f"<{PLAN}>", "istanbul-convention"),
        (f"<{PLAN}>", "cedaw-gr-30"),
        (f"<{PLAN}>", "nato-eapc-wps-action-plan-2014"),
        (f"<{PLAN}/pillar/ii>", "unscr-1325"),  # line 533 "in line with UNSCR 1325"
        (_action("2.2"), "un-voluntary-compact-sea"),  # line 584
        (_action("2.18"), "istanbul-convention"),  # line 865
        (_action("2.20"), "cluster-munitions-convention"),  # line 914
        (_action("2.20"), "mine-ban-convention"),  # line 917
        (_action("3.8"), "istanbul-convention"),  # line 1132
        (_action("3.17"), "rome-statute"),  # line 1306
        (_action("4.1"), "cedaw"),  # line 1344
        (_action("4.3"), "arms-trade-treaty"),  # line 1382
        (_action("4.5"), "unscr-1325"),  # line 1424 "network of focal points 1325"
    ],
)
def test_references(corpus_store, node, instrument):
    rows = select(
        corpus_store,
        f"""SELECT ?r WHERE {{ ?r wps:referringNode {node} ; wps:instrument ?i .
              FILTER(STRENDS(STR(?i), "/{instrument}")) }}""",
    )
    assert len(rows) == 1


def test_statements(corpus_store):
    rows = select(
        corpus_store,
        f"""SELECT ?topic ?text WHERE {{ ?s wps:partOfPlan <{PLAN}> ; wps:topic ?topic ;
              wps:text ?text }}""",
    )
    topics = {row["topic"]: row["text"] for row in rows}
    assert set(topics) == {"coordination", "monitoring", "civil_society", "budget", "partners"}
    assert topics["budget"] == "The plan states no budget."
    assert topics["civil_society"].startswith("Civil society will be involved in monitoring")
    assert _texts(corpus_store, f"<{PLAN}>", "wps:budgetStated") == ["false"]


# The ministries cell of every table row, from an independent row-by-row re-verification:
# every paragraph of the 11 table pages was listed with its line number and assigned to
# exactly one cell (objective, action, indicator, ministries); the cells below are the
# ministries paragraphs (line given) with their line breaks joined by one space. Row 1.1's
# cell is the leftover paragraph at the end of the first page of pillar I (line 403).
ROW_MINISTRIES = {
    "1.1": "MAEE D4, D7/Army",  # 403
    "1.2": "MSI / police MAEE D7 / Army",  # 338
    "1.3": "MSI / police MAEE D7 / Army",  # 355
    "1.4": "MEGA MSI / Police D7 / Army MENJE",  # 376
    "1.5": "MAEE SG, D4, D7 / Army",  # 400
    "1.6": "MSI/Police MAEE D7 / Army",  # 440
    "1.7": "MAEE D5",  # 461
    "1.8": "MAEE SG, D1, D4, D7 / Army",  # 483
    "1.9": "MAEE D1, D4",  # 505
    "1.10": "MAEE SG, D1, D2, D4 (in collaboration with relevant government departments))",
    "2.1": "All",  # 572
    "2.2": "MAEE D1, UN PR",  # 592
    "2.3": "Health MEGA MENJE MIFA",  # 609
    "2.4": "MIFA / OLAI",  # 629
    "2.5": "MAEE D5",  # 647
    "2.6": "MEGA MIFA / OLAI MAEE D5",  # 659
    "2.7": "MEGA MAEE D5",  # 672
    "2.8": "MIFA / OLAI MENJE MEGA",  # 701
    "2.9": "MENJE",  # 713
    "2.10": "MAEE D5, diplomatic Missions",  # 731
    "2.11": "MAEE D1, D5, D7 / Army, MEGA",  # 753
    "2.12": "MAEE D5, D7",  # 768
    "2.13": "MAEE D5",  # 792
    "2.14": "Health MENJE",  # 805
    "2.15": "Health, Justice MEGA MIFA / OLAI MENJE",  # 818
    "2.16": "MAEE D5",  # 833
    "2.17": "MAEE D1, D5 MEGA Justice MSI/Police",  # 852
    "2.18": "Justice MEGA MAEE D1 (InterMinisterial Committee on human rights))",  # 871
    "2.19": "SRE MAEE D1 (Dialogue with civil society at the interministerial Committee on "
    "human rights), D5",  # 892
    "2.20": "MAEE D1, D5, D7",  # 926
    "2.21": "Justice MEGA MENJE",  # 939
    "3.1": "MAEE D1, D7 / Army MEGA Justice",  # 988
    "3.2": "MAEE D8 MIFA / OLAI",  # 1010
    "3.3": "MSI/Police",  # 1036
    "3.4": "All",  # 1054
    "3.5": "Justice MSI/Police",  # 1074
    "3.6": "Justice",  # 1099
    "3.7": "Justice MEGA",  # 1119
    "3.8": "Justice MSI/Police MEGA",  # 1141
    "3.9": "MAEE D5",  # 1164
    "3.10": "MAEE D1, D7, EUPT / PSC, UNPT RP, NATO RP, OSCE RP",  # 1186
    "3.11": "Justice",  # 1212
    "3.12": "MIFA / OLAI Justice",  # 1232
    "3.13": "Justice",  # 1248
    "3.14": "MAEE D1, D5",  # 1262
    "3.15": "MAEE D5",  # 1277
    "3.16": "MAEE D1, D2, D5 UN RP, EUPT / PSC, NATO RP, OSCE RP",  # 1291
    "3.17": "MAEE SG (Legal Service), D1, D2, D5, RP The Hague, RP the UN, diplomatic "
    "Missions in the states concerned",  # 1310
    "4.1": "MAEE D1, D2, D5, MEGA",  # 1349
    "4.2": "MAEE D1, D2, D5, RP UN, RP NATO, RP OSCE, RP EU / PSC, RP Geneva, PR Strasbourg",
    "4.3": "MAEE D1, D2, D5, RP UN, RP NATO, RP OSCE, RP EU / PSC, RP Geneva, PR Strasbourg",
    "4.4": "MAEE D1, D7 NATO RP, EU RP / PSC",  # 1414
    "4.5": "MAEE D1",  # 1429
    "4.6": "MAEE D1, D5 MEGA",  # 1448
    "4.7": "MAEE SG (information and communication Unit), D1, D5 MEGA",  # 1471
}


def test_every_row_ministries_cell(corpus_store):
    assert len(ROW_MINISTRIES) == 55
    rows = select(
        corpus_store,
        f"""SELECT ?n ?t WHERE {{ ?x a wps:Action ; wps:partOfPlan <{PLAN}> ;
              dcterms:identifier ?n ; wps:actorsAsWritten ?t }}""",
    )
    got = {row["n"]: row["t"] for row in rows}
    assert got == ROW_MINISTRIES


def test_page_break_defects(corpus_store):
    # guillemet defects added in the re-verification: objective 2-6 (line 743), indicator
    # 2.8.1 (line 699)
    assert _texts(corpus_store, f"<{PLAN}/objective/2-6>", "wps:sourceDefect")
    assert _texts(corpus_store, f"<{PLAN}/indicator/2-8-1>", "wps:sourceDefect")
    # the leftover cells of pillar I, page 1 (lines 403-406) are attached to row 1.1 only
    assert _indicators(corpus_store, "1.1")[-1] == "Procedures adopted"
    assert count(corpus_store, f'{IND} ; wps:text "Procedures adopted"@en .') == 1
