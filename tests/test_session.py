"""A session (``wpsgraph watch``): the store and the site graph kept between builds, one
plan's graphs replaced in both after an edit. What it writes must be what a fresh build of
the same files writes, and its site graph what a fresh grouping makes, in every order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import PLAN_EDITS, REPO, second_plan

from wpsgraph import session as session_module
from wpsgraph.build import Project, ValidationFailed, build
from wpsgraph.errors import DataError
from wpsgraph.session import CodeChanged, Session
from wpsgraph.site.graph import Graph
from wpsgraph.site.patch import replace_plan
from wpsgraph.validate import ValidationReport

PLAN = "fx-nap-2021"  # the fixture's second plan (see conftest.second_plan)


def _tree(out: Path) -> dict[str, bytes]:
    """Every file of a build (dumps and site), gzip copies aside (their header holds a
    time); a query's timing, which differs from one build to the next, blanked."""
    found = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.suffix != ".gz" and not p.name.startswith("."):
            data = p.read_bytes()
            if "/queries/" in p.as_posix():
                data = re.sub(rb"in [0-9.]+ (ms|s)\b", b"in T", data)
            found[str(p.relative_to(out))] = data
    return found


def _same_graph(got: Graph, fresh: Graph) -> list[str]:
    """Where two site graphs differ: resources, their order, values, referrers."""
    if list(got.res) != list(fresh.res):
        return ["the resources or their order"]
    return [
        iri
        for iri, r in fresh.res.items()
        if list(r.out.items()) != list(got.res[iri].out.items())
        or list(r.inv.items()) != list(got.res[iri].inv.items())
    ]


def _fresh(project: Project, tmp_path: Path, name: str) -> dict[str, bytes]:
    build(project, tmp_path / name, cache=tmp_path / f"{name}-cache")
    return _tree(tmp_path / name)


EDITS = {
    **PLAN_EDITS,
    "action wording": ("Fund women's organisations", "Fund women's organisations and networks"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_session_writes_what_a_fresh_build_writes(
    edit: str, fixture_copy: Path, tmp_path: Path
) -> None:
    second = second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    assert s.regrouped and s.patched == []
    first = _tree(tmp_path / "dist")
    old, new = EDITS[edit]
    text = second.read_text()
    assert old in text
    second.write_text(text.replace(old, new, 1))
    result = s.build()
    # only the edited plan was imported and replaced in place, not grouped again
    assert s.patched == [PLAN] and not s.regrouped
    assert result.revalidated == [PLAN] and result.reused == len(result.plans) - 1
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    mine, theirs = _tree(tmp_path / "dist"), _fresh(project, tmp_path, "full")
    assert mine.keys() == theirs.keys()
    assert [f for f in mine if mine[f] != theirs[f]] == []
    assert mine != first  # the edit shows


def test_actions_added_and_removed_in_a_session(fixture_copy: Path, tmp_path: Path) -> None:
    """A plan that loses an action and gains resources it never had (a new actor, new
    references) keeps the load order of a fresh build: resources, values, referrers."""
    second = second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    text = second.read_text()
    # the first action out, a new one with a new indicator and two actors in, another
    # actor on an action
    first = """      - number: "1.a"
        text: Train <script>alert("x")</script> & "mediators"
        indicators: [Number of mediators trained]
        actors: [fx-peace-unit]
        actors_text: Foreign Affairs
        source: {line: 5, row: 1}
"""
    added = """      - number: "1.c"
        text: Open a helpline for survivors
        indicators: [Number of calls answered]
        actors: [fx-justice, fx-peace-unit]
        source: {line: 6, row: 3}
"""
    assert first in text
    edited = text.replace(first, "").replace(
        "        source: {line: 6, row: 2}\n", "        source: {line: 6, row: 2}\n" + added, 1
    )
    edited = edited.replace("actors: [fx-justice]", "actors: [fx-defence, fx-justice]", 1)
    assert added in edited and first not in edited
    second.write_text(edited)
    result = s.build()
    assert s.patched == [PLAN] and not s.regrouped
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert f"{PLAN}/action/1-c" in " ".join(s.graph.res)
    assert not any(f"{PLAN}/action/1-a" in iri for iri in s.graph.res)
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "edited")
    second.write_text(text)  # and back
    result = s.build()
    assert s.patched == [PLAN] and not s.regrouped
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "back")


def test_a_bad_edit_in_a_session_leaves_the_output_and_the_session(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A plan file the importer rejects (an unknown resolution, then malformed YAML, then
    a folder in its place): each raises with the file, leaves the output as it was, and
    the next good edit builds what a fresh build does."""
    second = second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    before = _tree(tmp_path / "dist")
    text = second.read_text()
    second.write_text(text.replace("instrument: unscr-1820", "instrument: unscr-9999", 1))
    with pytest.raises(DataError) as error:
        s.build()
    assert second.name in str(error.value) and "9999" in str(error.value)
    assert _tree(tmp_path / "dist") == before
    second.write_text(text.replace("  - level: objective\n", "  - level: [objective\n", 1))
    with pytest.raises(DataError) as error:
        s.build()
    assert second.name in str(error.value)
    assert _tree(tmp_path / "dist") == before
    second.unlink()  # a folder where the plan file was: the same names, no file to read
    second.mkdir()
    with pytest.raises(DataError) as error:
        s.build()
    assert f"{second.name}: a folder, not a plan file" in str(error.value)
    assert _tree(tmp_path / "dist") == before
    second.rmdir()
    second.write_text(text.replace("Fund women's", "Fund all women's", 1))
    result = s.build()
    assert s.patched == [PLAN] and not s.regrouped
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "full")


def test_a_failed_validation_in_a_session_puts_the_store_back(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store holds the edited plan while it is validated: when validation stops the
    build, the plan of before goes back in, and the next build starts from it."""
    second = second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    result = s.build()
    dump = result.store.dump(format=ox.RdfFormat.N_QUADS)
    before = _tree(tmp_path / "dist")
    text = second.read_text()
    second.write_text(text.replace("Fund women's", "Fund all women's", 1))
    checked = session_module.validate_with_cache

    def failing(*args: object, **kwargs: object) -> object:
        checked(*args, **kwargs)  # type: ignore[arg-type]
        raise ValidationFailed(ValidationReport())

    monkeypatch.setattr(session_module, "validate_with_cache", failing)
    with pytest.raises(ValidationFailed):
        s.build()
    assert _tree(tmp_path / "dist") == before
    assert {str(q) for q in result.store} == {
        str(q) for q in ox.parse(dump, format=ox.RdfFormat.N_QUADS)
    }
    monkeypatch.setattr(session_module, "validate_with_cache", checked)
    again = s.build()
    assert s.patched == [PLAN] and not s.regrouped
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(again.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "full")


def test_a_change_beyond_the_plan_files_makes_a_full_build(
    fixture_copy: Path, tmp_path: Path
) -> None:
    second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    reference = sorted((fixture_copy / "reference").glob("*.yaml"))[0]
    reference.write_text(reference.read_text() + "\n# a comment\n")
    s.build()
    assert s.regrouped and s.patched == []
    # a plan file removed: full again, and the plan's pages gone
    (fixture_copy / "plans" / f"{PLAN}.yaml").unlink()
    s.build()
    assert s.regrouped and not (tmp_path / "dist/site/id/plan" / f"{PLAN}.html").exists()


def test_a_session_stops_when_the_code_changes(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    monkeypatch.setattr(session_module, "code_digest", lambda: "another")
    with pytest.raises(CodeChanged, match="start it again"):
        s.build()


def test_a_session_on_the_real_corpus(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    project = Project(REPO, data_dir=data)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    first = s.build()
    plan = sorted((data / "plans").glob("*.yaml"))[1]
    text = plan.read_text()
    edited = re.sub(r"(?m)^(\s+text: )(['\"]?)", r"\1\2(edited) ", text, count=3)
    assert edited != text
    plan.write_text(edited)
    result = s.build()
    assert len(s.patched) == 1 and not s.regrouped
    assert len(result.store) == len(first.store)
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "full")


# replace_plan on its own, on graphs made by hand


def _iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://example.org/id/{local}")


P = ox.NamedNode("https://example.org/p")
Q = ox.NamedNode("https://example.org/q")


def _parts(
    shared: list[ox.Quad], plans: dict[str, list[ox.Quad]]
) -> list[tuple[str | None, list[ox.Quad]]]:
    return [(None, shared), *sorted(plans.items())]


class _Parts:
    def __init__(self, parts: list[tuple[str | None, list[ox.Quad]]]) -> None:
        self.parts = parts


def _graph_of(parts: list[tuple[str | None, list[ox.Quad]]]) -> tuple[Graph, ox.Store]:
    store = ox.Store()
    for _, quads in parts:
        store.extend(quads)
    return Graph(_Parts(parts), "https://example.org/id/"), store


def _rank(graph: object) -> int:
    if isinstance(graph, ox.NamedNode) and "/graph/" in graph.value:
        return " abc".index(graph.value[-1])
    return 0


def _plan(name: str, *triples: tuple[ox.NamedNode, ox.NamedNode, ox.Term]) -> list[ox.Quad]:
    g = ox.NamedNode(f"https://example.org/graph/{name}")
    return [ox.Quad(s, p, o, g) for s, p, o in triples]


def test_a_replaced_plan_takes_its_place_among_the_referrers() -> None:
    """Plans a, b, c all point at one shared resource with two properties, and c at a
    resource of b: b replaced (gaining a property it did not have, losing a resource)
    gives the graph a fresh grouping of a, new b, c gives, in every order."""
    shared = _plan("shared", (_iri("t"), P, ox.Literal("theme")))
    shared = [ox.Quad(q.subject, q.predicate, q.object) for q in shared]  # default graph
    a = _plan("a", (_iri("plan/a/1"), P, _iri("t")), (_iri("plan/a/1"), Q, _iri("t")))
    b = _plan("b", (_iri("plan/b/1"), P, _iri("t")), (_iri("plan/b/2"), P, _iri("plan/b/1")))
    c = _plan("c", (_iri("plan/c/1"), P, _iri("t")), (_iri("plan/c/1"), Q, _iri("plan/b/1")))
    new_b = _plan(
        "b",
        (_iri("plan/b/1"), Q, _iri("t")),
        (_iri("plan/b/3"), P, _iri("t")),
        (_iri("plan/b/1"), P, _iri("t")),
    )
    graph, store = _graph_of(_parts(shared, {"a": a, "b": b, "c": c}))
    store.remove_graph(ox.NamedNode("https://example.org/graph/b"))
    store.extend(new_b)
    assert replace_plan(graph, "b", b, new_b, store, _rank)
    fresh, _ = _graph_of(_parts(shared, {"a": a, "b": new_b, "c": c}))
    assert _same_graph(graph, fresh) == []
    # b/1 stays (c points at it), b/2 is gone, b/3 comes in b's place
    assert "https://example.org/id/plan/b/2" not in graph.res
    assert graph.res["https://example.org/id/t"].inv[Q.value] == [
        "https://example.org/id/plan/a/1",
        "https://example.org/id/plan/b/1",
    ]


def test_a_plan_that_speaks_of_another_graph_s_resource_is_regrouped() -> None:
    """Where a plan's graph holds a triple about a resource of another graph, replacing
    it in place could not keep the load order: replace_plan says so."""
    shared = [ox.Quad(_iri("t"), P, ox.Literal("theme"))]
    a = _plan("a", (_iri("plan/a/1"), P, _iri("t")), (_iri("t"), Q, ox.Literal("from a")))
    new_a = _plan("a", (_iri("plan/a/1"), P, _iri("t")))
    graph, store = _graph_of(_parts(shared, {"a": a}))
    store.remove_graph(ox.NamedNode("https://example.org/graph/a"))
    store.extend(new_a)
    assert not replace_plan(graph, "a", a, new_a, store, _rank)


def test_wpsgraph_watch_builds_after_each_edit(fixture_copy: Path, tmp_path: Path) -> None:
    """The command: a full build, a good edit replaced in place, a bad edit reported with
    its file while the output stays as it was; exit status 1 as the last build failed."""
    second = second_plan(fixture_copy)
    out = tmp_path / "dist"
    command = [str(Path(sys.executable).parent / "wpsgraph"), "--root", str(REPO), "watch"]
    command += ["--data", str(fixture_copy), "--out", str(out), "--interval", "0.05"]
    command += ["--cache-dir", str(tmp_path / "cache"), "--builds", "3"]
    watch = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert watch.stdout is not None and watch.stderr is not None

    def save(text: str) -> None:
        """As an editor saves: written beside, then put in place at once (the command
        would otherwise see the file half-written, and build twice)."""
        draft = tmp_path / "draft.yaml"
        draft.write_text(text)
        os.replace(draft, second)

    def until_watching() -> list[str]:
        lines = []
        while not (line := watch.stdout.readline()).startswith("watching"):  # type: ignore[union-attr]
            assert line, "".join(lines) + watch.stderr.read()  # type: ignore[union-attr]
            lines.append(line)
        return lines

    try:
        assert any(line.startswith("full build") for line in until_watching())
        # the cache where --cache-dir says (the plans' keys under it), not under ROOT
        assert any((tmp_path / "cache").rglob("*"))
        text = second.read_text()
        save(text.replace("Fund women's", "Fund all women's", 1))
        assert any(f"replaced {PLAN} (in place)" in line for line in until_watching())
        page = out / "site" / "id" / "plan" / PLAN / "action" / "1-b.html"
        assert "Fund all women" in page.read_text()
        before = _tree(out)
        save(text.replace("instrument: unscr-1820", "instrument: unscr-9999", 1))
        assert watch.wait(timeout=120) == 1
    finally:
        watch.kill()
    errors = watch.stderr.read()
    assert f"{PLAN}.yaml" in errors and "unscr-9999" in errors and "previous output" in errors
    assert _tree(out) == before


def test_a_plan_not_replaced_in_place_is_grouped_again(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where replace_plan cannot keep the load order (it returns False, leaving the graph
    half-changed), the session groups the site graph again from every quad: slower, and
    the same output."""
    second = second_plan(fixture_copy)
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()

    def refused(graph: Graph, *args: object) -> bool:
        graph.res.clear()  # as a half-done replacement could leave it
        return False

    monkeypatch.setattr(session_module, "replace_plan", refused)
    second.write_text(second.read_text().replace("Fund women's", "Fund all women's", 1))
    result = s.build()
    assert s.regrouped and s.patched == [PLAN]
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "full")


def test_two_plans_edited_at_once_in_a_session(fixture_copy: Path, tmp_path: Path) -> None:
    """Both plans changed before the next build: both are imported, validated and
    replaced (in place where the store allows it, else by grouping again), and the output
    is what a fresh build writes."""
    second = second_plan(fixture_copy)
    first = fixture_copy / "plans" / "fx-nap-2020.yaml"
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    for plan, (old, new) in (
        (first, PLAN_EDITS["actors of an action"]),
        (second, EDITS["action wording"]),
    ):
        plan.write_text(plan.read_text().replace(old, new, 1))
    result = s.build()
    assert sorted(s.patched) == ["fx-nap-2020", PLAN]
    assert sorted(result.revalidated) == ["fx-nap-2020", PLAN]
    assert s.graph is not None
    assert _same_graph(s.graph, Graph(result.quads(), s.graph.id_base)) == []
    assert _tree(tmp_path / "dist") == _fresh(project, tmp_path, "full")


def test_a_referrer_the_store_no_longer_holds_refuses_the_replacement() -> None:
    """Two plans changed: while the first is replaced in the graph, the store already
    holds the second's new quads. Where placing the first's referrers needs a triple of
    the second's that is gone, replace_plan says it cannot (and the session groups the
    graph again), rather than guess."""
    shared = [ox.Quad(_iri("t"), P, ox.Literal("theme"))]
    a = _plan("a", (_iri("plan/a/1"), Q, _iri("t")))
    b = _plan("b", (_iri("plan/b/1"), P, _iri("t")))
    c = _plan("c", (_iri("plan/c/1"), P, _iri("t")))
    new_a = _plan("a", (_iri("plan/a/1"), Q, _iri("t")), (_iri("plan/a/1"), P, _iri("t")))
    new_c = _plan("c", (_iri("plan/c/2"), P, _iri("t")))
    graph, store = _graph_of(_parts(shared, {"a": a, "b": b, "c": c}))
    for name, quads in (("a", new_a), ("c", new_c)):
        store.remove_graph(ox.NamedNode(f"https://example.org/graph/{name}"))
        store.extend(quads)
    assert not replace_plan(graph, "a", a, new_a, store, _rank)


def test_a_build_with_no_plan_changed_writes_the_same_output(
    fixture_copy: Path, tmp_path: Path
) -> None:
    """A build set off by a file that changed nothing a plan depends on (a file saved
    unchanged, a template edited) imports nothing, and writes the output again."""
    project = Project(REPO, data_dir=fixture_copy)
    s = Session(project, tmp_path / "dist", tmp_path / "cache")
    s.build()
    before = _tree(tmp_path / "dist")
    result = s.build()
    assert s.patched == [] and not s.regrouped
    assert result.revalidated == [] and result.reused == len(result.plans)
    assert _tree(tmp_path / "dist") == before


def test_watch_looks_past_a_file_gone_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's short-lived file (a swap file) may be listed, seen as a file, and gone
    before its time and size are read: here a link to nothing, listed, and taken for a
    file by every test of one. The command goes on; the files that are there are seen."""
    from wpsgraph.cli.watch import _snapshot

    data = tmp_path / "data"
    (data / "plans").mkdir(parents=True)
    (data / "plans" / "a.yaml").write_text("id: a\n")
    (data / "plans" / ".a.yaml.swp").symlink_to(tmp_path / "gone")
    monkeypatch.setattr(Path, "is_file", lambda self: True)
    found = _snapshot(Project(tmp_path / "root", data_dir=data))
    assert list(found) == [str(data / "plans" / "a.yaml")]
