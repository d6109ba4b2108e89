"""One plan's quads replaced in a grouped site graph, in place: what a session
(:mod:`wpsgraph.session`) does after a plan file changed, instead of grouping every quad
of the build again (3-4 s at 1M triples).

The graph it leaves is the one a fresh grouping of the new load order makes, in every
order the site reads: the resources (``Graph.res``), each one's properties and values, and
each one's referrers by property, in load order. It relies on one property of a build,
which it checks in the store for the plan's resources: the triples about a plan's
resources are in the plan's own graphs (its graph and its links graph), and no others.
Where that does not hold, or where the change would move a resource into another part of
the load order, :func:`replace_plan` returns False, having changed the graph half-way:
the caller must then group it again from every quad.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

import pyoxigraph as ox

from wpsgraph.site.graph import Graph, Resource, Term

NamedNode = ox.NamedNode
Rank = Callable[[ox.NamedNode | ox.BlankNode | ox.DefaultGraph], int]


def replace_plan(
    graph: Graph,
    plan: str,
    old: Iterable[ox.Quad],
    new: Iterable[ox.Quad],
    store: ox.Store,
    rank: Rank,
) -> bool:
    """Replace the quads of ``plan`` (``old``, in load order) by ``new`` in ``graph``.

    ``store`` already holds the new quads and no longer the old; ``rank`` is a named
    graph's place in the load order (the shared graphs first, then each plan's two
    graphs, the plans in order). Returns False when the graph must be grouped again."""
    old, new = list(old), list(new)
    names = [name for name, _ in graph.blocks]
    if plan not in names:
        return False
    at = names.index(plan)
    start = graph.blocks[at][1]
    end = graph.blocks[at + 1][1] if at + 1 < len(names) else len(graph.res)
    before, after = _subjects(old), _subjects(new)
    own = _own_rank(old + new, rank)
    if own is None or not _only_in_own_graphs(before | after, store, rank, own):
        return False
    keys = list(graph.res)
    places = _remove(graph, before)
    if places is None:
        return False
    added, first_seen = _add(graph, new)
    try:
        for key in places.keys() | added.keys():
            _put_back(graph, key, places.get(key, -1), added.get(key, []), store, rank, own)
        for o in {o for o, _ in places} | {o for o, _ in added}:
            _order_properties(graph.res[o], after, first_seen, store, rank, own)
    except _Refused:
        return False
    res = graph.res
    for iri in before | {o for o, _ in places}:
        r = res.get(iri)
        if r is not None and not r.out and not r.inv:
            del res[iri]
    if not _reorder(graph, keys, start, end, new, at):
        return False
    graph.forget()
    return True


def _subjects(quads: list[ox.Quad]) -> set[str]:
    return {q.subject.value for q in quads if type(q.subject) is NamedNode}


def _own_rank(quads: list[ox.Quad], rank: Rank) -> int | None:
    """The plan's place in the load order, the same for every one of its quads."""
    found = {rank(q.graph_name) for q in quads}
    return found.pop() if len(found) == 1 else None


def _only_in_own_graphs(subjects: set[str], store: ox.Store, rank: Rank, own: int) -> bool:
    """Whether every triple about ``subjects`` in the store is in the plan's graphs."""
    for s in subjects:
        for q in store.quads_for_pattern(NamedNode(s), None, None, None):
            if rank(q.graph_name) != own:
                return False
    return True


def _remove(graph: Graph, subjects: set[str]) -> dict[tuple[str, str], int] | None:
    """Take the plan's resources' values and their entries among the referrers out; return
    where the plan's entries began in each list of referrers (by object and property), or
    None where they were not in one run."""
    res = graph.res
    places: dict[tuple[str, str], int] = {}
    for s in subjects:
        r = res[s]
        for p, values in r.out.items():
            for value in values:
                if type(value) is NamedNode:
                    places[(value.value, p)] = -1
        r.out = {}
    for iri, p in places:
        entries = res[iri].inv[p]
        found = [i for i, x in enumerate(entries) if x in subjects]
        if found[-1] - found[0] + 1 != len(found):
            return None  # not one run: not in the load order of a fresh grouping
        places[(iri, p)] = found[0]
        del entries[found[0] : found[-1] + 1]
    return places


def _add(
    graph: Graph, quads: list[ox.Quad]
) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], int]]:
    """Group ``quads`` as :meth:`Graph._group` does, the new referrers collected apart (by
    object and property); with the position at which each list of them began."""
    res = graph.res
    added: dict[tuple[str, str], list[str]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for q in quads:
        s = q.subject
        if type(s) is not NamedNode:
            continue
        sv = s.value
        r = res.get(sv)
        if r is None:
            r = res[sv] = Resource(sv)
        o = cast(Term, q.object)  # never an RDF-star triple in a build
        p = q.predicate.value
        values = r.out.get(p)
        if values is None:
            r.out[p] = [o]
        elif o in values:
            continue
        else:
            values.append(o)
        if type(o) is NamedNode:
            ov = o.value
            if ov not in res:
                res[ov] = Resource(ov)
            key = (ov, p)
            found = added.get(key)
            if found is None:
                added[key] = [sv]
                first_seen[key] = len(first_seen)
            else:
                found.append(sv)
    return added, first_seen


def _put_back(
    graph: Graph,
    key: tuple[str, str],
    place: int,
    entries: list[str],
    store: ox.Store,
    rank: Rank,
    own: int,
) -> None:
    """The plan's new referrers into their list, where its old ones were, or (none
    before) after those of the graphs loaded before the plan's."""
    o, p = key
    target = graph.res[o]
    found = target.inv.get(p)
    if found is None:
        if entries:
            target.inv[p] = entries
        return
    if place < 0:
        place = _place(found, o, p, store, rank, own)
    found[place:place] = entries
    if not found:
        del target.inv[p]


def _place(entries: list[str], o: str, p: str, store: ox.Store, rank: Rank, own: int) -> int:
    """The first position in ``entries`` (referrers in load order) whose triple is in a
    graph loaded after the plan's: a binary search, one look-up in the store per step."""
    lo, hi = 0, len(entries)
    while lo < hi:
        mid = (lo + hi) // 2
        if _triple_rank(entries[mid], p, o, store, rank) > own:
            hi = mid
        else:
            lo = mid + 1
    return lo


class _Refused(Exception):
    """The graph cannot be brought to a fresh grouping's orders in place."""


def _triple_rank(s: str, p: str, o: str, store: ox.Store, rank: Rank) -> int:
    """The place in the load order of the first graph holding the triple (refused when
    the store no longer holds it: another plan replaced in the store, not yet here)."""
    quads = store.quads_for_pattern(NamedNode(s), NamedNode(p), NamedNode(o), None)
    found = min((rank(q.graph_name) for q in quads), default=None)
    if found is None:
        raise _Refused
    return found


def _order_properties(
    r: Resource,
    plans_subjects: set[str],
    first_seen: dict[tuple[str, str], int],
    store: ox.Store,
    rank: Rank,
    own: int,
) -> None:
    """``r``'s referrers' properties in the order a fresh grouping meets their first
    referrer: by the place of its graph in the load order, then as they were (the plan's
    own, as its new quads meet them)."""
    if len(r.inv) < 2:
        return
    order = []
    for i, (p, entries) in enumerate(r.inv.items()):
        first = entries[0]
        if first in plans_subjects:
            order.append((own, first_seen[(r.iri, p)], p))
        else:
            order.append((_triple_rank(first, p, r.iri, store, rank), i, p))
    order.sort()
    if [p for _, _, p in order] != list(r.inv):
        r.inv = {p: r.inv[p] for _, _, p in order}


def _reorder(
    graph: Graph, keys: list[str], start: int, end: int, new: list[ox.Quad], at: int
) -> bool:
    """``graph.res`` in load order again: the plan's block of resources (those first met
    in its quads) made anew from its new quads. False when a resource would move into or
    out of another block."""
    res = graph.res
    earlier = set(keys[:start])
    old_block = keys[start:end]
    block: dict[str, None] = {}
    for q in new:
        s = q.subject
        if type(s) is not NamedNode:
            continue
        if s.value not in earlier:
            block[s.value] = None
        if type(q.object) is NamedNode and q.object.value not in earlier:
            block[q.object.value] = None
    later = keys[end:]
    if not block.keys().isdisjoint(later):
        return False  # first met in a later plan before, now in this one
    if any(iri in res and iri not in block for iri in old_block):
        return False  # first met in this plan before, now in a later one
    items = [(k, res[k]) for k in keys[:start] if k in res]
    items += [(k, res[k]) for k in block]
    items += [(k, res[k]) for k in later if k in res]
    res.clear()
    res.update(items)
    delta = len(block) - (end - start)
    graph.blocks[at + 1 :] = [(name, pos + delta) for name, pos in graph.blocks[at + 1 :]]
    return True
