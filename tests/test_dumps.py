"""Dumps made graph by graph: a rebuild takes unchanged graphs' pieces from the cache and
writes the same dataset a full build writes, with gzip copies of several members."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
from conftest import REPO, second_plan

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


def test_a_rebuild_writes_the_dumps_of_a_full_build(fixture_copy: Path, tmp_path: Path) -> None:
    second = second_plan(fixture_copy)
    project, cache, out = Project(REPO, data_dir=fixture_copy), tmp_path / "cache", tmp_path / "d"
    build(project, out, cache=cache)
    pieces = {p.name: p.stat().st_ino for p in (cache / "dumps").iterdir()}
    # six graphs (ontology, reference, two plans and their links), each with three pieces
    # (TriG, N-Quads, JSON-LD) and their gzip members, and the shared two with their
    # N-Triples (a plan's are only read to make its pieces); and each plan's part of the
    # merged N-Triples (its own lines, with a gzip member, and the others)
    assert len(pieces) == 6 * 6 + 2 + 2 * 3
    assert sum(name.endswith(".nt") for name in pieces) == 2
    second.write_text(second.read_text().replace("Fund women's", "Fund all women's"))
    stray = cache / "dumps" / f"{'0' * 32}.trig"  # a piece of an older layout, key inside
    stray.write_bytes(b"key\n<a> <b> <c> .\n")
    build(project, out, cache=cache)
    assert not stray.exists()  # removed: never found again
    build(project, tmp_path / "full")  # no cache: every piece made
    for name in FORMATS:
        mine, theirs = _dataset(out / name), _dataset(tmp_path / "full" / name)
        assert mine == theirs, name
        assert any("Fund all women" in q for q in mine[0])
        data = (out / name).read_bytes()
        assert gzip.decompress((out / "site" / "dumps" / f"{name}.gz").read_bytes()) == data
    # the unchanged plan's and the shared graphs' pieces were kept, the edited plan's made
    # anew under its new key (one file per graph and format, the previous one removed:
    # the cache does not grow)
    after = {p.name: p.stat().st_ino for p in (cache / "dumps").iterdir()}
    assert len(after) == len(pieces)
    made = [name for name in after if after[name] != pieces.get(name)]
    assert len(made) == 2 * 6 + 3  # the edited plan's two graphs and its merged part
    assert len(pieces.keys() - after.keys()) == len(made)  # theirs under the old key
    # a gzip copy is one member per piece (and per separator): several in one stream
    assert (out / "wpsgraph.trig.gz").read_bytes().count(b"\x1f\x8b\x08") > 1


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
