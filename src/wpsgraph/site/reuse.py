"""Incremental site: the pages of an unchanged plan are taken from the previous build.

A page under ``id/plan/<plan>/…`` (objectives, actions, indicators, statements, links and
references of one plan) shows that plan's triples, the labels of reference data (actors,
instruments, themes, countries) and that plan's validation results; nothing from another
plan. So its four files (``.html``, ``.ttl``, ``.jsonld``, ``.nt``) are the same as last
time when none of these changed: the plan file and everything shared (the plan's cache
key), the site's templates, static files and code, and where the plan file is. That
digest is recorded per plan in ``<out>/.wpsgraph-site.json``; when it matches, the plan's
folder of pages is moved from the previous ``<out>/site`` into the new one in one rename
(if it holds exactly the files expected), and moved back if the build fails, so a failed
build still leaves the previous site as it was. (A build killed outright in between
cannot move it back: the previous site lacks that plan's pages until the next build,
which finds the folder missing and renders them.)
The plan's own page (``id/plan/<plan>``) is hard-linked, with its coverage chart
(``compare/plan/<plan>.svg`` and ``.csv``): nothing outside a plan's graph points at
the plan, and the chart counts only its own actions.

A page outside the plans' folders (an actor, a country, a theme, an instrument, a source
document …) shows its resource's triples, the nodes that point at it, and what those say;
so it shows something of a plan only when one of the plan's nodes points at it or is
pointed at by it. The manifest records the shared pages each plan shows on, each plan's
cache key, and a digest of each shared page's validation warnings. When the shared
digest (reference data, ontology, templates, site code, the set of plans) is unchanged,
a shared page is hard-linked from the previous site unless its warnings changed or a
plan that changed shows something else on it than it did: what the plan shows on each
page is worked out as a digest, before and after the change, from the plan's N-Quads
of then (the cache keeps a plan's entry before its last change) and of now, each with
the shared data alone (:func:`wpsgraph.site.contrib.plan_digests`). Without the plan's
N-Quads of then, every page it shows on now or showed on then is rendered.
A resolution page also charts every plan's actions linked to it: it is taken only when,
besides, the chart this build draws has the bytes of the previous site's. The ontology's
page and diagram are taken whenever the shared digest is unchanged. The indexes,
comparisons and query pages are rendered every time (a query's downloads are taken while
its text and results are unchanged and the shared digest, which covers the code that
writes them, too: :func:`wpsgraph.site.library.write_downloads`). The
search index takes the rows of the plans whose pages were taken from the previous site's
index, and makes the others.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wpsgraph.site.render import Folders

if TYPE_CHECKING:
    from wpsgraph.site.contrib import Shown

MANIFEST = ".wpsgraph-site.json"
EXTENSIONS = (".html", ".ttl", ".jsonld", ".nt")


def site_code_digest(templates: Path, static: Path) -> str:
    """What every page depends on besides the data: templates, static files, site code."""
    h = hashlib.sha256()
    package = Path(__file__).parent
    for folder in (templates, static, package):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix == ".pyc":
                continue
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _differing(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The pages whose digest differs between two records (or that only one has)."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def plan_of_path(path: str) -> str | None:
    """The plan whose own part of the site ``path`` is in (its page or below), if any.

    >>> plan_of_path("id/plan/be-nap-2017/action/19-c"), plan_of_path("id/plan/be-nap-2017")
    ('be-nap-2017', 'be-nap-2017')
    >>> plan_of_path("id/actor/be-defence"), plan_of_path("id/plan")
    (None, None)
    """
    parts = path.split("/", 4)
    if len(parts) > 2 and parts[0] == "id" and parts[1] == "plan":
        return parts[2]
    return None


def link_files(
    previous: Path, out: Path, paths: list[str], ready: Callable[[str], str] = str
) -> bool:
    """Hard-link ``paths`` (relative) from the folder ``previous`` into ``out``: all of
    them, or none and False when one is missing there. ``ready`` makes a file's folder."""
    made = []
    try:
        for path in paths:
            dest = ready(f"{out}/{path}")
            os.link(f"{previous}/{path}", dest)
            made.append(dest)
    except OSError:
        for dest in made:
            os.unlink(dest)
        return False
    return True


def chart_files(path: str) -> list[str]:
    """The files beside a plan's own page that are taken with it: its coverage chart.

    >>> chart_files("id/plan/be-nap-2017"), chart_files("id/plan/be-nap-2017/action/19-c")
    (['compare/plan/be-nap-2017.svg', 'compare/plan/be-nap-2017.csv'], [])
    """
    parts = path.split("/")
    if len(parts) == 3 and parts[:2] == ["id", "plan"]:
        return [f"compare/plan/{parts[2]}.svg", f"compare/plan/{parts[2]}.csv"]
    return []


@dataclass
class SiteReuse:
    """Which plans' pages the previous build can give, and what this build records."""

    previous: Path  # the previous site folder
    old: dict[str, str]  # plan id -> digest of its pages in the previous build
    new: dict[str, str]  # plan id -> digest of its pages in this build
    linked: int = 0  # files taken from the previous build
    plans: set[str] = field(default_factory=set)  # plans whose pages were taken
    moved: list[tuple[str, str]] = field(default_factory=list)  # (from, to), for restore
    shared_old: str = ""  # what every shared page depends on, in the previous build
    shared_new: str = ""  # and in this one
    # plan -> the shared pages it shows on
    mentions_old: dict[str, list[str]] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)
    keys_old: dict[str, str] = field(default_factory=dict)  # plan -> its cache key then
    keys_new: dict[str, str] = field(default_factory=dict)  # and now
    # shared page -> a digest of its validation warnings
    warnings_old: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    touched: set[str] | None = None  # shared pages that may have changed (None: any)
    shared_taken: int = 0  # shared pages taken from the previous build
    # the files in each reusable plan's previous folder, by folder, counted in a thread
    counted: Future[dict[str, int]] | None = None

    @classmethod
    def load(
        cls, out: Path, plan_keys: dict[str, str], code: str, shared_key: str = ""
    ) -> SiteReuse:
        """From the previous build in ``out`` (if any) and this build's plan keys."""
        new = {
            pid: hashlib.sha256(f"{key} {code}".encode()).hexdigest()
            for pid, key in plan_keys.items()
        }
        shared = f"{shared_key} {code} {' '.join(sorted(plan_keys))}"
        try:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if not isinstance(manifest, dict):
            manifest = {}
        old, mentions = manifest.get("plans"), manifest.get("mentions")
        keys, warnings = manifest.get("keys"), manifest.get("warnings")
        return cls(
            out / "site",
            old if isinstance(old, dict) else {},
            new,
            shared_old=str(manifest.get("shared", "")) if shared_key else "",
            shared_new=hashlib.sha256(shared.encode()).hexdigest() if shared_key else "",
            mentions_old={
                pid: sorted(pages)  # an older manifest's digests by page: their pages
                for pid, pages in (mentions.items() if isinstance(mentions, dict) else ())
                if isinstance(pages, (dict, list))
            },
            keys_old=keys if isinstance(keys, dict) else {},
            keys_new={pid: key.split(" ", 1)[0] for pid, key in plan_keys.items()},
            warnings_old=warnings if isinstance(warnings, dict) else {},
        )

    def reusable(self, plan_id: str | None) -> bool:
        return (
            plan_id is not None
            and plan_id in self.new
            and self.old.get(plan_id) == self.new[plan_id]
        )

    def changed(self) -> list[str]:
        """The plans whose pages are not taken (their plan file or its place changed)."""
        return sorted(pid for pid in self.new if not self.reusable(pid))

    def shared_same(self) -> bool:
        """Whether everything the shared pages depend on besides the plans is as in the
        previous build (reference data, ontology, shapes, site code, the set of plans)."""
        return bool(self.shared_new) and self.shared_old == self.shared_new

    def note_mentions(
        self,
        shown: Shown,
        warnings: dict[str, str],
        shows: Callable[[str, str], tuple[dict[str, str], dict[str, str]] | None],
    ) -> None:
        """Record the shared pages each plan shows on (``shown``) and the digests of the
        shared pages' ``warnings``, and work out which shared pages may have changed:
        those whose warnings changed, and for each changed plan, those where it shows
        something else than it did. ``shows(plan, key then)`` gives what the plan showed
        on each page then and shows now, as digests by page (None when what it showed
        then is not known: then every page it shows on now or showed on then)."""
        self.mentions = {pid: sorted(shown.pages.get(pid, ())) for pid in self.new}
        self.warnings = warnings
        self.touched = None
        if not self.shared_same():
            return
        touched = _differing(self.warnings_old, warnings)
        for pid in self.changed():
            if pid not in self.mentions_old:
                return  # what it showed last time is not known: any page may differ
            key = self.keys_old.get(pid)
            found = shows(pid, key) if isinstance(key, str) else None
            if found is None:
                touched.update(self.mentions_old[pid], self.mentions[pid])
            else:
                touched.update(_differing(*found))
        self.touched = touched

    def shared_reusable(self, path: str) -> bool:
        return self.touched is not None and path not in self.touched

    def take(self, path: str, out: Path, folders: Folders) -> bool:
        """Hard-link the resource's files from the previous site; False if any is
        missing (the caller renders it instead). Plain strings, not Path objects: this
        runs for nearly every file of a large site."""
        extras = [e for e in chart_files(path) if os.path.exists(f"{self.previous}/{e}")]
        return self.take_files([path + ext for ext in EXTENSIONS] + extras, out, folders)

    def take_files(self, paths: list[str], out: Path, folders: Folders) -> bool:
        """Hard-link ``paths`` (relative to the site) from the previous site: all of
        them, or none and False when one is missing."""
        if not link_files(self.previous, out, paths, folders.ready):
            return False
        self.linked += len(paths)
        return True

    def holds(self, files: dict[str, bytes]) -> bool:
        """Whether the previous site has each of ``files`` (by path) with these bytes."""
        for path, data in files.items():
            try:
                with open(f"{self.previous}/{path}", "rb") as f:
                    if f.read() != data:
                        return False
            except OSError:
                return False
        return True

    def count_ahead(self) -> None:
        """Count the files in the previous folder of every plan whose pages may be taken,
        in a thread: the count is nearly all system calls, which take no interpreter lock,
        so it is done beside the dumps and the site's first steps (0.6 s at 1M triples)
        and :meth:`move` finds it made."""
        folders = [f"id/plan/{pid}" for pid in self.new if self.reusable(pid)]
        previous = self.previous
        pool = ThreadPoolExecutor(1, thread_name_prefix="count")
        self.counted = pool.submit(lambda: {f: _count_files(f"{previous}/{f}") for f in folders})
        pool.shutdown(wait=False)

    def move(self, folder: str, files: int, out: Path, folders: Folders) -> bool:
        """Move a plan's folder of pages (``id/plan/<plan>``) from the previous site into
        the new one, in one rename, when it holds exactly the ``files`` expected (else
        False: the caller renders them). Linking each file costs a system call per file,
        hundreds of thousands in a large site; a rename costs one per plan. The previous
        site loses the folder until :meth:`restore` puts it back (a failed build) or the
        new site replaces it (a build that succeeded)."""
        old, new = f"{self.previous}/{folder}", f"{out}/{folder}"
        counted = self.counted.result() if self.counted is not None else {}
        found = counted[folder] if folder in counted else _count_files(old)
        if found != files:
            return False
        folders.ready(new)  # its parent
        os.rename(old, new)
        self.moved.append((old, new))
        self.linked += files
        return True

    def restore(self) -> None:
        """Put every moved folder back into the previous site (the build failed)."""
        while self.moved:
            old, new = self.moved.pop()
            os.rename(new, old)

    def save(self, out: Path) -> None:
        """Record this build's digests beside the new site (``out`` is the new build)."""
        manifest = {
            "plans": self.new,
            "shared": self.shared_new,
            "mentions": self.mentions,
            "keys": self.keys_new,
            "warnings": self.warnings,
        }
        (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _count_files(folder: str) -> int:
    """The files under ``folder`` (-1 when it is missing), without a stat per file."""
    count = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    count += _count_files(entry.path)
                else:
                    count += 1
    except FileNotFoundError:
        return -1
    return count
