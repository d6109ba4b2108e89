"""The cache of the dumps' pieces: each graph's piece of each dump (and its gzip member)
under the key of the graph's content, found without being read and copied into a dump by
the kernel (see :mod:`wpsgraph.dumps`).

A piece that stands whole in a dump is not written twice: the cache notes where it lies
in the dump the last build wrote (its offset and size, and the dump's inode, size and
modification time, in ``spans.json``), and a rebuild copies it from there. A piece no
dump holds whole (a shared graph's N-Triples, a plan's lines the merged N-Triples merge
anew) is a file of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from wpsgraph.cache import replace_file

Graph = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class Slice:
    """A span of a file of the cache or of the last dump: copied into a dump by the
    kernel (``copy_file_range``), not read into memory and written out again."""

    path: str
    size: int
    offset: int = 0  # where it starts in its file

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


Placed = list[tuple[int, int]]  # each part's start and size in its file


def write_parts(path: Path, parts: Iterable[Part]) -> Placed:
    """Write ``parts`` one after the other into ``path``; return where each lies."""
    placed = []
    with path.open("wb") as f:
        at = 0
        for part in parts:
            if isinstance(part, Slice):
                part.copy_to(f)
            else:
                f.write(part)
            n = size(part)
            placed.append((at, n))
            at += n
    return placed


DIGEST = 32  # hex digits of a graph's or a key's digest in a piece's file name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST]


SPANS = "spans.json"  # where the pieces lie in the dumps the last build wrote
# the pieces that stand whole in a dump: each graph's TriG, N-Quads and JSON-LD, a plan's
# own lines of the merged N-Triples, and the gzip member of each
SPANNED = frozenset(ext + gz for ext in ("trig", "nq", "jsonld", "nt-own") for gz in ("", ".gz"))


class PieceCache:
    """A folder of ``<graph digest>.<key digest>.<ext>`` files: a graph's piece of one dump
    (or its gzip member), made under that key, for the pieces no dump holds whole; and
    ``spans.json``, where the others lie in the dumps the last build wrote. The folder is
    listed once, so a piece is found without opening its file; one file per graph and
    format, the previous one removed when a piece is put under a new key: the cache does
    not grow."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        # (graph digest, ext) -> key digest of the file there
        self.held: dict[tuple[str, str], str] = {}
        for name in os.listdir(folder):
            if name == SPANS or name.endswith(".tmp"):  # .tmp: a put that did not finish
                continue
            graph, _, rest = name.partition(".")
            key, _, ext = rest.partition(".")
            if len(key) != DIGEST or not ext or ext in SPANNED:
                # a file of another layout, or a piece now found in its dump: not read again
                (folder / name).unlink(missing_ok=True)
            else:
                self.held[graph, ext] = key
        self.dumps = _Spans.read(folder / SPANS)
        # the dumps being written: ext -> (path, {graph digest: (key digest, start, size)})
        self.noted: dict[str, tuple[Path, dict[str, tuple[str, int, int]]]] = {}

    def _path(self, graph: str, key: str, ext: str) -> str:
        return f"{self.folder}/{graph}.{key}.{ext}"

    def find(self, graph: str, key: str, ext: str) -> Slice | None:
        """Where a graph's piece made under ``key`` is, without reading it."""
        g, k = _digest(graph), _digest(key)
        if ext in SPANNED:
            spans = self.dumps.get(ext)
            return None if spans is None else spans.find(g, k)
        if self.held.get((g, ext)) != k:
            return None
        path = self._path(g, k, ext)
        try:
            return Slice(path, os.stat(path).st_size)
        except FileNotFoundError:
            return None

    def put(self, graph: str, key: str, ext: str, data: bytes) -> None:
        g, k = _digest(graph), _digest(key)
        path = self._path(g, k, ext)
        replace_file(path, data)
        before = self.held.get((g, ext))
        self.held[g, ext] = k
        if before is not None and before != k:
            Path(self._path(g, before, ext)).unlink(missing_ok=True)

    def note(self, ext: str, path: Path, spans: Iterable[tuple[str, str, int, int]]) -> None:
        """Where the pieces of the dump ``path`` being written lie: each piece's graph,
        key, start and size. Kept by :meth:`save` once the dump is in place."""
        self.noted[ext] = (path, {_digest(g): (_digest(k), at, n) for g, k, at, n in spans})

    def save(self, written: Path, now: Path) -> None:
        """Keep where the pieces noted lie, the dumps written into the folder ``written``
        having been moved to ``now`` (a rename keeps a file's inode and times)."""
        kept = {}
        for ext, (path, spans) in self.noted.items():
            dump = now / path.relative_to(written)
            kept[ext] = _Spans(str(dump), _identity(dump), spans)
        data = json.dumps({ext: spans.to_json() for ext, spans in kept.items()})
        replace_file(f"{self.folder}/{SPANS}", data.encode())
        self.dumps, self.noted = kept, {}


def _identity(path: Path) -> list[int]:
    """A file's inode, size and modification time: a dump edited or replaced since its
    spans were kept has another, and none of its spans is taken."""
    st = os.stat(path)
    return [st.st_ino, st.st_size, st.st_mtime_ns]


@dataclass
class _Spans:
    """Where each graph's piece lies in one dump: graph digest -> (key digest, start,
    size), valid while the dump has the identity it had when written."""

    path: str
    identity: list[int]
    spans: dict[str, tuple[str, int, int]]
    valid: bool | None = None  # checked once, when a piece is first looked for

    def find(self, graph: str, key: str) -> Slice | None:
        span = self.spans.get(graph)
        if span is None or span[0] != key:
            return None
        if self.valid is None:
            try:
                self.valid = _identity(Path(self.path)) == self.identity
            except OSError:
                self.valid = False
        return Slice(self.path, span[2], span[1]) if self.valid else None

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "identity": self.identity, "spans": self.spans}

    @staticmethod
    def read(path: Path) -> dict[str, _Spans]:
        """The spans kept in ``path`` by ext (none when it is missing or unreadable)."""
        try:
            data = json.loads(path.read_text())
            return {
                ext: _Spans(
                    str(d["path"]),
                    [int(x) for x in d["identity"]],
                    {g: (str(k), int(at), int(n)) for g, (k, at, n) in d["spans"].items()},
                )
                for ext, d in data.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}


class Pieces:
    """A graph's piece of a dump: from the cache when its key is there, else made (and
    put there when the graph has a key)."""

    def __init__(
        self, cache: PieceCache | None, keys: Mapping[str, str], writer: ThreadPoolExecutor
    ) -> None:
        self.cache, self.keys, self.writer = cache, keys, writer
        self.writes: list[Future[None]] = []
        # what the cache held for a graph and format, looked for once (a piece is looked
        # for before the dumps are made and again while they are written)
        self.found: dict[tuple[str, str], Slice | None] = {}

    def _key(self, g: Graph) -> tuple[str, str | None]:
        name = g.value if isinstance(g, ox.NamedNode) else ""
        return name, (self.keys.get(name) if self.cache is not None else None)

    def find(self, g: Graph, ext: str) -> Slice | None:
        name, key = self._key(g)
        if key is None:
            return None
        if (name, ext) not in self.found:
            self.found[name, ext] = self.cache.find(name, key, ext)  # type: ignore[union-attr]
        return self.found[name, ext]

    def cached(self, g: Graph, ext: str) -> bytes | None:
        found = self.find(g, ext)
        return None if found is None else found.read()

    def keep(self, g: Graph, ext: str, data: bytes) -> None:
        """Put a piece in the cache, in the writer's thread (one no dump holds whole: the
        others are found in their dump, see :meth:`note`)."""
        name, key = self._key(g)
        if key is not None:
            self.found.pop((name, ext), None)
            self.writes.append(self.writer.submit(self.cache.put, name, key, ext, data))  # type: ignore[union-attr]

    def note(self, ext: str, path: Path, graphs: Iterable[Graph | None], placed: Placed) -> None:
        """Where the pieces of the dump ``path`` lie: each part's graph (None for a part no
        graph owns) with its start and size."""
        if self.cache is None:
            return
        spans = []
        for g, (at, n) in zip(graphs, placed, strict=True):
            if g is not None:
                name, key = self._key(g)
                if key is not None:
                    spans.append((name, key, at, n))
        self.cache.note(ext, path, spans)

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
        """A piece a dump holds whole: where it lies in the last dump (a :class:`Slice`),
        else made (and found next time in the dump it is written into)."""
        found = self.find(g, ext)
        return found if found is not None else make()


def size(part: Part | None) -> int:
    return 0 if part is None else part.size if isinstance(part, Slice) else len(part)
