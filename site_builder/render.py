"""The render stage: pages whose inputs changed go through Jinja, in worker processes when many.

Planning and rendering overlap: the main process computes each page's key and hands stale
pages to the workers in chunks; each worker writes its own files into the staging folder.
Each page travels pickled on its own, so a worker holds one page's context at a time, and a
chunk is bounded in bytes as well as in pages: a year's page lists 1,000 threads at 10,000.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from site_builder.cache import HtmlStore
from site_builder.config import SiteConfig
from site_builder.errors import ContentError, Diagnostics, SourceLocation
from site_builder.keys import page_key
from site_builder.page_store import PageStore
from site_builder.pools import Workers
from site_builder.progress import Progress, silent
from site_builder.routes import Copy, Page, Route
from site_builder.sources import digest
from site_builder.templates import Templates
from site_builder.theme import Theme
from site_builder.writer import StagedWriter, Staging, stage_bytes

PARALLEL_FROM = 400  # stale pages before the workers pay for their start-up
_CHUNK = 100  # pages a chunk holds at most,
_CHUNK_BYTES = 256 * 1024  # and bytes, pickled
_IN_FLIGHT = 4  # chunks queued per worker: enough to keep it busy, few enough to hold little

Job = tuple[str, str, dict[str, Any], str, str, str | None]  # url, template, context, path,...
Result = tuple[str, str, str, int, int, bool] | ContentError
Stale = tuple[Page, str, str | None]  # a page to render, its key, the digest of its output now

Setup = tuple[SiteConfig, Staging, Path]  # what a worker renders with: config, staging, HTML
_worker: tuple[Setup, Templates] | None = None  # set in each worker process, on its first job


class Renderer:
    """Takes routes one by one; renders the stale ones; reports template errors once each."""

    def __init__(self, config: SiteConfig, theme: Theme, writer: StagedWriter,
                 diagnostics: Diagnostics, html_store: Path, shared_key: str,
                 store: PageStore, workers: Workers, progress: Progress = silent) -> None:
        self.config, self.writer, self.diagnostics = config, writer, diagnostics
        self.progress = progress
        self.rendered = 0
        self.shared_key = shared_key
        self.store = store
        self.templates = Templates(theme, config)
        self.templates.read_html_from(HtmlStore(html_store))
        self.local: list[Job] = []  # rendered here at the end: the workers are not forked yet
        self.held: Stale | None = None  # the last stale page so far (see `finish`)
        self.chunk: list[bytes] = []  # pickled pages for the workers, not sent yet
        self.chunk_bytes = 0
        self.futures: list[Future[list[Result]]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.seen: dict[str, tuple[str | Path, str]] = {}  # output path -> what makes it
        self.failures: dict[tuple[SourceLocation, str], list[str]] = {}
        self.workers = workers
        self.setup: Setup = (config, writer.staging, html_store)

    def add(self, route: Route) -> None:
        if not self._unique(route):
            return
        if isinstance(route, Copy):
            self._copy(route)
            return
        key = page_key(self.shared_key, route.template, route.url, route.reads)
        if route.shows:
            self.store.note(route, key)
        if self.writer.is_fresh(route.path, key):
            return
        if self.held is not None:
            self._pass_on(self.held)
        self.held = (route, key, self.writer.previous_sha(route.path))

    def finish(self) -> None:
        """Wait for every page, record results, and turn failures into errors.

        The last stale page is rendered here once the workers have stopped, and its context
        made only then. The last page planned is the sitemap, which lists every page: made
        and rendered while the workers still held their own pages, it was ~4 MiB of a cold
        build's peak memory at 10,000 threads (PSS, summed over the processes).
        """
        if self.chunk:
            self._send()
        for future in self.futures:
            self._record(future.result())
        self.workers.close()  # no stage after this one: their memory goes back now
        last = [_job(self.held)] if self.held is not None else []
        self._record(_render_with(self.templates, self.writer.staging, [*self.local, *last]))
        for (location, message), urls in self.failures.items():
            more = f" and {len(urls) - 1} other pages" if len(urls) > 1 else ""
            self.diagnostics.error(location.path, location.line, message,
                                   f"rendering {urls[0]}{more}")

    def _pass_on(self, stale: Stale) -> None:
        """Keep the page for the end while few are stale; else chunk it for the workers."""
        jobs = [_job(stale)]
        if self.pool is None:
            self.local.extend(jobs)
            if len(self.local) < PARALLEL_FROM or self.workers.count < 2:
                return
            self.pool = self.workers.pool()  # forked by the parse stage if it had many files
            jobs, self.local = self.local, []
        for job in jobs:
            data = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
            self.chunk.append(data)
            self.chunk_bytes += len(data)
            if len(self.chunk) >= _CHUNK or self.chunk_bytes >= _CHUNK_BYTES:
                self._send()

    def _send(self) -> None:
        # Planning outruns rendering: without a bound every context would wait in memory.
        # (Should a worker die, the build stops the others on its way out.)
        while len(self.futures) >= _IN_FLIGHT * self.workers.count:
            self._record(self.futures.pop(0).result())
        assert self.pool is not None
        self.futures.append(self.pool.submit(_render_jobs, self.setup, self.chunk))
        self.chunk, self.chunk_bytes = [], 0

    def _record(self, results: list[Result]) -> None:
        for result in results:
            if isinstance(result, ContentError):
                url = result.hint
                self.failures.setdefault((result.location, result.message), []).append(url)
            else:
                self.writer.record(*result)
        self.rendered += len(results)
        self.progress("render", self.rendered, None)

    def _copy(self, route: Copy) -> None:
        try:
            stat = route.source.stat()
            key = digest(f"{route.source}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            if self.writer.is_fresh(route.path, key):
                return
            data = route.source.read_bytes()
        except OSError as error:  # deleted or unreadable since discovery
            self.diagnostics.error(self.config.display_path(route.source), 0,
                                   f"cannot read: {error.strerror}")
            return
        self.writer.write(route.path, key, data)

    def _unique(self, route: Route) -> bool:
        """Two outputs at one path (or paths differing only in case) would overwrite each other.

        The error goes to the user's file among the two, since that is what they can rename.
        """
        maker = (route.source, route.template if isinstance(route, Page) else "")
        path = route.path  # most are lowercase already: no copy of each of 13,800 (~1.2 MiB)
        first = self.seen.setdefault(path if path.islower() else path.lower(), maker)
        if first is maker:
            return True
        origin, first_origin = self._origin(*maker), self._origin(*first)
        blamed, other = ((origin, first_origin) if origin[0] or not first_origin[0]
                         else (first_origin, origin))
        self.diagnostics.error(blamed[0] or route.url, 0,
                               f"{route.url} is also made by {other[0] or other[1]}",
                               "change a slug or a file name")
        return False

    def _origin(self, source: str | Path, template: str) -> tuple[str, str]:
        """(the user's file that makes it, or ""; what makes it, in words)."""
        if isinstance(source, Path):  # a copied file
            shown = self.config.display_path(source)
            return (shown if source.is_relative_to(self.config.root) else "", shown)
        return source, source or f"the theme's {template} page"


def _job(stale: Stale) -> Job:
    page, key, previous_sha = stale
    return page.url, page.template, page.context, page.path, key, previous_sha


def _render_jobs(setup: Setup, chunk: list[bytes]) -> list[Result]:
    """In a worker: its templates are made on its first job (the parse stage may have forked
    it before the staging folder existed), and again should a build give it another setup."""
    global _worker
    if _worker is None or _worker[0] != setup:
        config, _, html_store = setup
        templates = Templates(Theme(config), config)
        templates.read_html_from(HtmlStore(html_store))
        _worker = (setup, templates)
    return _render_with(_worker[1], setup[1], map(pickle.loads, chunk))


def _render_with(templates: Templates, staging: Staging, jobs: Iterable[Job]) -> list[Result]:
    results: list[Result] = []
    for url, template, context, path, key, previous_sha in jobs:
        try:
            html_text = templates.render(template, context)
        except Exception as error:  # any template failure is the theme author's to fix
            found = templates.describe_error(error, template, url)
            results.append(ContentError(found.location, found.message, url))
            continue
        results.append((path, key, *stage_bytes(staging, path, html_text.encode("utf-8"),
                                                previous_sha)))
    return results
