"""The model turned into plain template data: only what a page shows, so it can be hashed.

Templates never see the model itself. What a card shows of a thread is also digested here
(`card_key`), so pages listing threads are keyed without building their contexts.
"""

from __future__ import annotations

import functools
import marshal
import sys
from collections.abc import Callable
from typing import Any

from site_builder.config import SiteConfig
from site_builder.dates import long_date, month_name, rfc3339
from site_builder.lazyhtml import html_ref, tweets_ref
from site_builder.model import Archive, Month, Tag, Thread, Year
from site_builder.sources import digest
from site_builder.strings import Strings
from site_builder.typography import typeset
from site_builder.urls import month_url, page_root, tag_url, year_url

Context = dict[str, Any]
CardOf = Callable[[Thread], Context]

FEED_LENGTH = 20  # the newest threads a feed carries


def site_context(config: SiteConfig, strings: Strings) -> Context:
    return {
        "title": typeset(config.title, config.language),
        "description": typeset(config.description, config.language),
        "author": typeset(config.author, config.language),
        "language": config.language,
        "base_url": config.base_url,
        "search": config.search,
        "strings": strings.plain(),
    }


def thread_card(thread: Thread, strings: Strings) -> Context:
    """A thread as a list shows it: title, date, counts, summary, tags.

    The date and the counts line are interned: a build holds a card for each thread, and
    10,000 of them have a few hundred distinct values of each (~1.2 MiB of copies)."""
    return {
        "url": thread.url,
        "title": thread.title,
        "date": sys.intern(thread.day.isoformat()),
        "date_text": long_date(thread.day, strings.language),
        "meta": sys.intern(meta_line(thread, strings)),
        "summary": thread.summary,
        "lang": thread.lang,
        "tags": [_tag_link(ref.name, ref.slug) for ref in thread.tags],
    }


@functools.cache
def _tag_link(name: str, slug: str) -> Context:
    """One dict per tag, shared by every card that shows it: a build holds a card for each
    thread, and a dict and URL per tag of each card were ~7 MiB at 10,000 threads."""
    return {"name": name, "url": tag_url(slug)}


def card_key(thread: Thread) -> str:
    """A digest of every field `thread_card` reads: equal keys make equal cards."""
    shown = (thread.url, thread.title, thread.day.toordinal(), thread.tweets, thread.read_time,
             thread.summary, thread.lang, [(ref.slug, ref.name) for ref in thread.tags])
    return digest(marshal.dumps(shown, 2))


def last_modified(thread: Thread) -> str:
    """When the thread last changed, as the sitemap and the feeds say it."""
    return rfc3339(thread.updated or thread.published)


def meta_line(thread: Thread, strings: Strings) -> str:
    """`18 tweets • 6 min de lecture`; the tweet count only when it is known."""
    parts = [strings.count("tweets", thread.tweets)] if thread.tweets else []
    parts.append(strings.get("read_time", n=thread.read_time))
    return " • ".join(parts)


def thread_page(thread: Thread, older: Thread | None, newer: Thread | None,
                related: tuple[Thread, ...], known_tags: frozenset[str],
                strings: Strings) -> Context:
    root = page_root(thread.url)
    return {
        "thread": {
            **thread_card(thread, strings),
            "published": rfc3339(thread.published),
            "updated": rfc3339(thread.updated) if thread.updated else None,
            "updated_text": long_date(thread.updated.date(), strings.language)
            if thread.updated else None,
            "tweets": tweets_ref(thread.sha, root, linked_hashtags(thread, known_tags)),
            "marked": thread.body.marked_tweets,
            "has_code": thread.body.has_code,
            "source": thread.source,
        },
        "older": _link(older),
        "newer": _link(newer),
        "related": [{"url": other.url, "title": other.title,
                     "date_text": long_date(other.day, strings.language)} for other in related],
    }


def linked_hashtags(thread: Thread, known_tags: frozenset[str]) -> tuple[str, ...]:
    """The thread's #hashtags that name a tag of the site, so they link to its page."""
    return tuple(slug for slug in thread.body.hashtags if slug in known_tags)


def _link(thread: Thread | None) -> Context | None:
    return {"url": thread.url, "title": thread.title} if thread else None


def tag_summary(tag: Tag, strings: Strings) -> Context:
    return {"name": tag.name, "url": tag_url(tag.slug), "count": len(tag.threads),
            "count_text": strings.count("threads", len(tag.threads))}


def tags_index(archive: Archive, strings: Strings) -> Context:
    return {"tags": [tag_summary(tag, strings) for tag in archive.tags]}


def month_summary(month: Month, strings: Strings) -> Context:
    return {"name": month_name(month.year, month.month, strings.language),
            "url": month_url(month.year, month.month), "count": len(month.threads),
            "count_text": strings.count("threads", len(month.threads))}


def year_summary(year: Year, strings: Strings) -> Context:
    return {"year": year.year, "url": year_url(year.year), "count": year.count,
            "count_text": strings.count("threads", year.count),
            "months": [month_summary(month, strings) for month in year.months]}


def year_page(year: Year, card_of: CardOf, strings: Strings) -> Context:
    return {"year": year_summary(year, strings),
            "months": [{**month_summary(month, strings),
                        "threads": [card_of(thread) for thread in month.threads]}
                       for month in year.months]}


def month_page(month: Month, card_of: CardOf, strings: Strings) -> Context:
    return {"month": month_summary(month, strings),
            "year": {"year": month.year, "url": year_url(month.year)},
            "threads": [card_of(thread) for thread in month.threads]}


def archive_page(archive: Archive, strings: Strings) -> Context:
    return {"years": [year_summary(year, strings) for year in archive.years]}


def feed(threads: tuple[Thread, ...], title: str, url: str, base_url: str,
         known_tags: frozenset[str]) -> Context:
    """An Atom feed of `threads` (the newest), full content, every date with its offset."""
    entries = [{
        "url": thread.url,
        "title": thread.title,
        "published": rfc3339(thread.published),
        "updated": last_modified(thread),
        "summary": thread.summary,
        "tags": [ref.name for ref in thread.tags],
        "content": html_ref(thread.sha, base_url, linked_hashtags(thread, known_tags)),
    } for thread in threads]
    updated = max((entry["updated"] for entry in entries), default="1970-01-01T00:00:00+00:00")
    return {"feed": {"title": title, "url": url, "updated": updated, "entries": entries}}


def sitemap(pages: list[tuple[str, str | None]]) -> Context:
    """Every public page with the date it last changed, when known."""
    return {"pages": [{"url": url, "lastmod": lastmod} for url, lastmod in pages]}
