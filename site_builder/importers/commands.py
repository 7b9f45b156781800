"""`site-builder import ...`: prints one line per file, errors on stderr, exit 1 on bad input."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from click.core import ParameterSource

from site_builder.config import load_config
from site_builder.errors import BuildFailed
from site_builder.importers import ImportPlan, write_import_plan
from site_builder.importers.threadreader import plan_threadreader_import
from site_builder.importers.x_archive import plan_x_archive_import

DEFAULT_TIMEZONE = "Europe/Paris"

_LINES = {
    "created": "created {path}",
    "unchanged": "unchanged {path}",
    "skipped": "skipped {path} (edited since the last import; --force overwrites it)",
    "overwritten": "overwritten {path}",
}

_config_option = click.option(
    "--config", "config_path", default="site.yaml", show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's settings: where content/ is, which time zone dates are in.",
)
_force_option = click.option(
    "--force", is_flag=True, help="Overwrite files that were changed since the last import."
)
_date = click.DateTime(formats=["%Y-%m-%d"])


@click.group("import")
def import_group() -> None:
    """Turn threads exported from elsewhere into content files."""


def _site(config_path: Path) -> tuple[Path, str]:
    """The content folder and time zone; without a site.yaml, ./content and Europe/Paris."""
    source = click.get_current_context().get_parameter_source("config_path")
    if not config_path.exists() and source is ParameterSource.DEFAULT:
        return Path("content").resolve(), DEFAULT_TIMEZONE
    site = load_config(config_path)
    return site.content_dir, site.timezone


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _run(plan: Callable[[Path, str], ImportPlan], config_path: Path, force: bool) -> None:
    """Plan everything, write only if nothing is wrong, then say what happened to each file."""
    try:
        content_dir, timezone = _site(config_path)
        planned = plan(content_dir, timezone)
        for warning in planned.warnings:
            click.echo(f"warning: {warning}", err=True)
        results = write_import_plan(planned, force)
    except BuildFailed as failed:
        for error in failed.errors:
            click.echo(str(error), err=True)
        count = len(failed.errors)
        click.echo(f"{count} problem{'s' if count > 1 else ''}; nothing was written.", err=True)
        raise click.exceptions.Exit(1) from None
    for path, outcome in results:
        click.echo(_LINES[outcome].format(path=_shown(path)))
    counts = Counter(outcome for _, outcome in results)
    summary = ", ".join(f"{counts[o]} {o}" for o in _LINES if counts[o]) or "nothing to import"
    click.echo(summary)


@import_group.command("threadreader")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--as-of", type=_date,
              help="The day the export was taken (default: today); dates without a year "
                   "fall on or before it.")
@click.option("--tag", "tags", multiple=True,
              help="A tag for every imported thread; repeat it or separate tags with commas.")
@_force_option
@_config_option
def threadreader_command(
    file: Path, as_of: dt.datetime | None, tags: tuple[str, ...], force: bool, config_path: Path
) -> None:
    """Import a Thread Reader export: a line `Sep 26 • 18 tweets • 6 min read` heads each thread."""
    words = list(dict.fromkeys(w.strip() for tag in tags for w in tag.split(",") if w.strip()))

    def plan(content_dir: Path, timezone: str) -> ImportPlan:
        day = as_of.date() if as_of else dt.datetime.now(ZoneInfo(timezone)).date()
        return plan_threadreader_import(file, content_dir, as_of=day, tags=words)

    _run(plan, config_path, force)


@import_group.command("x-archive")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--min-tweets", type=click.IntRange(min=1), default=2, show_default=True,
              help="Leave out threads with fewer tweets (1 imports single tweets too).")
@click.option("--since", type=_date, help="Leave out threads started before this day.")
@_force_option
@_config_option
def x_archive_command(
    path: Path, min_tweets: int, since: dt.datetime | None, force: bool, config_path: Path
) -> None:
    """Import your threads from an X data archive (the zip, or the folder it was extracted to)."""

    def plan(content_dir: Path, timezone: str) -> ImportPlan:
        return plan_x_archive_import(path, content_dir, timezone=timezone, min_tweets=min_tweets,
                                     since=since.date() if since else None)

    _run(plan, config_path, force)
