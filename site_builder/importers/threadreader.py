"""Thread Reader exports -> content files; `Sep 26 • 18 tweets • 6 min read` heads each thread."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import BuildFailed, ContentError, Diagnostics, SourceLocation
from site_builder.importers import (
    ImportedThread,
    ImportPlan,
    decode_utf8,
    markdown_paragraphs,
    plan_thread_files,
)

log = logging.getLogger(__name__)

# A line shaped like a header; its parts are checked one by one so a bad date is reported, not
# silently read as thread text.
_HEADER = re.compile(
    r"(?P<date>[^•]*?)\s*•\s*(?P<tweets>\S+)\s+tweets?\s*•\s*(?P<minutes>\S+)\s+min\s+read"
)
_DATE = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>[0-9]{1,2})(?:,?\s+(?P<year>[0-9]{4}))?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return: not text.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DATE_HINT = "expected a date like 'Sep 26' or 'Nov 19, 2023'"


@dataclass(frozen=True, slots=True)
class _Header:
    """What a header line says about the thread below it."""

    line: int
    date: dt.date
    tweets: int
    read_time: int


def _header_date(text: str, as_of: dt.date) -> dt.date | str:
    """The header's date (a year-less date falls on or before `as_of`), or why it is not one."""
    match = _DATE.fullmatch(text)
    month = _MONTHS.get(match["month"].lower()) if match else None
    if match is None or month is None:
        return f"unknown date format {text!r} in thread header"
    day = int(match["day"])
    years = [int(match["year"])] if match["year"] else [as_of.year, as_of.year - 1]
    for year in years:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if match["year"] or date <= as_of:
            return date
    return f"{text!r} in thread header is not a date"


def _parse_header(
    match: re.Match[str], line: int, as_of: dt.date, source: str, diagnostics: Diagnostics
) -> _Header | None:
    """Check each part of a header line, reporting every bad part."""
    date = _header_date(match["date"], as_of)
    if isinstance(date, str):
        diagnostics.error(source, line, date, _DATE_HINT)
    numbers: list[int] = []
    for part, what in ((match["tweets"], "tweet count"), (match["minutes"], "read time")):
        if part.isascii() and part.isdigit() and int(part) >= 1:
            numbers.append(int(part))
        else:
            message = f"{what} {part!r} in thread header is not a number >= 1"
            diagnostics.error(source, line, message)
    if isinstance(date, str) or len(numbers) != 2:
        return None
    return _Header(line, date, numbers[0], numbers[1])


def _decode(data: bytes, source: str, diagnostics: Diagnostics) -> str | None:
    """The export as text, or an error saying where it stops being UTF-8 text."""
    text = decode_utf8(data, source, diagnostics, "not UTF-8 text: not a Thread Reader export")
    if text is None:
        return None
    binary = _BINARY.search(text)
    if binary:
        line = text.count("\n", 0, binary.start()) + 1
        diagnostics.error(source, line, "binary data: not a Thread Reader export")
        return None
    if not text.strip():
        diagnostics.error(source, 0, "empty file: no threads to import")
        return None
    return text


def parse_threadreader_export(
    data: bytes, source: str, *, as_of: dt.date, tags: Sequence[str] = ()
) -> tuple[list[ImportedThread], Diagnostics]:
    """Split an export into threads, newest first as listed; each line becomes one paragraph."""
    diagnostics = Diagnostics()
    text = _decode(data, source, diagnostics)
    if text is None:
        return [], diagnostics
    # The first block is the thread cut off above the first header; then one block per header,
    # with None for a header already reported as bad.
    blocks: list[tuple[_Header | None, int, list[tuple[int, str]]]] = [(None, 0, [])]
    for number, line in enumerate(text.split("\n"), start=1):
        match = _HEADER.fullmatch(line.strip())
        if match:
            blocks.append((_parse_header(match, number, as_of, source, diagnostics), number, []))
        elif line.strip():
            blocks[-1][2].append((number, line))
    threads = []
    for index, (header, header_line, lines) in enumerate(blocks):
        if index and header is None:
            continue
        if header and not lines:
            diagnostics.error(source, header_line, "thread header is followed by no text")
        if not lines:
            continue
        date = header.date if header else as_of
        meta: dict[str, object] = {"date": date}
        if header:
            meta |= {"tweets": header.tweets, "read_time": header.read_time}
        else:
            diagnostics.warn(
                source, lines[0][0],
                f"this thread has no header line (cut off from the export?): dated {as_of} "
                "from --as-of, without a tweet count",
                "check its date",
            )
        if tags:
            meta["tags"] = list(tags)
        texts = [line for _, line in lines]
        body = "\n\n".join(markdown_paragraphs("\n".join(texts)))
        threads.append(ImportedThread(date, meta, body))
    return threads, diagnostics


def plan_threadreader_import(
    path: Path, content_dir: Path, *, as_of: dt.date, tags: Sequence[str] = ()
) -> ImportPlan:
    """Everything an import of `path` would write; raises BuildFailed with every problem found."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = ContentError(SourceLocation(source), f"cannot read: {error.strerror}")
        raise BuildFailed([problem]) from None
    threads, diagnostics = parse_threadreader_export(data, source, as_of=as_of, tags=tags)
    diagnostics.raise_if_errors()
    log.debug("%s: %d threads", source, len(threads))
    return ImportPlan(tuple(plan_thread_files(threads, content_dir)), tuple(diagnostics.warnings))
