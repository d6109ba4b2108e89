"""``wpsgraph watch``: build, then build again after every edit, the store and the site
graph kept in memory between builds (see :mod:`wpsgraph.session`)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from stat import S_ISREG as stat_is_file

import click

from wpsgraph.build import Project
from wpsgraph.cli.common import BASE_URL, DATA, OUT, fail, main, message, project_of
from wpsgraph.cli.graph import summary
from wpsgraph.errors import WpsgraphError
from wpsgraph.session import CodeChanged, Session


@main.command("watch")
@DATA
@OUT
@BASE_URL
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=0.5,
    show_default=True,
    help="Seconds between two looks at the files.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder [default: ROOT/.wpsgraph-cache].",
)
@click.option(
    "--builds",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many builds (for scripts); exit status 1 if the last failed.",
)
@click.pass_context
def watch_cmd(
    ctx: click.Context,
    data: Path | None,
    out: Path,
    base_url: str,
    interval: float,
    cache_dir: Path | None,
    builds: int | None,
) -> None:
    """Build to OUT, then again whenever a file of the project changes, until Ctrl-C.

    The store and the site graph stay in memory: after a plan file changed, only that
    plan is imported, linked and validated again and replaced in both, and only the
    pages whose content changed are written (what is written is what 'wpsgraph build'
    writes). A change to the reference data, the ontology or the shapes, or a plan file
    added or removed, makes a full build. A failed build prints its errors and keeps the
    previous output; fix the file and save it again. Uses the cache (ROOT/.wpsgraph-cache,
    or --cache-dir).
    """
    project = project_of(ctx, data)
    cache = cache_dir if cache_dir is not None else project.root / ".wpsgraph-cache"
    session = Session(project, out, cache, base=base_url, log=click.echo)
    seen: dict[str, tuple[int, int, int]] | None = None
    done, failed = 0, False
    try:
        while builds is None or done < builds:
            now = _snapshot(project)
            if now == seen:
                time.sleep(interval)
                continue
            seen = now
            failed = not _build(session)
            done += 1
            session.settle()  # while the curator edits, not inside the next build
            if builds is None or done < builds:
                click.echo(f"watching {project.data} for changes (Ctrl-C to stop)")
    except KeyboardInterrupt:
        click.echo("stopped")
        return
    if failed:
        raise SystemExit(1)


def _build(session: Session) -> bool:
    """One build of the session, its summary or its errors printed; whether it worked."""
    try:
        result = session.build()
    except CodeChanged as exc:
        fail(message(exc))
    except WpsgraphError as exc:
        click.echo(message(exc), err=True)
    else:
        summary(result)
        click.echo(f"{_how(session)}; site: open {(session.out / 'site' / 'index.html').resolve()}")
        return True
    click.echo("the previous output is kept", err=True)
    return False


def _how(session: Session) -> str:
    """What the session's last build did."""
    if not session.patched:
        return "full build" if session.regrouped else "no plan changed: output written again"
    how = "site graph grouped again" if session.regrouped else "in place"
    return f"replaced {', '.join(session.patched)} ({how})"


def _snapshot(project: Project) -> dict[str, tuple[int, int, int]]:
    """Each file of the project a build reads, with its time, size and inode (a file
    saved by replacing it has another)."""
    found = {}
    for folder in (project.data, project.ontology, project.shapes, project.queries, project.site):
        if folder.is_dir():
            for path in folder.rglob("*"):
                # an editor's short-lived files (a swap file, a test write) may be gone
                # between the listing and the look
                with contextlib.suppress(FileNotFoundError):
                    stat = path.stat()
                    if stat_is_file(stat.st_mode):
                        found[str(path)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return found
