"""render: the workers get pages in chunks bounded in pages and in bytes; the last page (the
sitemap, which lists every page) is made and rendered only once they have stopped."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from helpers import build_site, thread

from site_builder import pools, render


def test_chunks_are_bounded_and_the_sitemap_waits_for_the_workers_to_stop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bound = 8 * 1024
    monkeypatch.setattr(render, "_CHUNK_BYTES", bound)
    monkeypatch.setattr(pools, "usable_cpus", lambda: 2)
    parent = os.getpid()
    events: list[Any] = []
    real_send, real_render, real_close = (render.Renderer._send, render._render_with,
                                          pools.Workers.close)

    def send(self: render.Renderer) -> None:
        events.append([len(data) for data in self.chunk])
        real_send(self)

    def render_with(templates: Any, staging: Any, jobs: Any) -> Any:
        jobs = list(jobs)
        if os.getpid() == parent:  # the workers log into their own copies of `events`
            events.append(("here", [job[0] for job in jobs]))
        return real_render(templates, staging, jobs)

    def close(self: pools.Workers) -> None:
        events.append("close")
        real_close(self)

    monkeypatch.setattr(render.Renderer, "_send", send)
    monkeypatch.setattr(render, "_render_with", render_with)
    monkeypatch.setattr(pools.Workers, "close", close)
    files = {f"content/t{i:03d}.md": thread(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                            f"Body of thread {i}.", title=f"Thread {i}")
             for i in range(render.PARALLEL_FROM + 50)}
    build_site(tmp_path / "site", files)

    chunks = [event for event in events if isinstance(event, list)]
    assert sum(map(len, chunks)) > render.PARALLEL_FROM
    assert all(0 < len(chunk) <= render._CHUNK for chunk in chunks)
    assert all(sum(chunk[:-1]) < bound for chunk in chunks)  # the page that tips it goes too
    assert any(len(chunk) < render._CHUNK for chunk in chunks[:-1])  # bytes did bound some
    rest = [event for event in events if not isinstance(event, list)]
    assert rest[rest.index("close") + 1] == ("here", ["/sitemap.xml"])

