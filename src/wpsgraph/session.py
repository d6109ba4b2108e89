"""A build kept in memory between edits (``wpsgraph watch``): after a plan file changed,
only that plan is imported, linked and validated again, its graphs are replaced in the
store and in the site graph, and the dumps and the site are written as by
:func:`wpsgraph.build.build`, taking every page that did not change from the previous
site.

A build in a fresh process loads every plan into a new store and groups the whole site
graph again (each 3-4 s at 1M triples, the floor of such a rebuild); a session does
neither. What it writes is what a fresh build of the same files writes, byte for byte
(the tests check this). Anything beyond the plan files (the reference data, the
ontology, the shapes, a plan file added, removed or renamed, a plan's id changed) makes
the next build a full one. A change to wpsgraph's own code stops the session: the
process would go on running the code it started with.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.build import BuildResult, Project, ValidationFailed, build_with_graph
from wpsgraph.cache import PlanCache, hash_tree, shared_digest
from wpsgraph.errors import WpsgraphError
from wpsgraph.importer import ImportedPlan, plan_files
from wpsgraph.output import write_output
from wpsgraph.revalidate import validate_with_cache
from wpsgraph.site.graph import Graph, collector_paused
from wpsgraph.site.patch import replace_plan
from wpsgraph.site.prelude import Prelude
from wpsgraph.store import open_store
from wpsgraph.vocab import DEFAULT_BASE
from wpsgraph.workers import Imported, import_and_link


class CodeChanged(WpsgraphError):
    """wpsgraph's own code changed while a session was running."""


class Session:
    """Builds of one project into ``out`` with a cache (see :mod:`wpsgraph.cache`), the
    store and the site graph kept between them. Call :meth:`build` after each edit."""

    def __init__(
        self,
        project: Project,
        out: Path,
        cache: Path,
        *,
        base: str = DEFAULT_BASE,
        log: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.project, self.out, self.cache, self.base, self.log = project, out, cache, base, log
        self.code = code_digest()
        self.result: BuildResult | None = None
        self.graph: Graph | None = None
        self._files: dict[Path, str] = {}  # each plan file and its cache key when built
        self.patched: list[str] = []  # plans replaced in place by the last build
        self.regrouped = False  # whether the last build grouped the site graph again

    def build(self) -> BuildResult:
        """Build into ``out``: the first time (or after a change beyond the plan files) in
        full, then only what the changed plan files need. A failed build raises, as
        :func:`wpsgraph.build.build` does, and leaves ``out`` and the session as they
        were."""
        if code_digest() != self.code:
            raise CodeChanged("wpsgraph's code changed since this session started: start it again")
        started = time.perf_counter()
        changed = self._changed()
        result = self._full() if changed is None else self._patch(changed)
        result.timings["total"] = time.perf_counter() - started
        return result

    def settle(self) -> float:
        """Collect the last build's garbage, then freeze what is left (the session's
        store terms and site graph: millions of objects that live as long as it), so
        that the cycle collector does not walk them all again inside the next build (one
        full collection takes about a second at 1M triples, and the first build after a
        start set one off). Call it between builds: ``wpsgraph watch`` does, while it
        waits for the next save. Returns its seconds."""
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        return time.perf_counter() - started

    def _changed(self) -> list[Path] | None:
        """The plan files changed since the last build, or None when a full build is due."""
        if self.result is None or self.graph is None:
            return None
        files = plan_files(self.project.data)  # each one a file that can be read
        shared = shared_digest(
            self.project.data, self.project.ontology, self.project.shapes, self.base
        )
        if shared != self.result.shared_key or files != sorted(self._files):
            return None
        keys = PlanCache(self.cache, shared)
        return [f for f in files if keys.key(f) != self._files[f]]

    def _full(self) -> BuildResult:
        self.result = self.graph = None  # a failed build leaves no half-made session
        result, graph = build_with_graph(
            self.project, self.out, base=self.base, log=self.log, cache=self.cache
        )
        assert graph is not None  # built with its site
        self._keep(result, graph)
        self.patched, self.regrouped = [], True
        return result

    def _keep(self, result: BuildResult, graph: Graph) -> None:
        self.result, self.graph = result, graph
        # each plan's key as the build found it (its plan key is "<key> <display>")
        self._files = {p.file: result.plan_keys[p.plan_id].split(" ", 1)[0] for p in result.plans}

    def _patch(self, changed: list[Path]) -> BuildResult:
        """The changed plans imported, validated, and replaced in the store and the site
        graph; then the dumps and the site written."""
        assert self.result is not None and self.graph is not None
        before, graph = self.result, self.graph
        cache = PlanCache(self.cache, before.shared_key)
        timings: dict[str, float] = {}
        old = {p.file: p for p in before.plans}
        imported = (
            import_and_link(
                changed,
                self.project.data,
                before.reference,
                before.themes,
                before.ids,
                cache,
                timings,
            )
            if changed
            else Imported([], {})  # no plan changed (a template, a query …): output only
        )
        if any(p.plan_id != old[p.file].plan_id for p in imported.plans):
            return self._full()  # a plan's id changed: its pages move
        plans = sorted(
            [p for p in before.plans if p.file not in set(changed)] + imported.plans,
            key=lambda p: p.plan_id,
        )
        links = dict(before.links) | imported.links
        store = before.store
        swapped = [(old[p.file], p) for p in imported.plans]
        started = time.perf_counter()
        for was, now in swapped:
            _swap_in_store(store, before, was, now, links)
        timings["store"] = time.perf_counter() - started
        try:
            result = (
                self._checked(before, plans, imported.plans, links, cache, timings)
                if swapped
                else dataclasses.replace(
                    before, timings=timings, reused=len(plans), revalidated=[], site_reused=[]
                )
            )
        except BaseException:
            for was, now in swapped:  # the store as it was: the session goes on
                _swap_in_store(store, before, now, was, before.links)
            raise
        started = time.perf_counter()
        self.regrouped = False
        rank = _ranks(result)
        with collector_paused():
            for was, now in swapped:
                if not replace_plan(
                    graph,
                    was.plan_id,
                    was.load_order(before.links.get(was.plan_id, [])),
                    now.load_order(links.get(now.plan_id, [])),
                    store,
                    rank,
                ):
                    graph = Graph(result.quads(), graph.id_base)
                    self.regrouped = True
                    break
        self.patched = [now.plan_id for _, now in swapped]
        result.timings["site"] = result.timings["site_graph"] = time.perf_counter() - started
        self.graph = None  # until the output is written: a failure there leaves no session
        self.result = None
        with Prelude.of(graph, self.project.queries) as prelude:
            prelude.loaded(store)
            write_output(result, self.project, self.out, prelude, log=self.log, cache=self.cache)
        self._keep(result, graph)
        return result

    def _checked(
        self,
        before: BuildResult,
        plans: list[ImportedPlan],
        fresh: list[ImportedPlan],
        links: dict[str, list[ox.Quad]],
        cache: PlanCache,
        timings: dict[str, float],
    ) -> BuildResult:
        """The build's result with the fresh plans validated (raises
        :class:`~wpsgraph.build.ValidationFailed` on a violation)."""
        located = dict(before.reference.located) | before.themes.located
        for plan in plans:
            located.update(plan.located)
        started = time.perf_counter()
        report, revalidated = validate_with_cache(
            plans,
            fresh,
            links,
            before.ontology + before.reference.quads + before.themes.quads,
            cache=cache,
            store=before.store,
            ids=before.ids,
            shapes_dir=self.project.shapes,
            ontology_dir=self.project.ontology,
            located=located,
        )
        timings["validate"] = time.perf_counter() - started
        if not report.conforms:
            raise ValidationFailed(report)
        return dataclasses.replace(
            before,
            plans=plans,
            report=report,
            located=located,
            timings=timings,
            reused=len(plans) - len(fresh),
            revalidated=revalidated,
            # the unchanged plans' keys as before: their files are not read again
            plan_keys=before.plan_keys
            | {p.plan_id: f"{cache.key(p.file)} {p.display}" for p in fresh},
            links=links,
            plan_cache=cache,
            dump_stores=_alone(fresh, links, before),
            site_reused=[],
            site_shared_reused=0,
        )


def _swap_in_store(
    store: ox.Store,
    result: BuildResult,
    was: ImportedPlan,
    now: ImportedPlan,
    links: dict[str, list[ox.Quad]],
) -> None:
    """``was``'s two graphs out of the store, ``now``'s in."""
    for graph in result.ids.plan_graphs(was.plan_id):
        store.remove_graph(graph)
    now.load_into(store, links.get(now.plan_id, []))


def _alone(
    plans: list[ImportedPlan], links: dict[str, list[ox.Quad]], result: BuildResult
) -> dict[str, ox.Store]:
    """Each plan's two graphs in a store of its own, for the dumps (see
    :func:`wpsgraph.dumps.write_dumps`), by graph IRI."""
    found = {}
    for plan in plans:
        store = open_store()
        plan.load_into(store, links.get(plan.plan_id, []))
        for graph in result.ids.plan_graphs(plan.plan_id):
            found[graph.value] = store
    return found


def _ranks(result: BuildResult) -> Callable[[object], int]:
    """A named graph's place in the build's load order: the shared graphs 0, then each
    plan's two graphs, the plans in order (see :func:`wpsgraph.build.load_order`)."""
    ranks: dict[str, int] = {}
    for i, plan in enumerate(result.plans, start=1):
        for graph in result.ids.plan_graphs(plan.plan_id):
            ranks[graph.value] = i

    def rank(graph: object) -> int:
        return ranks.get(graph.value, 0) if isinstance(graph, ox.NamedNode) else 0

    return rank


def code_digest() -> str:
    """wpsgraph's own Python code (every module of the package)."""
    h = hashlib.sha256()
    hash_tree(h, Path(__file__).parent, "*.py")
    return h.hexdigest()
