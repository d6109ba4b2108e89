"""Store: the embedded pyoxigraph store, its loading, and the dumps.

>>> store = open_store()
>>> len(store)
0
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from wpsgraph.errors import WpsgraphError
from wpsgraph.vocab import PREFIXES

DUMP_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DUMP_NAME = "wpsgraph"


def open_store(*, dump: Path | None = None, directory: Path | None = None) -> ox.Store:
    """An embedded store: in memory and empty by default; in memory and loaded from a
    dataset ``dump`` (TriG or N-Quads); or on disk in ``directory``."""
    if dump is not None and directory is not None:
        raise WpsgraphError("give a dump or a directory, not both")
    if directory is not None:
        return ox.Store(str(directory))
    store = ox.Store()
    if dump is not None:
        if not dump.is_file():
            raise WpsgraphError(f"{dump}: no such dump; run 'wpsgraph build' first")
        fmt = ox.RdfFormat.from_extension(dump.suffix.lstrip("."))
        if fmt is None or not fmt.supports_datasets:
            raise WpsgraphError(f"{dump}: a dump must be TriG or N-Quads")
        store.bulk_load(path=str(dump), format=fmt)
    return store


def load_turtle_quads(path: Path, graph: ox.NamedNode) -> list[ox.Quad]:
    """Parse a Turtle file (or every ``*.ttl`` in a folder) into one named graph.

    The parser names blank nodes at random; they are named again in the order they
    first appear (``b0``, ``b1`` …, after the graph's last path segment), so that the
    same files give the same quads, and the dumps the same bytes, in every build."""
    files = sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    stem = "".join(c for c in graph.value.rsplit("/", 1)[-1] if c.isalnum()) or "g"
    names: dict[str, ox.BlankNode] = {}

    def named(term: Any) -> Any:
        if not isinstance(term, ox.BlankNode):
            return term
        if term.value not in names:
            names[term.value] = ox.BlankNode(f"{stem}b{len(names)}")
        return names[term.value]

    quads: list[ox.Quad] = []
    for f in files:
        try:
            parsed = ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)
            quads.extend(
                ox.Quad(named(q.subject), q.predicate, named(q.object), graph) for q in parsed
            )
        except SyntaxError as exc:
            raise WpsgraphError(f"{f}: not valid Turtle: {exc}") from exc
    return quads


def fill(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Load quads in bulk."""
    store.bulk_extend(quads)


def export(store: ox.Store, fmt: str) -> bytes:
    """Serialise the whole store in one of :data:`DUMP_FORMATS` (``ttl``/``nt`` merge graphs)."""
    if fmt not in DUMP_FORMATS:
        raise WpsgraphError(f"unknown format '{fmt}'; use one of {', '.join(DUMP_FORMATS)}")
    rdf_format = DUMP_FORMATS[fmt]
    if rdf_format.supports_datasets:
        kw = {"prefixes": PREFIXES} if fmt != "nq" else {}
        data = store.dump(format=rdf_format, **kw)
    else:
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store}, key=str)
        kw = {"prefixes": PREFIXES} if fmt == "ttl" else {}
        data = ox.serialize(triples, format=rdf_format, **kw)
    assert data is not None
    return data
