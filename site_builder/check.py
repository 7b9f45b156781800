"""`site-builder check`: read the built site as a host would serve it and list what a reader hits.

Every internal link and anchor must resolve (case-exact, as on any Linux host), every page must
parse, every XML file must be well-formed. Each page is scanned once (and not again while it is
unchanged); the links are then resolved against one listing of output/ and the ids found.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click

from site_builder.htmlscan import Link
from site_builder.linkmap import SiteLinks
from site_builder.scanpages import scan_pages

log = logging.getLogger(__name__)

# Top-level folders of output/ that are not pages of the site: ours, Pagefind's, git's.
SKIPPED_FOLDERS = frozenset({".site-builder", "pagefind", ".git"})
UNPUBLISHED_FOLDERS = frozenset({".site-builder", ".git"})
_XML_LINKS = frozenset({"{http://www.sitemaps.org/schemas/sitemap/0.9}loc",
                        "{http://www.w3.org/2005/Atom}link"})
_POSITION = re.compile(r": line \d+, column \d+$")


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in the output: `page:line: link: why` (line 0 when unknown)."""

    page: str
    line: int
    link: str
    why: str

    def __str__(self) -> str:
        place = f"{self.page}:{self.line}" if self.line else self.page
        return f"{place}: {self.link}: {self.why}" if self.link else f"{place}: {self.why}"


@dataclass(slots=True)
class CheckReport:
    """The problems, and what was looked at, so a clean run can say how much it covered."""

    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    links: int = 0
    xml_files: int = 0
    seconds: float = 0.0


def check_site(output_dir: Path, base_path: str = "/", base_url: str = "") -> list[Problem]:
    """Every problem in the built site, sorted by page and line; empty when the site is sound."""
    return check_report(output_dir, base_path, base_url).problems


def check_report(output_dir: Path, base_path: str = "/", base_url: str = "") -> CheckReport:
    """check_site with counts and timing, for the command's summary line."""
    started = time.perf_counter()
    report = CheckReport()
    output = output_dir.resolve()
    if not output.is_dir():
        report.problems.append(Problem(str(output_dir), 0, "", "no such folder; build first"))
        return report
    files, folders = _listing(output)
    pages = sorted(p for p in files if p.endswith((".html", ".htm")) and _is_page(p))
    scans = dict(zip(pages, scan_pages(output, pages), strict=True))
    site = SiteLinks(base_path, base_url, files, folders, {p: s.ids for p, s in scans.items()})
    for page, scan in scans.items():
        report.problems += [Problem(page, line, "", why) for line, why in scan.problems]
        report.problems += _link_problems(site, page, scan.links, scan.base)
        report.links += len(scan.links)
    for name in sorted(p for p in files if p.endswith(".xml") and _is_page(p)):
        links = _check_xml(output / name, name, report.problems)
        report.problems += _link_problems(site, name, links, None)
        report.links += len(links)
        report.xml_files += 1
    report.pages = len(pages)
    report.problems.sort()
    report.seconds = time.perf_counter() - started
    log.debug("checked %d pages, %d links in %.2f s", report.pages, report.links, report.seconds)
    return report


def _is_page(path: str) -> bool:
    return path.split("/", 1)[0] not in SKIPPED_FOLDERS


def _listing(output: Path) -> tuple[set[str], set[str]]:
    """Every published file and folder as the host sees them: real names, exact case."""
    files: set[str] = set()
    folders: set[str] = {""}
    for top, dirnames, filenames in os.walk(output):
        relative = Path(top).relative_to(output).as_posix()
        prefix = "" if relative == "." else relative + "/"
        if not prefix:
            dirnames[:] = [d for d in dirnames if d not in UNPUBLISHED_FOLDERS]
        folders.update(prefix + name for name in dirnames)
        files.update(prefix + name for name in filenames)
    return files, folders


def _link_problems(site: SiteLinks, page: str, links: list[Link],
                   base: str | None) -> list[Problem]:
    found = []
    origin = site.page_origin(page, base)
    for line, url in links:
        outcome = site.resolve(origin, url)
        if outcome.why:
            found.append(Problem(page, line, url, outcome.why))
    return found


def _check_xml(path: Path, name: str, problems: list[Problem]) -> list[Link]:
    """Parse one XML file; its sitemap <loc>s and Atom <link href>s are links to check."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        line = error.position[0]
        problems.append(Problem(name, line, "", f"not well-formed XML: "
                                f"{_POSITION.sub('', str(error))}"))
        return []
    links = []
    for element in root.iter():
        if element.tag not in _XML_LINKS:
            continue
        url = element.get("href") if element.tag.endswith("}link") else element.text
        if url:
            links.append((0, url.strip()))
    return links


@click.command("check")
@click.option("--config", "config_path", default="site.yaml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The site's configuration file (for base_url and the output folder).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="The built site to check (overrides site.yaml).")
@click.option("--base-url", help="Address the site is published at (overrides site.yaml).")
def check_command(config_path: Path, output: Path | None, base_url: str | None) -> None:
    """Check the built site: links, anchors, HTML structure, well-formed feeds and sitemap."""
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter("must be like https://example.org/archive/",
                                     param_hint="--base-url")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    if output is not None and not config_path.exists():  # a bare folder: no site.yaml needed
        report = check_report(output, urlsplit(base_url or "").path or "/", base_url or "")
    else:
        from site_builder.cli import load_site

        config = load_site(config_path).with_overrides(output_dir=output, base_url=base_url)
        report = check_report(config.output_dir, config.base_path, config.base_url)
    if not print_check_report(report):
        sys.exit(1)


def print_check_report(report: CheckReport) -> bool:
    """Each problem on stdout, a count on stderr; True when the site is clean."""
    for problem in report.problems:
        click.echo(str(problem))
    summary = (f"{report.pages} pages, {report.links} links, {report.xml_files} XML files "
               f"checked in {report.seconds:.2f} s")
    if report.problems:
        count = len(report.problems)
        click.echo(f"{count} problem{'s' if count > 1 else ''}; {summary}", err=True)
        return False
    click.echo(f"No problems: {summary}")
    return True
