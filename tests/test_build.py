"""The build end to end on the fixture project: dumps, site, atomic replacement."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import REPO, count

from wpsgraph.build import BuildResult, Project, build
from wpsgraph.cli import main
from wpsgraph.errors import DataError
from wpsgraph.lock import lock_path, output_lock


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_every_dump_and_the_site(fixture_build: tuple[BuildResult, Path]) -> None:
    result, out = fixture_build
    for name in ("wpsgraph.trig", "wpsgraph.nq", "wpsgraph.nt", "wpsgraph.jsonld"):
        assert (out / name).stat().st_size > 0
        assert (out / "site" / "dumps" / name).read_bytes() == (out / name).read_bytes()
    assert (out / "site" / "index.html").is_file()
    # The TriG holds one named graph per plan and one of its links, plus the ontology
    # and reference graphs.
    store = ox.Store()
    store.load(path=str(out / "wpsgraph.trig"), format=ox.RdfFormat.TRIG)
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {
        "https://w3id.org/wpsgraph/graph/plan/fx-nap-2020",
        "https://w3id.org/wpsgraph/graph/links/fx-nap-2020",
        "https://w3id.org/wpsgraph/graph/reference",
        "https://w3id.org/wpsgraph/graph/ontology",
    }
    assert len(store) == result.triples
    # Every dump holds the same triples.
    nt = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(out / "wpsgraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    }
    jsonld = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(out / "wpsgraph.jsonld"), format=ox.RdfFormat.JSON_LD)
    }
    merged = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    assert len(nt) == len(merged) == len(jsonld)
    lines = (out / "wpsgraph.nt").read_bytes().splitlines()
    assert len(lines) == len(set(lines)) == len(merged)  # each triple once

    def ground(triples: set[ox.Triple]) -> set[ox.Triple]:  # blank nodes are renamed
        return {
            t
            for t in triples
            if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        }

    assert ground(nt) == ground(merged) == ground(jsonld)
    blank = [
        q
        for q in store
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    ]
    assert len(nt) - len(ground(nt)) == len(blank)


def test_the_fixture_plan_is_complete(fixture_store: ox.Store) -> None:
    plan = "<https://w3id.org/wpsgraph/id/plan/fx-nap-2020>"
    assert count(fixture_store, f"?x a wps:Action ; wps:partOfPlan {plan}") == 4
    assert count(fixture_store, f"?x a wps:Objective ; wps:partOfPlan {plan}") == 2
    # 2.a.1 is shared by 2.a and 2.b: one node, two actions.
    assert count(fixture_store, f"?x a wps:Indicator ; wps:partOfPlan {plan}") == 2
    assert count(fixture_store, f"?x wps:hasIndicator <{plan[1:-1]}/indicator/2-a-1>") == 2


def test_a_failed_build_leaves_the_previous_output_untouched(
    fixture_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    build(Project(REPO, data_dir=fixture_copy), out)
    before = _tree_digest(out)
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    plan.write_text(plan.read_text().replace("actors: [fx-justice]", "actors: [nobody]"))
    with pytest.raises(DataError):
        build(Project(REPO, data_dir=fixture_copy), out)
    assert _tree_digest(out) == before
    # no temporary left (the lock file stays, see wpsgraph.lock)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == [lock_path(out)]

    runner = CliRunner()
    res = runner.invoke(
        main, ["--root", str(REPO), "build", "--data", str(fixture_copy), "--out", str(out)]
    )
    assert res.exit_code == 1
    assert "fx-nap-2020.yaml:41: action 2.a: actors: unknown actor 'nobody'" in res.output
    assert _tree_digest(out) == before


def test_a_successful_rebuild_replaces_the_output(fixture_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(Project(REPO, data_dir=fixture_copy), out, site=False)
    (out / "stale.txt").write_text("from an older build")
    build(Project(REPO, data_dir=fixture_copy), out, site=False)
    assert not (out / "stale.txt").exists()
    assert (out / "wpsgraph.trig").is_file()


def test_a_folder_the_build_must_not_replace_is_refused_and_kept(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """The build swaps its whole output folder for the new one: an output folder that is
    or holds the data (or the project, or another input folder), a folder of other files,
    or a file, is refused before any work, with a message naming it, and left as it was."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("not a build's")
    (tmp_path / "a-file").write_text("a file")
    refused = {
        fixture_copy: "holds the data folder",
        fixture_copy / "plans": "holds files but no build's output (wpsgraph.nq)",
        tmp_path: "holds the data folder",  # the data folder is inside it
        REPO / "shapes": "holds the shapes folder",
        REPO.parent: "holds the project",
        tmp_path / "notes": "holds files but no build's output (wpsgraph.nq)",
        tmp_path / "a-file": "not a folder",
    }
    before = _tree_digest(tmp_path)
    for out, why in refused.items():
        res = CliRunner().invoke(
            main, ["--root", str(REPO), "build", "--data", str(fixture_copy), "--out", str(out)]
        )
        assert res.exit_code == 1, out
        assert res.output.startswith(f"error: {out.resolve()}: ") and why in res.output, out
    assert _tree_digest(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # not even a lock
    # an empty folder is a fine output folder
    (tmp_path / "empty").mkdir()
    build(Project(REPO, data_dir=fixture_copy), tmp_path / "empty", site=False)
    assert (tmp_path / "empty" / "wpsgraph.nq").is_file()


def test_a_second_build_of_the_same_folder_waits_for_the_first(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """While another build holds the output folder's lock (here the test, through a file
    of its own: the kernel's lock is per open file, so a thread of this process waits as
    another process would), a build says it waits, writes nothing, and goes on once the
    lock is let go."""
    out = tmp_path / "dist"
    said: list[str] = []
    waiting = threading.Event()

    def log(line: str) -> None:
        said.append(line)
        if line.startswith("waiting"):
            waiting.set()

    with ThreadPoolExecutor(1) as pool:
        with output_lock(out):
            done = pool.submit(build, Project(REPO, data_dir=fixture_copy), out, log=log)
            assert waiting.wait(120), said
            assert not done.done()
            assert not out.exists()
            assert not list(tmp_path.glob(".dist.*/"))  # not even a temporary folder
        done.result(timeout=300)
    assert said[0] == f"waiting for another build writing {out} (process {os.getpid()}) to finish"
    assert (out / "wpsgraph.trig").is_file() and (out / "site" / "index.html").is_file()
    assert lock_path(out).read_text() == f"{os.getpid()}\n"  # the last holder's


def test_a_build_killed_while_writing_leaves_no_lock_behind(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """The lock ends with the process that held it: a build killed while it held the lock
    does not keep the next one waiting."""
    out = tmp_path / "dist"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from wpsgraph.lock import output_lock\n"
            "with output_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(600)\n",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert lock_path(out).read_text() == f"{holder.pid}\n"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    said: list[str] = []
    build(Project(REPO, data_dir=fixture_copy), out, site=False, log=said.append)
    assert not [line for line in said if line.startswith("waiting")]
    assert (out / "wpsgraph.trig").is_file()


def test_an_output_folder_that_cannot_be_written_is_a_clear_error(
    fixture_copy: Path, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "dist"
    res = CliRunner().invoke(
        main, ["--root", str(REPO), "build", "--data", str(fixture_copy), "--out", str(out)]
    )
    assert res.exit_code == 1
    why = f"File exists: {tmp_path / 'a-file'}"  # the file where a folder would be
    assert res.output == f"error: {out}: cannot write the output there ({why})\n"
    assert (tmp_path / "a-file").read_text() == "not a folder"


@pytest.mark.parametrize(
    ("base", "why"),
    [
        ("javascript:alert(1)", "not an http:// or https:// URL with a host"),
        ("ftp://example.org/wps", "not an http:// or https:// URL with a host"),
        ("", "not an http:// or https:// URL with a host"),
        ('https://example.org/"><script>', "not a valid IRI"),
        ("https://example.org/w ps", "not a valid IRI"),
        ("https://example.org/wps#x", "no query (?) or fragment (#)"),
        ("https://example.org/wps?x=1", "no query (?) or fragment (#)"),
    ],
)
def test_a_base_url_that_cannot_be_a_base_is_refused(
    fixture_copy: Path, tmp_path: Path, base: str, why: str
) -> None:
    """The base goes into every IRI and into the site's pages, links and sitemap: one
    that is not an http(s) URL, or not a valid IRI, is refused before any work."""
    out = tmp_path / "dist"
    args = ["build", "--data", str(fixture_copy), "--out", str(out), "--base-url", base]
    res = CliRunner().invoke(main, ["--root", str(REPO), *args])
    assert res.exit_code == 1
    assert res.output.startswith(f"error: base URL {base!r}: ") and why in res.output
    assert not out.exists()


def test_base_url_changes_every_data_iri(fixture_copy: Path, tmp_path: Path) -> None:
    result = build(
        Project(REPO, data_dir=fixture_copy), tmp_path / "d", base="https://example.org/wps"
    )
    subjects = {q.subject.value for q in result.store if isinstance(q.subject, ox.NamedNode)}
    data = {s for s in subjects if "/id/" in s}
    assert data and all(s.startswith("https://example.org/wps/id/") for s in data)
    page = tmp_path / "d" / "site" / "id" / "plan" / "fx-nap-2020.html"
    assert "https://example.org/wps/id/plan/fx-nap-2020" in page.read_text()
