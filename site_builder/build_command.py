"""What `site-builder build` does once its options are read, and every line it prints.

Apart from cli.py because of click: a build typed again as last time runs this without
loading click (rerun.py), and both ways must behave and print the same.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from site_builder.build import BuildReport, build, index_search
from site_builder.config import SiteConfig
from site_builder.errors import BuildFailed, ContentError, Diagnostics
from site_builder.progress import TerminalBar, silent
from site_builder.writer import UnsafeOutput


def run_build(config: SiteConfig, diagnostics: Diagnostics, quiet: bool) -> BuildReport:
    """Build, index for search when the site has it, and say what happened; exit 1 on
    problems in the site."""
    bar = TerminalBar() if sys.stderr.isatty() and not quiet else None
    with reported_failures():
        try:
            report = build(config, diagnostics, bar or silent)
        finally:
            if bar:
                bar.close()
    if config.search:
        index_search(config, report)
    print_warnings(report.warnings or diagnostics.warnings)
    for notice in report.notices:
        say(f"warning: {notice}", err=True)
    if not quiet:
        say(summary_line(report))
    return report


def summary_line(report: BuildReport) -> str:
    search = report.timings.get("search")
    indexed = f", search index {search:.2f} s" if search is not None else ""
    return (f"Built {report.threads} threads, {report.pages} pages "
            f"({len(report.written)} written, {len(report.removed)} removed) "
            f"in {report.seconds:.2f} s{indexed}")


def print_warnings(warnings: list[ContentError]) -> None:
    for warning in sorted(set(warnings)):
        say(f"warning: {warning}", err=True)


@contextlib.contextmanager
def reported_failures() -> Iterator[None]:
    """Turn user errors into `path:line: message` lines and exit 1; bugs keep their traceback."""
    try:
        yield
    except BuildFailed as error:
        for problem in error.errors:
            say(str(problem), err=True)
        count = len(error.errors)
        say(f"{count} problem{'s' if count > 1 else ''}; output was not changed.", err=True)
        sys.exit(1)
    except UnsafeOutput as error:
        say(f"error: {error}", err=True)
        sys.exit(1)


def say(line: str, err: bool = False) -> None:
    """click.echo's behaviour for plain text: one line, flushed, so stdout and stderr keep
    their order in a log."""
    print(line, file=sys.stderr if err else sys.stdout, flush=True)
