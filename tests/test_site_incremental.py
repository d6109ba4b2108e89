"""Incremental site: pages of unchanged plans are taken from the previous build (their
folder moved, the plan's own page linked), and the result is the same site a full build
makes, file for file."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import PLAN_EDITS, REPO, second_plan
from markupsafe import escape

from wpsgraph.build import Project, build
from wpsgraph.site import generate
from wpsgraph.site import parallel as workers
from wpsgraph.site.reuse import MANIFEST


def _tree(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix != ".gz"  # gzip copies: same content, own header bytes
    }


def _setup(data: Path, tmp_path: Path) -> tuple[Project, Path, Path]:
    """The fixture project on ``data``, and a cache and an output folder of its own."""
    return Project(REPO, data_dir=data), tmp_path / "cache", tmp_path / "dist"


def test_unchanged_plans_pages_are_taken_not_rendered(fixture_copy: Path, tmp_path: Path) -> None:
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    first = build(project, out, cache=cache)
    assert first.site_reused == []
    assert (out / MANIFEST).is_file()
    kept = out / "site" / "id" / "plan" / "fx-nap-2020" / "action" / "1-a.html"
    edited = out / "site" / "id" / "plan" / "fx-nap-2021" / "action" / "1-b.html"
    kept_inode, edited_before = kept.stat().st_ino, edited.read_text()
    # the plan's own page and its coverage chart are taken with its other pages
    site = out / "site"
    own = [site / "id/plan/fx-nap-2020.html", site / "compare/plan/fx-nap-2020.svg"]
    own += [site / "compare/plan/fx-nap-2020.csv"]
    own_inodes = [f.stat().st_ino for f in own]
    other_plan_page = (site / "id/plan/fx-nap-2021.html").stat().st_ino
    second.write_text(
        second.read_text().replace(
            "Fund women's organisations", "Fund women's organisations and networks"
        )
    )
    again = build(project, out, cache=cache)
    assert again.site_reused == ["fx-nap-2020"]
    # the unchanged plan's page is the very same file; the changed one was rendered anew
    assert kept.stat().st_ino == kept_inode
    assert [f.stat().st_ino for f in own] == own_inodes
    assert (site / "id/plan/fx-nap-2021.html").stat().st_ino != other_plan_page
    assert "and networks" in edited.read_text() and "and networks" not in edited_before
    build(project, tmp_path / "full")  # no cache: everything rendered
    mine, theirs = _tree(out / "site"), _tree(tmp_path / "full" / "site")
    assert mine.keys() == theirs.keys()
    # every resource's files are the same bytes (elsewhere, query timings differ from one
    # build to the next, cache or not)
    resources = [f for f in mine if f.startswith(("id/", "compare/plan/"))]
    assert len(resources) > 100 and "compare/plan/fx-nap-2020.svg" in resources
    assert [f for f in resources if mine[f] != theirs[f]] == []


def test_a_template_change_renders_every_page_again(fixture_copy: Path, tmp_path: Path) -> None:
    """The digest covers the templates: pages of an unchanged plan are not reused after a
    template changed (here: a copy of the site folder with one template edited), nor are
    the templates compiled before."""
    root = tmp_path / "root"
    root.mkdir()
    for name in ("ontology", "shapes", "queries", "node_modules"):
        (root / name).symlink_to(REPO / name)
    site_src = root / "site"
    (site_src).mkdir()
    (site_src / "static").symlink_to(REPO / "site" / "static")
    templates = site_src / "templates"
    templates.mkdir()
    for t in (REPO / "site" / "templates").iterdir():
        (templates / t.name).write_bytes(t.read_bytes())
    project, cache, out = (
        Project(root, data_dir=fixture_copy),
        tmp_path / "cache",
        tmp_path / "dist",
    )
    build(project, out, cache=cache)
    # the compiled templates are kept in the cache, under the site code, and used again
    compiled = sorted((cache / "templates").iterdir())
    assert len(compiled) == 1
    made = {f.name: f.stat().st_mtime_ns for f in compiled[0].glob("*.cache")}
    assert len(made) >= 5
    assert build(project, out, cache=cache).site_reused == ["fx-nap-2020"]
    assert {f.name: f.stat().st_mtime_ns for f in compiled[0].glob("*.cache")} == made
    action = templates / "action.html"
    text = action.read_text()
    assert "</blockquote>" in text
    action.write_text(text.replace("</blockquote>", " (edited)</blockquote>", 1))
    rebuilt = build(project, out, cache=cache)
    assert rebuilt.site_reused == []
    page = out / "site" / "id" / "plan" / "fx-nap-2020" / "action" / "1-a.html"
    assert "(edited)" in page.read_text()
    # those compiled by the previous templates are gone
    now = sorted((cache / "templates").iterdir())
    assert len(now) == 1 and now != compiled


def test_a_missing_previous_file_is_rendered(fixture_copy: Path, tmp_path: Path) -> None:
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    gone = out / "site" / "id" / "plan" / "fx-nap-2020" / "action" / "2-a.ttl"
    gone.unlink()
    build(project, out, cache=cache)
    assert gone.is_file() and gone.stat().st_size > 0


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links on this platform")
def test_a_failed_build_leaves_the_linked_files_of_the_previous_build_alone(
    fixture_copy: Path, tmp_path: Path
) -> None:
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    before = _tree(out / "site")
    second.write_text(second.read_text().replace("country: FX", "country: XX"))
    with pytest.raises(Exception, match="XX"):
        build(project, out, cache=cache)
    assert _tree(out / "site") == before


def test_every_resource_page_is_the_same_in_every_build(tmp_path: Path) -> None:
    """Pages must not depend on the order a store or a Python set happens to give (the
    reuse of unchanged pages relies on it): two builds of the real corpus in processes
    with different hash seeds write the same files under id/, byte for byte."""
    import subprocess
    import sys

    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"dist-{seed}"
        cli = str(Path(sys.executable).parent / "wpsgraph")
        subprocess.run(
            [cli, "--root", str(REPO), "build", "--no-cache", "--out", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        trees.append(_tree(out / "site" / "id"))
    assert len(trees[0]) > 10_000  # the real corpus: pages and data files of every resource
    assert trees[0].keys() == trees[1].keys()
    differ = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert differ == []


def test_a_build_failing_after_taking_pages_puts_them_back(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site stage fails after the unchanged plan's folder was moved into the new tree:
    the folder goes back, and the previous site is as it was, file for file."""

    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    before = _tree(out / "site")
    folder = out / "site" / "id" / "plan" / "fx-nap-2020"
    inode = folder.stat().st_ino
    second.write_text(second.read_text().replace("Fund women's", "Fund all women's"))
    moved = []

    def fail(pages: object, *args: object) -> None:
        moved.append(not folder.exists())
        raise OSError("disk full")

    monkeypatch.setattr(generate.views, "plan_stats", fail)  # in this process, after the move
    with pytest.raises(OSError, match="disk full"):
        build(project, out, cache=cache)
    assert moved == [True]  # it had been taken when the stage failed
    assert folder.stat().st_ino == inode
    assert _tree(out / "site") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.")] == [".dist.lock"]


def test_shared_pages_are_rendered_only_where_a_changed_plan_shows_something_new(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """Pages outside the plans' folders (actors, themes, countries, documents …) are
    rendered again only where what a changed plan shows on them changed; the others are
    the very files of the previous build, and the site is still the one a full build
    makes. Every build records the pages each plan shows on and its cache key; a change
    renders only the pages where what the plan shows, worked out from its N-Quads of
    before (which the cache keeps) and of now, differs; without its N-Quads of before,
    it renders every page it shows on."""
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    first = build(project, out, cache=cache)
    assert first.site_shared_reused == 0
    site = out / "site"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    mentions = manifest["mentions"]
    assert manifest["keys"]["fx-nap-2021"] == first.plan_keys["fx-nap-2021"].split()[0]
    shown = set(mentions["fx-nap-2021"])  # the plan about to change shows on these
    elsewhere = {p for p in mentions["fx-nap-2020"] if p not in shown}
    assert shown and elsewhere
    resolutions = {p for p in shown | elsewhere if p.startswith("id/resolution/")}

    def inodes(paths: set[str]) -> dict[str, int]:
        return {p: (site / f"{p}.html").stat().st_ino for p in paths}

    def same_as_a_full_build(name: str) -> None:
        build(project, tmp_path / name)
        mine, theirs = _tree(site), _tree(tmp_path / name / "site")
        assert [f for f in mine if f.startswith("id/") and mine[f] != theirs[f]] == []

    # an edit of one action's wording renders only the pages that list the action
    before, was = {p: (site / f"{p}.html").read_text() for p in shown}, inodes(shown | elsewhere)
    wording = "Fund women's organisations"
    second.write_text(second.read_text().replace(wording, f"{wording} and networks"))
    again = build(project, out, cache=cache)
    assert again.site_shared_reused > 0
    listing = {p for p in shown if str(escape(wording)) in before[p]}
    assert "id/actor/fx-defence" in listing  # the action's actors list its wording
    for p in listing:
        assert inodes({p})[p] != was[p]
        assert str(escape(f"{wording} and networks")) in (site / f"{p}.html").read_text(), p
    # the plan's other shared pages show nothing that changed: taken, not rendered
    assert "id/actor/fx-justice" in shown and "id/actor/fx-justice" not in listing
    kept = (shown | elsewhere) - listing
    assert kept & resolutions  # their charts are the same too (see the test below)
    assert kept and [p for p in kept if inodes({p})[p] != was[p]] == []
    same_as_a_full_build("full-1")
    # the cache keeps the plan's entry of before its last change, and the one of now
    entries = sorted(p.name for p in (cache / "plans" / second.name).glob("*.nq"))
    assert len(entries) == 2
    # without its N-Quads of before, its next change renders every page it shows on
    before_key = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["keys"]["fx-nap-2021"]
    (cache / "plans" / second.name / f"{before_key}.nq").unlink()
    was = inodes(shown | elsewhere)
    second.write_text(second.read_text().replace("and networks", "and their networks"))
    build(project, out, cache=cache)
    assert all(inodes({p})[p] != was[p] for p in shown)
    kept = elsewhere
    assert kept and [p for p in kept if inodes({p})[p] != was[p]] == []
    same_as_a_full_build("full-2")


def test_a_resolution_page_is_taken_only_with_the_same_chart(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A resolution page charts every plan's actions linked to it (numbers from a
    library query): it is taken from the previous site only when its chart has the
    bytes of the previous site's, besides nothing new shown on it by a changed plan."""
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    site = out / "site"
    charts = sorted((site / "compare" / "resolution").glob("*.csv"))
    pages = {c.stem: site / "id" / "resolution" / f"{c.stem}.html" for c in charts}
    assert len(pages) >= 2 and all(p.is_file() for p in pages.values())
    was = {name: page.stat().st_ino for name, page in pages.items()}
    # the previous site's chart of one resolution is not the one the next build draws
    altered = charts[0]
    altered.write_text(altered.read_text(encoding="utf-8") + "fx-nap-2019,1,0,1\n")
    build(project, out, cache=cache)
    now = {name: page.stat().st_ino for name, page in pages.items()}
    assert now[altered.stem] != was[altered.stem]  # rendered again
    assert {n for n in pages if now[n] == was[n]} == set(pages) - {altered.stem}  # taken
    build(project, tmp_path / "full")
    mine, theirs = _tree(site), _tree(tmp_path / "full" / "site")
    changed = [f for f in mine if f.startswith(("id/", "compare/")) and mine[f] != theirs[f]]
    assert changed == []


def test_the_ontology_page_is_taken_until_the_ontology_changes(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """The ontology's page and diagram show the ontology and the shapes only: a plan's
    edit takes them from the previous site, an edit of the ontology renders them."""
    root = tmp_path / "root"
    root.mkdir()
    for name in ("shapes", "queries", "node_modules", "site"):
        (root / name).symlink_to(REPO / name)
    shutil.copytree(REPO / "ontology", root / "ontology")
    project, cache, out = (
        Project(root, data_dir=fixture_copy),
        tmp_path / "cache",
        tmp_path / "dist",
    )
    second = second_plan(fixture_copy)
    build(project, out, cache=cache)
    files = [out / "site" / "ontology.html", out / "site" / "ontology.svg"]
    was = [f.stat().st_ino for f in files]
    second.write_text(second.read_text().replace("Fund women's", "Fund the women's"))
    assert build(project, out, cache=cache).site_reused == ["fx-nap-2020"]
    assert [f.stat().st_ino for f in files] == was  # taken
    ontology = root / "ontology" / "wps.ttl"
    definition = "structured into objectives and actions."
    assert definition in ontology.read_text(encoding="utf-8")
    edited = definition.replace("actions.", "actions (edited).")
    ontology.write_text(ontology.read_text(encoding="utf-8").replace(definition, edited))
    build(project, out, cache=cache)
    assert edited in files[0].read_text(encoding="utf-8")


def test_query_downloads_are_taken_while_their_results_are_the_same(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A library query's downloads (.rq, .csv, .json) are linked from the previous site
    when its text and results are unchanged, and written anew when they changed."""
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    folder = out / "site" / "queries"
    names = sorted(p.stem for p in folder.glob("*.rq"))
    assert len(names) >= 16

    def files(name: str) -> list[Path]:
        return [folder / f"{name}.{ext}" for ext in ("rq", "csv", "json")]

    before = {n: [(f.stat().st_ino, f.read_bytes()) for f in files(n)] for n in names}
    wording = "Fund women's organisations"
    second.write_text(second.read_text().replace(wording, f"{wording} and networks"))
    build(project, out, cache=cache)
    after = {n: [(f.stat().st_ino, f.read_bytes()) for f in files(n)] for n in names}
    same = {n for n in names if [b for _, b in after[n]] == [b for _, b in before[n]]}
    assert same and len(same) < len(names)  # the edited wording is in some results
    for n in names:
        taken = [i for i, _ in after[n]] == [i for i, _ in before[n]]
        assert taken == (n in same), n
    build(project, tmp_path / "full")
    mine, theirs = _tree(out / "site"), _tree(tmp_path / "full" / "site")
    downloads = [f for f in mine if f.startswith("queries/") and not f.endswith(".html")]
    assert len(downloads) == 3 * len(names)
    assert [f for f in downloads if mine[f] != theirs[f]] == []


def test_query_downloads_are_written_anew_when_the_code_changed(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download's CSV is made by the code from the results: with other code (here, other
    site code), the same results do not make the previous site's CSV still right, and no
    download is taken from it."""
    from wpsgraph.site import reuse

    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    folder = out / "site" / "queries"
    downloads = sorted(p for p in folder.iterdir() if p.suffix in (".rq", ".csv", ".json"))
    assert len(downloads) >= 48
    was = [f.stat().st_ino for f in downloads]
    build(project, out, cache=cache)
    assert [f.stat().st_ino for f in downloads] == was  # the same code: all taken
    code = reuse.site_code_digest
    monkeypatch.setattr(reuse, "site_code_digest", lambda *a: "other " + code(*a))
    build(project, out, cache=cache)
    now = [f.stat().st_ino for f in downloads]
    assert [f for f, a, b in zip(downloads, was, now, strict=True) if a == b] == []


@pytest.mark.parametrize("edit", sorted(PLAN_EDITS))
def test_an_incremental_site_is_the_full_site_after_any_edit(
    edit: str, fixture_copy: Path, tmp_path: Path
) -> None:
    """Whatever part of a plan changes, the pages the incremental build takes and renders
    together are the site a full build makes."""
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    # a first change of the plan, after which it is described by digests (see above)
    second.write_text(second.read_text().replace("Fund women's", "Fund all women's"))
    build(project, out, cache=cache)
    old, new = PLAN_EDITS[edit]
    text = second.read_text()
    assert old in text
    second.write_text(text.replace(old, new, 1))
    again = build(project, out, cache=cache)
    assert again.site_reused == ["fx-nap-2020"] and again.site_shared_reused > 0
    build(project, tmp_path / "full")
    mine, theirs = _tree(out / "site"), _tree(tmp_path / "full" / "site")
    assert mine.keys() == theirs.keys()
    assert [f for f in mine if f.startswith("id/") and mine[f] != theirs[f]] == []
    assert json.loads(mine["search.json"]) == json.loads(theirs["search.json"])


def test_the_search_rows_of_unchanged_plans_come_from_the_previous_index(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A rebuild makes the search index's rows of the changed plans and the shared
    resources, and takes the unchanged plans' rows from the previous index (shown here by
    a row altered in it, which the rebuild keeps); without a previous index, every row is
    made again."""
    second = second_plan(fixture_copy)
    project, cache, out = _setup(fixture_copy, tmp_path)
    build(project, out, cache=cache)
    index = out / "site" / "search.json"
    rows = json.loads(index.read_text(encoding="utf-8"))
    kept = next(r for r in rows if r["p"] == "id/plan/fx-nap-2020/action/1-a.html")
    assert kept["t"] and any(r["p"].startswith("id/plan/fx-nap-2021/") for r in rows)
    kept["t"] = "altered in the previous index"
    index.write_text(json.dumps(rows), encoding="utf-8")
    second.write_text(
        second.read_text().replace(
            "Fund women's organisations", "Fund women's organisations and networks"
        )
    )
    build(project, out, cache=cache)
    again = json.loads(index.read_text(encoding="utf-8"))
    assert [r["p"] for r in again] == sorted(r["p"] for r in rows)
    assert {r["p"]: r["t"] for r in again}[kept["p"]] == "altered in the previous index"
    assert any("and networks" in r["t"] for r in again if "fx-nap-2021/" in r["p"])
    # with the previous index gone, the rows are made from the graph
    second.write_text(second.read_text().replace("and networks", "and their networks"))
    index.unlink()
    build(project, out, cache=cache)
    made = {r["p"]: r["t"] for r in json.loads(index.read_text(encoding="utf-8"))}
    assert made[kept["p"]] != "altered in the previous index" and made[kept["p"]]


def test_the_forked_workers_write_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real corpus is big enough to render on forked workers, which also take the
    query pages and the search index: the same files and record of the shared pages
    each plan shows on as made in this process."""
    where = tmp_path / "pids"

    def noted(job: Any) -> Any:
        def run(*args: Any) -> Any:
            with where.open("a") as f:
                f.write(f"{os.getpid()}\n")
            return job(*args)

        return run

    monkeypatch.setattr(workers, "SIDE_JOBS", {k: noted(v) for k, v in workers.SIDE_JOBS.items()})
    build(Project(REPO), tmp_path / "parallel", cache=tmp_path / "cache-1")
    parallel = _tree(tmp_path / "parallel/site")
    pids, jobs = where.read_text().split(), len(workers.SIDE_JOBS)
    assert jobs == 3 and len(pids) == jobs and str(os.getpid()) not in pids  # by the workers
    monkeypatch.setattr(workers, "MIN_PARALLEL_WEIGHT", 10**12)
    build(Project(REPO), tmp_path / "serial", cache=tmp_path / "cache-2")
    serial = _tree(tmp_path / "serial/site")
    assert where.read_text().split()[jobs:] == [str(os.getpid())] * jobs  # done here
    mentions = [
        json.loads((tmp_path / name / MANIFEST).read_text())["mentions"]
        for name in ("parallel", "serial")
    ]
    assert mentions[0] == mentions[1]
    assert len(mentions[0]) == 5 and all(isinstance(d, list) and d for d in mentions[0].values())
    assert parallel.keys() == serial.keys()
    assert {"search.json", "sitemap.xml", "queries/index.html"} <= parallel.keys()
    assert len([name for name in parallel if name.startswith("queries/")]) > 40
    # a query page says how long its query took, which differs from run to run; the
    # rest, dumps and dataset descriptions too, is the same bytes
    timed = re.compile(rb"in [0-9.]+ ms")
    assert len(parallel) > 10_000 and "dumps/wpsgraph.trig" in parallel
    differ = [
        name for name in parallel if timed.sub(b"", parallel[name]) != timed.sub(b"", serial[name])
    ]
    assert differ == [], " ".join(differ)


def test_which_shared_pages_a_change_may_touch(tmp_path: Path) -> None:
    """Of the shared pages, a rebuild renders those whose validation warnings changed
    and, for each changed plan, those where it shows something else than before; a plan
    whose N-Quads of before are gone, every page it shows on then or now; a plan the
    previous build did not record, any page."""
    from wpsgraph.site.contrib import Shown
    from wpsgraph.site.reuse import SiteReuse

    def reuse(mentions_old: dict[str, list[str]]) -> SiteReuse:
        return SiteReuse(
            tmp_path,
            old={"a": "same", "b": "before"},
            new={"a": "same", "b": "after"},
            shared_old="s",
            shared_new="s",
            mentions_old=mentions_old,
            keys_old={"a": "ka", "b": "kb"},
            warnings_old={"id/actor/x": "w1", "id/actor/y": "w2"},
        )

    shown = Shown()
    shown.pages["a"] |= {"id/theme/t"}
    shown.pages["b"] |= {"id/actor/x", "id/actor/z"}
    warnings = {"id/actor/x": "w1", "id/actor/y": "w2 changed"}
    asked = []

    def shows(plan: str, key: str) -> tuple[dict[str, str], dict[str, str]] | None:
        asked.append((plan, key))
        return {"id/actor/x": "1", "id/actor/q": "2"}, {"id/actor/x": "1", "id/actor/z": "3"}

    r = reuse({"a": ["id/theme/t"], "b": ["id/actor/x", "id/actor/q"]})
    r.note_mentions(shown, warnings, shows)
    assert asked == [("b", "kb")]  # only the changed plan, under its key of before
    assert r.touched == {"id/actor/y", "id/actor/q", "id/actor/z"}
    assert r.mentions == {"a": ["id/theme/t"], "b": ["id/actor/x", "id/actor/z"]}
    assert not r.shared_reusable("id/actor/z") and r.shared_reusable("id/actor/x")
    # without the plan's N-Quads of before: every page it shows on then or now
    r = reuse({"a": ["id/theme/t"], "b": ["id/actor/x", "id/actor/q"]})
    r.note_mentions(shown, warnings, lambda plan, key: None)
    assert r.touched == {"id/actor/y", "id/actor/x", "id/actor/q", "id/actor/z"}
    # a changed plan the previous build did not record: any page may differ
    r = reuse({"a": ["id/theme/t"]})
    r.note_mentions(shown, warnings, shows)
    assert r.touched is None and not r.shared_reusable("id/actor/x")
