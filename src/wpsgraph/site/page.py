"""The variables of a resource page, in one place.

Every page under ``id/`` is rendered from one :class:`ResourcePage`: ``resource.html``
reads the common fields, and each template that extends it (plan, action, objective,
indicator, actor, country, resolution, instrument, theme; link extends base.html) reads
its own fields as well. Besides these, every template has the globals of
:func:`wpsgraph.site.generate.build_site` (``label``, the vocabularies …), the link
helpers of :class:`wpsgraph.site.render.Links` (``url``, ``href``, ``iri``, ``term``,
``link``, ``header``) and ``script``, the page's JSON-LD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wpsgraph.site import links, views
from wpsgraph.site.graph import Graph, Resource, Term
from wpsgraph.validate import ValidationResult
from wpsgraph.vocab import rdf, wps


@dataclass
class ResourcePage:
    """What a resource page shows (the template picks what it lays out)."""

    r: Resource  # the resource, with everything said about it both ways
    base_path: str  # its site path without extension: id/plan/x/action/1-a
    types: list[str]  # its rdf:type IRIs
    groups: list[tuple[str, list[Term]]]  # outgoing values by property
    inverse: list[tuple[str, list[str]]]  # incoming links by property
    crumbs: list[tuple[str, str]]  # (label, page) from the home page to its parent
    warnings: list[ValidationResult]  # validation warnings about this node
    source: views.Source  # where it was found, and where it was curated
    refs: list[dict[str, str]]  # its references to instruments, with their evidence
    plan: Resource | None  # the plan it is part of
    # for some templates only (empty elsewhere)
    tree: list[dict[str, Any]] = field(default_factory=list)  # plan, objective
    meta: dict[str, Any] = field(default_factory=dict)  # plan: metadata table
    plan_warnings: list[ValidationResult] = field(default_factory=list)  # plan
    commitments: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # actor
    citing: list[tuple[str, list[dict[str, str]]]] = field(default_factory=list)  # resolution …
    country_plans: list[str] = field(default_factory=list)  # country
    action_links: list[links.LinkRow] = field(default_factory=list)  # action: its links
    link_row: links.LinkRow | None = None  # link: the link itself
    linked: list[links.PlanGroup] = field(default_factory=list)  # resolution, instrument, theme
    about: list[dict[str, str]] = field(default_factory=list)  # instrument ↔ theme statements
    chart: str = ""  # resolution, plan: its bar chart (SVG markup, made safe)
    chart_files: dict[str, str] = field(default_factory=dict)  # its svg, csv and query


LISTED_ABOVE = {
    p.value
    for p in (
        wps.linkTo,
        wps.addressesResolution,
        wps.referencesInstrument,
        wps.addressesTheme,
        wps.viaTheme,
    )
}


def resource_page(
    graph: Graph, r: Resource, path: str, template: str, by_focus: dict[str, list[ValidationResult]]
) -> ResourcePage:
    if template == "link.html":  # its own layout: none of the generic tables
        page = ResourcePage(
            r=r,
            base_path=path,
            types=[],
            groups=[],
            inverse=[],
            crumbs=views.breadcrumb(graph, r),
            warnings=[],
            source=views.Source(),
            refs=[],
            plan=graph.plan_of(r),
        )
        page.link_row = links.link_row(graph, r)
        return page
    page = ResourcePage(
        r=r,
        base_path=path,
        types=[t.value for t in r.all(rdf.type)],
        groups=views.groups(graph, r),
        inverse=views.inverse(graph, r),
        crumbs=views.breadcrumb(graph, r),
        warnings=by_focus.get(r.iri, []),
        source=views.source(r),
        refs=views.references(graph, r),
        plan=graph.plan_of(r),
    )
    if template in ("plan.html", "objective.html"):
        page.tree = views.tree(graph, r)
    if template == "plan.html":
        page.meta = views.plan_meta(graph, r)
        page.plan_warnings = views.plan_warnings(graph, r, by_focus)
    if template == "actor.html":
        page.commitments = views.commitments(graph, r)
    if template in ("resolution.html", "instrument.html"):
        page.citing = views.citing(graph, r)
    if template == "country.html":
        page.country_plans = sorted(set(r.inv.get(wps.country.value, [])))
    if template == "action.html":
        page.action_links = links.action_links(graph, r)
    if template in ("resolution.html", "instrument.html", "theme.html"):
        page.linked = links.linked_to(graph, r)
        page.about = links.instrument_themes(graph, r, of_theme=template == "theme.html")
        # the links are listed, grouped, above: not again as a flat list of link nodes
        page.inverse = [(p, s) for p, s in page.inverse if p not in LISTED_ABOVE]
    return page
