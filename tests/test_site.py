"""The generated site on the fixture project: files, escaping, links, a real browser."""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import require

from wpsgraph.build import BuildResult

PLAN = "https://w3id.org/wpsgraph/id/plan/fx-nap-2020"


@pytest.fixture(scope="module")
def site(fixture_build: tuple[BuildResult, Path]) -> Path:
    return fixture_build[1] / "site"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_resource_has_html_turtle_and_jsonld(
    site: Path, fixture_build: tuple[BuildResult, Path]
) -> None:
    store = fixture_build[0].store
    base = "https://w3id.org/wpsgraph/id/"
    subjects = {
        q.subject.value
        for q in store
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base)
    }
    assert len(subjects) > 20
    for iri in subjects:
        stem = site / "id" / iri[len(base) :]
        for ext in (".html", ".ttl", ".jsonld"):
            assert Path(str(stem) + ext).is_file(), f"{iri}: no {ext}"


def test_resource_turtle_and_jsonld_hold_the_resource(site: Path) -> None:
    stem = site / "id" / "plan" / "fx-nap-2020" / "action" / "2-a"
    ttl = list(ox.parse(path=str(stem) + ".ttl", format=ox.RdfFormat.TURTLE))
    jsonld = list(ox.parse(path=str(stem) + ".jsonld", format=ox.RdfFormat.JSON_LD))
    text = "https://w3id.org/wpsgraph/ontology#text"
    for quads in (ttl, jsonld):
        words = [q.object.value for q in quads if q.predicate.value == text]
        assert words == ["Prosecute sexual violence under resolution 1820"]
    assert {str(q) for q in ttl} == {str(q) for q in jsonld}


def test_text_from_plans_is_escaped(site: Path) -> None:
    page = (site / "id" / "plan" / "fx-nap-2020" / "action" / "1-a.html").read_text()
    assert "Train &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;mediators&#34;" in page
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text())
        assert parser.scripts == 0, f"{path}: a <script> element"


def test_every_internal_link_resolves(site: Path) -> None:
    checked = 0
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text())
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:", "#")):
                continue
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: broken link {link}"
            assert site.resolve() in target.parents, f"{path}: link leaves the site: {link}"
            checked += 1
    assert checked > 100


def test_plan_page_lists_objectives_and_actions_in_order(site: Path) -> None:
    page = (site / "id" / "plan" / "fx-nap-2020.html").read_text()
    positions = [page.index(f">{n}</a>") for n in ("1.a", "1.b", "2.a", "2.b")]
    assert positions == sorted(positions)
    assert "Number of cases" in page and "No indicator in the source." in page
    assert 'rel="alternate" type="text/turtle" href="fx-nap-2020.ttl"' in page


def test_index_counts_the_plan(site: Path) -> None:
    page = (site / "index.html").read_text()
    row = page[page.index("fx-nap-2020.html") :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('<td class="n">')[1:]]
    assert cells == ["2", "4", "2"]


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def test_plan_page_in_headless_chromium(served: str) -> None:
    browser = _chromium()
    require(browser is not None, "Chromium (apt install chromium)")
    assert browser is not None
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--dump-dom",
                f"{served}/id/plan/fx-nap-2020.html",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    # The browser built the page: the heading and every action are in the DOM, and the
    # hostile wording is text, not an element.
    assert "<h1>Fixtureland NAP</h1>" in dom
    for text in ("Fund women's organisations", "Number of mediators trained"):
        assert text in dom
    assert "&lt;script&gt;alert" in dom
    assert "<script>alert" not in dom
