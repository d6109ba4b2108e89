"""The build's output put in place atomically: written beside ``out``, swapped in with two
renames, and the previous tree removed afterwards by a process of its own."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


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
