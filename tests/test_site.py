"""The generated site on the fixture project: files, escaping, links, pages per type,
the dataset description and the data files. Browser tests are in test_site_browser.py."""

from __future__ import annotations

import gzip
import html.parser
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import require
from rdflib import Graph as RdfGraph
from rdflib import URIRef
from rdflib.compare import isomorphic

from wpsgraph.build import BuildResult, Project
from wpsgraph.site import build_site
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
    cited = page.split("Plans and actions that cite it")[1]
    assert "Action 2.a" in cited and "<q>resolution 1820</q>" in cited
    page = _page(site, "resolution/unscr-1325")
    assert "Fixtureland NAP" in page.split("Plans and actions that cite it")[1]


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
