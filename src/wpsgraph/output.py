"""The build's output: the dumps and the site of a built graph written beside ``out``,
put in place atomically (swapped in with two renames), and the previous tree removed
afterwards by a process of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wpsgraph.dumps import write_dumps
from wpsgraph.errors import WpsgraphError
from wpsgraph.lock import output_lock
from wpsgraph.pieces import PieceCache
from wpsgraph.store import DUMP_NAME

if TYPE_CHECKING:
    from wpsgraph.build import BuildResult, Project
    from wpsgraph.site.prelude import Prelude


def check_output_folder(out: Path, project: Project) -> None:
    """Refuse an output folder a build must not replace: a build swaps its whole output
    folder for the new one and removes the old, so ``out`` may be neither the project nor
    one of its input folders (nor a folder holding one of them), and a folder that
    exists must be empty or hold a previous build's output (its ``wpsgraph.nq``)."""
    out = out.resolve()
    inputs = {
        "the project": project.root,
        "the data folder": project.data,
        "the ontology folder": project.ontology,
        "the shapes folder": project.shapes,
        "the query library": project.queries,
        "the site's templates": project.site,
    }
    for name, folder in inputs.items():
        folder = folder.resolve()
        if out == folder or out in folder.parents:
            raise WpsgraphError(
                f"{out}: the build replaces its output folder whole, and this one is or "
                f"holds {name} ({folder}); give another output folder"
            )
    if out.is_dir():
        if any(out.iterdir()) and not (out / f"{DUMP_NAME}.nq").is_file():
            raise WpsgraphError(
                f"{out}: holds files but no build's output ({DUMP_NAME}.nq); the build "
                "replaces its output folder whole, so give a new or empty folder, or one a "
                "build wrote"
            )
    elif out.exists() or out.is_symlink():
        raise WpsgraphError(f"{out}: not a folder; give a new or empty folder")


def swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames; the old tree is removed afterwards, in
    the background (see :func:`remove_later`)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{time.time_ns()}")
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    # trees left by a remover that was killed are removed with this one
    stale = [p for p in out.parent.glob(f".{out.name}.old-*") if p.is_dir()]
    if stale:
        remove_later(stale)


_REMOVERS: list[subprocess.Popen[bytes]] = []


def remove_later(trees: list[Path]) -> None:
    """Delete ``trees`` in a process of their own, so that the build returns as soon as
    the new output is in place: removing a large site's old tree (hundreds of thousands
    of files) takes seconds and nothing waits for it. Trees already renamed aside, so a
    remover that dies only leaves a hidden ``.<out>.old-*`` that the next build removes.
    """
    code = "import shutil, sys\nfor t in sys.argv[1:]: shutil.rmtree(t, ignore_errors=True)"
    _REMOVERS.append(
        subprocess.Popen(
            [sys.executable, "-c", code, *map(str, trees)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the build's terminal
        )
    )


def wait_for_removals() -> float:
    """Wait until every tree handed to :func:`remove_later` is gone; the seconds waited
    (for the benchmark, and for tests that look at the output's parent folder)."""
    started = time.perf_counter()
    while _REMOVERS:
        _REMOVERS.pop().wait()
    return time.perf_counter() - started


def write_output(
    result: BuildResult,
    project: Project,
    out: Path,
    prelude: Prelude | None,
    *,
    log: Callable[[str], None] = lambda _: None,
    cache: Path | None = None,
) -> None:
    """The dumps and (with a ``prelude``, see :mod:`wpsgraph.site.prelude`) the site of a
    built graph, written into a temporary folder beside ``out`` and swapped in only when
    all of it succeeded; one build at a time (see :mod:`wpsgraph.lock`)."""
    out = out.resolve()
    with output_lock(out, log):
        check_output_folder(out, project)  # as it is now that no other build writes it
        _write_output(result, project, out, prelude, log=log, cache=cache)


def _write_output(
    result: BuildResult,
    project: Project,
    out: Path,
    prelude: Prelude | None,
    *,
    log: Callable[[str], None],
    cache: Path | None,
) -> None:
    from wpsgraph.site import build_site
    from wpsgraph.site.render import compiled_templates
    from wpsgraph.site.reuse import SiteReuse, site_code_digest

    site = prelude is not None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    reuse = None
    try:
        compiled = None
        if site and cache is not None:
            code = site_code_digest(project.site / "templates", project.site / "static")
            compiled = compiled_templates(cache, code)
            if result.plan_keys:
                reuse = SiteReuse.load(out, result.plan_keys, code, result.shared_key)
                reuse.count_ahead()  # while the dumps are written
        pieces = PieceCache(cache / "dumps") if cache is not None else None
        started = time.perf_counter()
        dumps = write_dumps(
            result.store,
            tmp,
            result.ids,
            compress=site,  # the site serves a gzip copy of each
            keys=_graph_keys(result),
            cache=pieces,
            own=_graph_owners(result),
            stores=result.dump_stores,
        )
        result.timings["dumps"] = result.timings.get("dumps", 0.0) + time.perf_counter() - started
        if prelude is not None:
            # the site carries its own dumps (and gzip copies), for a static host
            started = time.perf_counter()
            pages = build_site(
                result,
                project,
                tmp / "site",
                dumps=dumps,
                reuse=reuse,
                prelude=prelude,
                compiled=compiled,
            )
            result.timings["site"] = result.timings.get("site", 0.0) + time.perf_counter() - started
            if reuse is not None:
                reuse.save(tmp)
                result.site_reused = sorted(reuse.plans)
                result.site_shared_reused = reuse.shared_taken
            log(f"site: {pages} pages")
        swap(tmp, out)
    except BaseException:
        if reuse is not None:
            reuse.restore()  # folders moved from the previous site go back
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if pieces is not None:
        # where each graph's pieces lie in the dumps now in place: a rebuild copies them
        pieces.save(tmp, out)


def _graph_keys(result: BuildResult) -> dict[str, str]:
    """Each named graph's IRI with the cache key its content depends on (none without a
    cache): a plan's and its links' the plan's key, reference data's and the ontology's
    the shared one."""
    if not result.shared_key:
        return {}
    ids = result.ids
    keys = {ids.graph(name).value: result.shared_key for name in ("ontology", "reference")}
    for plan_id, key in result.plan_keys.items():
        for graph in ids.plan_graphs(plan_id):
            keys[graph.value] = key
    return keys


def _graph_owners(result: BuildResult) -> dict[str, str]:
    """Each plan's two graphs with the plan's IRI, under which are the resources they
    own (for the merged N-Triples, see :func:`wpsgraph.dumps.write_dumps`)."""
    ids = result.ids
    owners = {}
    for plan in result.plans:
        for graph in ids.plan_graphs(plan.plan_id):
            owners[graph.value] = ids.plan(plan.plan_id).value
    return owners
