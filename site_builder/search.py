"""Full-text search: run Pagefind over the built site, then swap its bundle into output/pagefind/.

Pagefind reads a mirror of the pages and writes into a staging folder, both beside the build
state; only a complete bundle replaces the published one, so a failed or interrupted index leaves
the previous search working.

The mirror exists for elisions: Pagefind 1.5 drops a typographic apostrophe and indexes
"l’acier" as one word "lacier", so "acier" would not find it; with a straight apostrophe it
indexes "l'acier", "l" and "acier". Pages are hard links into output/ unless they hold one.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.writer import STATE_DIR

log = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"
TIMEOUT_SECONDS = 600
# A typographic apostrophe between two letters: an elision (l’acier, d’usine, aujourd’hui).
_ELISION = re.compile(r"(?<=[^\W\d_])\u2019(?=[^\W\d_])")
_REQUIRED = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
_INSTALL_HINT = "install it with: pip install 'site-builder[search]'"


class SearchUnavailable(Exception):
    """Pagefind could not index the site; the message is one line saying why."""


@dataclass(slots=True)
class SearchReport:
    """What the index holds and which bundle files changed (paths relative to output/)."""

    pages: int = 0
    language: str = ""
    seconds: float = 0.0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def index_site(output_dir: Path, language: str) -> SearchReport:
    """Index every page of the built site in `language` (stemming) and publish the bundle."""
    started = time.perf_counter()
    output = output_dir.resolve()
    state = output / STATE_DIR
    if not state.is_dir():  # index only what a build wrote, never a folder of someone else's
        raise SearchUnavailable(f"no built site at {output}")
    _check_installed()
    staging = state / f"{BUNDLE_FOLDER}-new-{os.getpid()}"
    mirror = state / f"{BUNDLE_FOLDER}-pages-{os.getpid()}"
    try:
        for folder in (staging, mirror):
            shutil.rmtree(folder, ignore_errors=True)
        if not _mirror_pages(output, mirror):
            raise SearchUnavailable(f"no HTML pages to index in {output}")
        _run_pagefind(mirror, staging, language)
        pages = _check_bundle(staging)
        report = SearchReport(pages=pages, language=language)
        _compare(output / BUNDLE_FOLDER, staging, report)
        _swap_in(staging, output / BUNDLE_FOLDER, state)
    except OSError as error:
        raise SearchUnavailable(f"search index not written: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(mirror, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    log.info("search: indexed %d pages (%s) in %.2f s", report.pages, language, report.seconds)
    return report


def _check_installed() -> None:
    """Say which piece is missing before running anything."""
    if importlib.util.find_spec("pagefind") is None:
        raise SearchUnavailable(f"the pagefind package is not installed; {_INSTALL_HINT}")
    try:
        from pagefind.service import get_executable
    except ImportError as error:
        raise SearchUnavailable(f"the pagefind package cannot be loaded ({error}); "
                                f"{_INSTALL_HINT}") from None
    binary = get_executable()  # honours PAGEFIND_BINARY_PATH, then pagefind_bin, then $PATH
    if binary is None:
        raise SearchUnavailable(f"the Pagefind binary is missing (pagefind[bin]); {_INSTALL_HINT}")
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise SearchUnavailable(f"the Pagefind binary {binary} is missing or not executable")


def _mirror_pages(output: Path, mirror: Path) -> int:
    """Every page of the site (not .site-builder/, .git/ or pagefind/), elisions straightened."""
    count = 0
    for top, folders, files in os.walk(output):
        here = Path(top)
        if here == output:
            folders[:] = [f for f in folders if not f.startswith(".") and f != BUNDLE_FOLDER]
        pages = [name for name in files if name.endswith(".html")]
        if not pages:
            continue
        target = mirror / here.relative_to(output)
        target.mkdir(parents=True, exist_ok=True)
        for name in pages:
            _mirror_page(here / name, target / name)
            count += 1
    return count


def _mirror_page(page: Path, copy: Path) -> None:
    data = page.read_bytes()
    if "\u2019".encode() in data:
        text = data.decode("utf-8", errors="surrogateescape")
        copy.write_bytes(_ELISION.sub("'", text).encode("utf-8", errors="surrogateescape"))
        return
    try:
        os.link(page, copy)
    except OSError:  # a file system without hard links
        shutil.copyfile(page, copy)


def _run_pagefind(pages: Path, staging: Path, language: str) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(pages),
               "--output-path", str(staging), "--force-language", language, "--quiet"]
    log.debug("running %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise SearchUnavailable(f"Pagefind did not finish in {TIMEOUT_SECONDS} s") from None
    except OSError as error:
        raise SearchUnavailable(f"Pagefind could not start: {error}") from None
    if done.stdout.strip():
        log.debug("pagefind: %s", done.stdout.strip())
    if done.returncode != 0:
        raise SearchUnavailable(f"Pagefind failed: {_reason(done.stderr, done.returncode)}")


def _reason(stderr: str, code: int) -> str:
    """The one line of Pagefind's (or Python's) output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Error:"):
            return line[len("Error:"):].strip()
    for index, line in enumerate(lines):
        if "panicked at" in line and index + 1 < len(lines):
            return lines[index + 1]
    return lines[-1] if lines else f"exit code {code}"


def _check_bundle(staging: Path) -> int:
    """The number of pages indexed; a bundle without its entry files must not be published."""
    missing = [name for name in _REQUIRED if not (staging / name).is_file()]
    if missing:
        raise SearchUnavailable(f"Pagefind wrote an incomplete bundle (no {', '.join(missing)})")
    try:
        entry = json.loads((staging / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(index["page_count"]) for index in entry["languages"].values())
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SearchUnavailable(f"Pagefind wrote an unreadable pagefind-entry.json: "
                                f"{error}") from None


def _compare(published: Path, staging: Path, report: SearchReport) -> None:
    """List bundle files that are new or differ, and those that go, for changes.txt and CDNs."""
    new = _files(staging)
    old = _files(published)
    prefix = BUNDLE_FOLDER + "/"
    for name in sorted(new):
        if name not in old or not filecmp.cmp(published / name, staging / name, shallow=False):
            report.written.append(prefix + name)
    report.removed = [prefix + name for name in sorted(old - new)]


def _files(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def _swap_in(staging: Path, published: Path, state: Path) -> None:
    """Rename the old bundle away, the new one in, then delete the old (same file system)."""
    retired = state / f"{BUNDLE_FOLDER}-old-{os.getpid()}"
    shutil.rmtree(retired, ignore_errors=True)
    had_old = published.exists()
    if had_old:
        os.replace(published, retired)
    try:
        os.replace(staging, published)
    except OSError:
        if had_old:  # put the previous search back rather than leave none
            os.replace(retired, published)
        raise
    shutil.rmtree(retired, ignore_errors=True)
