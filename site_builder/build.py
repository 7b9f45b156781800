"""build(config) -> BuildReport: load, parse, check, plan, render, then write all at once.

The stages run in one direction and every user error is gathered before any file is written.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from site_builder.cache import CachedParse, ParseCache
from site_builder.config import SiteConfig
from site_builder.errors import BuildFailed, ContentError, Diagnostics, SourceLocation
from site_builder.model import Archive, build_archive
from site_builder.parse import ParsedThread, parse_thread
from site_builder.render import Renderer
from site_builder.routes import Copy, plan_pages
from site_builder.sources import BUNDLE_INDEX, SourceFile, discover
from site_builder.templates import STATIC_FOLDER, Theme
from site_builder.writer import StagedWriter, check_output_dir, digest

log = logging.getLogger(__name__)

_PARALLEL_FROM = 200  # below this many files to parse, a process pool costs more than it saves


@dataclass(slots=True)
class BuildReport:
    threads: int = 0
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    parsed: int = 0
    warnings: list[ContentError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def build(config: SiteConfig, diagnostics: Diagnostics | None = None) -> BuildReport:
    """Build the site into config.output_dir; raises BuildFailed with every problem found."""
    started = time.perf_counter()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    report = BuildReport()
    check_output_dir(config.output_dir, [config.root, config.content_dir,
                                         config.templates_dir, Path.home()])
    mark = _stopwatch(report)
    content_shown = config.display_path(config.content_dir)
    if not config.content_dir.is_dir():
        diagnostics.error(content_shown, 0, "content folder not found",
                          "create it, or set `content:` in site.yaml")
    sources = discover(config.content_dir, content_shown, diagnostics)
    mark("discover")
    parsed = _parse_all(sources, config, diagnostics, report)
    mark("parse")
    diagnostics.raise_if_errors(config.strict)
    archive = build_archive(parsed, config, diagnostics)
    theme = Theme(config)
    diagnostics.raise_if_errors(config.strict)
    mark("model")
    writer = StagedWriter(config.output_dir)
    pages = 0
    try:
        renderer = Renderer(config, theme, writer, diagnostics)
        for route in chain(plan_pages(archive, config, theme.strings(config.language)),
                           _plan_copies(sources, archive, theme, config)):
            renderer.add(route)
            pages += 1
        renderer.finish()
        diagnostics.raise_if_errors(config.strict)
        mark("render")
        written = writer.commit()
    except OSError as error:  # a full disk, a read-only folder: the user's to fix, not a bug
        where = config.display_path(Path(error.filename)) if error.filename else "output"
        raise BuildFailed([ContentError(SourceLocation(where), f"cannot write: {error.strerror}",
                                        "free some space or fix the folder's permissions")]
                          ) from error
    finally:
        writer.abort()
    mark("write")
    report.threads, report.pages = len(archive.threads), pages
    report.written, report.removed = written.written, written.removed
    report.unchanged = written.unchanged
    report.warnings = sorted(set(diagnostics.warnings))
    report.seconds = time.perf_counter() - started
    return report


def _stopwatch(report: BuildReport):  # type: ignore[no-untyped-def]
    last = [time.perf_counter()]

    def mark(stage: str) -> None:
        now = time.perf_counter()
        report.timings[stage] = now - last[0]
        last[0] = now

    return mark


def _parse_all(sources: list[SourceFile], config: SiteConfig, diagnostics: Diagnostics,
               report: BuildReport) -> list[ParsedThread]:
    """Parse what changed (in worker processes when there is much), reuse the rest."""
    cache = ParseCache(config.cache_dir, (config.allow_html, config.language))
    cache.load()
    threads = [source for source in sources if source.is_thread]
    results: dict[str, CachedParse] = {}
    todo: list[tuple[SourceFile, bytes, str]] = []
    for source in threads:
        cached = cache.get(source.rel)
        if cached and (cached.mtime_ns, cached.size) == (source.mtime_ns, source.size):
            results[source.rel] = cached
            continue
        try:
            data = source.path.read_bytes()
        except OSError as error:  # vanished or unreadable since discovery
            diagnostics.error(_shown(config, source), 0, f"cannot read: {error.strerror}")
            continue
        sha = digest(data)
        if cached and cached.sha == sha:
            results[source.rel] = CachedParse(source.mtime_ns, source.size, sha,
                                              cached.result, cached.diagnostics)
            cache.put(source.rel, results[source.rel])
            continue
        todo.append((source, data, sha))
    for (source, _, sha), (result, found) in zip(todo, _parse_many(todo, config), strict=True):
        results[source.rel] = CachedParse(source.mtime_ns, source.size, sha, result, found)
        cache.put(source.rel, results[source.rel])
    report.parsed = len(todo)
    cache.keep_only({source.rel for source in threads})
    cache.save()
    parsed = []
    for rel in sorted(results):
        diagnostics.extend(results[rel].diagnostics)
        if results[rel].result is not None:
            parsed.append(results[rel].result)
    return parsed


def _parse_many(todo: list[tuple[SourceFile, bytes, str]],
                config: SiteConfig) -> Iterator[tuple[ParsedThread | None, Diagnostics]]:
    jobs = [(data, _shown(config, source), config.allow_html, config.language)
            for source, data, _ in todo]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < _PARALLEL_FROM or workers < 2:
        return (parse_thread(*job) for job in jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return iter(list(pool.map(_parse_job, jobs, chunksize=64)))


def _parse_job(job: tuple[bytes, str, bool, str]) -> tuple[ParsedThread | None, Diagnostics]:
    return parse_thread(*job)


def _shown(config: SiteConfig, source: SourceFile) -> str:
    return f"{config.display_path(config.content_dir)}/{source.rel}"


def _plan_copies(sources: list[SourceFile], archive: Archive, theme: Theme,
                 config: SiteConfig) -> Iterator[Copy]:
    """Theme assets under /static/, and media beside the thread whose bundle holds them."""
    for name, path in sorted(theme.files(STATIC_FOLDER).items()):
        yield Copy(f"/{STATIC_FOLDER}/{name}", path)
    shown_to_url = {thread.path: thread.url for thread in archive.threads}
    bundles = {source.rel.rsplit("/", 1)[0]: shown_to_url.get(_shown(config, source))
               for source in sources if source.rel.endswith("/" + BUNDLE_INDEX)}
    for source in sources:
        if source.is_thread:
            continue
        folder = source.rel.rsplit("/", 1)[0] if "/" in source.rel else ""
        owner = next((f for f in _ancestors(folder) if f in bundles), None)
        if owner is None:
            yield Copy(f"/{source.rel}", source.path)
        elif bundles[owner] is not None:  # a draft's media stay out with the draft
            yield Copy(bundles[owner] + source.rel[len(owner) + 1:], source.path)


def _ancestors(folder: str) -> Iterator[str]:
    while folder:
        yield folder
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
