"""The resources' pages and the side jobs (query pages, the comparison page, search
index), on forked workers that inherit the site graph, or in this process when the work
is small."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from wpsgraph.site import files, library, views
from wpsgraph.site.compare import Views
from wpsgraph.site.graph import Graph, Resource
from wpsgraph.site.page import resource_page
from wpsgraph.site.render import Pages
from wpsgraph.site.reuse import plan_of_path
from wpsgraph.vocab import dcterms

_STATE: tuple[Any, ...] = ()
# pages plus the links they list: below this, forking costs more than it saves
MIN_PARALLEL_WEIGHT = 5000
# slices of the resources per worker, handed out as workers come free: the last to finish
# is then at most one small slice behind the others
SLICES_PER_WORKER = 8


@dataclass
class Work:
    """What the workers share: the resources to render and the rest of their work."""

    pages: Pages
    graph: Graph
    resources: list[Resource]
    by_focus: dict[str, Any]
    compare: Views
    runs: dict[str, library.QueryRun]
    # the previous site, and the plans whose pages were taken from it
    previous: Path | None = None
    kept: frozenset[str] = frozenset()
    # the resources cut into slices for the workers (see :func:`_slices`)
    slices: list[list[Resource]] = field(default_factory=list)
    # the previous site when its query downloads were written by the same code (the
    # shared digest unchanged): only then can a download be taken for its same results
    downloads_from: Path | None = None


def render_resources(work: Work) -> Callable[[], dict[str, Any]]:
    """Render every resource's page and data files, and do the side jobs, on every core
    where the work is big enough: forked workers inherit the grouped graph and take the
    side jobs and slices of the resources as they come free. Returns what waits for the
    workers: it adds the pages they wrote to ``pages.written`` and gives what the side
    jobs found, by name.

    The work is weighed by what the pages list, not by their number: a rebuild renders
    few pages, but those gathering across plans (a resolution, a theme, an actor) list
    thousands of links each; the side jobs are weighed too. The slices weigh alike (see
    :func:`_slices`)."""
    global _STATE
    workers = min(os.cpu_count() or 1, 8)
    weight = {id(r): 1 + sum(map(len, r.inv.values())) for r in work.resources}
    jobs = list(SIDE_JOBS)
    if (
        workers < 2
        or sum(weight.values()) + _side_weight(work) < MIN_PARALLEL_WEIGHT
        or "fork" not in mp.get_all_start_methods()
    ):
        for r in work.resources:
            _resource_page(work.pages, work.graph, r, work.by_focus, work.compare)
        found = {name: SIDE_JOBS[name](work) for name in jobs}
        return lambda: found
    count = workers * SLICES_PER_WORKER
    work.slices = _slices(work.resources, weight, count)
    _STATE = (work,)
    try:
        pool = mp.get_context("fork").Pool(workers)  # the workers are forked here
    finally:
        _STATE = ()
    # the side jobs first: in a rebuild they weigh as much as the resources' pages
    tasks = [(name, 0) for name in jobs] + [("", i) for i in range(count)]
    slices = pool.map_async(_render_slice, tasks, chunksize=1)
    pool.close()

    def wait() -> dict[str, Any]:
        found = {}
        try:
            for name, written, value in slices.get():
                work.pages.written.extend(written)
                if name:
                    found[name] = value
        finally:
            pool.terminate()  # no-op once they are done; stops them if one failed
            pool.join()
        return found

    return wait


def _slices(resources: list[Resource], weight: dict[int, int], count: int) -> list[list[Resource]]:
    """``count`` slices of about the same weight. The heavy resources (those listing many
    links) are dealt out in turn, heaviest first; the rest are cut into runs in their
    order, which is the graph's (a plan's resources together, an action's links
    together): consecutive pages then share the folder of their link helpers and what
    those keep (the header, the breadcrumb, each IRI's markup), where pages dealt out in
    turn would each come to a folder the helpers had not seen (at 10x, 7 % more CPU per
    page)."""
    total = sum(weight.values())
    heavy_from = max(total // (count * 4), 2)
    heavy = sorted(
        (r for r in resources if weight[id(r)] >= heavy_from), key=lambda r: -weight[id(r)]
    )
    slices: list[list[Resource]] = [heavy[i::count] for i in range(count)]
    light = iter(r for r in resources if weight[id(r)] < heavy_from)
    goal = total / count
    for s in slices[:-1]:
        got = sum(weight[id(r)] for r in s)
        for r in light:
            s.append(r)
            got += weight[id(r)]
            if got >= goal:
                break
    slices[-1].extend(light)
    return slices


def _side_weight(work: Work) -> int:
    """What the side jobs weigh, in the units of the pages': a search row per resource
    (a tenth of a page each) and the rows the query pages show. In a rebuild that takes
    nearly every page, they are most of the work left."""
    shown = sum(min(run.result.count, library.MAX_ROWS) for run in work.runs.values() if run.result)
    return len(work.graph.res) // 10 + shown // 10


def _render_slice(args: tuple[str, int]) -> tuple[str, list[str], Any]:
    """In a worker: the side job named, or the ``index``-th slice of the resources; the
    pages written, and what the side job found."""
    side, index = args
    (work,) = _STATE
    pages = work.pages
    before, value = len(pages.written), None
    if side:
        value = SIDE_JOBS[side](work)
    else:
        for r in work.slices[index]:
            _resource_page(pages, work.graph, r, work.by_focus, work.compare)
    return side, pages.written[before:], value


def _search_index(work: Work) -> None:
    """The search index; the rows of the plans whose pages were taken from the previous
    site are taken from its index (they show only what those pages show)."""
    resources, rows = work.graph.local(), []
    if work.kept and work.previous is not None:
        graph, kept = work.graph, work.kept
        try:
            old = json.loads((work.previous / "search.json").read_text(encoding="utf-8"))
            rows = [row for row in old if plan_of_path(row["p"][: -len(".html")]) in kept]
        except (OSError, ValueError, TypeError, KeyError):
            rows = []  # no index, or not one this code wrote: every row is made
        if rows:
            resources = [r for r in resources if graph.plan_id(r.iri) not in kept]
    (work.pages.out / "search.json").write_text(
        files.search_index(work.graph, resources, rows), encoding="utf-8"
    )


def _resource_page(
    pages: Pages, graph: Graph, r: Resource, by_focus: dict[str, Any], compare: Views
) -> None:
    path = graph.path(r.iri)
    assert path is not None
    jsonld = files.write_resource_files(r, f"{pages.out}/{path}", pages.folders)
    template = views.template_for(graph, r)
    if not pages.has(template):
        template = "resource.html"
    page = resource_page(graph, r, path, template, by_focus)
    picture = None
    if template == "resolution.html":
        picture = compare.resolution_chart(r.iri)
    elif template == "plan.html":
        picture = compare.plan_chart(r.one(dcterms.identifier))
    if picture is not None:
        picture.write(pages.out)
        page.chart = Markup(picture.inline(path + ".html"))
        page.chart_files = {
            "svg": picture.svg_path,
            "csv": picture.csv_path,
            "query": f"{library.FOLDER}/{picture.query}.html",
        }
    pages.write_with(path + ".html", template, files.script_json(jsonld), vars(page))


def _query_pages(work: Work) -> None:
    """queries/<name>.html for every library query, its downloads, and an index."""
    pages, runs = work.pages, work.runs
    library.write_downloads(runs, pages.out, work.downloads_from)
    for run in runs.values():
        pages.write(run.path("html"), "query.html", run=run, max_rows=library.MAX_ROWS)
    pages.write(f"{library.FOLDER}/index.html", "queries.html", runs=list(runs.values()))


def _compare_page(work: Work) -> None:
    """compare.html: every comparison picture, inline, with its query and CSV."""
    shown = []
    for picture in work.compare.pictures():
        picture.write(work.pages.out)
        shown.append(
            {
                "p": picture,
                "svg": Markup(picture.inline("compare.html")),
                "query": work.runs.get(picture.query),
            }
        )
    work.pages.write("compare.html", "compare.html", pictures=shown)


# what the workers do besides the resources' pages (else this process, after them),
# the heaviest in a rebuild first
SIDE_JOBS: dict[str, Callable[[Work], Any]] = {
    "queries": _query_pages,
    "compare": _compare_page,
    "search": _search_index,
}
