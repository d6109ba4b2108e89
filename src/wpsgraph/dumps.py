"""Dumps: the whole graph as TriG, N-Quads, JSON-LD and merged N-Triples, graph by graph.

Each dump is written as a sequence of pieces, one per named graph, that the store
serialises on its own: a TriG block ``<g> { … }``, N-Quads lines, a JSON-LD object
``{"@id": g, "@graph": […]}``. A gzip copy is made of each dump the same way, one gzip
member per piece (a file of several members is one valid gzip stream). With a
:class:`PieceCache`, each graph's pieces and their gzip members are found again under a
key that covers everything the graph's content depends on (a plan's cache key for its
plan and links graphs; the shared digest for reference data, themes and ontology), where
they lie in the dumps the last build wrote: a rebuild after one plan changed serialises
and compresses only that plan's two graphs and copies the others' bytes, and a full
build writes each piece once, into its dump. The merged N-Triples hold every triple
once: a plan's lines about its own resources are one part per plan, found again in the
last ``.nt`` dump, and only the few lines any graph may share with another are merged
anew (:func:`_merged_nt`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from zlib_ng import gzip_ng

from wpsgraph.pieces import Graph, Part, PieceCache, Pieces, Slice, size, write_parts
from wpsgraph.store import DUMP_NAME
from wpsgraph.vocab import PREFIXES, Iris

PIECED = ("trig", "nq", "jsonld")  # written piece by piece; the merged .nt is whole
# gzip level: zlib's default, nearly as small as 9 and several times faster; compressed by
# zlib-ng, which writes the same format 1.1-1.8x as fast as zlib here, and 2 % smaller
LEVEL = 6


def write_dumps(
    store: ox.Store,
    out: Path,
    ids: Iris,
    *,
    compress: bool = True,
    keys: Mapping[str, str] | None = None,
    cache: PieceCache | None = None,
    own: Mapping[str, str] | None = None,
    stores: Mapping[str, ox.Store] | None = None,
) -> list[Path]:
    """Write ``wpsgraph.trig``, ``.nq``, ``.jsonld`` and ``.nt`` (every triple once, graphs
    merged) into ``out``, with a ``.gz`` copy of each when ``compress``; return the dumps'
    paths. ``keys`` maps a graph's IRI to the key of its content; the pieces of a graph
    with a key are taken from ``cache`` when there, and put there when made. ``own`` maps
    a plan's graphs to the plan's IRI (see :func:`_merged_nt`). ``stores`` maps a graph's
    IRI to another store to serialise it from: the store writes a graph's triples in the
    order they were inserted, and a graph whose triples were replaced in ``store`` (by a
    session, :mod:`wpsgraph.session`) in another; loaded alone into a store of its own,
    it is written as a fresh build writes it."""
    out.mkdir(parents=True, exist_ok=True)
    others = stores or {}

    def of(g: Graph) -> ox.Store:
        return others.get(g.value, store) if isinstance(g, ox.NamedNode) else store

    prefixes = {**PREFIXES, "id": ids.id}
    graphs: list[Graph] = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]
    cores = os.cpu_count() or 1
    paths = [out / f"{DUMP_NAME}.{ext}" for ext in PIECED]
    nt_path = out / f"{DUMP_NAME}.nt"
    with (
        ThreadPoolExecutor(cores) as pool,
        ThreadPoolExecutor(cores) as ahead,
        ThreadPoolExecutor(1) as writer,
    ):
        pieces = Pieces(cache, keys or {}, writer)
        # the store serialises without the interpreter lock: the graphs' N-Triples, Turtle
        # and JSON-LD that the cache does not hold are made a few graphs ahead of their
        # use, on every core, while this thread joins the pieces
        shared, groups = _by_owner(graphs, own or {})
        # a plan's graphs' N-Triples are not kept: only its pieces, which are made from
        # them, are read back; so they are made when one of those is not in the cache
        owned = {str(g) for group in groups.values() for g in group}
        wanted = [g for g in shared if pieces.find(g, "nt") is None]
        for first, *rest in groups.values():
            merged_kept = all(pieces.find(first, e) is not None for e in ("nt-own", "nt-rest"))
            for g in (first, *rest):
                if not merged_kept or any(pieces.find(g, e) is None for e in PIECED):
                    wanted.append(g)
        made = {
            ext: _Ahead(
                ahead,
                [(str(g), partial(_dump, of(g), g, kind, prefixes)) for g in order],
            )
            for ext, kind, order in (
                ("nt", "nt", wanted),
                ("trig", "ttl", [g for g in graphs if pieces.find(g, "trig") is None]),
                ("jsonld", "jsonld", [g for g in graphs if pieces.find(g, "jsonld") is None]),
            )
        }
        nts: dict[str, bytes] = {}

        def nt(g: Graph) -> bytes:  # a graph's N-Triples, from the store or the cache
            if str(g) not in nts:
                data = made["nt"].take(str(g))
                if data is None and str(g) in owned:
                    data = _dump(of(g), g, "nt", prefixes)
                elif data is None:
                    data = pieces.get(g, "nt", lambda: _dump(of(g), g, "nt", prefixes))
                elif str(g) not in owned:
                    pieces.keep(g, "nt", data)
                nts[str(g)] = data
            return nts[str(g)]

        def piece(g: Graph, ext: str) -> Part:
            if ext == "nq":  # made from the N-Triples
                return pieces.part(g, ext, lambda: _piece(g, ext, nt(g), b""))
            raw = made[ext].take(str(g))
            if raw is None:  # in the cache: found when the serialisations were planned
                found = pieces.find(g, ext)
                assert found is not None
                return found
            return _piece(g, ext, nt(g), raw)

        merged = _merged_nt(shared, groups, nt, pieces)
        placed = write_parts(nt_path, (data for data, _ in merged))
        pieces.note("nt-own", nt_path, (g for _, g in merged), placed)
        # zlib frees the interpreter lock too: the gzip copies are compressed on every
        # core while the next dumps are made, and written once all are
        copies = [_gzip_copy(nt_path, "nt-own", merged, pieces, pool)] if compress else []
        del merged
        for ext, path in zip(PIECED, paths, strict=True):
            parts: list[tuple[Part, Graph | None]] = [(_HEAD[ext](prefixes), None)]
            for g in graphs:
                data = piece(g, ext)
                if size(data) and ext == "jsonld" and len(parts) > 1:
                    parts.append((b",", None))
                if size(data):
                    parts.append((data, g))
            parts.append((_TAIL[ext], None))
            placed = write_parts(path, (data for data, _ in parts))
            pieces.note(ext, path, (g for _, g in parts), placed)
            if compress:
                copies.append(_gzip_copy(path, ext, parts, pieces, pool))
        for write in copies:
            write()
        pieces.flush()
    return [*paths, nt_path]


class _Ahead:
    """Serialisations started a few ahead of their use, in the order they will be
    taken, so that few are held at a time."""

    def __init__(
        self, pool: ThreadPoolExecutor, jobs: list[tuple[str, Callable[[], bytes]]], window: int = 8
    ) -> None:
        self.pool, self.jobs, self.window = pool, jobs, window
        self.at = {key: i for i, (key, _) in enumerate(jobs)}
        self.started: dict[str, Future[bytes]] = {}
        self.next = 0

    def take(self, key: str) -> bytes | None:
        """The serialisation of ``key`` (None when it is not one of the jobs, or taken)."""
        if key not in self.at:
            return None
        i = self.at.pop(key)
        while self.next < len(self.jobs) and self.next <= i + self.window:
            name, job = self.jobs[self.next]
            self.started[name] = self.pool.submit(job)
            self.next += 1
        return self.started.pop(key).result()


def _by_owner(
    graphs: list[Graph], own: Mapping[str, str]
) -> tuple[list[Graph], dict[str, list[Graph]]]:
    """The graphs no plan owns, and each plan's graphs by the plan's IRI (``own``)."""
    shared: list[Graph] = []
    owner: dict[str, list[Graph]] = {}
    for g in graphs:
        prefix = own.get(g.value) if isinstance(g, ox.NamedNode) else None
        if prefix is None:
            shared.append(g)
        else:
            owner.setdefault(prefix, []).append(g)
    return shared, owner


def _merged_nt(
    shared: list[Graph],
    owner: Mapping[str, list[Graph]],
    nt: Callable[[Graph], bytes],
    pieces: Pieces,
) -> list[tuple[Part, Graph | None]]:
    """The merged N-Triples as parts, every triple once, without a set of every line.

    A graph's lines about the resources it owns (``owner``: each plan's graphs by the
    plan's IRI, whose resources are the plan and every IRI under it) are in no other
    plan's graphs, so they need only be told apart from its sibling's (a plan graph and
    its links graph repeat some triples). They are one part per plan, found again under
    its plan graph in the last dump. The other lines (the ``shared`` graphs', and a plan's
    about its source document) are few: they are merged across all graphs each time."""
    parts: list[tuple[Part, Graph | None]] = []
    others: dict[bytes, None] = {}
    for g in shared:
        others.update(dict.fromkeys(nt(g).splitlines(True)))
    for prefix, group in owner.items():
        first = group[0]
        mine: Part | None = pieces.find(first, "nt-own")
        rest = pieces.cached(first, "nt-rest")
        if mine is None or rest is None:
            # each graph's lines are distinct: only the next graphs' are checked
            lines = nt(first).splitlines(True)
            seen = set(lines)
            for g in group[1:]:
                more = [ln for ln in nt(g).splitlines(True) if ln not in seen]
                seen.update(more)
                lines += more
            marks = (f"<{prefix}>".encode(), f"<{prefix}/".encode())
            own_lines: list[bytes] = []
            rest_lines: list[bytes] = []
            for ln in lines:
                (own_lines if ln.startswith(marks) else rest_lines).append(ln)
            mine, rest = b"".join(own_lines), b"".join(rest_lines)
            pieces.keep(first, "nt-rest", rest)  # "nt-own" is found in the .nt dump
        if size(mine):
            parts.append((mine, first))
        others.update(dict.fromkeys(rest.splitlines(True)))
    parts.append((b"".join(others), None))
    return parts


def _gzip_copy(
    path: Path,
    ext: str,
    parts: list[tuple[Part, Graph | None]],
    pieces: Pieces,
    pool: ThreadPoolExecutor,
) -> Callable[[], None]:
    """The gzip copy of a dump, one member per part: a graph's member from the last dump,
    the others compressed on every core. Returns what writes it, to be called when the
    members are wanted."""
    members: list[Part | Future[bytes]] = []
    graphs = [g for _, g in parts]  # not the parts: their bytes are freed once compressed
    for data, g in parts:
        member = pieces.find(g, ext + ".gz") if g is not None else None
        if member is None:
            raw = data.read() if isinstance(data, Slice) else data
            members.append(pool.submit(_gzip, raw))
        else:
            members.append(member)

    def write() -> None:
        def resolved() -> Iterator[Part]:
            for member in members:
                yield member.result() if isinstance(member, Future) else member

        gz = path.with_name(path.name + ".gz")
        pieces.note(ext + ".gz", gz, graphs, write_parts(gz, resolved()))

    return write


def _gzip(data: bytes) -> bytes:
    return gzip_ng.compress(data, LEVEL, mtime=0)


def _dump(store: ox.Store, g: Graph, ext: str, prefixes: Mapping[str, str]) -> bytes:
    fmt = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
    kw = {"prefixes": dict(prefixes)} if ext == "ttl" else {}
    data = store.dump(format=fmt[ext], from_graph=g, **kw)
    assert data is not None
    return data


def _piece(g: Graph, ext: str, nt: bytes, made: bytes) -> bytes:
    """A graph's piece of the TriG, N-Quads or JSON-LD dump, from its N-Triples ``nt``
    and what the store ``made`` of it: its Turtle for the TriG, its JSON-LD."""
    if not nt:
        return b""
    named = isinstance(g, ox.NamedNode)
    if ext == "nq":
        # N-Triples escape line breaks inside literals, so " .\n" only ends a line
        return nt.replace(b" .\n", f" {g} .\n".encode()) if named else nt
    if ext == "trig":
        # Turtle with the prefixes, whose declarations stand once at the top of the file:
        # the serialiser writes them first, one per line, and nothing after them starts a
        # line with "@prefix" (a literal's line breaks are escaped), so they are cut off
        # without splitting the graph into lines
        body = made[_prefix_lines_end(made) :]
        return f"{g} {{\n".encode() + body + b"}\n" if named else body
    if not named:  # a JSON array of node objects
        return made.strip()[1:-1]  # the default graph's nodes stand in the top array
    return b'{"@id":' + json.dumps(g.value).encode() + b',"@graph":' + made + b"}"


def _prefix_lines_end(turtle: bytes) -> int:
    """Where the ``@prefix`` lines at the start of ``turtle`` end."""
    at = 0
    while turtle.startswith(b"@prefix ", at):
        at = turtle.index(b"\n", at) + 1
    return at


def _trig_head(prefixes: Mapping[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())).encode()


_HEAD: dict[str, Callable[[Mapping[str, str]], bytes]] = {
    "trig": _trig_head,
    "nq": lambda _: b"",
    "jsonld": lambda _: b"[",
}
_TAIL = {"trig": b"", "nq": b"", "jsonld": b"]\n"}
