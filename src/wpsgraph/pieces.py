"""The cache of the dumps' pieces: each graph's piece of each dump (and its gzip member)
in a file of its own under the key of the graph's content, found without being read and
copied into a dump by the kernel (see :mod:`wpsgraph.dumps`)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

Graph = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class Slice:
    """A file of the cache, whole: copied into a dump by the kernel (``copy_file_range``),
    not read into memory and written out again."""

    path: str
    size: int

    def read(self) -> bytes:
        with open(self.path, "rb") as f:
            return f.read(self.size)

    def copy_to(self, out: BinaryIO) -> None:
        out.flush()
        done = 0
        with open(self.path, "rb") as f:
            try:
                while done < self.size:
                    n = os.copy_file_range(f.fileno(), out.fileno(), self.size - done, done)
                    if n == 0:
                        break
                    done += n
            except (AttributeError, OSError):  # not on this platform or file system
                pass
            if done < self.size:
                f.seek(done)
                out.write(f.read(self.size - done))


Part = bytes | Slice


def write_parts(path: Path, parts: Iterable[Part]) -> None:
    with path.open("wb") as f:
        for part in parts:
            if isinstance(part, Slice):
                part.copy_to(f)
            else:
                f.write(part)


DIGEST = 32  # hex digits of a graph's or a key's digest in a piece's file name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST]


class PieceCache:
    """A folder of ``<graph digest>.<key digest>.<ext>`` files: a graph's piece of one dump
    (or its gzip member), made under that key. The folder is listed once, so a piece is
    found without opening its file; one file per graph and format, the previous one
    removed when a piece is put under a new key: the cache does not grow."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        # (graph digest, ext) -> key digest of the file there
        self.held: dict[tuple[str, str], str] = {}
        for name in os.listdir(folder):
            graph, _, rest = name.partition(".")
            key, _, ext = rest.partition(".")
            if name.endswith(".tmp"):
                continue  # a put that did not finish
            if len(key) != DIGEST or not ext:  # a file of another layout: not found again
                (folder / name).unlink(missing_ok=True)
            else:
                self.held[graph, ext] = key

    def _path(self, graph: str, key: str, ext: str) -> str:
        return f"{self.folder}/{graph}.{key}.{ext}"

    def find(self, graph: str, key: str, ext: str) -> Slice | None:
        """Where a graph's piece made under ``key`` is, without reading it."""
        g, k = _digest(graph), _digest(key)
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
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        before = self.held.get((g, ext))
        self.held[g, ext] = k
        if before is not None and before != k:
            Path(self._path(g, before, ext)).unlink(missing_ok=True)


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
        """Put a piece in the cache, in the writer's thread."""
        name, key = self._key(g)
        if key is not None:
            self.found.pop((name, ext), None)
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


def size(part: Part | None) -> int:
    return 0 if part is None else part.size if isinstance(part, Slice) else len(part)
