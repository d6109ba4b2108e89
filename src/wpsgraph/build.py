"""The pipeline end to end: import → validate → store → dumps and site, written atomically.

The library never assumes the current directory: a :class:`Project` names every folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import pyoxigraph as ox

from wpsgraph.cache import PlanCache, shared_digest
from wpsgraph.errors import WpsgraphError
from wpsgraph.importer import ImportedPlan
from wpsgraph.importer import plan_files as list_plan_files
from wpsgraph.output import check_output_folder, write_output
from wpsgraph.reference import Located, Reference, load_reference
from wpsgraph.revalidate import validate_with_cache
from wpsgraph.store import fill, load_turtle_quads, open_store
from wpsgraph.themes import Themes, load_themes
from wpsgraph.validate import ValidationReport, validate
from wpsgraph.vocab import DEFAULT_BASE, Iris
from wpsgraph.workers import import_and_link

if TYPE_CHECKING:
    from wpsgraph.site.graph import Graph

T = TypeVar("T")


@dataclass(frozen=True)
class Project:
    """The fixed layout of a wpsgraph checkout (DESIGN.md, "Layout")."""

    root: Path
    data_dir: Path | None = None

    @property
    def data(self) -> Path:
        return self.data_dir if self.data_dir is not None else self.root / "data"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def site(self) -> Path:
        return self.root / "site"


class ValidationFailed(WpsgraphError):
    """The graph has SHACL violations; the build stopped before writing anything."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.text())


@dataclass
class BuildResult:
    """What :func:`build_graph` made: the store, its parts, the report and timings."""

    store: ox.Store
    ids: Iris
    reference: Reference
    plans: list[ImportedPlan]
    report: ValidationReport
    located: dict[str, Located]
    timings: dict[str, float] = field(default_factory=dict)
    themes: Themes = field(default_factory=Themes)
    reused: int = 0  # plans read back from the cache
    revalidated: list[str] = field(default_factory=list)  # plans validated in this build
    plan_keys: dict[str, str] = field(default_factory=dict)  # plan id -> its cache key
    shared_key: str = ""  # the cache key of reference data, themes and ontology
    site_reused: list[str] = field(default_factory=list)  # plans whose pages were linked
    site_shared_reused: int = 0  # pages outside the plans' folders linked, not rendered
    ontology: list[ox.Quad] = field(default_factory=list)
    links: dict[str, list[ox.Quad]] = field(default_factory=dict)  # per plan, when not bytes
    plan_cache: PlanCache | None = None  # the cache the plans were read from and put into
    # graphs the dumps serialise from a store of their own, not ``store`` (a session's
    # replaced plans, see wpsgraph.session and wpsgraph.dumps.write_dumps), by IRI
    dump_stores: dict[str, ox.Store] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return len(self.store)

    def quads(self) -> LoadOrder:
        """Every quad in the order the store was given them (see :func:`load_order`)."""
        return load_order(self.ontology, self.reference, self.themes, self.plans, self.links)


class LoadOrder:
    """A build's quads in load order, one part per plan (named by its id) after the
    shared part (named ``None``): iterated, every quad in turn. The site graph notes where
    each plan's resources begin, so that a session can replace one plan's in place (see
    :meth:`wpsgraph.site.graph.Graph.replace_plan`)."""

    def __init__(self, parts: list[tuple[str | None, Iterable[ox.Quad]]]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[ox.Quad]:
        return chain.from_iterable(part for _, part in self.parts)


def load_order(
    ontology: list[ox.Quad],
    ref: Reference,
    themes: Themes,
    plans: list[ImportedPlan],
    links: dict[str, list[ox.Quad]],
) -> LoadOrder:
    """The quads of a build in the order they are loaded into the store: the ontology,
    the reference data, the themes, then each plan (by id) with its links. The same data
    gives the same order whether a plan was imported or read back from the cache, so
    what is made from this order (the site graph) is the same in both builds."""
    shared: list[tuple[str | None, Iterable[ox.Quad]]] = [
        (None, chain(ontology, ref.quads, themes.quads))
    ]
    return LoadOrder(
        shared + [(plan.plan_id, plan.load_order(links.get(plan.plan_id, []))) for plan in plans]
    )


class Alongside(Protocol):
    """Work a build does while its store loads (the site's, see
    :class:`wpsgraph.site.prelude.Prelude`)."""

    def while_loading(self, quads: LoadOrder) -> None:
        """Run in the calling thread while the store loads in another: ``quads`` are the
        store's quads in load order."""

    def loaded(self, store: ox.Store) -> None:
        """Called in the loading thread as soon as the store is loaded; must not block."""


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    def run(self, name: str, fn: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def build_graph(
    project: Project,
    *,
    base: str = DEFAULT_BASE,
    check: bool = True,
    plan_files: list[Path] | None = None,
    raise_on_violation: bool = True,
    validator: str = "sparql",
    cache: Path | None = None,
    alongside: Alongside | None = None,
) -> BuildResult:
    """Import every plan, load everything into an in-memory store and validate it.

    Raises :class:`~wpsgraph.errors.DataError` for files the importer rejects, and
    :class:`ValidationFailed` when SHACL finds a violation (unless ``check`` is false).
    With a ``cache`` folder, plans whose inputs did not change are read back from it
    instead of being imported and linked again (see :mod:`wpsgraph.cache`). With
    ``alongside``, its work runs while the store loads (loading takes no interpreter
    lock, so both cores work).
    """
    ids = Iris(base)
    timings: dict[str, float] = {}
    timer = _Timer(timings)
    ref = timer.run("reference", lambda: load_reference(project.data, ids))
    themes = timer.run("themes", lambda: load_themes(project.data, ref, ids))
    store_cache = None
    cached: list[ImportedPlan] = []
    links: dict[str, list[ox.Quad]] = {}
    files = list_plan_files(project.data, plan_files or None)
    if cache is not None:
        shared = shared_digest(project.data, project.ontology, project.shapes, base)
        store_cache = PlanCache(cache, shared)
        all_files, files = files, []
        started = time.perf_counter()
        for path in all_files:
            hit = store_cache.get(path)
            if hit is None:
                files.append(path)
                continue
            graph = ids.plan_graph(hit.plan_id)
            cached.append(
                ImportedPlan.from_nquads(
                    hit.plan_id, path, hit.display, graph, hit.nquads, hit.located
                )
            )
            links[hit.plan_id] = []  # in the plan's N-Quads
        timings["cache"] = time.perf_counter() - started
    fresh: list[ImportedPlan] = []
    if files or not cached:  # no plan file at all is an error, which the import raises
        imported = import_and_link(files, project.data, ref, themes, ids, store_cache, timings)
        fresh = imported.plans
        links.update(imported.links)
    plans = sorted(fresh + cached, key=lambda p: p.plan_id)
    ontology = timer.run(
        "ontology", lambda: load_turtle_quads(project.ontology, ids.graph("ontology"))
    )
    store = open_store()

    def load() -> None:
        fill(store, ontology)
        fill(store, ref.quads)
        fill(store, themes.quads)
        for plan in plans:
            plan.load_into(store, links[plan.plan_id])

    if alongside is None:
        timer.run("store", load)
    else:
        _load_alongside(
            lambda: timer.run("store", load),
            store,
            alongside,
            load_order(ontology, ref, themes, plans, links),
        )
    located = dict(ref.located) | themes.located
    for plan in plans:
        located.update(plan.located)
    report = ValidationReport()
    revalidated = sorted(p.plan_id for p in plans) if check else []
    if check and store_cache is not None and validator == "sparql":
        report, revalidated = timer.run(
            "validate",
            lambda: validate_with_cache(
                plans,
                fresh,
                links,
                ontology + ref.quads + themes.quads,
                cache=store_cache,
                store=store,
                ids=ids,
                shapes_dir=project.shapes,
                ontology_dir=project.ontology,
                located=located,
            ),
        )
    elif check:
        report = timer.run(
            "validate",
            lambda: validate(
                {p.plan_id: p.with_links(links[p.plan_id]) for p in plans},
                ref.quads + themes.quads,
                shapes_dir=project.shapes,
                ontology_dir=project.ontology,
                located=located,
                store=store,
                validator=validator,
            ),
        )
    if raise_on_violation and not report.conforms:
        raise ValidationFailed(report)
    return BuildResult(
        store,
        ids,
        ref,
        plans,
        report,
        located,
        timings,
        themes=themes,
        reused=len(cached),
        revalidated=revalidated,
        plan_keys=(
            {p.plan_id: f"{store_cache.key(p.file)} {p.display}" for p in plans}
            if store_cache is not None
            else {}
        ),
        shared_key=store_cache.shared if store_cache is not None else "",
        ontology=ontology,
        links=links,
        plan_cache=store_cache,
    )


def _load_alongside(
    load: Callable[[], None], store: ox.Store, alongside: Alongside, quads: LoadOrder
) -> None:
    """``load`` in a thread while ``alongside`` works in this one; its error (or the
    load's) raised once both are done."""

    def loading() -> None:
        load()
        alongside.loaded(store)

    with ThreadPoolExecutor(1) as pool:
        loaded = pool.submit(loading)
        try:
            alongside.while_loading(quads)
        finally:
            error = loaded.exception()  # waits for the load
        if error is not None:
            raise error


def build(
    project: Project,
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    site: bool = True,
    log: Callable[[str], None] = lambda _: None,
    cache: Path | None = None,
) -> BuildResult:
    """Build the graph, the dumps and the site into ``out``, atomically.

    Everything is written to a temporary folder beside ``out`` and swapped in only when
    all of it succeeded, so a failed build leaves the previous ``out`` exactly as it was.
    """
    return build_with_graph(project, out, base=base, site=site, log=log, cache=cache)[0]


def build_with_graph(
    project: Project,
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    site: bool = True,
    log: Callable[[str], None] = lambda _: None,
    cache: Path | None = None,
) -> tuple[BuildResult, Graph | None]:
    """:func:`build`, and the site graph it grouped (None without a site): what a session
    keeps between builds (see :mod:`wpsgraph.session`)."""
    # the site stage sits downstream of this one
    from wpsgraph.site.prelude import Prelude

    started = time.perf_counter()
    check_output_folder(out, project)  # before the work, not only once it is done
    graph = None
    # with a site, its graph is grouped and its query library started while the store loads
    with Prelude(project.queries, Iris(base).id) if site else nullcontext() as prelude:
        result = build_graph(project, base=base, cache=cache, alongside=prelude)
        if prelude is not None:
            # the site graph, grouped beside the store's load: counted in the site's time
            # and, on its own, as site_graph (it adds to the build's wall time only where
            # it outlasts the load)
            result.timings["site"] = prelude.seconds
            result.timings["site_graph"] = prelude.seconds
        write_output(result, project, out, prelude, log=log, cache=cache)
        if prelude is not None:
            graph = prelude.graph
    result.timings["total"] = time.perf_counter() - started
    return result, graph
