"""Dumps: the whole graph as TriG, N-Quads, JSON-LD and merged N-Triples, graph by graph.

Each dump is written as a sequence of pieces, one per named graph, that the store
serialises on its own: a TriG block ``<g> { … }``, N-Quads lines, a JSON-LD object
``{"@id": g, "@graph": […]}``. A gzip copy is made of each dump the same way, one gzip
member per piece (a file of several members is one valid gzip stream). With a
:class:`PieceCache`, a graph's pieces and their gzip members are kept under a key that
covers everything the graph's content depends on (a plan's cache key for its plan and
links graphs; the shared digest for reference data, themes and ontology), so a rebuild
after one plan changed serialises and compresses only that plan's two graphs and copies
the others' bytes. The merged N-Triples hold every triple once: a plan's lines about its
own resources are cached as one part per plan, and only the few lines any graph may
share with another are merged anew (:func:`_merged_nt`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from wpsgraph.store import DUMP_NAME
from wpsgraph.vocab import PREFIXES, Iris

PIECED = ("trig", "nq", "jsonld")  # written piece by piece; the merged .nt is whole
LEVEL = 6  # gzip level: zlib's default, nearly as small as 9 and several times faster
Graph = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class Slice:
    """Bytes kept in a file of the cache (after its key line): copied into a dump by the
    kernel (``copy_file_range``), not read into memory and written out again."""

    path: str
    offset: int
    size: int

    def read(self) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            return f.read(self.size)

    def copy_to(self, out: BinaryIO) -> None:
        out.flush()
        done = 0
        with open(self.path, "rb") as f:
            try:
                while done < self.size:
                    n = os.copy_file_range(
                        f.fileno(), out.fileno(), self.size - done, self.offset + done
                    )
                    if n == 0:
                        break
                    done += n
            except (AttributeError, OSError):  # not on this platform or file system
                pass
            if done < self.size:
                f.seek(self.offset + done)
                out.write(f.read(self.size - done))


Part = bytes | Slice


def _write_parts(path: Path, parts: Iterable[Part]) -> None:
    with path.open("wb") as f:
        for part in parts:
            if isinstance(part, Slice):
                part.copy_to(f)
            else:
                f.write(part)


class PieceCache:
    """A folder of ``<graph digest>.<ext>`` files: a graph's piece of one dump (or its gzip
    member), after a first line with the key it was made under. One file per graph and
    format, overwritten when the key changes: the cache does not grow."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.hits = 0

    def _path(self, graph: str, ext: str) -> Path:
        return self.folder / f"{hashlib.sha256(graph.encode()).hexdigest()[:32]}.{ext}"

    def find(self, graph: str, key: str, ext: str) -> Slice | None:
        """Where a graph's piece made under ``key`` is, without reading it."""
        path = self._path(graph, ext)
        try:
            with path.open("rb") as f:
                first = f.readline()
                size = os.fstat(f.fileno()).st_size
        except FileNotFoundError:
            return None
        if first != key.encode() + b"\n":
            return None
        self.hits += 1
        return Slice(str(path), len(first), size - len(first))

    def put(self, graph: str, key: str, ext: str, data: bytes) -> None:
        path = self._path(graph, ext)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            f.write(key.encode() + b"\n")
            f.write(data)
        tmp.replace(path)


def write_dumps(
    store: ox.Store,
    out: Path,
    ids: Iris,
    *,
    compress: bool = True,
    keys: Mapping[str, str] | None = None,
    cache: PieceCache | None = None,
    own: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write ``wpsgraph.trig``, ``.nq``, ``.jsonld`` and ``.nt`` (every triple once, graphs
    merged) into ``out``, with a ``.gz`` copy of each when ``compress``; return the dumps'
    paths. ``keys`` maps a graph's IRI to the key of its content; the pieces of a graph
    with a key are taken from ``cache`` when there, and put there when made. ``own`` maps
    a plan's graphs to the plan's IRI (see :func:`_merged_nt`)."""
    out.mkdir(parents=True, exist_ok=True)
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
        pieces = _Pieces(cache, keys or {}, writer)
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
                [(str(g), partial(_dump, store, g, kind, prefixes)) for g in order],
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
                    data = _dump(store, g, "nt", prefixes)
                elif data is None:
                    data = pieces.get(g, "nt", lambda: _dump(store, g, "nt", prefixes))
                elif str(g) not in owned:
                    pieces.keep(g, "nt", data)
                nts[str(g)] = data
            return nts[str(g)]

        def piece(g: Graph, ext: str) -> Part:
            raw = made[ext].take(str(g)) if ext in made else None
            if raw is None:  # in the cache, or the N-Quads (made from the N-Triples)
                kind = {"trig": "ttl", "jsonld": "jsonld"}.get(ext)

                def make() -> bytes:
                    return _piece(g, ext, nt(g), _dump(store, g, kind, prefixes) if kind else b"")

                return pieces.part(g, ext, make)
            data = _piece(g, ext, nt(g), raw)
            pieces.keep(g, ext, data)
            return data

        merged = _merged_nt(shared, groups, nt, pieces)
        _write_parts(nt_path, (data for data, _ in merged))
        # zlib frees the interpreter lock too: the gzip copies are compressed on every
        # core while the next dumps are made, and written once all are
        copies = [_gzip_copy(nt_path, "nt-own", merged, pieces, pool)] if compress else []
        del merged
        for ext, path in zip(PIECED, paths, strict=True):
            parts: list[tuple[Part, Graph | None]] = [(_HEAD[ext](prefixes), None)]
            for g in graphs:
                data = piece(g, ext)
                if _size(data) and ext == "jsonld" and len(parts) > 1:
                    parts.append((b",", None))
                if _size(data):
                    parts.append((data, g))
            parts.append((_TAIL[ext], None))
            _write_parts(path, (data for data, _ in parts))
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
    pieces: _Pieces,
) -> list[tuple[Part, Graph | None]]:
    """The merged N-Triples as parts, every triple once, without a set of every line.

    A graph's lines about the resources it owns (``owner``: each plan's graphs by the
    plan's IRI, whose resources are the plan and every IRI under it) are in no other
    plan's graphs, so they need only be told apart from its sibling's (a plan graph and
    its links graph repeat some triples). They are cached as one part per plan, under
    its plan graph. The other lines (the ``shared`` graphs', and a plan's about its
    source document) are few: they are merged across all graphs each time."""
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
            pieces.keep(first, "nt-own", mine)
            pieces.keep(first, "nt-rest", rest)
        if _size(mine):
            parts.append((mine, first))
        others.update(dict.fromkeys(rest.splitlines(True)))
    parts.append((b"".join(others), None))
    return parts


class _Pieces:
    """A graph's piece of a dump: from the cache when its key is there, else made (and
    put there when the graph has a key)."""

    def __init__(
        self, cache: PieceCache | None, keys: Mapping[str, str], writer: ThreadPoolExecutor
    ) -> None:
        self.cache, self.keys, self.writer = cache, keys, writer
        self.writes: list[Future[None]] = []

    def _key(self, g: Graph) -> tuple[str, str | None]:
        name = g.value if isinstance(g, ox.NamedNode) else ""
        return name, (self.keys.get(name) if self.cache is not None else None)

    def find(self, g: Graph, ext: str) -> Slice | None:
        name, key = self._key(g)
        return None if key is None else self.cache.find(name, key, ext)  # type: ignore[union-attr]

    def cached(self, g: Graph, ext: str) -> bytes | None:
        found = self.find(g, ext)
        return None if found is None else found.read()

    def keep(self, g: Graph, ext: str, data: bytes) -> None:
        """Put a piece in the cache, in the writer's thread."""
        name, key = self._key(g)
        if key is not None:
            self.writes.append(self.writer.submit(self.cache.put, name, key, ext, data))  # type: ignore[union-attr]

    def flush(self) -> None:
        """Wait for the pieces put in the cache; raise the first error."""
        for done in self.writes:
            done.result()
        self.writes.clear()

    def get(self, g: Graph, ext: str, make: Callable[[], bytes]) -> bytes:
        data = self.cached(g, ext)
        if data is None:
            data = make()
            self.keep(g, ext, data)
        return data

    def part(self, g: Graph, ext: str, make: Callable[[], bytes]) -> Part:
        """As :meth:`get`, but a cached piece stays in its file (a :class:`Slice`)."""
        found = self.find(g, ext)
        return found if found is not None else self.get(g, ext, make)


def _gzip_copy(
    path: Path,
    ext: str,
    parts: list[tuple[Part, Graph | None]],
    pieces: _Pieces,
    pool: ThreadPoolExecutor,
) -> Callable[[], None]:
    """The gzip copy of a dump, one member per part: a graph's member from the cache, the
    others compressed on every core (and a graph's put in the cache). Returns what writes
    it, to be called when the members are wanted."""
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
        with path.with_name(path.name + ".gz").open("wb") as f:
            for g, member in zip(graphs, members, strict=True):
                if isinstance(member, Future):
                    member = member.result()
                    if g is not None:
                        pieces.keep(g, ext + ".gz", member)
                if isinstance(member, Slice):
                    member.copy_to(f)
                else:
                    f.write(member)

    return write


def _size(part: Part | None) -> int:
    return 0 if part is None else part.size if isinstance(part, Slice) else len(part)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, LEVEL, mtime=0)


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
        # Turtle with the prefixes, whose declarations stand once at the top of the file
        lines = made.splitlines(keepends=True)
        body = b"".join(ln for ln in lines if not ln.startswith(b"@prefix "))
        return f"{g} {{\n".encode() + body + b"}\n" if named else body
    if not named:  # a JSON array of node objects
        return made.strip()[1:-1]  # the default graph's nodes stand in the top array
    return b'{"@id":' + json.dumps(g.value).encode() + b',"@graph":' + made + b"}"


def _trig_head(prefixes: Mapping[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())).encode()


_HEAD: dict[str, Callable[[Mapping[str, str]], bytes]] = {
    "trig": _trig_head,
    "nq": lambda _: b"",
    "jsonld": lambda _: b"[",
}
_TAIL = {"trig": b"", "nq": b"", "jsonld": b"]\n"}
