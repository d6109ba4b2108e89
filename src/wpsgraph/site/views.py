"""What each kind of page shows, worked out from the grouped graph (no queries).

Every function here takes the :class:`Graph` and a :class:`Resource` and returns plain
values for a template; the templates only lay them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from wpsgraph.site.graph import LABEL_PROPS, Graph, Resource, Term, iris_in
from wpsgraph.validate import ValidationResult
from wpsgraph.vocab import WPS, dcterms, prov, rdf, wps

# Page templates by class, most specific first; anything else gets resource.html.
TEMPLATES = (
    ("ActionPlan", "plan.html"),
    ("Action", "action.html"),
    ("Indicator", "indicator.html"),
    ("Objective", "objective.html"),
    ("Actor", "actor.html"),
    ("Country", "country.html"),
    ("Resolution", "resolution.html"),
    ("Instrument", "instrument.html"),
    ("Theme", "theme.html"),
    ("Link", "link.html"),
)

# Class index pages: (file, title, class, intro).
INDEXES = (
    ("plans.html", "Plans", "ActionPlan", "Every action plan and recommendation set."),
    ("actors.html", "Actors", "Actor", "Ministries, agencies and organisations named in plans."),
    ("countries.html", "Countries", "Country", "Countries with a plan or an actor."),
    ("resolutions.html", "Resolutions", "Resolution", "UN Security Council resolutions."),
    (
        "instruments.html",
        "Conventions and instruments",
        "Instrument",
        "Conventions, protocols, frameworks and policies cited by plans.",
    ),
    ("themes.html", "Themes", "Theme", "Themes that actions address."),
)
INDEX_OF = {cls: (file, title) for file, title, cls, _ in INDEXES}

# Parent links used for the breadcrumb: (property, inverse?) from a node to its parent.
PARENTS = (
    (wps.hasAction, True),
    (wps.hasObjective, True),
    (wps.subObjectiveOf, False),
    (wps.hasIndicator, True),
    (wps.referringNode, False),
    (wps.linkFrom, False),
    (wps.partOfPlan, False),
)


def template_for(graph: Graph, r: Resource) -> str:
    """The template of the resource's page: that of the first of its classes in
    :data:`TEMPLATES` (found once per set of classes, not once per page)."""
    classes = graph.classes(r)
    by_classes = graph.memo["template"]
    name = by_classes.get(classes)
    if name is None:
        name = by_classes[classes] = next(
            (name for cls, name in TEMPLATES if WPS + cls in classes), "resource.html"
        )
    return name


def index_for(graph: Graph, r: Resource) -> tuple[str, str] | None:
    for cls, (file, title) in INDEX_OF.items():
        if graph.is_a(r, cls):
            return file, title
    return None


def breadcrumb(graph: Graph, r: Resource) -> list[tuple[str, str]]:
    """(label, page path) from home to the resource's parent: home › plan › objective …

    The crumbs down to a parent are made once and shared by its children (a plan's
    thousands of links, indicators and actions have a few hundred parents)."""
    parent = _parent(graph, r, {r.iri})
    if parent is None:
        crumbs = [("Home", "index.html")]
        idx = index_for(graph, r)
        if idx:
            crumbs.append((idx[1], idx[0]))
        return crumbs
    below = graph.memo["crumbs"]
    crumbs = below.get(parent.iri)
    if crumbs is None:
        chain = [parent]
        seen = {parent.iri}
        x: Resource | None = parent
        while x is not None:
            x = _parent(graph, x, seen)
            if x is not None:
                seen.add(x.iri)
                chain.append(x)
        crumbs = below[parent.iri] = [("Home", "index.html")]
        for p in reversed(chain):
            path = graph.path(p.iri)
            if path:
                crumbs.append((short_label(graph, p), path + ".html"))
    return list(crumbs)


def _parent(graph: Graph, r: Resource, seen: set[str]) -> Resource | None:
    if graph.is_a(r, "ActionPlan"):
        return None
    res, path = graph.res, graph.path
    for prop, inverse in _PARENT_KEYS:
        found = r.inv.get(prop) if inverse else r.out.get(prop)
        if not found:  # the common case: asked of every page, most properties absent
            continue
        iris = sorted(set(found)) if inverse else iris_in(found)
        for iri in iris:
            if iri not in seen and iri in res and path(iri):
                return res[iri]
    return None


# PARENTS by their IRIs' text, the keys of a resource's dicts
_PARENT_KEYS = tuple((prop.value, inverse) for prop, inverse in PARENTS)


def short_label(graph: Graph, r: Resource) -> str:
    number = r.one(dcterms.identifier)
    if graph.is_a(r, "Action") and number:
        return f"{(r.one(wps.actionKind) or 'action').capitalize()} {number}"
    if graph.is_a(r, "Indicator") and number:
        return f"Indicator {number}"
    return graph.label(r.iri)


def groups(graph: Graph, r: Resource) -> list[tuple[str, list[Term]]]:
    """Outgoing values grouped by property, labelled, in a stable order."""
    out = r.out
    props = sorted(out, key=lambda p: (_FIRST.get(p, 99), graph.label(p), p))
    # most properties have one value: nothing to sort
    return [(p, sorted(v, key=_sort_key) if len(v := out[p]) > 1 else list(v)) for p in props]


def inverse(graph: Graph, r: Resource) -> list[tuple[str, list[str]]]:
    return [
        (p, sorted(set(subjects), key=lambda s: (graph.label(s).lower(), s)))
        for p, subjects in sorted(r.inv.items(), key=lambda kv: (graph.label(kv[0]), kv[0]))
    ]


# the properties shown first, in this order
_FIRST = {p.value: i for i, p in enumerate((rdf.type, *LABEL_PROPS, wps.text))}


def _sort_key(term: Term) -> tuple[int, str, str]:
    order = term.value if not isinstance(term, ox.Literal) else term.value.zfill(6)
    return (0 if isinstance(term, ox.Literal) else 1, order, str(term))


def children(graph: Graph, r: Resource, prop: ox.NamedNode) -> list[Resource]:
    kids = [graph.res[t] for t in r.refs(prop) if t in graph.res]
    return sorted(
        kids, key=lambda k: (_int(k.one(wps.order)), _int(k.one(wps.curationLine)), k.iri)
    )


def _int(text: str) -> int:
    return int(text) if text.lstrip("-").isdigit() else 0


def tree(graph: Graph, r: Resource) -> list[dict[str, Any]]:
    """The plan as nested objectives → actions → indicators, in the plan's order."""

    def node(x: Resource) -> dict[str, Any]:
        return {
            "r": x,
            "objectives": [node(c) for c in children(graph, x, wps.hasObjective)],
            "actions": [
                {
                    "r": a,
                    "indicators": children(graph, a, wps.hasIndicator),
                    "actors": a.refs(wps.responsibleActor),
                }
                for a in children(graph, x, wps.hasAction)
            ],
        }

    return [node(r)]


@dataclass
class Source:
    """Where a node was found: the document and the place in it, and the curation file."""

    document: str = ""
    place: list[tuple[str, str]] = field(default_factory=list)
    file: str = ""
    line: str = ""


def source(r: Resource) -> Source:
    docs = r.refs(prov.wasDerivedFrom)
    place = [
        (name, r.one(prop))
        for name, prop in (
            ("section", wps.sourceSection),
            ("page", wps.sourcePage),
            ("row", wps.sourceRow),
            ("line", wps.sourceLine),
        )
        if r.one(prop)
    ]
    return Source(docs[0] if docs else "", place, r.one(wps.curationFile), r.one(wps.curationLine))


def references(graph: Graph, r: Resource) -> list[dict[str, str]]:
    """The node's references to resolutions and instruments, with their evidence."""
    rows = []
    for iri in r.refs(wps.hasReference):
        ref = graph.res.get(iri)
        if ref is None:
            continue
        for target in ref.refs(wps.instrument):
            rows.append({"ref": iri, "instrument": target, "evidence": ref.one(wps.evidence)})
    return sorted(rows, key=lambda x: (graph.label(x["instrument"]), x["instrument"], x["ref"]))


def plan_meta(graph: Graph, r: Resource) -> dict[str, Any]:
    """The facts shown in the plan's metadata table."""
    start, end = r.one(wps.startYear), r.one(wps.endYear)
    statements = []
    for prop in (wps.coordination, wps.monitoring, wps.budget, wps.civilSociety):
        for iri in r.refs(prop):
            st = graph.res.get(iri)
            if st is not None:
                statements.append({"topic": prop, "r": st, "stated": st.one(wps.stated)})
    return {
        "period": f"{start}–{end}" if start and end else start or end,
        "period_text": r.one(dcterms.temporal),
        "statements": statements,
        "references": references(graph, r),
    }


def commitments(graph: Graph, r: Resource) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every node that names ``r`` (as responsible, addressee, coordinator, issuer),
    grouped by plan: [(plan IRI, [(node IRI, role property)])]."""
    roles = (wps.responsibleActor, wps.addressee, wps.coordinatedBy, wps.issuedBy)
    by_plan: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for prop in roles:
        for s in sorted(set(r.inv.get(prop.value, []))):
            node = graph.res.get(s)
            if node is None:
                continue
            plan = node if graph.is_a(node, "ActionPlan") else graph.plan_of(node)
            by_plan[plan.iri if plan else ""].append((s, prop.value))
    for items in by_plan.values():
        items.sort(key=lambda x: (_int(graph.res[x[0]].one(wps.curationLine)), x[0]))
    return sorted(by_plan.items(), key=lambda kv: (graph.label(kv[0]).lower(), kv[0]))


def citing(graph: Graph, r: Resource) -> list[tuple[str, list[dict[str, str]]]]:
    """Every plan or objective that addresses or references ``r`` (a resolution or an
    instrument), with the evidence where there is one, grouped by plan. Actions are
    left to the linker's links (:func:`wpsgraph.site.links.linked_to`), which carry
    their curated references too."""
    found: dict[str, dict[str, str]] = {}
    for ref_iri in sorted(set(r.inv.get(wps.instrument.value, []))):
        ref = graph.res[ref_iri]
        for node in ref.refs(wps.referringNode):
            found[node] = {"node": node, "evidence": ref.one(wps.evidence)}
    for prop in (wps.addressesResolution, wps.referencesInstrument):
        for node in sorted(set(r.inv.get(prop.value, []))):
            found.setdefault(node, {"node": node, "evidence": ""})
    by_plan: dict[str, list[dict[str, str]]] = defaultdict(list)
    for node, row in found.items():
        res = graph.res[node]
        if graph.is_a(res, "Action"):
            continue
        plan = res if graph.is_a(res, "ActionPlan") else graph.plan_of(res)
        by_plan[plan.iri if plan else ""].append(row)
    for rows in by_plan.values():
        rows.sort(key=lambda x: (_int(graph.res[x["node"]].one(wps.curationLine)), x["node"]))
    return sorted(by_plan.items(), key=lambda kv: (graph.label(kv[0]).lower(), kv[0]))


def members(graph: Graph, cls: str) -> list[Resource]:
    """The published instances of wps:<cls> by label (worked out once per build: the
    home page and the class's index both list them)."""
    found = graph.memo["members"].get(cls)
    if found is None:
        found = graph.instances(cls)
        if cls in ("Actor", "Country"):  # only those something points to
            found = [r for r in found if r.inv]
        found = graph.memo["members"][cls] = sorted(
            found, key=lambda r: (graph.label(r.iri).lower(), r.iri)
        )
    return list(found)


STAT_CLASSES = ("Objective", "Action", "Indicator")


def plan_stats(graph: Graph, plans: Sequence[Resource]) -> list[dict[str, Any]]:
    """Each plan with how many objectives, actions and indicators are part of it (the
    members of each class taken once from the graph's index, not tested node by node)."""
    kinds = {cls: {r.iri for r in graph.instances(cls)} for cls in STAT_CLASSES}
    rows = []
    for p in plans:
        parts = set(p.inv.get(wps.partOfPlan.value, []))
        rows.append(
            {
                "r": p,
                "objectives": len(parts & kinds["Objective"]),
                "actions": len(parts & kinds["Action"]),
                "indicators": len(parts & kinds["Indicator"]),
            }
        )
    return rows


def warnings_by_focus(results: Sequence[ValidationResult]) -> dict[str, list[ValidationResult]]:
    found: dict[str, list[ValidationResult]] = defaultdict(list)
    for w in results:
        found[w.focus].append(w)
    return found


def plan_warnings(
    graph: Graph, plan: Resource, by_focus: dict[str, list[ValidationResult]]
) -> list[ValidationResult]:
    """The validation warnings about the plan and every node in it."""
    nodes = {plan.iri, *plan.inv.get(wps.partOfPlan.value, [])}
    return [w for n in sorted(nodes) for w in by_focus.get(n, [])]
