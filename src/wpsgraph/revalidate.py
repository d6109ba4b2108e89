"""Validation that reuses the cache: after one plan changed, only that plan is validated.

Every SHACL result has a focus node. A result belongs to the plans whose quads (plan graph
and links graph) have that node as a subject, looked up in the store; any other result is
*shared* (reference data, themes, ontology), and depends only on what the shared part of
the cache key covers. After a full validation each plan's results are stored beside its
cached quads under the same key, and the shared ones under the shared key. A rebuild
then validates the changed plans in a small store (ontology, reference data, themes and
those plans) and takes every other result from the cache. A test proves the merged
report equals a full validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.cache import PlanCache
from wpsgraph.importer import ImportedPlan
from wpsgraph.reference import Located
from wpsgraph.store import fill, open_store
from wpsgraph.validate import ValidationReport, ValidationResult, validate
from wpsgraph.vocab import Iris


def _owners(
    results: list[ValidationResult], store: ox.Store, plans: list[ImportedPlan], ids: Iris
) -> dict[str, set[str]]:
    """The focus nodes of ``results`` that are subjects in the plan graph or the links
    graph of some of ``plans`` in ``store``, with those plans: a lookup per result, not a
    walk over every quad."""
    graph_plan = {}
    for p in plans:
        graph_plan[p.graph.value] = p.plan_id
        graph_plan[ids.links_graph(p.plan_id).value] = p.plan_id
    owners: dict[str, set[str]] = {}
    for focus in {r.focus for r in results}:
        try:
            node = ox.NamedNode(focus)
        except ValueError:
            continue  # not an IRI: no plan names it
        found = {
            graph_plan[q.graph_name.value]
            for q in store.quads_for_pattern(node, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in graph_plan
        }
        if found:
            owners[focus] = found
    return owners


def validate_with_cache(
    plans: list[ImportedPlan],
    fresh: list[ImportedPlan],
    links: Mapping[str, list[ox.Quad]],
    shared_quads: list[ox.Quad],
    *,
    cache: PlanCache,
    store: ox.Store,
    ids: Iris,
    shapes_dir: Path,
    ontology_dir: Path,
    located: Mapping[str, Located],
) -> tuple[ValidationReport, list[str]]:
    """The report of the whole graph, and the plans validated to make it: only the
    ``fresh`` ones when the cache holds the results of every other plan and the shared
    ones, else all of them."""
    fresh_ids = {p.plan_id for p in fresh}
    reused = {p.plan_id: cache.get_results(p.file) for p in plans if p.plan_id not in fresh_ids}
    shared = cache.get_results(None)

    def run(in_store: ox.Store) -> ValidationReport:
        return validate(
            {},  # the SPARQL validator reads the plans from the store
            shared_quads,
            shapes_dir=shapes_dir,
            ontology_dir=ontology_dir,
            located=located,
            store=in_store,
        )

    if shared is None or any(r is None for r in reused.values()):
        report = run(store)
        owners = _owners(report.results, store, plans, ids)
        _remember(report.results, plans, owners, cache, shared=True)
        return report, sorted(p.plan_id for p in plans)
    small = open_store()
    fill(small, shared_quads)
    for p in fresh:
        p.load_into(small, links[p.plan_id])
    found = run(small)
    owners = _owners(found.results, small, fresh, ids)
    mine = [r for r in found.results if r.focus in owners]
    _remember(mine, fresh, owners, cache, shared=False)
    report = ValidationReport()
    report.extend([*shared, *(r for results in reused.values() for r in results or []), *mine])
    return report, sorted(fresh_ids)


def _remember(
    results: list[ValidationResult],
    plans: list[ImportedPlan],
    owners: Mapping[str, set[str]],
    cache: PlanCache,
    *,
    shared: bool,
) -> None:
    """Store each plan's results (by the plans owning their focus) and, with ``shared``,
    every other result under the shared key."""
    per_plan: dict[str, list[ValidationResult]] = {p.plan_id: [] for p in plans}
    rest = []
    for r in results:
        if r.focus in owners:
            for plan_id in owners[r.focus]:
                per_plan[plan_id].append(r)
        else:
            rest.append(r)
    for p in plans:
        cache.put_results(p.file, per_plan[p.plan_id])
    if shared:
        cache.put_results(None, rest)
