"""The preview's one builder: waits for saves to settle, builds, says one line, tells browsers.

Builds run one at a time on the server's IOLoop thread, so no request is answered while pages
are being swapped into output/: a request made during a build waits and gets the finished one.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.build import BuildReport, build, index_search
from site_builder.config import CONFIG_NAME, SiteConfig, load_config
from site_builder.errors import BuildFailed, ContentError, Diagnostics, SourceLocation
from site_builder.serve_http import PreviewState
from site_builder.writer import UnsafeOutput

log = logging.getLogger(__name__)

# say(line, is_problem): how the builder talks to the terminal; the command passes click.echo.
Say = Callable[[str, bool], None]
BuildSite = Callable[[SiteConfig, Diagnostics], BuildReport]
IndexSearch = Callable[[SiteConfig, BuildReport], None]


@dataclass(slots=True)
class Debouncer:
    """Turns polls into builds, so a burst of saves is built once, from its last state."""

    # A build starts on the first poll that sees nothing new, `quiet` seconds or more after the
    # last change: an editor's rename dance, 50 writes or a `git checkout` keep postponing it.
    # `max_wait` bounds the wait when changes never stop. The poller passes each poll's time,
    # so tests need no clock.

    quiet: float = 0.05
    max_wait: float = 2.0
    pending: set[str] = field(default_factory=set)
    first_seen: float | None = None
    last_seen: float | None = None

    def observe(self, changes: Collection[str], now: float) -> set[str] | None:
        """Record one poll; return what to build now (everything pending), or None to wait."""
        if changes:
            self.pending.update(changes)
            self.first_seen = now if self.first_seen is None else self.first_seen
            self.last_seen = now
        if not self.pending or self.first_seen is None or self.last_seen is None:
            return None
        settled = not changes and now - self.last_seen >= self.quiet
        overdue = now - self.first_seen >= self.max_wait
        if not (settled or overdue):
            return None
        due, self.pending = self.pending, set()
        self.first_seen = self.last_seen = None
        return due


class Rebuilder:
    """Builds the site from the files as they are now and updates what the browsers see."""

    def __init__(self, config_path: Path, started: SiteConfig, state: PreviewState, say: Say,
                 drafts: bool = False, build_site: BuildSite = build,
                 index: IndexSearch = index_search) -> None:
        self.config_path = config_path
        self.started = started
        self.state = state
        self.say = say
        self.drafts = drafts
        self.build_site = build_site
        self.index = index
        self.builds = 0
        self._warnings: list[ContentError] = []

    def rebuild(self, changed: Collection[str] = ()) -> bool:
        """One build, True if it succeeded; a broken site must never stop the preview."""
        began = time.perf_counter()
        self.builds += 1
        diagnostics = Diagnostics()
        report: BuildReport | None = None
        try:
            config = self._load_config(diagnostics)
            report = self.build_site(config, diagnostics)
            if self.builds == 1 and config.search:
                # Once, at start: Pagefind takes seconds on a big site, too long for each save,
                # so the preview's search may lag behind its pages (as build.index_search says).
                self.index(config, report)
            problems: list[str] = []
        except BuildFailed as error:
            problems = [str(problem) for problem in error.errors]
        except UnsafeOutput as error:
            if self.builds == 1:  # nothing was ever built there: nothing safe to serve
                raise
            problems = [f"{CONFIG_NAME}: {error}"]
        except Exception as error:  # a bug (ours, or a file vanishing mid-build): keep serving
            self.say(traceback.format_exc().rstrip(), True)
            problems = [f"internal error: {type(error).__name__}: {error} (traceback in the "
                        "terminal; save again to retry)"]
        milliseconds = (time.perf_counter() - began) * 1000
        if report is None:
            self._show_failure(problems, changed, milliseconds)
            return False
        self._show_success(report, changed, milliseconds)
        return True

    def _load_config(self, diagnostics: Diagnostics) -> SiteConfig:
        """site.yaml is read again on every build; the folders and URL path served stay put."""
        config = load_config(self.config_path, diagnostics).with_overrides(
            drafts=self.drafts or None)
        fixed = ("content_dir", "templates_dir", "output_dir", "base_path")
        moved = [name for name in fixed
                 if getattr(config, name) != getattr(self.started, name)]
        if moved:
            keys = ", ".join({"content_dir": "content", "templates_dir": "templates",
                              "output_dir": "output", "base_path": "base_url"}[n] for n in moved)
            raise BuildFailed([ContentError(SourceLocation(self.config_path.name),
                                            f"{keys} changed while serving",
                                            "stop and restart `site-builder serve` to use it")])
        return config

    def _show_success(self, report: BuildReport, changed: Collection[str],
                      milliseconds: float) -> None:
        was_failing = bool(self.state.problems)
        self.state.problems = []
        if report.warnings != self._warnings:
            for warning in report.warnings:
                self.say(f"warning: {warning}", True)
            self._warnings = list(report.warnings)
        for notice in report.notices:
            self.say(f"warning: {notice}", True)
        log.debug("build stages (ms): %s",
                  {stage: round(seconds * 1000) for stage, seconds in report.timings.items()})
        written, removed = len(report.written), len(report.removed)
        what = (_what(changed) if changed else
                f"Built {report.threads} threads, {report.pages} pages")
        self.say(f"{what}: {written} page{_s(written)} written, {removed} removed, "
                 f"{milliseconds:.0f} ms", False)
        if was_failing or report.removed:
            self.state.reload()
        elif report.written:
            self.state.reload(_reload_path(report.written, self.state.base_path))

    def _show_failure(self, problems: list[str], changed: Collection[str],
                      milliseconds: float) -> None:
        for problem in problems:
            self.say(problem, True)
        count = len(problems)
        what = _what(changed) if changed else "Build"
        self.say(f"{what}: build failed, {count} problem{_s(count)} "
                 f"(shown in the browser; the last good build stays in output/), "
                 f"{milliseconds:.0f} ms", True)
        if problems != self.state.problems:
            self.state.problems = problems
            self.state.reload()


def _what(changed: Collection[str]) -> str:
    first = sorted(changed)[0]
    more = len(changed) - 1
    return f"{first} and {more} other file{_s(more)} changed" if more else f"{first} changed"


def _reload_path(written: list[str], base_path: str) -> str:
    """Stylesheets alone are swapped in place by livereload.js; anything else reloads the page."""
    if all(path.endswith(".css") for path in written):
        return base_path + written[0]
    return "*"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
