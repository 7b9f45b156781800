"""pools: a build forks its workers once, with what they inherit frozen; the parent thaws."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from helpers import build_site, thread

from site_builder import parse_stage, pools, render
from site_builder.pools import Workers


def test_workers_never_scan_what_they_inherit_and_the_parent_still_does() -> None:
    with Workers() as workers:
        pool = workers.pool()
        assert gc.get_freeze_count() == 0  # a long-lived `serve` keeps collecting its cycles
        frozen, collecting = pool.submit(_collector_state).result()
    assert frozen > 0  # so a worker's collector writes to none of its parent's pages
    assert collecting  # the build pauses the collector; workers run Jinja, which makes cycles


def _collector_state() -> tuple[int, bool]:
    return gc.get_freeze_count(), gc.isenabled()


def test_a_cold_build_renders_in_the_workers_its_parse_stage_forked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked before the build holds its model, they never copy it (pools.Workers)."""
    forks: list[tuple[int, bool]] = []
    real = pools._forked_pool

    def counted(count: int) -> object:
        forks.append((count, "text_unidecode" in sys.modules))
        return real(count)

    monkeypatch.setattr(pools, "_forked_pool", counted)
    monkeypatch.delitem(sys.modules, "text_unidecode", raising=False)
    monkeypatch.setattr(pools, "usable_cpus", lambda: 2)
    files = {f"content/t{i:03d}.md": thread(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                            f"Body of thread {i}.", title=f"Thread {i}")
             for i in range(render.PARALLEL_FROM + 50)}
    report = build_site(tmp_path / "site", files)
    assert report.parsed > parse_stage.PARALLEL_FROM  # the parse stage used the workers
    assert len(report.written) > render.PARALLEL_FROM  # and so did the render stage
    assert forks == [(2, True)]  # and they share one table to fold accents (slugs.py)


def test_a_build_runs_as_many_processes_as_it_may_use_cpus(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A container or `taskset` can allow fewer CPUs than the machine has."""
    monkeypatch.setattr(pools.os, "cpu_count", lambda: 64)
    monkeypatch.setattr(pools.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert pools.usable_cpus() == 1
    monkeypatch.setattr(pools.os, "sched_getaffinity", lambda pid: set(range(64)))
    assert pools.usable_cpus() == 8
    monkeypatch.delattr(pools.os, "sched_getaffinity")
    monkeypatch.setattr(pools.os, "cpu_count", lambda: 3)
    assert pools.usable_cpus() == 3
    monkeypatch.setattr(pools.os, "cpu_count", lambda: None)
    assert pools.usable_cpus() == 1
