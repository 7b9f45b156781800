"""Scan the pages of output/ in worker processes, and remember the results between checks.

A page whose size and modification time are unchanged since the last check is not read again:
the builder only replaces files whose bytes change, so after an incremental build a check reads
only what the build wrote. The memory lives in output/.site-builder/ (never published) and is
dropped whenever the scanner's code or Python changes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from site_builder import htmlscan
from site_builder.htmlscan import PageScan, scan_html
from site_builder.pools import usable_cpus
from site_builder.writer import STATE_DIR, write_atomically

log = logging.getLogger(__name__)

CACHE_NAME = "check-scans.marshal"
_PARALLEL_FROM = 400  # below this many pages, starting worker processes costs more than it saves

# What a worker sends back and the cache keeps: plain values, cheap to pickle and to marshal.
Record = tuple[list[tuple[int, str]], list[str], str | None, list[tuple[int, str]]]


def scan_pages(output: Path, pages: list[str]) -> list[PageScan]:
    """One PageScan per page, in order; only pages changed since the last check are read."""
    state = output / STATE_DIR
    remembered = _load(state / CACHE_NAME) if state.is_dir() else {}
    stamps = [_stamp(output / page) for page in pages]
    todo = [page for page, stamp in zip(pages, stamps, strict=True)
            if stamp is None or remembered.get(page, (None,))[0] != stamp]
    fresh = dict(zip(todo, _scan_all(output, todo), strict=True))
    kept = {page: (stamp, fresh[page] if page in fresh else remembered[page][1])
            for page, stamp in zip(pages, stamps, strict=True)}
    log.debug("scanned %d pages, %d remembered", len(todo), len(pages) - len(todo))
    if state.is_dir() and (todo or len(remembered) != len(kept)):
        _save(state / CACHE_NAME, kept)
    return [PageScan(links, set(ids), base, problems)
            for (_, (links, ids, base, problems)) in kept.values()]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _scan_all(output: Path, pages: list[str]) -> list[Record]:
    paths = [str(output / page) for page in pages]
    workers = usable_cpus()
    if len(paths) < _PARALLEL_FROM or workers < 2:
        return [scan_file(path) for path in paths]
    chunk = max(16, len(paths) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(scan_file, paths, chunksize=chunk))


def scan_file(path: str) -> Record:
    """Read and scan one page; bytes that are not UTF-8 are a problem, not a crash."""
    data = Path(path).read_bytes()
    try:
        scan = scan_html(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        scan = scan_html(data.decode("utf-8", errors="replace"))
        scan.problems.append((data[:error.start].count(b"\n") + 1, "not UTF-8 text"))
        scan.problems.sort()
    return scan.links, sorted(scan.ids), scan.base, scan.problems


@functools.cache
def _code_stamp() -> str:
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sys.version.encode())
    for module in (htmlscan, sys.modules[__name__]):
        hasher.update(Path(str(module.__file__)).read_bytes())
    return hasher.hexdigest()


def _load(path: Path) -> dict[str, Any]:
    """The remembered scans, or nothing when the file is missing, damaged or from other code."""
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(stored, dict) or stored.get("code") != _code_stamp():
        return {}
    pages = stored.get("pages")
    return pages if isinstance(pages, dict) else {}


def _save(path: Path, pages: dict[str, Any]) -> None:
    try:
        write_atomically(path, marshal.dumps({"code": _code_stamp(), "pages": pages}))
    except OSError as error:  # a read-only output folder still gets checked
        log.debug("could not remember the scans: %s", error)
