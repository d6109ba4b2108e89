"""build_site: the site graph and the query library (:mod:`wpsgraph.site.prelude`), then
every page and data file of the site."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from wpsgraph.site import dataset, files, library, links, ontodoc, views
from wpsgraph.site.compare import Views
from wpsgraph.site.contrib import contributions
from wpsgraph.site.files import Dump
from wpsgraph.site.graph import Graph, Resource
from wpsgraph.site.page import resource_page
from wpsgraph.site.prelude import Prelude
from wpsgraph.site.render import Pages
from wpsgraph.site.reuse import EXTENSIONS, SiteReuse, plan_of_path
from wpsgraph.site.vendor import copy_vendor
from wpsgraph.vocab import PREFIXES, WPS, dcterms, org, owl, prov, rdf, rdfs, skos, wps

if TYPE_CHECKING:
    from wpsgraph.build import BuildResult, Project

DUMP_TEXT = {
    "wpsgraph.trig": "TriG (one named graph per plan)",
    "wpsgraph.nq": "N-Quads",
    "wpsgraph.nt": "N-Triples (graphs merged)",
    "wpsgraph.jsonld": "JSON-LD",
}


def build_site(
    result: BuildResult,
    project: Project,
    out: Path,
    *,
    dumps: Sequence[Path] = (),
    reuse: SiteReuse | None = None,
    prelude: Prelude | None = None,
) -> int:
    """Write the site for a built graph into ``out``; return the number of HTML pages.

    ``dumps`` (the files :func:`wpsgraph.dumps.write_dumps` wrote) are linked into
    ``out/dumps/`` with their gzip copies, and described in VoID and DCAT. With ``reuse``,
    the pages of plans that did not change are taken from the previous site
    (:mod:`wpsgraph.site.reuse`) instead of rendered. ``prelude`` is the site graph and
    the library's runs made while the store loaded (see :mod:`wpsgraph.site.prelude`);
    without it they are made here, the library in a thread while the graph is grouped.
    """
    if prelude is not None:
        return _site(result, project, out, dumps, reuse, prelude)
    with Prelude(project.queries, result.ids.id) as made:
        made.loaded(result.store)
        made.while_loading(result.quads())
        return _site(result, project, out, dumps, reuse, made)


def _site(
    result: BuildResult,
    project: Project,
    out: Path,
    dumps: Sequence[Path],
    reuse: SiteReuse | None,
    prelude: Prelude,
) -> int:
    # the library may still be running in its thread (the store answers queries without
    # the interpreter's lock) while the files of unchanged plans are taken
    graph = prelude.graph
    site_url = result.ids.base + "/"
    out.mkdir(parents=True, exist_ok=True)
    static = project.site / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static", dirs_exist_ok=True)
    versions = copy_vendor(project.root / "node_modules", out / "vendor")
    dump_list = files.copy_dumps(dumps, out / "dumps", DUMP_TEXT)
    plans = views.members(graph, "ActionPlan")
    by_focus = views.warnings_by_focus(result.report.warnings)
    pages = Pages(graph, project.site / "templates", out, _globals(graph, plans, dump_list))
    todo = _taken(pages, graph, graph.local(), by_focus, reuse)
    runs = prelude.runs()
    compare = Views(graph, runs)
    # the resources' pages and the side jobs (query pages, search index, the digests of
    # plans the manifest has none of) are done by forked workers while this process
    # writes the indexes and comparisons; the sitemap and the manifest wait for both
    describe = reuse.undescribed() if reuse else []
    work = _Work(pages, graph, todo, by_focus, compare, runs, describe)
    rendered = _render_resources(work)
    try:
        _other_pages(
            pages,
            graph,
            result,
            project,
            plans=plans,
            dump_list=dump_list,
            versions=versions,
            by_focus=by_focus,
            runs=runs,
            compare=compare,
        )
    finally:
        found = rendered()
    if reuse is not None:
        reuse.note_digests(found.get("digests"))
    (out / "sitemap.xml").write_text(
        dataset.sitemap(sorted(pages.written), site_url), encoding="utf-8"
    )
    return pages.count


def _other_pages(
    pages: Pages,
    graph: Graph,
    result: BuildResult,
    project: Project,
    *,
    plans: list[Resource],
    dump_list: list[Dump],
    versions: dict[str, str],
    by_focus: dict[str, Any],
    runs: dict[str, library.QueryRun],
    compare: Views,
) -> None:
    """Every page and file of the site besides the resources' own and the sitemap:
    ``dump_list`` is the dumps linked into the site, ``versions`` the vendored packages'."""
    out, site_url = pages.out, result.ids.base + "/"
    queries = [run.query for run in runs.values()]
    stats = views.plan_stats(graph, plans)
    for s in stats:
        s["warnings"] = len(views.plan_warnings(graph, s["r"], by_focus))
    pages.write(
        "index.html",
        "index.html",
        script=dataset.schema_org(plans, graph, dump_list, site_url),
        stats=stats,
        reference=[(title, views.members(graph, cls)) for _, title, cls, _ in views.INDEXES[1:]],
        queries=queries,
        licence=dataset.LICENCE,
        site_url=site_url,
        cite_date=dataset.build_date(),
    )
    for file, title, cls, intro in views.INDEXES:
        if file == "themes.html":
            continue  # its own page, below
        pages.write(
            file, "class_index.html", title=title, intro=intro, members=views.members(graph, cls)
        )
    pages.write(
        "themes.html",
        "themes.html",
        themes=links.theme_index(graph, views.members(graph, "Theme")),
    )
    _compare_pages(pages, compare, runs)
    shapes = ontodoc.read_shapes(project.shapes)
    pages.write(
        "ontology.html",
        "ontology.html",
        terms=_ontology_terms(graph),
        shapes=shapes,
        diagram=Markup(ontodoc.class_diagram(graph)),
    )
    (out / "ontology.svg").write_text(
        ontodoc.class_diagram(graph, href_prefix="ontology.html#"), encoding="utf-8"
    )
    pages.write("search.html", "search.html")
    examples = [
        {
            "name": q.name,
            "title": q.title,
            "query": _prefixed(q.text),
            "params": [p.name for p in q.params],
        }
        for q in queries
    ]
    (out / "queries.json").write_text(
        json.dumps(examples, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    short = {**PREFIXES, "id": graph.id_base}
    pages.write(
        "sparql.html",
        "sparql.html",
        examples=examples,
        versions=versions,
        prefixes=json.dumps(short, sort_keys=True),
    )
    dataset.write_dataset_files(
        dataset.dataset_description(graph, plans, dump_list, site_url, len(result.store)), out
    )
    (out / ".htaccess").write_text(files.htaccess(result.ids.base), encoding="utf-8")
    (out / "robots.txt").write_text(dataset.robots(site_url), encoding="utf-8")


_STATE: tuple[Any, ...] = ()
# shared pages that chart every plan: rendered in every build
OVER_EVERY_PLAN = frozenset({"resolution.html"})
# pages plus the links they list: below this, forking costs more than it saves
MIN_PARALLEL_WEIGHT = 5000
# slices of the resources per worker, handed out as workers come free: the last to finish
# is then at most one small slice behind the others
SLICES_PER_WORKER = 8


def _taken(
    pages: Pages,
    graph: Graph,
    resources: list[Resource],
    by_focus: dict[str, Any],
    reuse: SiteReuse | None,
) -> list[Resource]:
    """Take the files of unchanged plans' resources from the previous site (each plan's
    folder moved in one rename, its own page and chart linked); return the resources
    still to render."""
    if reuse is None:
        return resources
    reuse.note_mentions(contributions(graph, resources, by_focus, reuse.to_describe()))
    todo = []
    inside: dict[str, list[tuple[Resource, str]]] = defaultdict(list)
    for r in resources:
        path = graph.path(r.iri)
        assert path is not None
        plan = plan_of_path(path)
        if plan is None:  # a shared page: taken if no plan that changed shows on it
            if (
                reuse.shared_reusable(path)
                and views.template_for(graph, r) not in OVER_EVERY_PLAN
                and reuse.take(path, pages.out, pages.folders)
            ):
                pages.written.append(path + ".html")
                reuse.shared_taken += 1
            else:
                todo.append(r)
        elif not reuse.reusable(plan):
            todo.append(r)
        elif path.count("/") > 2:  # below the plan's own page: in its folder
            inside[plan].append((r, path))  # type: ignore[index]
        elif reuse.take(path, pages.out, pages.folders):
            pages.written.append(path + ".html")
            reuse.plans.add(plan)  # type: ignore[arg-type]
        else:
            todo.append(r)
    for plan, found in inside.items():
        if reuse.move(f"id/plan/{plan}", len(found) * len(EXTENSIONS), pages.out, pages.folders):
            pages.written.extend(path + ".html" for _, path in found)
            reuse.plans.add(plan)
        else:
            todo.extend(r for r, _ in found)
    return todo


@dataclass
class _Work:
    """What the workers share: the resources to render and the rest of their work."""

    pages: Pages
    graph: Graph
    resources: list[Resource]
    by_focus: dict[str, Any]
    compare: Views
    runs: dict[str, library.QueryRun]
    describe: list[str]  # plans whose contributions to the shared pages are to be digested


def _render_resources(work: _Work) -> Callable[[], dict[str, Any]]:
    """Render every resource's page and data files, and do the side jobs, on every core
    where the work is big enough: forked workers inherit the grouped graph and take the
    side jobs and slices of the resources as they come free. Returns what waits for the
    workers: it adds the pages they wrote to ``pages.written`` and gives what the side
    jobs found, by name.

    The work is weighed by what the pages list, not by their number: a rebuild renders
    few pages, but those gathering across plans (a resolution, a theme, an actor) list
    thousands of links each. Heaviest first, dealt out in turn, so slices weigh alike."""
    global _STATE
    workers = min(os.cpu_count() or 1, 8)
    weight = {id(r): 1 + sum(map(len, r.inv.values())) for r in work.resources}
    jobs = [name for name in SIDE_JOBS if name != "digests" or work.describe]
    if (
        workers < 2
        or sum(weight.values()) < MIN_PARALLEL_WEIGHT
        or "fork" not in mp.get_all_start_methods()
    ):
        for r in work.resources:
            _resource_page(work.pages, work.graph, r, work.by_focus, work.compare)
        found = {name: SIDE_JOBS[name](work) for name in jobs}
        return lambda: found
    work.resources = sorted(work.resources, key=lambda r: -weight[id(r)])
    _STATE = (work,)
    try:
        pool = mp.get_context("fork").Pool(workers)  # the workers are forked here
    finally:
        _STATE = ()
    count = workers * SLICES_PER_WORKER
    # the side jobs first: in a rebuild they weigh as much as the resources' pages
    tasks = [(name, 0, 0) for name in jobs] + [("", i, count) for i in range(count)]
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


def _render_slice(args: tuple[str, int, int]) -> tuple[str, list[str], Any]:
    """In a worker: the side job named, or every ``step``-th resource from ``start``;
    the pages written, and what the side job found."""
    side, start, step = args
    (work,) = _STATE
    pages = work.pages
    before, value = len(pages.written), None
    if side:
        value = SIDE_JOBS[side](work)
    else:
        for r in work.resources[start::step]:
            _resource_page(pages, work.graph, r, work.by_focus, work.compare)
    return side, pages.written[before:], value


def _search_index(work: _Work) -> None:
    (work.pages.out / "search.json").write_text(
        files.search_index(work.graph, work.graph.local()), encoding="utf-8"
    )


def _digests(work: _Work) -> dict[str, dict[str, str]]:
    """What each plan of ``work.describe`` shows on each shared page, as digests (see
    :mod:`wpsgraph.site.contrib`): worked out beside the pages in a full build, so a
    plan's first change renders only the shared pages where it shows something new."""
    shown = contributions(work.graph, work.graph.local(), work.by_focus, set(work.describe))
    return {plan: dict(pages) for plan, pages in shown.digests.items()}


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
    pages.write(path + ".html", template, script=files.script_json(jsonld), **vars(page))


def _compare_pages(pages: Pages, compare: Views, runs: dict[str, library.QueryRun]) -> None:
    """compare.html: every comparison picture, inline, with its query and CSV."""
    shown = []
    for picture in compare.pictures():
        picture.write(pages.out)
        shown.append(
            {
                "p": picture,
                "svg": Markup(picture.inline("compare.html")),
                "query": runs.get(picture.query),
            }
        )
    pages.write("compare.html", "compare.html", pictures=shown)


def _query_pages(work: _Work) -> None:
    """queries/<name>.html for every library query, its downloads, and an index."""
    pages, runs = work.pages, work.runs
    library.write_downloads(runs, pages.out)
    for run in runs.values():
        pages.write(run.path("html"), "query.html", run=run, max_rows=library.MAX_ROWS)
    pages.write(f"{library.FOLDER}/index.html", "queries.html", runs=list(runs.values()))


# what the workers do besides the resources' pages (else this process, after them)
SIDE_JOBS: dict[str, Callable[[_Work], Any]] = {
    "queries": _query_pages,
    "search": _search_index,
    "digests": _digests,
}


def _globals(graph: Graph, plans: list[Resource], dumps: list[Dump]) -> dict[str, Any]:
    return {
        "site_title": "wpsgraph",
        "plans": plans,
        "label": graph.label,
        "short_label": lambda r: views.short_label(graph, r),
        "res": graph.res,
        "is_a": graph.is_a,
        "WPS": WPS,
        "wps": wps,
        "rdf": rdf,
        "rdfs": rdfs,
        "skos": skos,
        "dcterms": dcterms,
        "prov": prov,
        "org": org,
        "owl": owl,
        "dumps": dumps,
        "children": lambda r, prop: views.children(graph, r, prop),
        "indexes": views.INDEXES,
    }


def _ontology_terms(graph: Graph) -> list[Resource]:
    terms = [r for r in graph.res.values() if r.iri.startswith(WPS) and r.out]
    return sorted(terms, key=lambda r: (not r.iri[len(WPS)].isupper(), r.iri.lower()))


def _prefixed(text: str) -> str:
    """A library query with the PREFIX lines it needs (``run_query`` adds them all)."""
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    used = [p for p in PREFIXES if f"{p}:" in text]
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return "".join(lines[:head]) + prefixes + "".join(lines[head:])
