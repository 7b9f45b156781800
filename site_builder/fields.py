"""Typed readers for YAML values, shared by site.yaml and front-matter: one schema, every error."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from site_builder.errors import Diagnostics

if TYPE_CHECKING:  # reading YAML needs PyYAML; checking what it read does not (rerun.py)
    import datetime as dt

    from site_builder.yamltree import Value

_INT = re.compile(r"[+-]?[0-9]{1,9}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_URL_SCHEMES = ("http://", "https://")


class FieldError(Exception):
    """A value of the right key but the wrong shape; the reader names the key and the line."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


Reader = Callable[[str, "Value"], Any]


def read_fields(mapping: Mapping[str, Value], schema: Mapping[str, Reader], path: str,
                diagnostics: Diagnostics, what: str = "key") -> dict[str, Any]:
    """Type every known key; unknown keys are warnings with a did-you-mean."""
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        reader = schema.get(key)
        if reader is None:
            import difflib  # only for a misspelt key

            close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(schema))}"
            diagnostics.warn(path, value.line, f"unknown {what} {key!r}", hint)
            continue
        if value.data is None:
            continue  # an empty value means "use the default"
        try:
            values[key] = reader(key, value)
        except FieldError as error:
            diagnostics.error(path, value.line, error.message, error.hint)
    return values


def _scalar(key: str, value: Value) -> str:
    if not isinstance(value.data, str):
        raise FieldError(f"{key!r} must be a single value, not a list or mapping")
    return value.data


def text(key: str, value: Value) -> str:
    """Any scalar, as written: `title: no` is the word "no"."""
    return _scalar(key, value).strip()


def whole_number(minimum: int = 1, maximum: int = 1_000_000) -> Reader:
    """Decimal digits only: `012` is twelve, `1:30` and `1e3` are errors, not YAML 1.1 numbers."""

    def read(key: str, value: Value) -> int:
        raw = _scalar(key, value).strip()
        if not _INT.fullmatch(raw):
            raise FieldError(f"{key!r} is not a whole number: {_quote(raw)}",
                             f"write a number between {minimum} and {maximum}")
        number = int(raw)
        if not minimum <= number <= maximum:
            raise FieldError(f"{key!r} must be between {minimum} and {maximum}, not {number}")
        return number

    return read


def boolean(key: str, value: Value) -> bool:
    """Only `true`/`false`: `yes`, `on` and `no` are YAML 1.1 guesses we do not make."""
    raw = _scalar(key, value).strip()
    if value.quoted or raw.lower() not in ("true", "false"):
        raise FieldError(f"{key!r} must be true or false, not {_quote(raw)}")
    return raw.lower() == "true"


def text_list(key: str, value: Value) -> list[str]:
    """A YAML list of words; `tags: "a, b"` is an error with the fix, not one odd tag."""
    if isinstance(value.data, str):
        raise FieldError(f"{key!r} must be a list, not {_quote(value.data)}",
                         f"write {key}: [{', '.join(_split_words(value.data))}]")
    if not isinstance(value.data, list):
        raise FieldError(f"{key!r} must be a list of words")
    items: list[str] = []
    for item in value.data:
        if not isinstance(item.data, str) or not item.data.strip():
            raise FieldError(f"{key!r} has an empty or nested item", "each item is a word")
        if not item.quoted and _looks_numeric(item.data):
            raise FieldError(f"{key!r} has a number, {item.data}, where a word is expected",
                             f'quote it: "{item.data}"')
        items.append(item.data.strip())
    return items


def url(key: str, value: Value) -> str:
    """An absolute http(s) URL: `javascript:` and friends never reach a page."""
    raw = _scalar(key, value).strip()
    if not raw.lower().startswith(_URL_SCHEMES) or any(c.isspace() for c in raw) or "<" in raw:
        raise FieldError(f"{key!r} must be an http(s) URL, not {_quote(raw)}")
    return raw


def choice(options: tuple[str, ...]) -> Reader:
    def read(key: str, value: Value) -> str:
        raw = _scalar(key, value).strip()
        if raw not in options:
            raise FieldError(f"{key!r} must be one of {', '.join(options)}, not {_quote(raw)}")
        return raw

    return read


def date_or_datetime(key: str, value: Value) -> dt.date | dt.datetime:
    """`2025-09-26` stays a calendar date; a timestamp keeps its offset or gets none (naive)."""
    import datetime as dt  # here: site.yaml has no dates, and a repeated build reads none

    raw = _scalar(key, value).strip()
    match = _DATE.fullmatch(raw)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
        if len(raw) >= 16 and _DATE.match(raw):
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        pass
    raise FieldError(f"{key!r} is not a date: {_quote(raw)}",
                     "write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00")


def _looks_numeric(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return True


def _split_words(raw: str) -> list[str]:
    return [word.strip() for word in raw.split(",") if word.strip()]


def _quote(raw: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return '"' + shown.replace('"', '\\"') + '"'
