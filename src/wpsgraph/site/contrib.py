"""What each plan shows on the pages outside the plans' folders, as one digest per page.

A shared page (an actor, a country, a theme, an instrument, a source document …) shows
its resource's triples and validation warnings, the nodes that point at it or that it
points at, and what those say: their own triples and those of the plan's nodes they
lead to, two steps further at most (a link → its action → the action's plan). A plan's
*contribution* to a shared page is a digest of exactly that: the page resource's triples,
its links into the plan, and every such node of the plan with its triples (the page's
warnings are digested on their own, :func:`warning_digests`).

The incremental site (:mod:`wpsgraph.site.reuse`) renders a shared page again only when
the contribution of a plan that changed is not the one it had before: editing one
action's wording renders the pages that list that action (its actors, the themes and
instruments it is linked to), not every page the plan shows on. A contribution depends
on the plan's quads and the shared data only, so a rebuild works out, for each plan
that changed, its contributions before and after the change on a graph of the shared
data and that plan alone (:func:`plan_digests`: a few thousand quads each), from the
plan's N-Quads of before (kept by the cache) and of now. (Worked out for every plan in
every full build instead, they cost ≈6 s of CPU at 1M triples.) Such a digest leaves
out what other plans say about the page's resource, which the change did not touch, and
the page's validation warnings, whose digest the manifest keeps on its own.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from pyoxigraph import NamedNode, Quad

from wpsgraph.site.graph import Graph, Resource

DEPTH = 2  # steps from a node next to the page's resource, along its links, into the plan


@dataclass
class Shown:
    """What the plans show on the shared pages: for every plan, the pages it shows on;
    for some plans (those asked for), a digest of what it shows on each."""

    pages: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    digests: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))


def contributions(
    graph: Graph,
    resources: Sequence[Resource],
    described: Collection[str] = (),
) -> Shown:
    """The shared pages each plan shows on, and for the plans in ``described`` a digest
    of what each of them shows there (worked out per plan asked for)."""
    under = graph.id_base + "plan/"
    digests = _Digests(graph)
    shown = Shown()
    for r in resources:
        if r.iri.startswith(under):  # in a plan's own part of the site (plan_of_path)
            continue
        path = graph.path(r.iri)
        if path is None:
            continue
        near: dict[str, set[str]] = defaultdict(set)  # plan -> its nodes next to r
        edges: dict[str, list[str]] = defaultdict(list)  # plan -> r's links into it
        for subjects in r.inv.values():
            for s in subjects:
                if s.startswith(under):
                    near[_plan(s, under)].add(s)
        for p, values in r.out.items():
            for o in values:
                if type(o) is NamedNode and o.value.startswith(under):
                    plan = _plan(o.value, under)
                    near[plan].add(o.value)
                    edges[plan].append(f"{p} {o.value}\n")
        for plan, nodes in near.items():
            shown.pages[plan].add(path)
            if plan not in described:
                continue
            # one update with the text of many is the digest of as many updates
            h = hashlib.sha256(digests.node(r.iri).encode())
            h.update("".join(sorted(edges[plan])).encode())
            reached = set().union(*(digests.reach(node, under + plan) for node in nodes))
            h.update("".join([digests.node(node) for node in sorted(reached)]).encode())
            shown.digests[plan][path] = h.hexdigest()[:32]
    return shown


def plan_digests(
    shared: Iterable[Quad], plan: Iterable[Quad], id_base: str, plan_id: str
) -> dict[str, str]:
    """What the plan ``plan_id`` shows on each shared page, as a digest by page, worked out
    on a graph of the ``shared`` quads (ontology, reference data, themes) and the plan's
    own (its graph and its links graph) alone."""
    graph = Graph(chain(shared, plan), id_base)
    return contributions(graph, graph.local(), {plan_id}).digests.get(plan_id, {})


def warning_digests(graph: Graph, by_focus: dict[str, Any]) -> dict[str, str]:
    """A digest of each shared page's validation warnings (the pages with any)."""
    found = {}
    for focus, results in by_focus.items():
        path = graph.path(focus)
        if path is not None and graph.plan_id(focus) is None:
            text = "".join(f"{w!r}\n" for w in results)
            found[path] = hashlib.sha256(text.encode()).hexdigest()[:32]
    return found


def _plan(iri: str, under: str) -> str:
    return iri[len(under) :].split("/", 1)[0]


class _Digests:
    """A node's triples as a digest (worked out once per node: a shared page's resource
    too), and the plan's nodes a node leads to."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._nodes: dict[str, str] = {}
        self._reach: dict[str, frozenset[str]] = {}
        self._steps: dict[str, frozenset[str]] = {}

    def node(self, iri: str) -> str:
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = self._triples(iri)
        return found

    def reach(self, iri: str, plan_iri: str) -> frozenset[str]:
        """The node and the plan's nodes its links lead to, :data:`DEPTH` steps on; not
        on from the plan's own node, whose links lead to its whole tree (its triples are
        in, for its title and country, which shared pages show). Worked out once per
        node: a node is next to several shared pages (an action to its themes,
        instruments and actors), and the nodes within DEPTH steps of a set are those
        within DEPTH steps of one of its nodes."""
        found = self._reach.get(iri)
        if found is None:
            seen, frontier = {iri}, {iri}
            for _ in range(DEPTH):
                step: set[str] = set()
                for x in frontier:
                    step |= self._next(x, plan_iri)
                step -= seen
                seen |= step
                frontier = step
            found = self._reach[iri] = frozenset(seen)
        return found

    def _next(self, iri: str, plan_iri: str) -> frozenset[str]:
        """The plan's nodes the node's links lead to, one step (none from the plan's own
        node), worked out once per node: many of a plan's nodes lead to the same action."""
        found = self._steps.get(iri)
        if found is None:
            r = self.graph.res.get(iri)
            inside = plan_iri + "/"
            found = self._steps[iri] = (
                frozenset()
                if r is None or iri == plan_iri
                else frozenset(
                    o.value
                    for values in r.out.values()
                    for o in values
                    if type(o) is NamedNode and (o.value == plan_iri or o.value.startswith(inside))
                )
            )
        return found

    def _triples(self, iri: str) -> str:
        r = self.graph.res.get(iri)
        h = hashlib.sha256(iri.encode())
        if r is not None:
            h.update("".join([f"\n{p} {o}" for p, objs in r.ordered() for o in objs]).encode())
        return h.hexdigest()[:32] + "\n"
