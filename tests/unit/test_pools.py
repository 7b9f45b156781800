"""pools: forked workers leave what they inherit to their parent's copy; the parent thaws."""

from __future__ import annotations

import gc

from site_builder.pools import forked_pool


def test_workers_never_scan_what_they_inherit_and_the_parent_still_does() -> None:
    with forked_pool(2, gc.enable) as pool:
        assert gc.get_freeze_count() == 0  # a long-lived `serve` keeps collecting its cycles
        frozen, collecting = pool.submit(_collector_state).result()
    assert frozen > 0  # so a worker's collector writes to none of its parent's pages
    assert collecting  # the initializer ran


def _collector_state() -> tuple[int, bool]:
    return gc.get_freeze_count(), gc.isenabled()
