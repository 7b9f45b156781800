"""Dates as readers see them, localized with Babel and computed once per distinct day."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date


@functools.cache
def long_date(day: dt.date, language: str) -> str:
    """`26 septembre 2025`, `September 26, 2025`."""
    return format_date(day, format="long", locale=language)


@functools.cache
def month_name(year: int, month: int, language: str) -> str:
    """`Septembre 2025`: capitalized, as a heading or a list entry."""
    text = format_date(dt.date(year, month, 1), format="LLLL y", locale=language)
    return text[:1].upper() + text[1:]


def rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")
