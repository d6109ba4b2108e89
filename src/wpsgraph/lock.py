"""One build at a time writes an output folder: a lock file beside it.

Two builds writing the same folder at once (``wpsgraph build`` typed while ``wpsgraph
watch`` rebuilds, two CI jobs in one workspace) would each take the unchanged plans'
folders of pages out of the previous site and swap the folder under each other: one of
them fails half-way, or puts back into a site that is no longer there what it took. So
:func:`wpsgraph.output.write_output` holds the folder's lock while it writes, and a
second build waits for the first (saying so) rather than failing. The reading, import,
linking and validation before it need no lock: what they write into the cache is
written whole, under names of its own (see :mod:`wpsgraph.cache`).

The lock is the kernel's (``flock``), held by an open file: it ends with the process that
held it, however that ends, so a killed build leaves no stale lock to remove by hand.
The file itself stays (``.<out>.lock``, hidden beside the output folder), holding the
process id of the last build that held it, for the message of the one that waits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wpsgraph.errors import WpsgraphError

try:
    import fcntl
except ImportError:  # not a POSIX system: builds are not kept apart
    fcntl = None  # type: ignore[assignment]


def lock_path(out: Path) -> Path:
    """The lock file of the output folder ``out``."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, log: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` while the block runs. When another
    process (or another thread of this one) holds it, say so with ``log`` and wait. A
    folder where nothing can be written (its parent a file, no permission) is a
    :class:`~wpsgraph.errors.WpsgraphError` naming it."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(out), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        problem = f"cannot write the output there ({exc.strerror}{where})"
        raise WpsgraphError(f"{out}: {problem}") from exc
    if fcntl is None:
        os.close(fd)
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            log(f"waiting for another build writing {out} (process {holder}) to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # the lock goes with the file's last descriptor
