"""The generated site on the fixture project: files, escaping, links, pages per type,
the dataset description and the data files. Browser tests are in test_site_browser.py."""

from __future__ import annotations

import csv
import gzip
import html
import html.parser
import io
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import require, select
from rdflib import Graph as RdfGraph
from rdflib import URIRef
from rdflib.compare import isomorphic

from wpsgraph.build import BuildResult, Project
from wpsgraph.query import list_queries, run_query
from wpsgraph.site import build_site, library
from wpsgraph.site.graph import Graph
from wpsgraph.site.vendor import MissingNodeModules

BASE = "https://w3id.org/wpsgraph/id/"
PLAN = BASE + "plan/fx-nap-2020"
HOSTILE = 'Train <script>alert("x")</script> & "mediators"'


@pytest.fixture(scope="module")
def site(fixture_build: tuple[BuildResult, Path]) -> Path:
    return fixture_build[1] / "site"


def _page(site: Path, local: str) -> str:
    return (site / "id" / f"{local}.html").read_text(encoding="utf-8")


class _Parsed(html.parser.HTMLParser):
    """Links, scripts (with their type, src and text) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts.append({"type": a.get("type", ""), "src": a.get("src", ""), "text": ""})
            self._in_script = True
        for name in ("href", "src"):
            if a.get(name) and not a[name].startswith("data:"):
                self.links.append(a[name])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1]["text"] += data


def _parse(path: Path) -> _Parsed:
    parser = _Parsed()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _strings(data: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def _subjects(store: ox.Store) -> set[str]:
    return {
        q.subject.value
        for q in store
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE)
    }


def _as_rdflib(triples: list[ox.Triple]) -> RdfGraph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return RdfGraph().parse(data=data.decode(), format="nt")


def _rdf(data: bytes, fmt: ox.RdfFormat) -> RdfGraph:
    """Parse with pyoxigraph, compare with rdflib (isomorphism handles blank nodes)."""
    return _as_rdflib([q.triple for q in ox.parse(data, format=fmt)])


def _triples_of(store: ox.Store, iri: str) -> RdfGraph:
    seen = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None)
    }
    return _as_rdflib(list(seen))


def test_every_resource_has_html_turtle_jsonld_and_ntriples(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    subjects = _subjects(fixture_build[0].store)
    assert len(subjects) > 20
    for iri in subjects:
        stem = site / "id" / iri[len(BASE) :]
        for ext in (".html", ".ttl", ".jsonld", ".nt"):
            assert Path(str(stem) + ext).is_file(), f"{iri}: no {ext}"


def test_each_data_file_is_isomorphic_to_the_resource_in_the_store(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    store = fixture_build[0].store
    for iri in sorted(_subjects(store)):
        expected = _triples_of(store, iri)
        stem = str(site / "id" / iri[len(BASE) :])
        for ext, fmt in (
            (".ttl", ox.RdfFormat.TURTLE),
            (".jsonld", ox.RdfFormat.JSON_LD),
            (".nt", ox.RdfFormat.N_TRIPLES),
        ):
            got = _rdf(Path(stem + ext).read_bytes(), fmt)
            assert isomorphic(got, expected), f"{iri}{ext}"
        # …and so is the JSON-LD block inside the page
        blocks = [s for s in _parse(Path(stem + ".html")).scripts if s["type"].endswith("json")]
        assert len(blocks) == 1, iri
        got = _rdf(blocks[0]["text"].encode(), ox.RdfFormat.JSON_LD)
        assert isomorphic(got, expected), f"{iri}: page JSON-LD"


def test_text_from_plans_is_escaped_in_html_and_in_json(site: Path) -> None:
    page = _page(site, "plan/fx-nap-2020/action/1-a")
    assert "Train &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;mediators&#34;" in page
    (block,) = [s for s in _parse(site / "id/plan/fx-nap-2020/action/1-a.html").scripts]
    assert block["type"] == "application/ld+json"
    assert "<" not in block["text"] and "\\u003c/script" in block["text"]
    assert HOSTILE in _strings(json.loads(block["text"]))  # decoded, the wording is intact
    for path in site.rglob("*.html"):
        for script in _parse(path).scripts:
            # only data blocks (with every "<" escaped), or our own files: never inline code
            if script["type"] == "application/ld+json":
                assert "<" not in script["text"], path
            else:
                assert script["src"] and not script["text"].strip(), f"{path}: {script}"


def test_every_internal_link_resolves(site: Path) -> None:
    checked = 0
    for path in site.rglob("*.html"):
        for link in _parse(path).links:
            if link.startswith(("http://", "https://", "mailto:", "#")):
                continue
            target = (path.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: broken link {link}"
            assert site.resolve() in target.parents, f"{path}: link leaves the site: {link}"
            checked += 1
    assert checked > 100


def test_pages_link_their_data_files(site: Path) -> None:
    page = _page(site, "plan/fx-nap-2020")
    for media, ext in (
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
    ):
        assert f'<link rel="alternate" type="{media}" href="fx-nap-2020.{ext}">' in page


def test_plan_page_metadata_tree_and_warnings(site: Path) -> None:
    page = _page(site, "plan/fx-nap-2020")
    positions = [page.index(f">{n}</a>") for n in ("1.a", "1.b", "2.a", "2.b")]
    assert positions == sorted(positions)
    assert "Number of cases" in page and "No indicator in the source." in page
    for fact in ("2020–2024", "Fixtureland", "The plan states no budget.", "sources/fixture.txt"):
        assert fact in page
    assert "Validation warnings in this plan (3)" in page
    assert "the plan file records nothing about monitoring" in page


def test_action_page_shows_everything_about_the_action(site: Path) -> None:
    page = _page(site, "plan/fx-nap-2020/action/2-a")
    assert "Prosecute sexual violence under resolution 1820" in page
    assert "Number of cases" in page and "Ministry of Justice" in page
    assert "UNSCR 1820</a> — <q>resolution 1820</q>" in page
    assert "line 8" in page
    crumbs = page.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    items = [re.sub("<[^>]+>", "", li) for li in crumbs.split("<li")[1:]]
    items = [i.split(">", 1)[1] for i in items]
    assert items == ["Home", "Fixtureland NAP", "Objective 2: Protection", "Action 2.a"]
    # defects and warnings are shown on the page of their node
    page_b = _page(site, "plan/fx-nap-2020/action/2-b")
    assert "Defects in the source" in page_b and "no responsible actor for this line" in page_b
    assert "Validation warnings (1)" in page_b and "fx-nap-2020.yaml:45" in page_b
    assert "Validation warnings" not in page


def test_actor_page_groups_commitments_by_plan(site: Path) -> None:
    page = _page(site, "actor/fx-foreign-affairs")
    section = page.split("Commitments across plans")[1]
    assert "Fixtureland NAP" in section and "Fund women" in section
    assert "coordinated by" in section.lower()


def test_resolution_page_lists_what_cites_it(site: Path) -> None:
    page = _page(site, "resolution/unscr-1820")
    assert "On sexual violence in conflict." in page and "S/RES/1820 (2008)" in page
    linked = page.split("Actions linked to it, by plan and basis")[1]
    assert "(1 actions in 1 plan)" in linked or "(1 action" in linked
    group = linked.split("Fixtureland NAP")[1]
    assert '<span class="basis explicit">explicit</span> <span class="count">(1)</span>' in group
    assert "Action 2.a</a>" in group and "<q>resolution 1820</q>" in group
    themes = page.split("Themes it is about")[1]
    assert "Conflict-related sexual violence" in themes
    assert "Demands an end to sexual violence in armed conflict." in themes
    page = _page(site, "resolution/unscr-1325")
    assert "Fixtureland NAP" in page.split("Plans that name it for the whole plan")[1]


def test_class_index_pages(site: Path) -> None:
    for name, member in (
        ("plans", "Fixtureland NAP"),
        ("actors", "Peace Unit"),
        ("resolutions", "UNSCR 1820"),
        ("instruments", "CEDAW"),
        ("countries", "Fixtureland"),
    ):
        page = (site / f"{name}.html").read_text()
        assert member in page, name


def test_index_counts_the_plan_and_describes_the_dataset(site: Path) -> None:
    page = (site / "index.html").read_text()
    row = page[page.index("fx-nap-2020.html") :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('<td class="n">')[1:]]
    assert cells == ["2", "4", "2", "3"]
    assert "CC BY 4.0" in page and "To cite the dataset" in page
    (block,) = [s for s in _parse(site / "index.html").scripts]
    data = json.loads(block["text"])
    assert data["@type"] == "Dataset" and data["license"].startswith("https://creativecommons")
    assert {d["encodingFormat"] for d in data["distribution"]} >= {"application/n-triples"}


def test_htaccess_negotiates_the_generic_iri(site: Path) -> None:
    text = (site / ".htaccess").read_text()
    assert "Options -MultiViews" in text
    for accept, ext in (
        ("text/turtle", "ttl"),
        ("application/ld\\+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/html", "html"),
    ):
        rule = f"RewriteCond %{{HTTP_ACCEPT}} {accept}\nRewriteRule ^(id/[^.]+)$ $1.{ext} [R=303,L]"
        assert rule in text


def test_void_and_dcat(site: Path) -> None:
    void = RdfGraph().parse(site / "void.ttl", format="turtle")
    assert (site / ".well-known" / "void").read_bytes() == (site / "void.ttl").read_bytes()
    dcat = RdfGraph().parse(site / "dcat.ttl", format="turtle")
    dcat_ns = "http://www.w3.org/ns/dcat#"
    distributions = list(dcat.objects(None, URIRef(dcat_ns + "distribution")))
    urls = {
        str(dcat.value(d, URIRef(dcat_ns + "downloadURL"))).rsplit("/", 1)[1] for d in distributions
    }
    assert all(dcat.value(d, URIRef(dcat_ns + "mediaType")) for d in distributions)
    assert urls == {
        f"wpsgraph.{x}{gz}" for x in ("trig", "nq", "nt", "jsonld") for gz in ("", ".gz")
    }
    for p in ("title", "description", "issued", "modified", "publisher", "license", "temporal"):
        assert any(str(t[1]).endswith("/" + p) for t in dcat), p
    assert any(str(t[1]).endswith("#triples") for t in void)


def test_dumps_have_gzip_copies(site: Path, fixture_build: tuple[BuildResult, Path]) -> None:
    for name in ("wpsgraph.nt", "wpsgraph.nq", "wpsgraph.trig", "wpsgraph.jsonld"):
        original = (fixture_build[1] / name).read_bytes()
        assert gzip.decompress((site / "dumps" / f"{name}.gz").read_bytes()) == original


def test_sitemap_and_robots(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert sitemap.count("<url>") == len(pages)
    assert "https://w3id.org/wpsgraph/id/plan/fx-nap-2020.html" in sitemap
    assert "Sitemap: https://w3id.org/wpsgraph/sitemap.xml" in (site / "robots.txt").read_text()


def test_search_index_holds_labels_wording_and_paths(site: Path) -> None:
    index = json.loads((site / "search.json").read_text())
    (hit,) = [x for x in index if x["p"] == "id/plan/fx-nap-2020/action/2-a.html"]
    assert hit["t"] == "Prosecute sexual violence under resolution 1820"
    assert all((site / x["p"]).is_file() for x in index)


def test_sparql_page_and_vendor_files(site: Path) -> None:
    page = (site / "sparql.html").read_text()
    assert "Plans at a glance" in page  # the query library is offered
    for f in ("oxigraph/web.js", "oxigraph/web_bg.wasm", "yasqe/yasqe.min.js", "yasr/yasr.min.js"):
        assert (site / "vendor" / f).is_file(), f
    queries = json.loads((site / "queries.json").read_text())
    assert {q["name"] for q in queries} >= {"plans-overview", "actions-by-resolution"}


def test_missing_node_modules_fails_with_a_clear_message(
    fixture_build: tuple[BuildResult, Path], tmp_path: Path
) -> None:
    with pytest.raises(MissingNodeModules, match="npm ci"):
        build_site(fixture_build[0], Project(tmp_path), tmp_path / "out")


APACHE_CONF = """ServerRoot {root}
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
ServerName localhost
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule rewrite_module {modules}/mod_rewrite.so
LoadModule mime_module {modules}/mod_mime.so
TypesConfig /dev/null
DocumentRoot {root}
Alias /wpsgraph {site}
<Directory {site}>
  AllowOverride All
  Options FollowSymLinks
  Require all granted
</Directory>
"""


def test_htaccess_in_a_real_apache(site: Path, tmp_path: Path) -> None:
    """The generated .htaccess, served by Apache as w3id.org would: 303s by Accept type.
    Needs Debian's apache2 (.ci/run installs it); on a laptop without it, it skips."""
    apache, modules = shutil.which("apache2"), Path("/usr/lib/apache2/modules")
    require(
        apache is not None and (modules / "mod_rewrite.so").is_file(),
        "Apache httpd with mod_rewrite (apt install apache2)",
    )
    assert apache is not None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = tmp_path / "httpd.conf"
    conf.write_text(APACHE_CONF.format(root=tmp_path, port=port, modules=modules, site=site))
    subprocess.run([apache, "-f", str(conf), "-k", "start"], check=True, timeout=30)
    try:
        base = f"http://127.0.0.1:{port}/wpsgraph/id/plan/fx-nap-2020/action/2-a"
        for _ in range(50):  # wait for the server to listen
            try:
                urllib.request.urlopen(base + ".ttl", timeout=2)
                break
            except OSError:
                time.sleep(0.1)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        for accept, ext in (
            ("text/turtle", ".ttl"),
            ("application/ld+json", ".jsonld"),
            ("application/n-triples", ".nt"),
            ("text/html,application/xhtml+xml,*/*;q=0.8", ".html"),
            ("*/*", ".html"),
        ):
            request = urllib.request.Request(base, headers={"Accept": accept})
            with pytest.raises(urllib.error.HTTPError) as caught:
                opener.open(request, timeout=5)
            assert caught.value.code == 303, accept
            assert caught.value.headers["Location"].endswith("/action/2-a" + ext), accept
        # a format-specific URL returns its own format, whatever the Accept header
        request = urllib.request.Request(base + ".ttl", headers={"Accept": "text/html"})
        with opener.open(request, timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/turtle")
    finally:
        subprocess.run([apache, "-f", str(conf), "-k", "stop"], check=False, timeout=30)


# --- links, comparison views, the query library and the ontology documentation ---

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "queries"


def _cells(svg: Path, kind: str = "cell") -> dict[tuple[str, str], int]:
    """(row, column) → number of every cell of a heatmap (or bar of a bar chart)."""
    root = ET.parse(svg).getroot()
    found = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == kind:
            col = g.get("data-col") or g.get("data-series") or ""
            found[(g.get("data-row") or "", col)] = int(g.get("data-value") or "-1")
            text = g.find("{http://www.w3.org/2000/svg}text")
            if kind == "cell":  # the number is written in the cell, and in its title
                assert text is not None and text.text == g.get("data-value")
                title = g.find("{http://www.w3.org/2000/svg}title")
                assert title is not None and f": {g.get('data-value')} action" in (title.text or "")
    return found


def _records(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    result = run_query(store, name, params, directory=QUERIES)
    return [dict(zip(result.variables, row, strict=True)) for row in result.values()]


def test_heatmaps_show_the_numbers_of_their_queries(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    store = fixture_build[0].store
    matrix = _records(store, "plan-resolution-matrix")
    assert matrix and any(r["explicit"] != r["actions"] for r in matrix)  # two real versions
    for name, column in (
        ("plan-resolution-explicit", "explicit"),
        ("plan-resolution-all", "actions"),
    ):
        expected = {(r["plan"], r["resolution"]): int(r[column]) for r in matrix}
        assert _cells(site / "compare" / f"{name}.svg") == expected, name
    themes = _records(store, "plan-theme-matrix")
    expected = {(r["theme"], r["plan"]): int(r["actions"]) for r in themes}
    assert _cells(site / "compare" / "plan-theme-all.svg") == expected
    pillars = _cells(site / "compare" / "plan-theme-pillars.svg")
    assert pillars and all(expected[k] == v for k, v in pillars.items())
    assert {k[0] for k in pillars} == {"protection"}  # the fixture's one pillar
    # the resolution's bar chart: explicit and thematic actions per plan
    bars = _cells(site / "compare" / "resolution" / "unscr-1820.svg", "bar")
    for r in matrix:
        if r["resolution"] == "1820":
            assert bars[(r["plan"], "explicit")] == int(r["explicit"])
            assert bars[(r["plan"], "thematic")] == int(r["thematic"])
    # the page shows the same pictures inline, linked to their query and CSV
    page = (site / "compare.html").read_text()
    for name in ("plan-resolution-explicit", "plan-resolution-all", "plan-theme-all", "timeline"):
        assert f'id="{name}"' in page and f'href="compare/{name}.csv"' in page
    assert 'href="queries/plan-resolution-matrix.html"' in page
    assert 'href="queries/plan-theme-matrix.html"' in page
    plan = _cells(site / "compare" / "plan" / "fx-nap-2020.svg", "bar")
    assert plan == {
        (r["resolution"], basis): int(r[basis])
        for r in matrix
        if r["plan"] == "fx-nap-2020"
        for basis in ("explicit", "thematic")
    }
    assert 'id="chart"' in _page(site, "plan/fx-nap-2020")
    resolution = _page(site, "resolution/unscr-1820")
    assert 'class="bar" data-row="fx-nap-2020" data-series="explicit" data-value="1"' in resolution
    assert "../../queries/plan-resolution-matrix.html" in resolution


def test_timeline_shows_each_plan_period(site: Path) -> None:
    root = ET.parse(site / "compare" / "timeline.svg").getroot()
    spans = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "span"]
    assert [(g.get("data-row"), g.get("data-start"), g.get("data-end")) for g in spans] == [
        ("fx-nap-2020", "2020", "2024")
    ]


def test_every_csv_parses(site: Path, fixture_build: tuple[BuildResult, Path]) -> None:
    found = sorted(site.rglob("*.csv"))
    assert len(found) >= 16 + 7
    for path in found:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows and all(rows[0]), path
        assert all(len(r) == len(rows[0]) for r in rows), path
    # a picture's CSV holds its numbers
    rows = list(csv.DictReader((site / "compare" / "plan-resolution-all.csv").open()))
    cells = _cells(site / "compare" / "plan-resolution-all.svg")
    assert {(r["plan"], r["resolution"]): int(r["actions"]) for r in rows} == cells


def test_every_query_has_a_page_with_its_results(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    store = fixture_build[0].store
    queries = list_queries(QUERIES)
    assert len(queries) >= 16
    index = (site / "queries" / "index.html").read_text()
    for q in queries:
        page = (site / "queries" / f"{q.name}.html").read_text()
        assert f'href="{q.name}.html"' in index, q.name
        assert html.escape(q.title, quote=False) in page and "<h2>The query</h2>" in page
        assert html.escape(q.text, quote=True).split("\n")[-2] in page  # the SPARQL, escaped
        data = json.loads((site / "queries" / f"{q.name}.json").read_text())
        csv_text = (site / "queries" / f"{q.name}.csv").read_text()
        params = {}
        if q.params:
            assert "(an example)" in page, q.name
            row = index[index.index(f'href="{q.name}.html"') :]  # this query's row
            params = {p.name: re.search(rf"<code>{p.name}</code>[^<]*= ([^<]+)<", row)
                      for p in q.params}  # fmt: skip
            assert all(params.values()), q.name
            params = {k: v.group(1).strip() for k, v in params.items() if v}
        expected = run_query(store, q, params)
        assert csv_text == expected.to_csv(), q.name
        assert len(data["results"]["bindings"]) == len(expected.rows), q.name
        assert f"({len(expected.rows)} row" in page
    page = (site / "queries" / "actions-by-resolution.html").read_text()
    assert "<strong><code>1820</code></strong>" in page
    assert "Prosecute sexual violence under resolution 1820" in page


def test_library_asks_for_the_graph_only_when_the_help_text_names_no_value_with_rows(
    fixture_build: tuple[BuildResult, Path],
) -> None:
    """A parameterised query runs with the first value its help text names that gives
    rows, without waiting for the site graph (the library runs in a thread while the
    graph is made); only when none does are the most linked resources looked up."""
    result = fixture_build[0]
    graph = Graph(result.store.quads_for_pattern(None, None, None, None), result.ids.id)
    asked: list[str] = []
    seen = 0
    for q in [q for q in list_queries(QUERIES) if q.params]:
        (param,) = q.params
        named = re.findall(r"[\w-]+", param.help.split("e.g.")[1].split("(")[0])
        named = [v for v in named if v != "or"]
        rows = [run_query(result.store, q, {param.name: v}).count for v in named]
        assert named, q.name
        run = library.run_library(
            result.store, [q], lambda q=q: asked.append(q.name) or graph, result.ids.id
        )[q.name]
        assert run.result is not None
        if any(rows):  # the first named value with rows, and no graph
            assert run.params == {param.name: named[[bool(n) for n in rows].index(True)]}
            assert q.name not in asked
            seen += 1
        elif param.kind == "iri":  # the graph's most linked resource of that kind
            assert q.name in asked and run.params[param.name] not in named
            assert run.result.count, q.name
    assert seen >= 3  # e.g. actions-by-theme: "gender-advisors" has no rows here, "crsv" has


def test_action_page_lists_its_links_explicit_first(site: Path) -> None:
    page = _page(site, "plan/fx-nap-2020/action/2-a")
    table = page.split('id="links-h"')[1].split("</table>")[0]
    rows = table.split("<tr id=")[1:]
    assert [r.split('"')[1] for r in rows] == [
        "link-explicit-unscr-1820",
        "link-theme-crsv",
        "link-theme-protection",
    ]
    assert "<q>resolution 1820</q>" in rows[0] and "curated reference" in rows[0]
    assert "<q>sexual violence</q>" in rows[1] and "thematic" in rows[1]
    # each link has a small page of its own that points back to its row
    link = _page(site, "plan/fx-nap-2020/action/2-a/link/explicit-unscr-1820")
    assert 'href="../../2-a.html#link-explicit-unscr-1820"' in link
    assert "Explicit link: Action 2.a → UNSCR 1820" in link


def test_theme_pages_list_actions_and_resolutions(site: Path) -> None:
    page = _page(site, "theme/crsv")
    about = page.split("Resolutions and instruments about it")[1]
    assert "UNSCR 1820" in about and "Demands an end to sexual violence" in about
    linked = page.split("Actions linked to this theme, by plan and basis")[1]
    assert "Fixtureland NAP" in linked and "Action 2.a</a>" in linked
    index = (site / "themes.html").read_text()
    row = index.split("crsv.html")[1].split("</tr>")[0]
    assert '<td class="n">1</td><td class="n">1</td>' in row and "UNSCR 1820" in row


def test_ontology_page_documents_terms_and_shapes(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    page = (site / "ontology.html").read_text()
    indicator = page.split('<section class="term" id="Indicator">')[1].split("</section>")[0]
    assert "Shapes on its instances" in indicator
    assert "an indicator needs exactly one non-empty wording" in indicator
    text = page.split('<section class="term" id="text">')[1].split("</section>")[0]
    assert "Shapes on this property" in text and "at least 1, at most 1" in text
    action = page.split('<section class="term" id="Action">')[1].split("</section>")[0]
    assert "Warning" in action and "(one of several ways)" in action
    # the class diagram: every class of the ontology, in the page and as a file
    svg = ET.parse(site / "ontology.svg").getroot()
    names = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    classes = select(
        fixture_build[0].store,
        "SELECT ?c WHERE { ?c a owl:Class FILTER(STRSTARTS(STR(?c), STR(wps:))) }",
    )
    assert {c["c"].rsplit("#", 1)[1] for c in classes} <= names
    assert 'id="diagram"' in page
    others = page.split('id="other-properties"')[1]
    assert "a plan needs exactly one title" in others  # dcterms:title on plans
    assert "undeclared-term-violation.rq" in page.split('id="checks"')[1]


def test_links_inside_pictures_resolve(site: Path) -> None:
    checked = 0
    for path in site.rglob("*.svg"):
        if "vendor" in path.parts:
            continue
        for a in ET.parse(path).getroot().iter("{http://www.w3.org/2000/svg}a"):
            link = a.get("href") or ""
            if link.startswith("#"):
                continue
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: broken link {link}"
            checked += 1
    assert checked > 10
