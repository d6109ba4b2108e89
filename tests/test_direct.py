"""The pages written by Python directly (wpsgraph.site.direct) are, byte for byte, what
jinja2 renders from their templates; a template edited since its function was written
is rendered by jinja2 again."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, REPO
from markupsafe import escape

from wpsgraph.build import BuildResult, Project, build_graph
from wpsgraph.site import build_site, direct
from wpsgraph.site.snippets import esc, replaced

TEMPLATES = REPO / "site" / "templates"


def test_every_mirrored_template_is_the_one_its_function_was_written_from() -> None:
    stale = sorted(set(direct.MIRRORED) - set(direct.mirrors(TEMPLATES)))
    assert not stale, (
        f"{stale}: the template sources changed since their functions in "
        "src/wpsgraph/site/direct.py were written, so jinja2 renders them (slower). "
        "Bring the functions up to date, then their digests in MIRRORED "
        "(direct.sources_digest); test_direct_pages_equal_jinja2s checks them."
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain words",
        'Train <script>alert("x")</script> & "mediators"',
        "it's &amp; already escaped, <b>bold</b>",
        "\"'<>&" * 3,
        "ſ K é ☃ \u2028 \x00",
    ],
)
def test_esc_is_markupsafes_escape(text: str) -> None:
    for f in (esc, replaced):  # the C function, and the fallback
        assert f(text) == str(escape(text))
        assert type(f(text)) is str


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in (site / "id").rglob("*.html")}


def _compare(
    result: BuildResult, project: Project, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> Counter[str]:
    """Build the site twice, with and without the direct pages; assert every page is the
    same; count the pages of each mirrored kind that were compared."""
    build_site(result, project, tmp / "direct")
    with monkeypatch.context() as m:
        m.setattr(direct, "mirrors", lambda templates: {})
        build_site(result, project, tmp / "jinja2")
    ours, reference = _pages(tmp / "direct"), _pages(tmp / "jinja2")
    assert ours.keys() == reference.keys()
    different = [path for path in reference if ours[path] != reference[path]]
    assert not different, f"{len(different)} pages differ, e.g. {different[:3]}"
    kinds: Counter[str] = Counter()
    for path, page in reference.items():
        # id/plan/<plan>/<kind>/<name>.html, a link one level further down
        kinds[path.split("/")[-2]] += 1
        kinds["pages"] += 1
        kinds["escaped script"] += b"&lt;script&gt;" in page
    return kinds


def test_direct_pages_equal_jinja2s_on_the_fixture(
    fixture_build: tuple[BuildResult, Path],
    fixture_project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kinds = _compare(fixture_build[0], fixture_project, tmp_path, monkeypatch)
    assert all(kinds[k] > 0 for k in ("link", "action", "indicator", "objective")), kinds
    # the fixture's hostile wording, escaped the same way on both
    assert kinds["escaped script"] > 0


def test_direct_pages_equal_jinja2s_on_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(REPO)
    result = build_graph(project)
    kinds = _compare(result, project, tmp_path, monkeypatch)
    assert kinds["pages"] > 2000
    assert kinds["link"] > 1000 and kinds["action"] > 300 and kinds["indicator"] > 200, kinds


def test_an_edited_template_is_rendered_by_jinja2(
    fixture_build: tuple[BuildResult, Path], tmp_path: Path
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("ontology", "shapes", "queries", "node_modules"):
        (root / name).symlink_to(REPO / name)
    shutil.copytree(REPO / "site", root / "site")
    link = root / "site" / "templates" / "link.html"
    link.write_text(
        link.read_text().replace("All links of this action", "Every link of this action")
    )
    left = direct.mirrors(root / "site" / "templates")
    assert "link.html" not in left
    assert "action.html" in left  # it does not depend on link.html
    build_site(fixture_build[0], Project(root, data_dir=FIXTURE_DATA), tmp_path / "out")
    pages = list((tmp_path / "out" / "id").rglob("link/*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Every link of this action" in text
        assert "All links of this action" not in text
    base = root / "site" / "templates" / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the content"))
    assert direct.mirrors(root / "site" / "templates") == {}
