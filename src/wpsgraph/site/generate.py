"""build_site: the site graph and the query library (:mod:`wpsgraph.site.prelude`), then
every page and data file of the site."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from markupsafe import Markup

from wpsgraph.site import dataset, files, library, links, ontodoc, views
from wpsgraph.site.compare import Views
from wpsgraph.site.contrib import contributions, plan_digests, warning_digests
from wpsgraph.site.files import Dump
from wpsgraph.site.graph import Graph, Resource
from wpsgraph.site.parallel import Work, render_resources
from wpsgraph.site.prelude import Prelude
from wpsgraph.site.render import Pages
from wpsgraph.site.reuse import EXTENSIONS, SiteReuse
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
    compiled: Path | None = None,
) -> int:
    """Write the site for a built graph into ``out``; return the number of HTML pages.

    ``dumps`` (the files :func:`wpsgraph.dumps.write_dumps` wrote) are linked into
    ``out/dumps/`` with their gzip copies, and described in VoID and DCAT. With ``reuse``,
    the pages of plans that did not change are taken from the previous site
    (:mod:`wpsgraph.site.reuse`) instead of rendered. ``prelude`` is the site graph and
    the library's runs made while the store loaded (see :mod:`wpsgraph.site.prelude`);
    without it they are made here, the library in a thread while the graph is grouped.
    ``compiled`` is a folder where the compiled templates are kept between builds.
    """
    if prelude is not None:
        return _site(result, project, out, dumps, reuse, prelude, compiled)
    with Prelude(project.queries, result.ids.id) as made:
        made.loaded(result.store)
        made.while_loading(result.quads())
        return _site(result, project, out, dumps, reuse, made, compiled)


def _site(
    result: BuildResult,
    project: Project,
    out: Path,
    dumps: Sequence[Path],
    reuse: SiteReuse | None,
    prelude: Prelude,
    compiled: Path | None,
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
    pages = Pages(
        graph, project.site / "templates", out, _globals(graph, plans, dump_list), compiled
    )
    todo = _taken(pages, graph, graph.local(), by_focus, reuse, _plan_shows(result))
    runs = prelude.runs()
    compare = Views(graph, runs)
    if reuse is not None:
        todo = _charts_taken(pages, graph, todo, compare, reuse)
    # the resources' pages and the side jobs (query pages, the comparison page, search
    # index) are done by forked workers while this process writes the indexes; the
    # sitemap waits for both
    work = Work(pages, graph, todo, by_focus, compare, runs)
    if reuse is not None:
        work.previous, work.kept = reuse.previous, frozenset(reuse.plans)
        if reuse.shared_same():  # the code that writes the downloads is as it was
            work.downloads_from = reuse.previous
    rendered = render_resources(work)
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
            reuse=reuse,
        )
    finally:
        rendered()
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
    reuse: SiteReuse | None,
) -> None:
    """Every page and file of the site besides the resources' own and the sitemap:
    ``dump_list`` is the dumps linked into the site, ``versions`` the vendored packages'.
    The ontology's page and diagram show only what the shared digest covers (ontology,
    shapes, reference data, site code): with it unchanged they are taken from ``reuse``."""
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
    ontology = ["ontology.html", "ontology.svg"]
    if reuse is not None and reuse.shared_same() and reuse.take_files(ontology, out, pages.folders):
        pages.written.append("ontology.html")
    else:
        pages.write(
            "ontology.html",
            "ontology.html",
            terms=_ontology_terms(graph),
            shapes=ontodoc.read_shapes(project.shapes),
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


# shared pages that chart every plan: taken only when their chart is unchanged too
OVER_EVERY_PLAN = frozenset({"resolution.html"})


def _taken(
    pages: Pages,
    graph: Graph,
    resources: Sequence[Resource],
    by_focus: dict[str, Any],
    reuse: SiteReuse | None,
    shows: Callable[[str, str], tuple[dict[str, str], dict[str, str]] | None],
) -> list[Resource]:
    """Take the files of unchanged plans' resources from the previous site (each plan's
    folder moved in one rename, its own page and chart linked); return the resources
    still to render. ``shows`` is what a changed plan showed on the shared pages before
    (see :func:`_plan_shows`)."""
    if reuse is None:
        return list(resources)
    reuse.note_mentions(contributions(graph, resources), warning_digests(graph, by_focus), shows)
    todo = []
    inside: dict[str, list[tuple[Resource, str]]] = defaultdict(list)
    # a published resource's path is id/ and its IRI after the base, by prefix, for each
    # of a large site's resources
    base = len(graph.id_base)
    for r in resources:
        path = "id/" + r.iri[base:]
        plan = graph.plan_id(r.iri)
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


def _plan_shows(
    result: BuildResult,
) -> Callable[[str, str], tuple[dict[str, str], dict[str, str]] | None]:
    """What a plan showed on each shared page under its cache key of before (read back
    from the cache, which keeps a plan's entry before its last change) and what it shows
    now, as digests by page, each worked out with the shared data alone (see
    :func:`wpsgraph.site.contrib.plan_digests`); None without its N-Quads of before."""
    shared = [*result.ontology, *result.reference.quads, *result.themes.quads]
    plans = {p.plan_id: p for p in result.plans}

    def shows(plan_id: str, key: str) -> tuple[dict[str, str], dict[str, str]] | None:
        plan, cache = plans.get(plan_id), result.plan_cache
        then = cache.nquads(plan.file, key) if plan is not None and cache is not None else None
        if plan is None or then is None:
            return None
        before = ox.parse(then, format=ox.RdfFormat.N_QUADS, lenient=True)
        now = plan.load_order(result.links.get(plan_id, []))
        return (
            plan_digests(shared, before, result.ids.id, plan_id),
            plan_digests(shared, now, result.ids.id, plan_id),
        )

    return shows


def _charts_taken(
    pages: Pages, graph: Graph, todo: list[Resource], compare: Views, reuse: SiteReuse
) -> list[Resource]:
    """Take the resolution pages that no changed plan shows anything new on, when the
    chart this build draws on each (every plan's actions linked to the resolution, from
    a library query) has the very bytes of the previous site's; return the rest of
    ``todo``."""
    left = []
    for r in todo:
        path = graph.path(r.iri)
        if (
            path is not None
            and reuse.shared_reusable(path)
            and views.template_for(graph, r) in OVER_EVERY_PLAN
        ):
            picture = compare.resolution_chart(r.iri)
            chart = picture.files() if picture is not None else None
            if (
                chart is not None
                and reuse.holds(chart)
                and reuse.take_files(
                    [path + ext for ext in EXTENSIONS] + list(chart), pages.out, pages.folders
                )
            ):
                pages.written.append(path + ".html")
                reuse.shared_taken += 1
                continue
        left.append(r)
    return left


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
