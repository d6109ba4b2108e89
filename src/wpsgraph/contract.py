"""The documented contract of plan files and reference files (see data/README.md).

A test checks that every key named here is documented in data/README.md.
"""

from __future__ import annotations

from typing import Any

from wpsgraph.schema import (
    SLUG,
    YEAR_RANGE,
    Bool,
    Date,
    Either,
    Int,
    Lazy,
    ListOf,
    Record,
    Str,
)

PLAN_TYPES = ("NationalActionPlan", "OrganisationalActionPlan", "RecommendationSet")
LEVELS = (
    "pillar",
    "objective",
    "goal",
    "outcome",
    "strategic-outcome",
    "area",
    "sub-area",
    "priority",
    "category",
)
ACTION_KINDS = ("action", "measure", "commitment", "recommendation")
TRANSLATION = ("original", "official", "unofficial")
INSTRUMENT_TYPES = ("Convention", "Protocol", "Framework", "Policy")
ACTOR_TYPES = (
    "ministry",
    "directorate",
    "agency",
    "police",
    "armed-forces",
    "parliament",
    "mission",
    "international-organisation",
    "ngo",
    "group",
    "other",
)
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def _text() -> Str:
    return Str()


def _texts() -> ListOf:
    return ListOf(Str())


LOCATION = Record(
    {
        "line": (Int(minimum=1), True),
        "section": (Str(), False),
        "page": (Int(minimum=1), False),
        "row": (Int(minimum=1), False),
    },
    name="source location",
)

REFERENCE = Record(
    {
        "instrument": (Str(pattern=SLUG), True),
        "evidence": (Str(), True),
        "source": (LOCATION, False),
    },
    name="reference",
)

STATEMENT = Record(
    {
        "text": (Str(), True),
        "stated": (Bool(), False),
        "actors": (ListOf(Str(pattern=SLUG), unique=True), False),
        "source": (LOCATION, False),
        "notes": (_texts(), False),
    },
    name="statement",
)

INDICATOR = Either(
    Str(),
    Record(
        {
            "number": (Str(), False),
            "text": (Str(), False),
            "ref": (Str(), False),
            "source": (LOCATION, False),
            "notes": (_texts(), False),
            "defects": (_texts(), False),
        },
        name="indicator",
    ),
)


def _action_name(value: Any) -> str:
    return f"action {value.get('number', '?')}"


ACTION = Record(
    {
        "number": (Str(), True),
        "number_assigned": (Bool(), False),
        "kind": (Str(choices=ACTION_KINDS), False),
        "text": (Str(), True),
        "examples": (_texts(), False),
        "indicators": (ListOf(INDICATOR), False),
        "actors": (ListOf(Str(pattern=SLUG), unique=True), False),
        "actors_text": (Str(), False),
        "addressees": (ListOf(Str(pattern=SLUG), unique=True), False),
        "references": (ListOf(REFERENCE), False),
        "source": (LOCATION, True),
        "notes": (_texts(), False),
        "defects": (_texts(), False),
    },
    name="action",
    node_name=_action_name,
)


def _objective_name(value: Any) -> str:
    return f"{value.get('level', 'objective')} {value.get('number', value.get('key', '?'))}"


_OBJECTIVE = Lazy()
OBJECTIVE = Record(
    {
        "level": (Str(choices=LEVELS), True),
        "number": (Str(), False),
        "key": (Str(pattern=SLUG), False),
        "title": (Str(), True),
        "text": (Str(), False),
        "source": (LOCATION, True),
        "notes": (_texts(), False),
        "defects": (_texts(), False),
        "references": (ListOf(REFERENCE), False),
        "objectives": (ListOf(_OBJECTIVE), False),
        "actions": (ListOf(ACTION), False),
    },
    name="objective",
    node_name=_objective_name,
)
_OBJECTIVE.target = OBJECTIVE

PERIOD = Record(
    {
        "start": (Int(minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1]), True),
        "end": (Int(minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1]), True),
        "start_date": (Date(), False),
        "end_date": (Date(), False),
        "text": (Str(), False),
    },
    name="period",
)

PLAN_SOURCE = Record(
    {
        "document": (Str(), True),
        "title": (Str(), True),
        "publisher": (Str(), False),
        "url": (Str(pattern=r"^https?://\S+$"), False),
        "line": (Int(minimum=1), False),
        "note": (Str(), False),
    },
    name="source document",
)

PLAN = Record(
    {
        "id": (Str(pattern=SLUG), True),
        "type": (Str(choices=PLAN_TYPES), True),
        "title": (Str(), True),
        "short_title": (Str(), False),
        "country": (Str(pattern=r"^[A-Z]{2}$"), False),
        "issued_by": (ListOf(Str(pattern=SLUG), unique=True), False),
        "coordinated_by": (ListOf(Str(pattern=SLUG), unique=True), False),
        "period": (PERIOD, True),
        "language": (Str(pattern=LANG), True),
        "original_language": (ListOf(Str(pattern=LANG)), False),
        "translation": (Str(choices=TRANSLATION), True),
        "source": (PLAN_SOURCE, True),
        "coordination": (STATEMENT, False),
        "monitoring": (STATEMENT, False),
        "civil_society": (STATEMENT, False),
        "budget": (STATEMENT, False),
        "partners": (STATEMENT, False),
        "references": (ListOf(REFERENCE), False),
        "notes": (_texts(), False),
        "defects": (_texts(), False),
        "objectives": (ListOf(OBJECTIVE), False),
        "actions": (ListOf(ACTION), False),
    },
    name="plan",
    node_name=lambda v: f"plan {v.get('id', '?')}",
)

STATEMENT_KEYS = ("coordination", "monitoring", "civil_society", "budget", "partners")

RESOLUTION = Record(
    {
        "id": (Str(pattern=r"^unscr-\d{4}$"), True),
        "number": (Int(minimum=1), True),
        "symbol": (Str(pattern=r"^S/RES/\d+ \(\d{4}\)$"), True),
        "adopted": (Date(), True),
        "title": (Str(), True),
        "summary": (Str(), True),
        "aliases": (_texts(), False),
        "wikidata": (Str(pattern=r"^Q\d+$"), False),
        "notes": (_texts(), False),
    },
    name="resolution",
    node_name=lambda v: f"resolution {v.get('id', '?')}",
)

INSTRUMENT = Record(
    {
        "id": (Str(pattern=SLUG), True),
        "type": (Str(choices=INSTRUMENT_TYPES), True),
        "title": (Str(), True),
        "acronym": (Str(), False),
        "aliases": (_texts(), False),
        "adopted": (Date(), False),
        "summary": (Str(), False),
        "part_of": (Str(pattern=SLUG), False),
        "wikidata": (Str(pattern=r"^Q\d+$"), False),
        "notes": (_texts(), False),
    },
    name="instrument",
    node_name=lambda v: f"instrument {v.get('id', '?')}",
)

COUNTRY = Record(
    {
        "code": (Str(pattern=r"^[A-Z]{2}$"), True),
        "label": (Str(), True),
        "iso3": (Str(pattern=r"^[A-Z]{3}$"), False),
        "wikidata": (Str(pattern=r"^Q\d+$"), False),
    },
    name="country",
    node_name=lambda v: f"country {v.get('code', '?')}",
)

ACTOR = Record(
    {
        "id": (Str(pattern=SLUG), True),
        "label": (Str(), True),
        "alt_labels": (_texts(), False),
        "type": (Str(choices=ACTOR_TYPES), True),
        "country": (Str(pattern=r"^[A-Z]{2}$"), False),
        "sub_organization_of": (Str(pattern=SLUG), False),
        "definition": (Str(), False),
        "notes": (_texts(), False),
        "wikidata": (Str(pattern=r"^Q\d+$"), False),
    },
    name="actor",
    node_name=lambda v: f"actor {v.get('id', '?')}",
)

THEME_MATCH = Record(
    {
        "terms": (ListOf(Str(nonempty=True)), True),
        "exclude": (_texts(), False),
    },
    name="match rules",
)

THEME = Record(
    {
        "id": (Str(pattern=SLUG), True),
        "label": (Str(), True),
        "definition": (Str(), True),
        "scope_note": (Str(), False),
        "broader": (Str(pattern=SLUG), False),
        "pillar": (Bool(), False),
        "match": (THEME_MATCH, False),
        "notes": (_texts(), False),
    },
    name="theme",
    node_name=lambda v: f"theme {v.get('id', '?')}",
)

INSTRUMENT_THEME = Record(
    {
        "theme": (Str(pattern=SLUG), True),
        "core": (Bool(), False),
        "why": (Str(nonempty=True), True),
    },
    name="instrument theme",
)

INSTRUMENT_THEMES = Record(
    {
        "instrument": (Str(pattern=SLUG), True),
        "themes": (ListOf(INSTRUMENT_THEME), True),
        "notes": (_texts(), False),
    },
    name="instrument themes",
    node_name=lambda v: f"themes of {v.get('instrument', '?')}",
)
