"""The linker's links on pages: an action's links, what is linked to a resolution or an
instrument, and a theme's actions and resolutions (all from the grouped graph).

A ``wps:Link`` node says: action (``wps:linkFrom``) → resolution, instrument or theme
(``wps:linkTo``), on a basis (``explicit``: the action's words name the target;
``thematic``: through a theme), with its evidence (the matched words), its rule and the
themes it went through (``wps:viaTheme``). Each link has a small page of its own; the
action page is where they are read together (each row is an anchor the link page
points to).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wpsgraph.site.graph import Graph, Resource
from wpsgraph.vocab import dcterms, skos, wps

BASES = ("explicit", "thematic")
KINDS = ("resolution", "instrument", "theme")


@dataclass
class LinkRow:
    """One link, as a page shows it."""

    iri: str  # the wps:Link node
    action: str  # wps:linkFrom
    target: str  # wps:linkTo
    kind: str  # resolution, instrument or theme
    basis: str  # explicit or thematic
    evidence: list[str]  # the matched words
    rule: str
    via: list[str]  # theme IRIs (thematic links to instruments)

    @property
    def anchor(self) -> str:
        """The id of its row on the action page: ``link-<last segment of the IRI>``."""
        return "link-" + self.iri.rsplit("/", 1)[-1]


@dataclass
class PlanGroup:
    """The actions of one plan linked to a target, by basis."""

    plan: str  # plan IRI ("" for none)
    by_basis: dict[str, list[LinkRow]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len({row.action for rows in self.by_basis.values() for row in rows})


def kind_of(graph: Graph, iri: str) -> str:
    r = graph.res.get(iri)
    if r is not None and graph.is_a(r, "Resolution"):
        return "resolution"
    if r is not None and graph.is_a(r, "Theme"):
        return "theme"
    return "instrument"


def link_row(graph: Graph, link: Resource) -> LinkRow:
    target = link.one(wps.linkTo)
    evidence = link.one(wps.evidence)
    return LinkRow(
        iri=link.iri,
        action=link.one(wps.linkFrom),
        target=target,
        kind=kind_of(graph, target),
        basis=link.one(wps.basis),
        evidence=[w for w in evidence.split(" | ") if w],
        rule=link.one(wps.rule),
        via=link.refs(wps.viaTheme),
    )


def _links(graph: Graph, iris: list[str]) -> list[LinkRow]:
    return [
        link_row(graph, graph.res[i])
        for i in sorted(set(iris))
        if i in graph.res and graph.is_a(graph.res[i], "Link")
    ]


def action_links(graph: Graph, r: Resource) -> list[LinkRow]:
    """The action's links, explicit first, then resolutions, instruments, themes."""
    rows = _links(graph, r.inv.get(wps.linkFrom.value, []))
    return sorted(
        rows,
        key=lambda x: (
            _index(BASES, x.basis),
            _index(KINDS, x.kind),
            graph.label(x.target).lower(),
            x.iri,
        ),
    )


def linked_to(graph: Graph, r: Resource) -> list[PlanGroup]:
    """Every action linked to ``r`` (a resolution, instrument or theme), grouped by plan
    (by country or issuer label) and basis, explicit first; actions in plan order."""
    by_plan: dict[str, dict[str, list[LinkRow]]] = defaultdict(lambda: defaultdict(list))
    for row in _links(graph, r.inv.get(wps.linkTo.value, [])):
        action = graph.res.get(row.action)
        plan = graph.plan_of(action) if action is not None else None
        by_plan[plan.iri if plan else ""][row.basis].append(row)
    groups = []
    for plan_iri, bases in by_plan.items():
        for rows in bases.values():
            rows.sort(key=lambda x: _action_order(graph, x.action))
        ordered = {b: bases[b] for b in sorted(bases, key=lambda b: _index(BASES, b))}
        groups.append(PlanGroup(plan_iri, ordered))
    return sorted(groups, key=lambda g: (graph.label(g.plan).lower(), g.plan))


def instrument_themes(graph: Graph, r: Resource, *, of_theme: bool) -> list[dict[str, str]]:
    """The ``wps:InstrumentTheme`` statements about an instrument (``of_theme=False``:
    its themes) or about a theme (``of_theme=True``: the instruments about it), with the
    ``why`` and whether the theme is core to the instrument."""
    prop = wps.theme if of_theme else wps.instrument
    rows = []
    for iri in sorted(set(r.inv.get(prop.value, []))):
        st = graph.res.get(iri)
        if st is None or not graph.is_a(st, "InstrumentTheme"):
            continue
        rows.append(
            {
                "instrument": st.one(wps.instrument),
                "theme": st.one(wps.theme),
                "why": st.one(dcterms.description),
                "core": "core" if st.one(wps.core) == "true" else "",
            }
        )
    other = "instrument" if of_theme else "theme"
    return sorted(
        rows, key=lambda x: (x["core"] != "core", graph.label(x[other]).lower(), x[other])
    )


def _action_order(graph: Graph, iri: str) -> tuple[int, str]:
    a = graph.res.get(iri)
    line = a.one(wps.curationLine) if a is not None else ""
    return (int(line) if line.isdigit() else 0, iri)


def _index(seq: tuple[str, ...], x: str) -> int:
    return seq.index(x) if x in seq else len(seq)


@dataclass
class ThemeRow:
    """A theme on the themes index."""

    r: Resource
    pillar: bool
    broader: list[str]
    actions: int  # actions linked to it, across plans
    plans: int  # plans with such an action
    instruments: list[str]  # the resolutions and instruments about it


def theme_index(graph: Graph, themes: list[Resource]) -> list[ThemeRow]:
    """The themes, pillars first, each with its actions, plans and instruments.

    It walks every link of every plan, so only what it counts is read: each link's action
    (no :class:`LinkRow`), and each action's plan once."""
    res = graph.res
    links = {r.iri for r in graph.instances("Link")}  # one look-up each, not a type test
    plan_of: dict[str, str | None] = {}
    rows = []
    for t in themes:
        actions: set[str] = set()
        for iri in links.intersection(t.inv.get(wps.linkTo.value, ())):
            actions.add(res[iri].one(wps.linkFrom))
        plans: set[str] = set()
        for action in actions:
            if action not in plan_of:
                a = res.get(action)
                plan = graph.plan_of(a) if a is not None else None
                plan_of[action] = plan.iri if plan is not None else None
            if (found := plan_of[action]) is not None:
                plans.add(found)
        about = instrument_themes(graph, t, of_theme=True)
        rows.append(
            ThemeRow(
                t,
                graph.is_a(t, "Pillar"),
                t.refs(skos.broader),
                len(actions),
                len(plans),
                [x["instrument"] for x in about],
            )
        )
    return sorted(rows, key=lambda x: (not x.pillar, graph.label(x.r.iri).lower(), x.r.iri))
