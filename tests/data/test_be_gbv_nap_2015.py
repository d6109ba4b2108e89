"""Counts and spot checks for data/plans/be-gbv-nap-2015.yaml against the built corpus.

Source: data/sources/003_15e8131424f9bf20.txt, the English summary brochure of Belgium's
National Action Plan to combat all forms of gender-based violence 2015-2019.
"""

from __future__ import annotations

import pytest
from conftest import count, select

PLAN = "https://w3id.org/wpsgraph/id/plan/be-gbv-nap-2015"
ACTORS = "https://w3id.org/wpsgraph/id/actor/"
ACT = f"?x a wps:Action ; wps:partOfPlan <{PLAN}>"
OBJ = f"?x a wps:Objective ; wps:partOfPlan <{PLAN}>"


def _action(number: str) -> str:
    return f"<{PLAN}/action/{number.replace('.', '-')}>"


def _texts(store, subject: str, prop: str) -> list[str]:
    rows = select(store, f"SELECT ?t WHERE {{ {subject} {prop} ?t }}")
    return sorted(row["t"] for row in rows)


def test_priorities(corpus_store):
    # 6: the brochure numbers its priorities "1." to "6." (lines 66, 86, 127, 186, 214,
    # 232; `grep -cP "^\s*[1-6]\.\s"` finds exactly these six lines).
    where = f'{OBJ} ; wps:objectiveLevel ?lvl . FILTER(STR(?lvl) = "priority")'
    assert count(corpus_store, where) == 6
    # ...and the plan has no other objective level.
    assert count(corpus_store, f"{OBJ} .") == 6


def test_measures(corpus_store):
    # 25 = 19 measure paragraphs (short paragraphs under priorities 1-4, each starting
    # after a blank or " " spacer line: lines 70, 74, 83, 88, 96, 101, 108, 115, 129, 136,
    # 145, 153, 164, 176, 184, 190, 200, 208, 212) + 6 items printed with a bare ">"
    # (no "Eg.") under priorities 5 and 6 (lines 217, 222, 226, 234, 239, 245).
    assert count(corpus_store, f"{ACT} .") == 25
    where = f'{ACT} ; wps:actionKind ?k . FILTER(STR(?k) = "measure")'
    assert count(corpus_store, where) == 25
    # The brochure numbers no measure: every number is ours.
    assert count(corpus_store, f"{ACT} ; wps:numberAssigned true .") == 25


@pytest.mark.parametrize(
    ("priority", "n"),
    [
        ("1", 3),  # lines 70, 74, 83
        ("2", 5),  # lines 88, 96, 101, 108, 115
        ("3", 7),  # lines 129, 136, 145, 153, 164, 176, 184
        ("4", 4),  # lines 190, 200, 208, 212
        ("5", 3),  # ">" items at lines 217, 222, 226
        ("6", 3),  # ">" items at lines 234, 239, 245
    ],
)
def test_measures_per_priority(corpus_store, priority, n):
    assert count(corpus_store, f"<{PLAN}/priority/{priority}> wps:hasAction ?x .") == n


def test_examples(corpus_store):
    # 12: `grep -c "Eg\. >"` over the source finds 12 examples, each attached to one measure.
    rows = select(
        corpus_store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {ACT} ; wps:example ?e . }}",
    )
    assert int(rows[0]["n"]) == 12
    # 12 measures have exactly one example each: 1.2, 2.1, 2.3, 2.4, 2.5, 3.1-3.6, 4.2.
    assert count(corpus_store, f"{ACT} ; wps:example ?e .") == 12


@pytest.mark.parametrize(
    ("number", "start"),
    [
        ("1.2", "Start new prevalence studies on the experiences of physical,"),  # line 77
        ("2.1", "Organise awareness campaigns about the battle against sexism"),  # line 92
        ("2.3", "Provide professional stakeholders with risk assessment tools"),  # line 104
        # line 111
        ("2.4", "Compile an inventory of the available programmes (judicial (including prisons)"),
        ("2.5", "Include the battle against sexism in the media"),  # line 119
        ("3.1", "Encourage victims of sexual violence to report the facts"),  # line 132
        ("3.2", "Exchange information about existing projects"),  # line 139
        ("3.3", "Make the existing support services more accessible to immigrants"),  # line 148
        ("3.4", "Expand the existing primary telephone assistance services"),  # line 156
        # line 166
        ("3.5", "Conduct a feasibility study on the start-up of Sexual Assault Referral Centres"),
        ("3.6", "Raise awareness among social organisations, schools and"),  # line 178
        ("4.2", "Investigate optimum procedures and tools to monitor sexual offenders"),  # line 203
    ],
)
def test_example_attached_to_measure(corpus_store, number, start):
    examples = _texts(corpus_store, _action(number), "wps:example")
    assert len(examples) == 1
    assert examples[0].startswith(start)


@pytest.mark.parametrize("number", ["1.1", "1.3", "2.2", "3.7", "4.1", "4.3", "4.4", "5.1", "6.3"])
def test_measures_without_example(corpus_store, number):
    assert _texts(corpus_store, _action(number), "wps:example") == []


def test_full_example_wording(corpus_store):
    # line 166-173, joined
    assert _texts(corpus_store, _action("3.5"), "wps:example") == [
        "Conduct a feasibility study on the start-up of Sexual Assault Referral Centres (SARCs) "
        "in Belgium. Based on the results of this feasibility study, elaborate a SARC pilot "
        "project, involving expert staff who have been trained in the matter of sexual violence "
        "and are available 24/7. These centres will provide victims of sexual violence with "
        "immediate medical and psychological care. At the same time, their staff will have the "
        "qualifications to conduct forensic investigations into injuries and their causes."
    ]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (
            "1.1",
            "Pursue a general and coordinated policy through efficient cooperation between all "
            "partners.",
        ),
        ("3.5", "Support the victims of sexual violence."),
        ("3.7", "Encourage professionals to report acts of violence."),
        ("4.3", "Evaluate and improve emergency barring, restraining or protecting orders."),
        (
            "5.2",
            "Draw up directives for domestic violence and sexual violence (including sexual abuse "
            "by relief workers) to buttress the deontological code.",
        ),
        (
            "6.3",
            "Belgium will also support initiatives that contribute to the elaboration and "
            "implementation in third countries of a national legislation punishing sexual violence "
            "and encouraging women and girls to file a complaint when they become the victim of "
            "sexual violence.",
        ),
    ],
)
def test_measure_wording(corpus_store, number, text):
    assert _texts(corpus_store, _action(number), "wps:text") == [text]


@pytest.mark.parametrize(
    ("priority", "title"),
    [
        (
            "1",
            "Pursue an integrated policy to combat gender-based violence and gather quantitative "
            "and qualitative data about all forms of violence.",
        ),
        ("3", "Protecting and supporting victims."),
        ("4", "Investigate, continue and accept protective measures."),  # verbatim, see its defect
        ("6", "Combat violence on an international level."),
    ],
)
def test_priority_titles(corpus_store, priority, title):
    assert _texts(corpus_store, f"<{PLAN}/priority/{priority}>", "dcterms:title") == [title]


def test_no_indicators_and_no_responsible_actors(corpus_store):
    # The brochure states neither indicators nor who is responsible for a measure.
    assert count(corpus_store, f"?a wps:partOfPlan <{PLAN}> ; wps:hasIndicator ?x .") == 0
    assert count(corpus_store, f"{ACT} ; wps:responsibleActor ?r .") == 0


def test_defects(corpus_store):
    # 3 nodes with a recorded source defect: priority 4 (mistranslated title) and
    # priorities 5 and 6 (">" items without "Eg." and without measure paragraphs).
    assert count(corpus_store, f"?x wps:partOfPlan <{PLAN}> ; wps:sourceDefect ?d .") == 3
    for p in ("4", "5", "6"):
        assert _texts(corpus_store, f"<{PLAN}/priority/{p}>", "wps:sourceDefect")


def test_note_on_235_measures(corpus_store):
    # line 42: "to convert this plan into 235 new measures to combat gender-based violence."
    notes = _texts(corpus_store, f"<{PLAN}>", "skos:editorialNote")
    assert any("235 new measures" in n for n in notes)
    # and the note on the forms of violence listed on the cover (lines 9-16)
    assert any("FEMALE GENITAL MUTILATION" in n and "PROSTITUTION" in n for n in notes)


def test_coordination(corpus_store):
    # line 37-38: "This plan is coordinated by the Institute for the Equality of Women and Men."
    rows = select(corpus_store, f"SELECT ?a WHERE {{ <{PLAN}> wps:coordinatedBy ?a }}")
    assert {row["a"] for row in rows} == {
        ACTORS + "be-equality",
        ACTORS + "be-state-secretary-equal-opportunities",
    }


def test_istanbul_convention_reference(corpus_store):
    # line 47-49: "Council of Europe Convention on preventing and combating violence against
    # women and domestic violence (hereinafter called 'Istanbul Convention')"
    rows = select(
        corpus_store,
        f"""SELECT ?e WHERE {{
              ?r wps:referringNode <{PLAN}> ; wps:instrument ?i ; wps:evidence ?e .
              FILTER(STRENDS(STR(?i), "/istanbul-convention"))
            }}""",
    )
    assert len(rows) == 1
    assert "Istanbul Convention" in rows[0]["e"]


def test_budget_and_partners(corpus_store):
    # The brochure states no budget (no amount or funding source anywhere in lines 1-258).
    rows = select(corpus_store, f"SELECT ?b WHERE {{ <{PLAN}> wps:budgetStated ?b }}")
    assert [r["b"] for r in rows] == ["false"]
    # lines 40-42: "the close cooperation between the federal government, the communities and
    # the regions to convert this plan into 235 new measures"
    rows = select(
        corpus_store,
        f"SELECT ?a WHERE {{ <{PLAN}> wps:partners ?s . ?s wps:responsibleActor ?a }}",
    )
    assert {row["a"] for row in rows} == {
        ACTORS + "be-government",
        ACTORS + "be-communities",
        ACTORS + "be-regions",
    }
