"""Shared fixtures: the fixture project (tests/fixtures/data) and the real corpus.

Tests that need a component this machine lacks (Chromium, the oxigraph server) call
:func:`require`: on a laptop they skip with a message; in CI (``WPSGRAPH_REQUIRE_ALL=1``,
set by ``.ci/run``) a missing component fails the test instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from wpsgraph.build import BuildResult, Project, build, build_graph

REPO = Path(__file__).resolve().parent.parent
FIXTURE_DATA = REPO / "tests" / "fixtures" / "data"
PREFIXES = """
PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def require(ok: bool, what: str) -> None:
    """Skip (laptop) or fail (CI) when a needed component is missing."""
    if ok:
        return
    if os.environ.get("WPSGRAPH_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} is required in CI but was not found")
    pytest.skip(f"{what} not found; install it to run this test")


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the union graph, as plain strings."""
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in result]


def count(store: ox.Store, where: str) -> int:
    rows = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"])


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture data folder, for tests that break it."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, dest)
    return dest


@pytest.fixture(scope="session")
def fixture_project() -> Project:
    return Project(REPO, data_dir=FIXTURE_DATA)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The fixture project built once, dumps and site, into a temporary dist/."""
    out = tmp_path_factory.mktemp("fixture") / "dist"
    result = build(Project(REPO, data_dir=FIXTURE_DATA), out)
    return result, out


@pytest.fixture(scope="session")
def fixture_store(fixture_build: tuple[BuildResult, Path]) -> ox.Store:
    return fixture_build[0].store


@pytest.fixture(scope="session")
def corpus_store() -> ox.Store:
    """The whole real corpus (data/), built and validated once per session.

    ``WPSGRAPH_TEST_PLANS=be-nap-2017,lu-nap-2018`` builds only those plans, for a
    curator working on one file while others are unfinished.
    """
    project = Project(REPO)
    only = os.environ.get("WPSGRAPH_TEST_PLANS")
    files = None
    if only:
        files = [project.data / "plans" / f"{p.strip()}.yaml" for p in only.split(",")]
    return build_graph(project, plan_files=files).store


# edits of every part of a plan, each an (old, new) replacement in a plan file: the
# incremental builds (site, session) must give what a full build gives after any of them
PLAN_EDITS = {
    "plan title": ("title: National Action Plan on", "title: The National Action Plan on"),
    "plan label": ("short_title: Fixtureland NAP", "short_title: Fixtureland plan"),
    "actors of an action": ("actors: [fx-justice]", "actors: [fx-defence]"),
    "objective title": ("title: Protection", "title: Protection and relief"),
    "indicator wording": ("Number of cases", "Number of cases heard"),
}


def second_plan(data: Path) -> Path:
    """A second plan in a fixture copy: fx-nap-2020 again as fx-nap-2021."""
    plan = data / "plans" / "fx-nap-2020.yaml"
    second = data / "plans" / "fx-nap-2021.yaml"
    second.write_text(plan.read_text().replace("id: fx-nap-2020", "id: fx-nap-2021"))
    return second
