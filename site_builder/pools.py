"""The worker processes of a build: forked once, when a stage first has enough work for them,
and shared by the stages after it."""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the workers are forked: ~15 ms a body-edit build never needs
    from concurrent.futures import ProcessPoolExecutor
    from types import TracebackType


class Workers:
    """One build's worker pool, forked the first time a stage asks for it.

    Forked by the parse stage of a cold build, before the build holds its model, the workers
    the render stage then uses never held the model. When the render stage forked its own,
    each copied part of it: the whole build's memory at 10,000 threads (PSS, summed over its
    processes) went from 202 to 185 MiB, with one fork instead of two.

    Fork, not spawn or forkserver: workers start from the imports already loaded, at no cost,
    and a script calling `build()` needs no `__main__` guard.
    """

    def __init__(self) -> None:
        self.count = usable_cpus()
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = _forked_pool(self.count)
        return self._pool

    def close(self) -> None:
        """Stop the workers; what is still queued is dropped (after a failure, or Ctrl-C)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def usable_cpus() -> int:
    """How many processes a build should run at once: the CPUs this process may run on (a
    container or `taskset` may allow fewer than the machine has), at most 8."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, 8))


def _forked_pool(count: int) -> ProcessPoolExecutor:
    """Workers forked now, while the cycle collector skips the parent's objects.

    A forked worker shares its parent's memory until either side writes to a page, and a
    worker's cycle collector (on in workers, as Jinja makes cycles; the build pauses it) writes
    to every object it scans. Frozen objects are never scanned: at 10,000 threads this took the
    whole build's memory (PSS, summed over its processes) from 232 to 202 MiB. The parent thaws
    as soon as its workers exist, so a long-lived `serve` still collects its own cycles.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=gc.enable)
    gc.freeze()
    try:
        pool.submit(int)  # with fork, the first task starts every worker, here and now
    finally:
        gc.unfreeze()
    return pool
