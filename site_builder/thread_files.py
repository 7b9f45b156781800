"""Write content files (front-matter + Markdown) that the build reads back exactly as meant."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml

log = logging.getLogger(__name__)

WriteOutcome = Literal["created", "unchanged", "skipped", "overwritten"]

# Keys whose list items are always quoted: ids are digits that YAML would otherwise read as ints.
_ALWAYS_QUOTED_LISTS = frozenset({"tweet_ids"})
# YAML line breaks: a string holding one is written double-quoted so it stays on one line.
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


class _QuotedStr(str):
    """A string that must be written double-quoted, whatever it looks like."""

    __slots__ = ()


class _FrontMatterDumper(yaml.SafeDumper):
    """SafeDumper with one-line scalars, flow lists and ISO 8601 timestamps (`T`, not a space)."""

    def choose_scalar_style(self) -> str:
        # One quoting style for every quoted value, the one the documented format shows.
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


def _looks_numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML picks plain style only when the text reads back as the same string, else quotes it.
    # Its YAML 1.1 rules read `nan` or `1e3` as text, the build would not: quote those too.
    forced = isinstance(value, _QuotedStr) or _looks_numeric(value)
    style = '"' if forced or not _LINE_BREAKS.isdisjoint(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_list(dumper: yaml.SafeDumper, value: list[str]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_FrontMatterDumper.add_representer(str, _represent_str)
_FrontMatterDumper.add_representer(list, _represent_list)
_FrontMatterDumper.add_representer(_QuotedStr, _represent_str)
_FrontMatterDumper.add_representer(dt.datetime, _represent_datetime)


def _check_value(key: str, value: object) -> object:
    """Refuse what the content format has no place for; a bad value here is a bug in the caller."""
    if isinstance(value, bool | int | str | dt.date):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        if key in _ALWAYS_QUOTED_LISTS:
            return [_QuotedStr(item) for item in value]
        return list(value)
    raise TypeError(f"front-matter {key!r}: cannot write {type(value).__name__} {value!r}")


def render_front_matter(meta: Mapping[str, object]) -> str:
    """The YAML between the `---` lines: keys in the given order, one line per key."""
    if not meta:
        return ""
    checked = {key: _check_value(key, value) for key, value in meta.items()}
    return yaml.dump(
        checked,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        width=math.inf,
        allow_unicode=True,
    )


def render_thread_file(meta: dict[str, object], body: str) -> str:
    """One thread as a content file; the same input always gives the same bytes."""
    head = f"---\n{render_front_matter(meta)}---\n"
    body = body.strip("\n")
    return f"{head}\n{body}\n" if body else head


def write_file_once(path: Path, data: bytes, force: bool = False) -> WriteOutcome:
    """Write `data` unless the file already holds it, or holds what the user may have edited."""
    if path.exists():
        if path.read_bytes() == data:
            return "unchanged"
        if not force:
            return "skipped"
        path.write_bytes(data)
        log.debug("overwrote %s", path)
        return "overwritten"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    log.debug("created %s", path)
    return "created"


def write_thread_file_once(path: Path, text: str, force: bool = False) -> WriteOutcome:
    """Idempotent imports: a re-run creates nothing new, never clobbers an edit unless forced."""
    return write_file_once(path, text.encode("utf-8"), force)
