"""Cache: each plan's imported and linked quads, keyed by everything they depend on.

A rebuild after one plan file changed re-imports, re-links and re-validates only that
plan; the others are read back as N-Quads bytes, which the store loads as they are (no
Python object per quad), with their validation results. The key of a
plan covers its own file and everything shared that could change its triples or its
results: the reference data (including the theme rules), the ontology, the shapes and
checks, which source documents are in data/sources/, the base IRI and the code of the
package. A key that misses an input would let the cache go stale, so the shared part
hashes whole folders, not a list of known files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from wpsgraph.reference import Located
from wpsgraph.validate import Severity, ValidationResult


def hash_tree(h: hashlib._Hash, folder: Path, pattern: str = "*") -> None:
    """Add every file under ``folder`` whose name matches ``pattern`` (its path in the
    folder, then its bytes) to ``h``."""
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())


def shared_digest(data: Path, ontology: Path, shapes: Path, base: str) -> str:
    h = hashlib.sha256(base.encode())
    for folder in (data / "reference", ontology, shapes):
        if folder.is_dir():
            hash_tree(h, folder)
    # the importer requires each plan's source document in data/sources/: which documents
    # are there (their names; a plan's triples do not depend on their text)
    sources = data / "sources"
    if sources.is_dir():
        for path in sorted(p for p in sources.rglob("*") if p.is_file()):
            h.update(b"source " + str(path.relative_to(sources)).encode())
    # every module of the package (the site has its own digest, wpsgraph.site.reuse): a
    # list of "the modules that make triples" would go stale the day a module is added
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class CachedPlan:
    plan_id: str
    display: str
    nquads: bytes  # the plan's graph and its links graph, as N-Quads
    located: dict[str, Located]


class PlanCache:
    """A folder ``plans/<plan file name>/`` per plan file, of ``<key>.nq`` + ``.json``
    pairs (and their ``.results.json``).

    A folder per plan file, so that writing a plan's entry looks only at that plan's
    (two at most): in one folder for all, each write listed every plan's entries, and a
    build of N plans spent time growing with N² doing so."""

    def __init__(self, folder: Path, shared: str) -> None:
        self.folder = folder
        self.shared = shared
        (folder / "plans").mkdir(parents=True, exist_ok=True)
        _drop_flat_entries(folder)
        self.hits = 0
        self.misses = 0

    def key(self, plan_file: Path) -> str:
        h = hashlib.sha256(self.shared.encode())
        h.update(plan_file.read_bytes())
        return h.hexdigest()[:32]

    def _entries(self, plan_file: Path) -> Path:
        """The folder of the plan file's entries (named after the file, which cannot
        be ``.`` or ``..`` as a stem could)."""
        return self.folder / "plans" / plan_file.name

    def _paths(self, plan_file: Path, key: str) -> tuple[Path, Path]:
        folder = self._entries(plan_file)
        return folder / f"{key}.nq", folder / f"{key}.json"

    def get(self, plan_file: Path) -> CachedPlan | None:
        """The plan file's entry under its key, if the cache holds it whole: an entry
        that cannot be read (half written when the machine stopped, N-Quads of another
        size than its metadata says, metadata that is not ours) is a miss, which the
        build imports again and puts back."""
        nq, meta = self._paths(plan_file, self.key(plan_file))
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            nquads = nq.read_bytes()
            if len(nquads) != info["size"]:
                raise ValueError(f"{nq}: {len(nquads)} bytes, not {info['size']}")
            located = {k: Located(*v) for k, v in info["located"].items()}
            plan = CachedPlan(str(info["plan_id"]), str(info["display"]), nquads, located)
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        os.utime(nq)  # the entry last used is the one :meth:`put` keeps beside the new
        return plan

    def nquads(self, plan_file: Path, key: str) -> bytes | None:
        """The N-Quads of the plan file's entry under ``key`` (its current one, or the one
        before it, see :meth:`put`), if the cache holds it."""
        try:
            return self._paths(plan_file, key)[0].read_bytes()
        except OSError:
            return None

    def put(self, plan_file: Path, plan: CachedPlan) -> None:
        """Store the plan file's entry under its key, keeping the entry it had before (the
        other one last written or read, by its N-Quads' time) and removing any older: two
        entries per plan file at most, so the cache does not grow without end, and a
        rebuild can still read what the plan was before its change
        (:mod:`wpsgraph.site.contrib`)."""
        key = self.key(plan_file)
        folder = self._entries(plan_file)
        folder.mkdir(exist_ok=True)
        entries: dict[str, list[Path]] = {}
        for path in folder.iterdir():
            entries.setdefault(path.name.split(".", 1)[0], []).append(path)
        entries.pop(key, None)
        used: dict[str, int] = {}  # an entry's key -> when its N-Quads were last used
        for k in entries:
            with contextlib.suppress(OSError):  # no N-Quads (a stray metadata file): removed
                used[k] = self._paths(plan_file, k)[0].stat().st_mtime_ns
        previous = max(used, key=used.__getitem__, default=None)
        for other, paths in entries.items():
            if other != previous:
                for path in paths:
                    path.unlink(missing_ok=True)  # another build may have removed it
        nq, meta = self._paths(plan_file, key)
        replace_file(nq, plan.nquads)
        info = {
            "plan_id": plan.plan_id,
            "display": plan.display,
            "size": len(plan.nquads),
            "located": {k: [v.file, v.line, v.name] for k, v in plan.located.items()},
        }
        replace_file(meta, json.dumps(info).encode())  # last: what makes the entry whole

    # validation results: a plan's (focus nodes that are subjects of its quads), and the
    # shared ones (every other focus: reference data, ontology), under the same keys

    def _results_path(self, plan_file: Path | None) -> Path:
        if plan_file is None:
            return self.folder / f"_shared.{self.shared[:32]}.results.json"
        return self._entries(plan_file) / f"{self.key(plan_file)}.results.json"

    def get_results(self, plan_file: Path | None) -> list[ValidationResult] | None:
        """The cached results of a plan (``None``: the shared ones), if any."""
        path = self._results_path(plan_file)
        try:
            return [
                ValidationResult(Severity(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7])
                for r in json.loads(path.read_text(encoding="utf-8"))
            ]
        except (OSError, ValueError, LookupError, TypeError):
            return None  # none, or not readable: validated again

    def put_results(self, plan_file: Path | None, results: list[ValidationResult]) -> None:
        path = self._results_path(plan_file)
        path.parent.mkdir(exist_ok=True)
        if plan_file is None:
            for old in self.folder.glob("_shared.*.results.json"):
                old.unlink()
        rows = [
            [r.severity.value, r.file, r.line, r.node, r.message, r.focus, r.path, r.shape]
            for r in results
        ]
        replace_file(path, json.dumps(rows, ensure_ascii=False).encode())


def replace_file(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a file of this process's own, renamed over it:
    a reader sees the old file or the new one, never half of one, and two builds writing
    the same entry at once do not write into one temporary file."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


_FLAT_ENTRY = re.compile(
    r"(?!_shared\.).+\.[0-9a-f]{32}\.(?:nq|json|tmp|results\.json|results\.tmp)"
)


def _drop_flat_entries(folder: Path) -> None:
    """Remove the entries a cache of before its folder per plan file kept beside each
    other in ``folder``: no build reads them (their keys covered the code of then)."""
    with os.scandir(folder) as found:
        for entry in found:
            if entry.is_file() and _FLAT_ENTRY.fullmatch(entry.name):
                with contextlib.suppress(FileNotFoundError):  # another build's removal
                    os.unlink(entry.path)
