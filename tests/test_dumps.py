"""Dumps made graph by graph: a rebuild copies unchanged graphs' pieces from the last dumps and
writes the same dataset a full build writes, with gzip copies of several members."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO, second_plan

from wpsgraph import dumps, pieces
from wpsgraph.build import Project, build
from wpsgraph.dumps import _dump, _piece, _trig_head

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

FORMATS = {
    "wpsgraph.trig": ox.RdfFormat.TRIG,
    "wpsgraph.nq": ox.RdfFormat.N_QUADS,
    "wpsgraph.jsonld": ox.RdfFormat.JSON_LD,
    "wpsgraph.nt": ox.RdfFormat.N_TRIPLES,
}


def _dataset(path: Path) -> tuple[set[str], int]:
    """The quads of a dump without blank nodes, and how many quads it has in all."""
    quads = list(ox.parse(path=str(path), format=FORMATS[path.name]))
    ground = {
        str(q)
        for q in quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }
    return ground, len(quads)


def _calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[str, str]]:
    """Each named graph and format that ``dumps._dump`` (the store's serialisation) or
    ``dumps._piece`` (a graph's piece of a dump) is called for from now on."""
    made: list[tuple[str, str]] = []
    function = getattr(dumps, name)

    def counted(*args: object) -> bytes:
        at = next(i for i, a in enumerate(args) if isinstance(a, ox.NamedNode | ox.DefaultGraph))
        g, ext = args[at], args[at + 1]
        if isinstance(g, ox.NamedNode):  # the default graph, empty, has no key: made always
            made.append((g.value, str(ext)))
        return function(*args)  # type: ignore[no-any-return]

    monkeypatch.setattr(dumps, name, counted)
    return made


def test_a_rebuild_writes_the_dumps_of_a_full_build(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = second_plan(fixture_copy)
    project, cache, out = Project(REPO, data_dir=fixture_copy), tmp_path / "cache", tmp_path / "d"
    build(project, out, cache=cache)
    # the pieces a dump holds whole are not written twice: the cache keeps where they lie
    # in the dumps (six graphs: ontology, reference, two plans and their links; a plan's
    # own lines of the merged N-Triples), and files only for the two shared graphs'
    # N-Triples and each plan's lines the merged N-Triples merge anew
    files = sorted(p.name for p in (cache / "dumps").iterdir())
    assert len(files) == 2 + 2 + 1 and "spans.json" in files
    assert sum(name.endswith(".nt") for name in files) == 2
    spans = json.loads((cache / "dumps" / "spans.json").read_text())
    assert sorted(spans) == sorted(pieces.SPANNED)
    assert {len(spans[e]["spans"]) for e in dumps.PIECED} == {6}
    assert len(spans["nt-own"]["spans"]) == 2
    for ext, kept in spans.items():
        assert kept["path"] == str((out / f"wpsgraph.{ext.replace('nt-own', 'nt')}").resolve())
    data = (out / "wpsgraph.trig").read_bytes()
    for _, start, size in spans["trig"]["spans"].values():  # a graph's block, whole
        assert data[start : start + size].endswith(b"}\n") and b" {\n" in data[start:][:size]
    second.write_text(second.read_text().replace("Fund women's", "Fund all women's"))
    stray = cache / "dumps" / f"{'0' * 32}.{'1' * 32}.trig"  # a piece of an older layout
    stray.write_bytes(b"<a> <b> <c> .\n")
    made = _calls(monkeypatch, "_dump")
    build(project, out, cache=cache)
    assert not stray.exists()  # removed: now found in its dump
    # only the edited plan's two graphs were serialised (N-Triples, Turtle, JSON-LD); the
    # others' pieces were copied from the last dumps
    graphs = {g for g, _ in made}
    assert len(graphs) == 2 and all("fx-nap-2021" in g for g in graphs)
    assert len(made) == 2 * 3
    made.clear()
    build(project, tmp_path / "full")  # no cache: every piece made
    assert len({g for g, _ in made}) == 6
    for name in FORMATS:
        mine, theirs = _dataset(out / name), _dataset(tmp_path / "full" / name)
        assert mine == theirs, name
        assert any("Fund all women" in q for q in mine[0])
        data = (out / name).read_bytes()
        assert data == (tmp_path / "full" / name).read_bytes(), name
        assert gzip.decompress((out / "site" / "dumps" / f"{name}.gz").read_bytes()) == data
    # the cache does not grow: the same files, the edited plan's under its new key
    assert len(list((cache / "dumps").iterdir())) == len(files)
    # a gzip copy is one member per piece (and per separator): several in one stream
    assert (out / "wpsgraph.trig.gz").read_bytes().count(b"\x1f\x8b\x08") > 1


def test_a_dump_changed_since_the_last_build_is_not_copied_from(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pieces are copied from the last dumps only while each is the file that build
    wrote: one edited, replaced or removed since has its graphs serialised anew."""
    second_plan(fixture_copy)
    project, cache, out = Project(REPO, data_dir=fixture_copy), tmp_path / "cache", tmp_path / "d"
    build(project, out, cache=cache)
    trig = out / "wpsgraph.trig"
    trig.write_bytes(trig.read_bytes().replace(b"Fund women", b"Fund no women"))
    assert b"Fund no women" in trig.read_bytes()  # edited: the rebuild must not copy it
    (out / "wpsgraph.jsonld").unlink()
    made = _calls(monkeypatch, "_piece")
    build(project, out, cache=cache)
    graphs = {g for g, _ in made}  # every graph's TriG and JSON-LD; the N-Quads copied
    assert len(graphs) == 6
    assert sorted(made) == sorted((g, e) for g in graphs for e in ("jsonld", "trig"))
    build(project, tmp_path / "full")
    for name in FORMATS:
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert b"Fund no women" not in trig.read_bytes()
    # a cache whose spans cannot be read is a cache without them
    (cache / "dumps" / "spans.json").write_text("{not json")
    made.clear()
    build(project, out, cache=cache)
    assert len(made) == 6 * 3
    assert (out / "wpsgraph.nq").read_bytes() == (tmp_path / "full" / "wpsgraph.nq").read_bytes()


def test_two_builds_of_the_same_data_write_the_same_bytes(tmp_path: Path) -> None:
    """The ontology's blank nodes are named in the order they appear, not at random, so
    two builds of the same data write the same dumps, gzip copies and dataset
    descriptions (whose ``byteSize`` is the dumps')."""
    project = Project(REPO, data_dir=REPO / "tests" / "fixtures" / "data")
    first, second = tmp_path / "a", tmp_path / "b"
    build(project, first)
    build(project, second)
    names = [*FORMATS, *(f"site/dumps/{name}.gz" for name in FORMATS)]
    names += ["site/void.ttl", "site/dcat.ttl"]
    blank = 0
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes(), name
        blank += data.count(b"_:")
    assert blank > 0  # the dumps do hold blank nodes (the ontology's)


def test_a_graphs_trig_piece_keeps_every_line_but_the_prefixes() -> None:
    """The TriG piece drops the prefix lines the Turtle serialiser writes first, and
    nothing else: a literal whose text has a line starting with "@prefix" stays whole."""
    g = ox.NamedNode("https://example.org/g")
    text = 'one\n@prefix ex: <https://example.org/> .\ntwo "quoted"'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), RDFS_LABEL, ox.Literal(text), g))
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), RDFS_LABEL, ox.Literal("x"), g))
    prefixes = {"ex": "https://example.org/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    made = _dump(store, g, "ttl", prefixes)
    assert made.startswith(b"@prefix ")
    piece = _piece(g, "trig", _dump(store, g, "nt", prefixes), made)
    assert b"@prefix" not in piece.split(b"\n", 1)[0]
    assert piece.startswith(b"<https://example.org/g> {\n") and piece.endswith(b"}\n")
    # read back under the declarations the TriG dump puts at its top: the same quads
    trig = _trig_head(prefixes) + piece
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == set(store)
