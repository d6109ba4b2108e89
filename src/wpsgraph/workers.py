"""Import and link plan files on every core.

Plans are independent until they meet in the store, so a large corpus is split between
forked workers: each takes a few files at a time, imports and links them (and writes
them to the plan cache), and hands back each plan's quads as N-Quads bytes, which the
store loads as they are (:meth:`ImportedPlan.load_into`), with no Python object per
quad. The plans come back while the workers go on with the next files: no worker holds
its share until the end (at 3M triples, sending the shares back once all were made took
about two seconds in which neither core imported anything), and a worker that is done
takes the next files rather than waiting for the other. Problems in any
file are collected from every worker and raised together, in file order, as the serial
import does. A small corpus (or a machine with one core) is imported in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from wpsgraph.cache import CachedPlan, PlanCache
from wpsgraph.errors import DataError
from wpsgraph.importer import ImportedPlan, read_plan, read_plans
from wpsgraph.linker import link_plan, link_quads
from wpsgraph.reference import Located, Reference
from wpsgraph.themes import Themes
from wpsgraph.vocab import Iris

MIN_FILES = 16  # below this, forking costs more than it saves
BATCH = 2  # files a worker takes at a time


@dataclass
class Imported:
    """Plans imported and linked: the plans, and each plan's links graph by plan id."""

    plans: list[ImportedPlan]
    links: dict[str, list[ox.Quad]]


@dataclass(frozen=True)
class _Job:
    """What every plan file is imported and linked against."""

    data: Path
    ref: Reference
    themes: Themes
    ids: Iris
    cache: PlanCache | None

    def link(self, plan: ImportedPlan, *, as_bytes: bool = False) -> tuple[list[ox.Quad], bytes]:
        """The plan's links graph and, for the cache or with ``as_bytes``, the plan's and
        its links' N-Quads (else empty); the plan and its links go to the cache."""
        ref, ids = self.ref, self.ids
        links = list(link_quads(plan, link_plan(plan, ref, self.themes, ids), ref, ids))
        both = b""
        if self.cache is not None or as_bytes:
            both = _nquads(plan.quads + links)
        if self.cache is not None:
            self.cache.put(plan.file, CachedPlan(plan.plan_id, plan.display, both, plan.located))
        return links, both


def import_and_link(
    files: list[Path],
    data: Path,
    ref: Reference,
    themes: Themes,
    ids: Iris,
    cache: PlanCache | None,
    timings: dict[str, float] | None = None,
) -> Imported:
    """Import and link ``files``, on every core when there are enough of them; the
    seconds of each stage are added to ``timings``."""
    job = _Job(data, ref, themes, ids, cache)
    times = timings if timings is not None else {}
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < MIN_FILES or "fork" not in mp.get_all_start_methods():
        return _serial(files, job, times)
    global _STATE
    started = time.perf_counter()
    _STATE = (sorted(files), job)
    batches = [(i, min(i + BATCH, len(files))) for i in range(0, len(files), BATCH)]
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            shares = list(pool.imap_unordered(_work, batches))
    finally:
        _STATE = ()
    done = sorted((item for share in shares for item, _ in share), key=lambda item: item[0])
    spent = [t for share in shares for _, t in share]
    issues = [i for _, result in done if isinstance(result, list) for i in result]
    if issues:
        raise DataError(issues)
    plans, links = [], {}
    for _, result in done:
        plan_id, path, display, nquads, located = result
        located_at = {k: Located(*v) for k, v in located}
        graph = ids.plan_graph(plan_id)
        plans.append(ImportedPlan.from_nquads(plan_id, path, display, graph, nquads, located_at))
        links[plan_id] = []  # in the plan's N-Quads
    # the two stages ran together on every core: the wall time is split between them as
    # the workers' own time was
    wall = time.perf_counter() - started
    linking = sum(t[1] for t in spent) / max(sum(t[0] + t[1] for t in spent), 1e-9)
    _add(times, wall * (1 - linking), wall * linking)
    return Imported(plans, links)


def _serial(files: list[Path], job: _Job, times: dict[str, float]) -> Imported:
    started = time.perf_counter()
    plans = read_plans(job.data, job.ref, job.ids, only=files)
    imported = time.perf_counter()
    links = {p.plan_id: job.link(p)[0] for p in plans}
    _add(times, imported - started, time.perf_counter() - imported)
    return Imported(plans, links)


def _add(times: dict[str, float], importing: float, linking: float) -> None:
    times["import"] = times.get("import", 0.0) + importing
    times["link"] = times.get("link", 0.0) + linking


_STATE: tuple[Any, ...] = ()


def _work(batch: tuple[int, int]) -> list[tuple[tuple[int, Any], tuple[float, float]]]:
    """The files from index ``start`` up to ``stop`` (``batch``); per file, its index and
    either its issues or its plan as N-Quads bytes (the plan graph, the links graph), and
    the seconds spent importing and linking it."""
    start, stop = batch
    files, job = _STATE
    out: list[tuple[tuple[int, Any], tuple[float, float]]] = []
    for i in range(start, stop):
        began = time.perf_counter()
        try:
            plan = read_plan(files[i], job.data, job.ref, job.ids)
        except DataError as exc:
            out.append(((i, list(exc.issues)), (time.perf_counter() - began, 0.0)))
            continue
        imported = time.perf_counter()
        _, nquads = job.link(plan, as_bytes=True)
        linked = time.perf_counter()
        located = [(k, (v.file, v.line, v.name)) for k, v in plan.located.items()]
        made = (plan.plan_id, plan.file, plan.display, nquads, located)
        out.append(((i, made), (imported - began, linked - imported)))
    return out


def _nquads(quads: list[ox.Quad]) -> bytes:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return data
