"""The commonest save, in time independent of the archive's size: only thread bodies changed.

What the rest of the site reads of a thread is its parse record without the digest of its file,
its word count and its keywords (its "surface": title, dates, tags, counts, hashtags, problems;
cache.py), the reading time its words make, and the related threads its keywords help rank.
When each changed file's new surface and reading time equal the last build's, and its new
keywords (if any) change no thread's related threads, the model, lists, neighbours and related
threads are what they were, and so is every page's context and reads, with the file's new
digest in place of the old one. The pages that read that digest are those showing its body (its
own page, the feeds that carry it), kept by the last build in the page store; they are rendered
again and nothing else is looked at. Anything more (a file added, deleted or renamed; a title,
reading time or related thread changed; a problem in a file; any config or theme change)
returns None, and the full build runs. tests/test_incremental.py holds both to a clean build's
output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder import fingerprint
from site_builder.cache import HtmlStore, ParseCache
from site_builder.config import SiteConfig
from site_builder.keys import page_key, shared_key
from site_builder.page_store import PageStore, ThreadState
from site_builder.parse import reading_minutes
from site_builder.parse_stage import parse_file, save_parse, shown_path
from site_builder.related import rerank_kept
from site_builder.sources import SourceFile
from site_builder.templates import Templates
from site_builder.theme import Theme
from site_builder.writer import StagedWriter, WriteReport

MOST_FILES = 20  # more changed files than this go to the full build, which parses in parallel


@dataclass(frozen=True, slots=True)
class BodyEdits:
    parsed: int
    written: WriteReport


def build_body_edits(config: SiteConfig, sources: list[SourceFile], theme: Theme,
                     current: str, frame: str, last: fingerprint.SavedBuild) -> BodyEdits | None:
    """Render only the pages showing the changed bodies, or None when more than bodies changed.

    `current` and `frame` are this build's fingerprint and frame; `last` is the last build
    into the output folder, which the page store must describe.
    """
    code = fingerprint.code_digest()
    store = PageStore(config.cache_dir, code)
    try:
        if not store.open(create=False) or not store.describes(last.fingerprint, frame):
            return None
        before = store.threads()
        changed = []
        for source in sources:
            state = before.get(source.rel)
            if state is None:
                if source.is_thread:  # the frame says no thread was added: a store bug
                    return None
            elif state[0] != source.mtime_ns or state[1] != source.size:
                changed.append(source)
        if not changed or len(changed) > MOST_FILES:
            return None
        cache = ParseCache(config.cache_dir, (config.allow_html, config.language))
        keywords: dict[str, list[str]] = {}
        states = _parse_changed(cache, config, changed, before, keywords)
        if states is None:
            return None
        ranking_digest = None  # the store keeps naming its own when no keyword changed
        if keywords:
            kept = store.related()
            ranking_digest = rerank_kept(config.cache_dir, code, kept, keywords) if kept else None
            if ranking_digest is None:  # some related threads change: the full build shows them
                return None
        swaps = {before[rel][2]: state[2] for rel, state in states.items()
                 if state[2] != before[rel][2]}
        in_use = Counter(state[2] for state in before.values())
        if any(in_use[old] > 1 for old in swaps):  # identical files: the digest names both
            return None
        written = _render(config, theme, store, cache.path, shared_key(config, theme, code),
                          swaps,
                          fingerprint.encode(current, last.threads, last.pages, last.warnings))
        if written is None:
            return None
        store.finish(current, frame, {**before, **states}, ranking_digest)
        return BodyEdits(len(swaps), written)
    finally:
        store.close()


def _parse_changed(cache: ParseCache, config: SiteConfig, changed: list[SourceFile],
                   before: dict[str, ThreadState], new_keywords: dict[str, list[str]]
                   ) -> dict[str, ThreadState] | None:
    """Each changed file's new state, or None when one changed more than its body and
    keywords; the threads whose keywords changed go into `new_keywords`, by path."""
    cache.open(load=False)
    states: dict[str, ThreadState] = {}
    speed = config.words_per_minute
    highlights = cache.highlights()
    try:
        for source in changed:
            _, _, old_sha, surface, words, keywords = before[source.rel]
            sha, result, tweets, found = parse_file((source.location, shown_path(config, source),
                                                     old_sha, config.allow_html,
                                                     config.language), highlights)
            if sha is None or found.errors:
                return None
            if sha != old_sha:  # else touched only: the same bytes, nothing to parse or save
                new_words = result.body.words if result else 0
                entry = save_parse(cache, source, sha, result, tweets, found)
                if (entry.surface != surface
                        or reading_minutes(new_words, speed) != reading_minutes(words, speed)):
                    return None
                if result is not None and entry.keywords != keywords:
                    new_keywords[result.path] = result.body.keywords.split()
                words, keywords = new_words, entry.keywords
            states[source.rel] = (source.mtime_ns, source.size, sha, surface, words, keywords)
        cache.keep_highlights(highlights)
        cache.save()  # the pages read the new HTML from the database
        return states
    finally:
        cache.close()


def _render(config: SiteConfig, theme: Theme, store: PageStore, html_store: Path, shared: str,
            swaps: dict[str, str], saved_build: bytes) -> WriteReport | None:
    """Render and write the pages showing the swapped digests; None if a template fails (the
    full build then reports it properly)."""
    pages = store.showing(swaps) if swaps else []
    templates = Templates(theme, config)
    templates.read_html_from(HtmlStore(html_store))
    writer = StagedWriter(config.output_dir, keep_unwritten=True)
    try:
        for page in pages:
            reads, shows, context = _swap((page.reads, page.shows, page.context), swaps)
            key = page_key(shared, page.template, page.url, reads)
            context = {"site": store.site, **context}
            try:
                text = templates.render(page.template, context)
            except Exception:  # any template failure: the full build reports it
                return None
            writer.write(page.path, key, text.encode("utf-8"))
            store.save(page.path, page.url, page.template, key, reads, shows, context)
        return writer.commit({fingerprint.NAME: saved_build})
    finally:
        writer.abort()


def _swap(value: Any, swaps: dict[str, str]) -> Any:
    """`value` with every string that is an old digest replaced by the new one."""
    if isinstance(value, str):
        return swaps.get(value, value)
    if isinstance(value, dict):
        return {key: _swap(item, swaps) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap(item, swaps) for item in value]
    if isinstance(value, tuple):
        return tuple(_swap(item, swaps) for item in value)
    return value
