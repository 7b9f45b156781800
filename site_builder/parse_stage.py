"""The parse stage: read and parse the threads that changed, in worker processes when many.

Unchanged files (same size and mtime, or same bytes) are answered by the persistent cache.
Workers read the files themselves, and each fresh result's HTML goes straight to the cache
database, so the build keeps only metadata.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder.cache import NOT_KEPT, CachedParse, ParseCache
from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.markdown import Highlights
from site_builder.page_store import ThreadState
from site_builder.parse import ParsedThread, parse_thread
from site_builder.pools import Workers
from site_builder.progress import Progress, silent
from site_builder.slugs import load_transliteration
from site_builder.sources import SourceFile, digest

PARALLEL_FROM = 200  # below this many files to parse, a process pool costs more than it saves
_CHUNK = 32

Job = tuple[str, str, str | None, bool, str]  # file, shown path, digest known, options
Outcome = tuple[str | None, ParsedThread | None, tuple[str, ...] | None, Diagnostics]


@dataclass(frozen=True, slots=True)
class ParsedSources:
    threads: list[ParsedThread]  # sorted by source path; bodies carry no HTML
    parsed: int  # how many files were parsed afresh
    html_store: Path  # where the HTML of every thread can be read
    states: dict[str, ThreadState]  # by `rel`: stat, digest, surface, words, keywords


def parse_sources(sources: list[SourceFile], config: SiteConfig, diagnostics: Diagnostics,
                  workers: Workers, progress: Progress = silent) -> ParsedSources:
    """Parse what changed, in `workers` when many, reuse the rest, and collect every file's
    problems."""
    cache = ParseCache(config.cache_dir, (config.allow_html, config.language))
    cache.open()
    try:
        threads = [source for source in sources if source.is_thread]
        todo: list[tuple[SourceFile, CachedParse | None]] = []
        for source in threads:
            cached = cache.get(source.rel)
            if not cached or (cached.mtime_ns, cached.size) != (source.mtime_ns, source.size):
                todo.append((source, cached))
        # Workers read the files themselves: the build never holds every source's bytes.
        jobs = [(source.location, shown_path(config, source), cached.sha if cached else None,
                 config.allow_html, config.language) for source, cached in todo]
        parsed = 0
        results = zip(todo, _parse_many(jobs, workers), strict=True)
        for done, ((source, cached), (sha, result, tweets, found)) in enumerate(results,
                                                                                start=1):
            progress("parse", done, len(todo))
            if sha is None:  # vanished or unreadable since discovery
                diagnostics.extend(found)
                continue
            if result is None and cached is not None and cached.sha == sha:  # touched only
                cache.touch(source.rel, source.mtime_ns, source.size)
                continue
            parsed += 1
            save_parse(cache, source, sha, result, tweets, found)
        cache.keep_only({source.rel for source in threads})
        cache.save()
        kept = []
        states = {}
        for source in threads:
            entry = cache.get(source.rel)
            if entry is None:
                continue
            words = entry.result.body.words if entry.result else 0
            states[source.rel] = (entry.mtime_ns, entry.size, entry.sha, entry.surface, words,
                                  entry.keywords)
            diagnostics.extend(entry.diagnostics)
            if entry.result is not None:
                kept.append(entry.result)
        return ParsedSources(kept, parsed, cache.path, states)
    finally:
        cache.close()


def save_parse(cache: ParseCache, source: SourceFile, sha: str, result: ParsedThread | None,
               tweets: tuple[str, ...] | None, found: Diagnostics) -> CachedParse:
    """Keep a fresh parse (`parse_file`'s) in the cache, its HTML apart; returns the entry."""
    return cache.put(source.rel, CachedParse(source.mtime_ns, source.size, sha, result, found),
                     tweets)


def shown_path(config: SiteConfig, source: SourceFile) -> str:
    """A content file as messages name it: `content/2025-09-26-x.md`."""
    return f"{config.display_path(config.content_dir)}/{source.rel}"


def _parse_many(jobs: list[Job], workers: Workers) -> Iterator[Outcome]:
    if len(jobs) < PARALLEL_FROM or workers.count < 2:
        return map(parse_file, jobs)
    load_transliteration()  # for every worker's slugs, before they are forked
    return workers.pool().map(parse_file, jobs, chunksize=_CHUNK)


def parse_file(job: Job, highlights: Highlights | None = None) -> Outcome:
    """(digest, parse without its HTML, the HTML, problems); no parse when the bytes match
    `known_sha`, no digest when the file cannot be read. The HTML is split off here, in the
    worker, with what only the parse reads (cache.NOT_KEPT): the main process keeps only
    the metadata a cached parse holds. `highlights`: code blocks already highlighted."""
    location, shown, known_sha, allow_html, language = job
    try:
        with open(location, "rb") as file:
            data = file.read()
    except OSError as error:
        found = Diagnostics()
        found.error(shown, 0, f"cannot read: {error.strerror}")
        return None, None, None, found
    sha = digest(data)
    if sha == known_sha:
        return sha, None, None, Diagnostics()
    result, found = parse_thread(data, shown, allow_html, language, highlights)
    if result is None:
        return sha, None, None, found
    tweets = result.body.tweets
    result = dataclasses.replace(result, body=dataclasses.replace(result.body, **NOT_KEPT))
    return sha, result, tweets, found
