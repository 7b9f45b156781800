"""build(config) -> BuildReport: load, parse, check, plan, render, then write all at once.

The stages run in one direction and every user error is gathered before any file is written.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from site_builder import fingerprint
from site_builder.config import SiteConfig
from site_builder.errors import BuildFailed, ContentError, Diagnostics, SourceLocation
from site_builder.progress import Progress, silent
from site_builder.sources import discover
from site_builder.theme import Theme
from site_builder.writer import (
    STATE_DIR,
    StagedWriter,
    append_changes,
    check_output_dir,
    clear_changes,
)


class BuildReport:
    """What a build did, for the summary line, the preview and the tests.

    A plain class: every build imports this module, one that finds nothing changed included,
    and that one imports no dataclasses (errors.py says why).
    """

    __slots__ = ("notices", "pages", "parsed", "removed", "seconds", "strategy", "threads",
                 "timings", "unchanged", "warnings", "written")

    def __init__(self, threads: int = 0, pages: int = 0, written: list[str] | None = None,
                 removed: list[str] | None = None, notices: list[str] | None = None) -> None:
        self.threads = threads
        self.pages = pages
        self.written: list[str] = written if written is not None else []
        self.removed: list[str] = removed if removed is not None else []
        self.unchanged = 0
        self.parsed = 0
        self.warnings: list[ContentError] = []
        self.strategy = "full"  # or "unchanged", or "bodies" (body_edits.py): what it did
        # Not about the site's files, so --strict does not fail on them:
        self.notices: list[str] = notices if notices is not None else []
        self.timings: dict[str, float] = {}
        self.seconds = 0.0


def build(config: SiteConfig, diagnostics: Diagnostics | None = None,
          progress: Progress = silent) -> BuildReport:
    """Build the site into config.output_dir; raises BuildFailed with every problem found."""
    with _no_cycle_collection():
        return _build(config, diagnostics, progress)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A build allocates millions of objects and frees them by reference counting; Python's
    cycle collector kept walking the 10,000-thread model for nothing (~0.3 s of an incremental
    build). Pool workers, which run Jinja, turn it back on (parse_stage, render)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(config: SiteConfig, diagnostics: Diagnostics | None,
           progress: Progress) -> BuildReport:
    started = time.perf_counter()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    report = BuildReport()
    check_output_dir(config.output_dir, [config.root, config.content_dir,
                                         config.templates_dir, Path.home()])
    mark = _Stopwatch(report)
    content_shown = config.display_path(config.content_dir)
    if not config.content_dir.is_dir():
        diagnostics.error(content_shown, 0, "content folder not found",
                          "create it, or set `content:` in site.yaml")
    sources = discover(config.content_dir, content_shown, diagnostics)
    theme = Theme(config)
    diagnostics.extend(theme.warnings)
    state_dir = config.output_dir / STATE_DIR
    current, frame = fingerprint.fingerprint(config, sources, theme.sources())
    mark("discover")
    last = fingerprint.last_build(state_dir)
    # A problem found before parsing (a skipped link, a theme warning under --strict) is for
    # the full build to report as it must.
    if last is not None and not diagnostics.errors and not (config.strict and
                                                             diagnostics.warnings):
        if last.fingerprint == current:
            clear_changes(state_dir)  # this build changed nothing: a deploy has nothing to send
            report.strategy, report.unchanged = "unchanged", last.pages
            return _finished(report, last, diagnostics, started)
        # Imported only now: a build that finds nothing changed never loads Markdown or Jinja.
        from site_builder.body_edits import build_body_edits

        with _write_errors(config):
            edits = build_body_edits(config, sources, theme, current, frame, last)
        if edits is not None:
            report.strategy, report.parsed = "bodies", edits.parsed
            report.written = edits.written.written
            report.unchanged = last.pages - len(report.written)
            mark("bodies")
            return _finished(report, last, diagnostics, started)
    from site_builder.keys import shared_key
    from site_builder.model import build_archive
    from site_builder.page_store import PageStore
    from site_builder.parse_stage import parse_sources
    from site_builder.pools import Workers
    from site_builder.related import rank_related_threads
    from site_builder.render import Renderer
    from site_builder.routes import plan_copies, plan_pages

    with contextlib.ExitStack() as cleanup:  # run in reverse, whatever happens
        writer = StagedWriter(config.output_dir)
        cleanup.callback(writer.abort)
        # Entered after the writer, so stopped before its staging folder is removed: after a
        # failure, workers still rendering would write into it again.
        workers = cleanup.enter_context(Workers())
        parsed = parse_sources(sources, config, diagnostics, workers, progress)
        report.parsed = parsed.parsed
        mark("parse")
        # The model is built from the good files even when others failed, so that problems
        # across files (two threads at one URL) are reported in the same run.
        archive = build_archive(parsed.threads, config, diagnostics)
        html_store, thread_states = parsed.html_store, parsed.states
        del parsed  # the archive holds what pages need; the parse records go before rendering
        diagnostics.raise_if_errors(config.strict)
        code = fingerprint.code_digest()
        store = PageStore(config.cache_dir, code)
        cleanup.callback(store.close)
        pages = 0
        with _write_errors(config):
            store.open()
            related, ranking_digest = rank_related_threads(archive, config.cache_dir, code)
            mark("model")
            store.load_keys()
            renderer = Renderer(config, theme, writer, diagnostics, html_store,
                                shared_key(config, theme, code), store, workers, progress)
            strings = theme.strings(config.language)
            for route in chain(plan_pages(archive, config, strings, related),
                               plan_copies(sources, archive, theme, config)):
                renderer.add(route)
                pages += 1
            renderer.finish()
            diagnostics.raise_if_errors(config.strict)
            mark("render")
            report.warnings = sorted(set(diagnostics.warnings))
            saved = fingerprint.encode(current, len(archive.threads), pages, report.warnings)
            written = writer.commit({fingerprint.NAME: saved})
            # After the output: a store naming a build that did not land is never trusted.
            store.drop_unnoted()
            store.finish(current, frame, thread_states, ranking_digest)
    mark("write")
    report.threads, report.pages = len(archive.threads), pages
    report.written, report.removed = written.written, written.removed
    report.unchanged = written.unchanged
    report.seconds = time.perf_counter() - started
    return report


def _finished(report: BuildReport, last: fingerprint.SavedBuild, diagnostics: Diagnostics,
              started: float) -> BuildReport:
    """A build that rendered only what changed: the counts and warnings are the last build's,
    with any found before parsing (a link skipped since)."""
    report.threads, report.pages = last.threads, last.pages
    report.warnings = sorted(set(last.warnings) | set(diagnostics.warnings))
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _write_errors(config: SiteConfig) -> Iterator[None]:
    """A full disk, a read-only folder: the user's to fix, not a bug."""
    try:
        yield
    except OSError as error:
        where = config.display_path(Path(error.filename)) if error.filename else "output"
        raise BuildFailed([ContentError(SourceLocation(where), f"cannot write: {error.strerror}",
                                        "free some space or fix the folder's permissions")]
                          ) from error


def index_search(config: SiteConfig, report: BuildReport) -> None:
    """Pagefind over a new build; without it the site still builds, with a notice why.

    Apart from build() so the preview server can skip it on every save: it takes seconds on
    a large site, and a preview's search may lag behind its pages.
    """
    from site_builder.search import BUNDLE_FOLDER, SearchUnavailable, index_site

    bundle = config.output_dir / BUNDLE_FOLDER
    if not (report.written or report.removed) and (bundle / "pagefind-entry.json").exists():
        return
    try:
        found = index_site(config.output_dir, config.language)
    except SearchUnavailable as error:
        report.notices.append(f"search: {error}; the site was built without a search index")
        return
    report.timings["search"] = found.seconds
    report.seconds += found.seconds
    append_changes(config.output_dir / STATE_DIR, found.written, found.removed)


class _Stopwatch:
    """Times the stages of a build into the report, each from the end of the one before."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = now - self.last
        self.last = now
