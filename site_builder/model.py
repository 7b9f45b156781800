"""The archive as a whole: threads with URLs and local dates, tags, and year/month periods.

Built from ParsedThreads in one pass; everything is frozen so views cannot change it by accident.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.markdown import RenderedBody
from site_builder.parse import ParsedThread, reading_minutes
from site_builder.slugs import slugify


@dataclass(frozen=True, slots=True)
class TagRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Thread:
    """A thread placed in the site: its URL, its calendar day in the site's time zone, its tags."""

    path: str
    url: str  # site-relative, `/2025/09/slug/`
    slug: str
    title: str
    day: dt.date  # the calendar day readers see; never shifted by the reader's time zone
    published: dt.datetime  # aware, for sorting and feeds
    updated: dt.datetime | None
    tags: tuple[TagRef, ...]
    tweets: int | None
    read_time: int
    summary: str
    lang: str | None
    source: str | None
    tweet_ids: tuple[str, ...]
    body: RenderedBody  # without its HTML, read from the cache when a page needs it
    sha: str  # digest of the source file: where its HTML is found


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    threads: tuple[Thread, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    threads: tuple[Thread, ...]


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(len(month.threads) for month in self.months)


@dataclass(frozen=True, slots=True)
class Archive:
    threads: tuple[Thread, ...]  # newest first
    tags: tuple[Tag, ...]  # by name
    years: tuple[Year, ...]  # newest first

    def neighbours(self, index: int) -> tuple[Thread | None, Thread | None]:
        """(older, newer) around the thread at `index` of the newest-first list."""
        older = self.threads[index + 1] if index + 1 < len(self.threads) else None
        newer = self.threads[index - 1] if index > 0 else None
        return older, newer


def build_archive(parsed: list[ParsedThread], config: SiteConfig,
                  diagnostics: Diagnostics) -> Archive:
    """Place every thread; URL collisions and tags without letters are errors naming the files."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    visible = [item for item in parsed if config.drafts or not item.draft]
    tag_refs = {slug: TagRef(slug, name) for slug, name in _tag_names(visible, diagnostics).items()}
    threads = [_place(item, config, zone, tag_refs) for item in visible]
    threads.sort(key=lambda thread: (thread.published, thread.slug, thread.path), reverse=True)
    _check_collisions(threads, diagnostics)
    return Archive(tuple(threads), _tags(threads), _years(threads))


def _place(item: ParsedThread, config: SiteConfig, zone: zoneinfo.ZoneInfo,
           tag_refs: dict[str, TagRef]) -> Thread:
    published = _aware(item.date, zone)
    day = item.date if not isinstance(item.date, dt.datetime) else published.astimezone(zone).date()
    url = config.permalink.format(year=f"{day.year:04d}", month=f"{day.month:02d}",
                                  day=f"{day.day:02d}", slug=item.slug)
    tags = tuple({ref.slug: ref for ref in (tag_refs.get(slugify(name)) for name in item.tags)
                  if ref is not None}.values())
    # Positional: this runs for every thread of the archive on every build.
    return Thread(item.path, url, item.slug, item.title, day, published,
                  _aware(item.updated, zone) if item.updated else None, tags, item.tweets,
                  item.read_time or reading_minutes(item.body.words, config.words_per_minute),
                  item.summary, item.lang, item.source, item.tweet_ids, item.body, item.sha)


def _aware(value: dt.date | dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A calendar date is midnight in the site's zone; a naive timestamp is in that zone too."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _tag_names(parsed: list[ParsedThread], diagnostics: Diagnostics) -> dict[str, str]:
    """`Chine` and `chine` are one tag, shown with its most used spelling."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for item in parsed:
        for name in item.tags:
            tag_slug = slugify(name)
            if not tag_slug:
                diagnostics.error(item.path, item.tags_line,
                                  f"tag {name!r} has no letters or digits to make a URL from")
                continue
            spellings[tag_slug][name] += 1
    return {tag_slug: min(counts, key=lambda name: (-counts[name], name))
            for tag_slug, counts in spellings.items()}


def _check_collisions(threads: list[Thread], diagnostics: Diagnostics) -> None:
    seen: dict[str, Thread] = {}
    for thread in sorted(threads, key=lambda thread: thread.path):
        key = thread.url.lower()  # `About` and `about` are one folder on macOS and Windows
        first = seen.setdefault(key, thread)
        if first is not thread:
            diagnostics.error(thread.path, 1, f"same URL {thread.url} as {first.path}",
                              "give one of them another 'slug' or 'title'")


def _tags(threads: list[Thread]) -> tuple[Tag, ...]:
    members: dict[TagRef, list[Thread]] = defaultdict(list)
    for thread in threads:
        for ref in thread.tags:
            members[ref].append(thread)
    return tuple(Tag(ref.slug, ref.name, tuple(items))
                 for ref, items in sorted(members.items(), key=lambda kv: kv[0].slug))


def _years(threads: list[Thread]) -> tuple[Year, ...]:
    by_month: dict[tuple[int, int], list[Thread]] = defaultdict(list)
    for thread in threads:
        by_month[(thread.day.year, thread.day.month)].append(thread)
    years: dict[int, list[Month]] = defaultdict(list)
    for (year, month), items in sorted(by_month.items(), reverse=True):
        years[year].append(Month(year, month, tuple(items)))
    return tuple(Year(year, tuple(months)) for year, months in years.items())
