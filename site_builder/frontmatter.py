"""Split a content file into its `---` YAML block and body, with lines counted in the file."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.errors import Diagnostics
from site_builder.yamltree import Value, parse_mapping

_FENCES = ("---",)
_CLOSERS = ("---", "...")


@dataclass(frozen=True, slots=True)
class SplitFile:
    """The parsed front-matter and the body, with the file line the body starts on."""

    meta: dict[str, Value]
    body: str
    body_line: int


def decode_source(data: bytes, path: str, diagnostics: Diagnostics) -> str | None:
    """UTF-8 (a BOM is fine), with LF line ends; other encodings are an error at their line."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        diagnostics.error(path, line, f"not UTF-8 text (byte 0x{byte:02x})",
                          f"re-encode the file as UTF-8, e.g. iconv -f cp1252 -t utf-8 {path}")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def split_front_matter(text: str, path: str, diagnostics: Diagnostics) -> SplitFile | None:
    """Front-matter must open on line 1 and be closed; the body is everything after."""
    if not text.strip():
        diagnostics.error(path, 1, "empty file", "a thread starts with ---, date: YYYY-MM-DD, ---")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() not in _FENCES:
        diagnostics.error(path, 1, "no front-matter",
                          "did you forget the `---` line before `date: YYYY-MM-DD`?")
        return None
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in _CLOSERS),
                   None)
    if closing is None:
        diagnostics.error(path, 1, "front-matter is never closed",
                          "add a `---` line after the last `key: value` line")
        return None
    meta = parse_mapping("\n".join(lines[1:closing]), path, 2, diagnostics)
    if meta is None:
        return None
    return SplitFile(meta, "\n".join(lines[closing + 1:]), closing + 2)
