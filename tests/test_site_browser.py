"""The generated site in a real headless Chromium (driven by Playwright).

Pages load with no console error and fetch nothing from another site; the SPARQL page
runs a query in the in-browser Oxigraph and shows what ``run_query`` gives on the
store; the search finds an action by a word of its wording; hostile plan text stays
text; axe-core finds no serious or critical accessibility violation. Screenshots of the
main page types go to ``docs/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, require

from wpsgraph.build import BuildResult, Project, build
from wpsgraph.query import parse_query, run_query

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DOCS = REPO / "docs"
ACTION = "id/plan/fx-nap-2020/action/2-a.html"
PAGES = {
    "home": "index.html",
    "plan": "id/plan/fx-nap-2020.html",
    "action": ACTION,
    "resolution": "id/resolution/unscr-1820.html",
    "actor": "id/actor/fx-foreign-affairs.html",
    "actors": "actors.html",
    "search": "search.html?q=mediators",
    "sparql": "sparql.html",
    "compare": "compare.html",
    "query": "queries/plan-resolution-matrix.html",
    "queries": "queries/index.html",
    "ontology": "ontology.html",
    "theme": "id/theme/crsv.html",
    "themes": "themes.html",
    "link": "id/plan/fx-nap-2020/action/2-a/link/explicit-unscr-1820.html",
}
HOSTILE = "Fund {{ 7*7 }} {% if true %}x{% endif %} </script><script>alert(1)</script> 'it' \"q\""


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "/usr/bin/chromium", "chromium"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = _chromium()
    require(chromium is not None, "Chromium (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Python playwright (pip install -e '.[dev]')")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def served(fixture_build: tuple[BuildResult, Path]) -> Iterator[str]:
    server, url = _serve(fixture_build[1] / "site")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Visit:
    """One page in a fresh context: console errors and requests to other sites noted
    (and such requests refused), alert dialogs recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(msg.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, served: str) -> Iterator[Visit]:
    v = Visit(browser, served)
    try:
        yield v
    finally:
        v.close()


def _sparql_ready(page: Any) -> None:
    page.wait_for_selector("#run:not([disabled])")


def _run_sparql(page: Any, query: str) -> list[str]:
    """Put ``query`` in the editor, run it, return the cells of the first result row."""
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Done')")
    page.wait_for_selector(".yasr table tbody tr td")
    cells = page.locator(".yasr table tbody tr").first.locator("td").all_inner_texts()
    return [c.strip() for c in cells]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_without_console_error(visit: Visit, name: str) -> None:
    page = visit.open(PAGES[name])
    if name == "sparql":
        _sparql_ready(page)
    if name == "search":
        page.wait_for_selector("#search-results li")
    page.wait_for_timeout(200)
    assert visit.errors == []
    assert visit.outside == []
    assert page.locator("h1").count() == 1


def test_sparql_page_counts_as_run_query_does(
    visit: Visit, fixture_build: tuple[BuildResult, Path]
) -> None:
    page = visit.open("sparql.html")
    _sparql_ready(page)
    store = fixture_build[0].store
    for text in (
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a wps:Action }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ):
        expected = run_query(store, parse_query("count", text)).values()[0][0]
        prefixes = "PREFIX wps: <https://w3id.org/wpsgraph/ontology#>\n"
        cells = _run_sparql(page, prefixes + text)
        shown = re.search(r"\d+", cells[-1])
        assert shown is not None and shown.group(0) == str(expected), (text, cells)
    assert visit.errors == [] and visit.outside == []


def test_sparql_page_offers_the_query_library(visit: Visit) -> None:
    page = visit.open("sparql.html")
    _sparql_ready(page)
    page.select_option("#examples", "plans-overview")
    editor = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor.startswith("# title: Plans at a glance")
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Done')")
    page.wait_for_selector(".yasr table tbody tr td")
    assert "fx-nap-2020" in page.locator(".yasr table tbody").inner_text()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "site-sparql.png"))
    assert visit.errors == [] and visit.outside == []


def test_search_finds_an_action_by_a_word_of_its_wording(visit: Visit) -> None:
    page = visit.open("index.html")
    page.fill("#site-q", "prosecute")
    page.press("#site-q", "Enter")
    page.wait_for_selector("#search-results li")
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results li a").all()]
    assert ACTION in hrefs
    page.fill("#search-q", "no-such-word-anywhere")
    page.press("#search-q", "Enter")
    page.wait_for_function("document.getElementById('search-status').textContent === '0 results'")
    assert visit.errors == []


def test_screenshots_of_plan_and_action_pages(visit: Visit) -> None:
    DOCS.mkdir(exist_ok=True)
    for name in ("plan", "action"):
        page = visit.open(PAGES[name])
        page.screenshot(path=str(DOCS / f"site-{name}.png"))
        assert (DOCS / f"site-{name}.png").stat().st_size > 10_000
    assert visit.errors == []


@pytest.mark.parametrize(
    "name",
    [
        *("home", "plan", "action", "resolution", "search", "sparql"),
        *("compare", "query", "queries", "ontology", "theme", "themes", "link"),
    ],
)
def test_no_serious_accessibility_violation(visit: Visit, name: str) -> None:
    require(AXE.is_file(), "axe-core (npm ci)")
    page = visit.open(PAGES[name])
    if name == "sparql":
        _sparql_ready(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture project with a plan whose wording tries markup, template syntax and
    script injection; built and served."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "data", data)
    plan = data / "plans" / "fx-nap-2020.yaml"
    text = plan.read_text(encoding="utf-8")
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("text: Fund women's organisations", f'text: "{quoted}"')
    assert quoted in text
    plan.write_text(text, encoding="utf-8")
    build(Project(REPO, data_dir=data), root / "dist")
    server, url = _serve(root / "dist" / "site")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_plan_text_renders_inert(browser: Any, hostile_site: str) -> None:
    v = Visit(browser, hostile_site)
    try:
        for path in ("id/plan/fx-nap-2020/action/1-b.html", "id/plan/fx-nap-2020.html"):
            page = v.open(path)
            page.wait_for_timeout(200)
            assert HOSTILE in page.locator("main").inner_text()
            # one script element: the JSON-LD block; nothing the plan text added
            assert page.locator("script").count() == 1
            assert page.locator("script").first.get_attribute("type") == "application/ld+json"
        page = v.open("search.html?q=fund")
        page.wait_for_selector("#search-results li")
        assert HOSTILE in page.locator("#search-results").inner_text()
        assert v.dialogs == [] and v.errors == []
    finally:
        v.close()


def test_sparql_page_reports_a_syntax_error(visit: Visit) -> None:
    page = visit.open("sparql.html")
    _sparql_ready(page)
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT nonsense')")
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Error')")
    assert not page.locator("#run").is_disabled()  # ready for the next query
    assert visit.outside == []


def test_heatmap_page_shows_its_pictures_with_tooltips(visit: Visit) -> None:
    page = visit.open("compare.html")
    page.wait_for_timeout(200)
    assert visit.errors == [] and visit.outside == []
    cells = page.locator("#plan-resolution-explicit svg g.cell")
    assert cells.count() >= 2
    cell = page.locator('#plan-resolution-explicit g.cell[data-col="1820"]')
    assert cell.locator("text").text_content() == "1"
    assert cell.locator("title").text_content() == "Fixtureland NAP × UNSCR 1820: 1 action"
    box = cell.locator("rect").bounding_box()
    assert box is not None and box["width"] > 20  # drawn, not just present


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real corpus (data/), built and served: the screenshots show real plans."""
    out = tmp_path_factory.mktemp("corpus") / "dist"
    build(Project(REPO), out)
    server, url = _serve(out / "site")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_screenshots_of_heatmap_and_resolution_pages(browser: Any, corpus_site: str) -> None:
    v = Visit(browser, corpus_site)
    try:
        DOCS.mkdir(exist_ok=True)
        page = v.open("compare.html")
        assert page.locator("#plan-resolution-all g.cell").count() >= 5 * 10
        page.locator("#plan-resolution-all").screenshot(path=str(DOCS / "site-heatmap.png"))
        page = v.open("id/resolution/unscr-1820.html")
        assert page.locator("#chart g.bar").count() >= 2
        page.screenshot(path=str(DOCS / "site-resolution.png"))
        for name in ("heatmap", "resolution"):
            assert (DOCS / f"site-{name}.png").stat().st_size > 10_000
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def test_query_page_opens_its_query_on_the_sparql_page(visit: Visit) -> None:
    page = visit.open("queries/plans-overview.html")
    page.click("text=in the browser")
    _sparql_ready(page)
    editor = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor.startswith("# title: Plans at a glance")
    assert visit.errors == [] and visit.outside == []


@pytest.mark.slow
def test_a_newcomer_finds_19c_its_treaty_its_turtle_and_the_actions_of_1820(
    browser: Any, corpus_site: str, corpus_store: Any
) -> None:
    """The journey of the site issue, on the real corpus and a static server only: from
    the home page to Belgium's line of action 19.c, its explicit link to the Arms Trade
    Treaty, its Turtle, and a query in the browser listing every action linked to UNSCR
    1820 (as many as the embedded store gives)."""
    import pyoxigraph as ox

    v = Visit(browser, corpus_site)
    try:
        page = v.open("index.html")
        page.click('a[href="id/plan/be-nap-2017.html"]')
        page.click('a.num[href$="be-nap-2017/action/19-c.html"]')
        assert page.url.endswith("id/plan/be-nap-2017/action/19-c.html")
        row = page.locator("tr#link-explicit-arms-trade-treaty")
        assert "explicit" in row.inner_text() and "Arms Trade Treaty" in row.inner_text()
        ttl_href = page.locator('link[rel="alternate"][type="text/turtle"]').get_attribute("href")
        assert ttl_href is not None
        response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + ttl_href)
        assert response.ok
        action = ox.NamedNode("https://w3id.org/wpsgraph/id/plan/be-nap-2017/action/19-c")
        att = ox.NamedNode("https://w3id.org/wpsgraph/id/convention/arms-trade-treaty")
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(response.body(), format=ox.RdfFormat.TURTLE)
        ]
        refs = ox.NamedNode("https://w3id.org/wpsgraph/ontology#referencesInstrument")
        assert ox.Triple(action, refs, att) in triples
        text = (
            "PREFIX wps: <https://w3id.org/wpsgraph/ontology#>\n"
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
            "  ?a a wps:Action ; wps:addressesResolution ?r . ?r wps:resolutionNumber 1820 }"
        )
        expected = run_query(corpus_store, parse_query("n", text)).values()[0][0]
        assert int(expected) > 10
        page = v.open("sparql.html")
        _sparql_ready(page)
        cells = _run_sparql(page, text)
        assert re.search(r"\d+", cells[-1]).group(0) == str(expected)  # type: ignore[union-attr]
        assert v.errors == [] and v.outside == []
    finally:
        v.close()
