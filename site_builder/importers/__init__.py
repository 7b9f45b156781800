"""What every importer shares: Markdown-safe lines, file names, and a plan written all at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.errors import BuildFailed, ContentError, Diagnostics, SourceLocation
from site_builder.markdown import TWEET_BREAK, render_markdown
from site_builder.slugs import slugify
from site_builder.thread_files import WriteOutcome, render_thread_file, write_file_once

# A backslash before ASCII punctuation is an escape in Markdown: double it to keep it as text.
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# `&amp;`, `&#38;`, `&#x26;` would be read as the character they name.
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
# Lines Markdown would read as a block (heading, quote, list item, rule, fence, link definition).
_BLOCK_START = re.compile(
    r"#{1,6}(?:[ \t]|$)|>|[-+*](?:[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$|```|~~~|\[[^\]]*\]:"
)
# `^[text]` is an inline footnote: its text would move to the foot of the page.
_INLINE_FOOTNOTE = re.compile(r"\^(?=\[)")
_ORDERED_ITEM = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")


def escape_markdown_line(line: str) -> str:
    """A line of imported text as one paragraph: no block, HTML or entity; *inline* stays inline."""
    line = line.strip()
    line = _BACKSLASH.sub(r"\\\\", line)
    line = _ENTITY.sub(r"\\&", line).replace("<", r"\<")
    line = _INLINE_FOOTNOTE.sub(r"\\^", line)
    if _BLOCK_START.match(line):
        return "\\" + line
    return _ORDERED_ITEM.sub(r"\1\\\2", line, count=1) if _ORDERED_ITEM.match(line) else line


def markdown_paragraphs(text: str) -> list[str]:
    """Each non-blank line of `text` as one escaped paragraph; blank lines carry no meaning."""
    return [escape_markdown_line(line) for line in re.split(r"\r\n|\r|\n", text) if line.strip()]


def thread_slug(body: str) -> str:
    """The slug the build gives a thread with this body by default, so file name and URL agree."""
    # The title comes from the first paragraph: parsing the first tweet is enough, and cheap.
    first_tweet = body.split(f"\n\n{TWEET_BREAK}\n\n", 1)[0]
    return slugify(render_markdown(first_tweet).first_sentence) or "thread"


@dataclass(frozen=True, slots=True)
class ImportedThread:
    """One thread read from an export, before it has a file name."""

    day: dt.date
    meta: dict[str, object]
    body: str
    media: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """Bytes to write at a path; planned in full before anything touches the disk."""

    path: Path
    data: bytes


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Every file an import would write, and what the user should double-check."""

    files: tuple[PlannedFile, ...]
    warnings: tuple[ContentError, ...] = field(default=())


def plan_thread_files(threads: Sequence[ImportedThread], content_dir: Path) -> list[PlannedFile]:
    """Name each thread `{date}-{slug}` (`-2`, `-3` on a clash); a thread with media is a bundle."""
    files: list[PlannedFile] = []
    taken: set[str] = set()
    for thread in threads:
        base = f"{thread.day.isoformat()}-{thread_slug(thread.body)}"
        stem, n = base, 1
        while stem in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem)
        text = render_thread_file(thread.meta, thread.body).encode("utf-8")
        if not thread.media:
            files.append(PlannedFile(content_dir / f"{stem}.md", text))
            continue
        bundle = content_dir / stem
        files.append(PlannedFile(bundle / "index.md", text))
        files.extend(PlannedFile(bundle / name, data) for name, data in thread.media)
    return files


def write_import_plan(plan: ImportPlan, force: bool = False) -> list[tuple[Path, WriteOutcome]]:
    """Write the planned files, leaving alone any the user changed since the last import."""
    results: list[tuple[Path, WriteOutcome]] = []
    for planned in plan.files:
        try:
            results.append((planned.path, write_file_once(planned.path, planned.data, force)))
        except OSError as error:
            where = SourceLocation(str(planned.path))
            raise BuildFailed([ContentError(where, f"cannot write: {error.strerror}")]) from error
    return results


def decode_utf8(data: bytes, where: str, diagnostics: Diagnostics, problem: str) -> str | None:
    """An exported file as text (a BOM is fine), or `problem` at the line it stops being UTF-8."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        diagnostics.error(where, data[: error.start].count(b"\n") + 1, problem)
        return None
