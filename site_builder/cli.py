"""The `site-builder` command: parses options, prints results and errors, sets exit codes.

Exit codes: 0 success, 1 problems in the site (content, config, templates), 2 usage errors.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import zoneinfo
from pathlib import Path
from typing import Any, ClassVar

import click

from site_builder import __version__, rerun
from site_builder.build_command import reported_failures, run_build
from site_builder.config import CONFIG_NAME, SiteConfig, load_config
from site_builder.errors import Diagnostics
from site_builder.fields import FieldError
from site_builder.writer import read_if_present

config_option = click.option("--config", "config_path", default=CONFIG_NAME, show_default=True,
                             type=click.Path(dir_okay=False, path_type=Path),
                             help="The site's configuration file.")


class _LazyGroup(click.Group):
    """Subcommands that live beside their feature are imported only when run: `build` need
    not load the preview server or the importers. (click's documented lazy-loading pattern.)"""

    PLUGGED: ClassVar[dict[str, tuple[str, str]]] = {  # command name -> (module, attribute)
        "import": ("site_builder.importers.commands", "import_group"),
        "check": ("site_builder.check", "check_command"),
        "serve": ("site_builder.serve", "serve_command"),
    }

    def list_commands(self, context: click.Context) -> list[str]:
        return sorted([*super().list_commands(context), *self.PLUGGED])

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        if name in self.PLUGGED:
            module, attribute = self.PLUGGED[name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(context, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="site-builder")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    """Build an archive of threads into a static site."""
    # console.main passes the arguments as typed, for rerun.py; tests' runners pass nothing.
    context.obj = {**(context.obj or {}), "debug": debug}
    if debug:  # else Python's own handler prints warnings; logging costs a no-op build 13 ms
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")


@cli.command("build")
@config_option
@click.option("--content", type=click.Path(file_okay=False, path_type=Path),
              help="Content folder (overrides site.yaml).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (overrides site.yaml).")
@click.option("--base-url", help="Address the site is published at (overrides site.yaml).")
@click.option("--drafts", is_flag=True, help="Include threads with `draft: true`.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--check", "check_after", is_flag=True,
              help="Then check every link, anchor, page and feed of the result.")
@click.pass_obj
def build_command(obj: dict[str, Any], config_path: Path, content: Path | None,
                  output: Path | None, base_url: str | None, drafts: bool, strict: bool,
                  quiet: bool, check_after: bool) -> None:
    """Build the site into the output folder."""
    diagnostics = Diagnostics()
    seen = read_if_present(config_path)  # before loading it: see rerun.remember
    with reported_failures():
        config = load_config(config_path, diagnostics)
        try:
            config = config.with_overrides(content_dir=content, output_dir=output,
                                           base_url=base_url, drafts=drafts or None,
                                           strict=strict or None)
        except FieldError as error:
            raise click.BadParameter(error.message, param_hint="--base-url") from None
        if strict:
            diagnostics.raise_if_errors(strict=True)
    if obj.get("arguments") and not check_after:
        rerun.remember(obj["arguments"], config_path, seen, config, diagnostics.warnings, quiet)
    run_build(config, diagnostics, quiet)
    if check_after:
        from site_builder.check import check_report, print_check_report

        if not print_check_report(check_report(config.output_dir, config.base_path,
                                               config.base_url)):
            sys.exit(1)


@cli.command("new")
@click.argument("title")
@click.option("--tags", default="", help="Comma-separated tags, e.g. chine,industrie.")
@config_option
def new_command(title: str, tags: str, config_path: Path) -> None:
    """Create a dated thread file with its front-matter."""
    # Here, not at the top: every `build` would load python-slugify for nothing (~10 ms).
    from site_builder.slugs import slugify
    from site_builder.thread_files import render_thread_file, write_file_once

    with reported_failures():
        config = load_config(config_path)
    today = dt.datetime.now(zoneinfo.ZoneInfo(config.timezone)).date()
    meta: dict[str, object] = {"date": today, "title": title}
    tag_list = [tag.strip() for tag in tags.split(",") if tag.strip()]
    if tag_list:
        meta["tags"] = tag_list
    path = config.content_dir / f"{today.isoformat()}-{slugify(title) or 'thread'}.md"
    outcome = write_file_once(path, render_thread_file(meta, "").encode("utf-8"))
    if outcome != "created":
        raise click.ClickException(f"{config.display_path(path)} already exists")
    click.echo(config.display_path(path))


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def init_command(folder: Path, language: str) -> None:
    """Start a new archive in FOLDER, ready to build with the default theme."""
    from site_builder.starter import create_site

    try:
        created = create_site(folder, language, dt.date.today())
    except FileExistsError as error:
        raise click.ClickException(f"{error} already exists; not touching it") from None
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"Next: cd {folder} && site-builder build")


def load_site(config_path: Path) -> SiteConfig:
    """For other commands: the config, or the errors and exit 1."""
    with reported_failures():
        return load_config(config_path)
