"""Import: one plan file → one named graph of quads (DESIGN.md, "Data flow").

Checks run in two passes before any triple is made: the column contract
(:mod:`wpsgraph.contract`), then the references between nodes and to the reference data
(:mod:`wpsgraph.refcheck`); then :mod:`wpsgraph.emit` makes the quads, walking the tree
with :mod:`wpsgraph.plantree`.
Every node records where it came from: the source document and line, and the plan file
and line, so that errors and pages can point back to both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad

from wpsgraph import yamlsrc
from wpsgraph.contract import PLAN
from wpsgraph.emit import Emitter
from wpsgraph.errors import DataError, Issue
from wpsgraph.refcheck import ReferenceChecker
from wpsgraph.reference import Located, Reference
from wpsgraph.schema import Ctx
from wpsgraph.vocab import Iris
from wpsgraph.yamlsrc import LocDict, display_path


@dataclass
class ImportedPlan:
    """A plan that passed its checks, as quads in its own named graph."""

    plan_id: str
    file: Path
    display: str
    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)
    located: dict[str, Located] = field(default_factory=dict)
    data: LocDict | None = None
    # the plan graph and its links graph as N-Quads, when the plan came as bytes (read
    # back from the cache, or made by a forked worker): then ``quads`` is empty, the store
    # loads the bytes as they are, and only :meth:`with_links` parses them
    nquads: bytes | None = None

    @classmethod
    def from_nquads(
        cls,
        plan_id: str,
        file: Path,
        display: str,
        graph: NamedNode,
        nquads: bytes,
        located: dict[str, Located],
    ) -> ImportedPlan:
        """A plan that came as N-Quads bytes (its plan graph and links graph)."""
        return cls(plan_id, file, display, graph, [], located, nquads=nquads)

    def with_links(self, links: list[Quad]) -> list[Quad]:
        """The plan's quads and its links graph's (``links``, or parsed with the rest from
        :attr:`nquads`)."""
        if self.nquads is not None:
            return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))
        return self.quads + links

    def load_order(self, links: list[Quad]) -> Iterator[Quad]:
        """The plan's quads and its links' in the order :meth:`load_into` gives them to
        the store (the bytes parsed one quad at a time)."""
        if self.nquads is not None:
            return iter(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS, lenient=True))
        return chain(self.quads, links)

    def load_into(self, store: ox.Store, links: list[Quad]) -> None:
        """Put the plan's graph and its links graph into ``store``, in bulk.

        The bytes are our own serialisation of terms already checked when they were
        made (``NamedNode`` checks each IRI), so the parser skips checking the IRIs and
        language tags again (``lenient``: a third of the load time at 1M triples)."""
        if self.nquads is not None:
            store.load(self.nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        else:
            store.bulk_extend(self.quads + links)


def read_plan(path: Path, data: Path, ref: Reference, ids: Iris) -> ImportedPlan:
    """Read, check and convert one plan file; raise :class:`DataError` on any problem."""
    display = display_path(path, data)
    doc = yamlsrc.load(path, display)
    issues = list(PLAN.check(doc, Ctx(display, 1, "plan")))
    if not issues:
        issues = list(ReferenceChecker(doc, display, path, data, ref).run())
    if issues:
        raise DataError(issues)
    plan = ImportedPlan(doc["id"], path, display, ids.plan_graph(doc["id"]), data=doc)
    Emitter(plan, doc, ref, ids).run()
    return plan


def plan_files(data: Path, only: list[Path] | None = None) -> list[Path]:
    """``only`` those files, or every ``data/plans/*.yaml``, in order: each a file that
    can be read, else a data error naming every one that cannot (a folder named like a
    plan file, a link to nothing or to itself, a file without read permission)."""
    paths = sorted(only) if only is not None else sorted((data / "plans").glob("*.yaml"))
    if not paths:
        raise DataError([Issue(f"{data.name}/plans", 0, "", "no plan files (*.yaml)")])
    unreadable = [
        # named as listed (its folder's name resolved, not a link's target)
        Issue(f"{display_path(p.parent, data)}/{p.name}", 0, "", why)
        for p in paths
        if (why := _unreadable(p))
    ]
    if unreadable:
        raise DataError(unreadable)
    return paths


def _unreadable(path: Path) -> str:
    """Why ``path`` is not a plan file that can be read, or "" when it is one."""
    if path.is_dir():
        return "a folder, not a plan file"
    if not path.exists():  # a link to nothing, or to itself
        return "a link to no file"
    if not path.is_file():
        return "not a regular file"
    if not os.access(path, os.R_OK):
        return "no permission to read it"
    return ""


def read_plans(
    data: Path, ref: Reference, ids: Iris, *, only: list[Path] | None = None
) -> list[ImportedPlan]:
    """Import every ``data/plans/*.yaml`` (or ``only`` those files); collect the problems
    of all files, then raise."""
    issues: list[Issue] = []
    plans: list[ImportedPlan] = []
    for path in plan_files(data, only):
        try:
            plans.append(read_plan(path, data, ref, ids))
        except DataError as exc:
            issues.extend(exc.issues)
    if issues:
        raise DataError(issues)
    return plans
