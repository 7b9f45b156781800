"""One content file -> a ParsedThread: front-matter typed, body rendered, every problem reported.

A ParsedThread depends only on the file's bytes and the Markdown options, so it can be computed
in a worker process and kept in the persistent cache.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from site_builder import fields
from site_builder.errors import Diagnostics
from site_builder.fields import FieldError
from site_builder.frontmatter import decode_source, split_front_matter
from site_builder.markdown import Highlights, RenderedBody, render_markdown, summary_from
from site_builder.slugs import slugify
from site_builder.sources import digest
from site_builder.typography import typeset
from site_builder.yamltree import Value

_LANG_LENGTH = 35


@dataclass(frozen=True, slots=True)
class ParsedThread:
    """A thread as its file says it; URLs, neighbours and tags across files come later."""

    path: str  # as shown in messages: `content/2025-09-26-x.md`
    tags_line: int  # where `tags:` is (1 without it), for the problems the model finds there
    date: dt.date | dt.datetime
    title: str
    tags: tuple[str, ...]
    tweets: int | None
    read_time: int | None  # None: computed from words and the site's reading speed
    summary: str
    slug: str  # from `slug:` or the title, computed here so the parse cache keeps it
    lang: str | None
    draft: bool
    source: str | None
    updated: dt.date | dt.datetime | None
    tweet_ids: tuple[str, ...]
    body: RenderedBody
    sha: str  # digest of the file's bytes


def _lang(key: str, value: Value) -> str:
    raw = fields.text(key, value)
    if not raw or len(raw) > _LANG_LENGTH or not all(c.isalnum() or c == "-" for c in raw):
        raise FieldError(f"{key!r} must be a language tag like fr or en-GB, not {raw!r}")
    return raw


def _tweet_ids(key: str, value: Value) -> list[str]:
    if not isinstance(value.data, list):
        raise FieldError(f"{key!r} must be a list of tweet ids")
    ids = []
    for item in value.data:
        if not isinstance(item.data, str) or not item.data.strip().isdigit():
            raise FieldError(f"{key!r} must hold tweet ids made of digits", 'quote each: "123"')
        ids.append(item.data.strip())
    return ids


SCHEMA: dict[str, fields.Reader] = {
    "date": fields.date_or_datetime,
    "title": fields.text,
    "tags": fields.text_list,
    "tweets": fields.whole_number(1, 100_000),
    "read_time": fields.whole_number(1, 10_000),
    "summary": fields.text,
    "slug": fields.text,
    "lang": _lang,
    "draft": fields.boolean,
    "source": fields.url,
    "updated": fields.date_or_datetime,
    "tweet_ids": _tweet_ids,
}


def parse_thread(data: bytes, path: str, allow_html: bool, site_language: str,
                 highlights: Highlights | None = None) -> tuple[ParsedThread | None, Diagnostics]:
    """Parse one file; returns None with the reasons in the diagnostics when it cannot be used.

    `highlights`: code blocks already highlighted (markdown.Highlights)."""
    diagnostics = Diagnostics()
    text = decode_source(data, path, diagnostics)
    split = split_front_matter(text, path, diagnostics) if text is not None else None
    if split is None:
        return None, diagnostics
    values: dict[str, Any] = fields.read_fields(split.meta, SCHEMA, path, diagnostics)
    lines = {key: value.line for key, value in split.meta.items()}
    if "date" not in split.meta:
        diagnostics.error(path, 1, "'date' is missing", "add `date: YYYY-MM-DD`")
    elif split.meta["date"].data is None:
        diagnostics.error(path, lines["date"], "'date' is empty", "write `date: YYYY-MM-DD`")
    if diagnostics.errors:
        return None, diagnostics
    language = values.get("lang") or site_language
    body = render_markdown(split.body, allow_html, language, highlights)
    tweets = _tweet_count(values.get("tweets"), body, path, lines, diagnostics)
    ids = tuple(values.get("tweet_ids", ()))
    if ids and tweets is not None and len(ids) != tweets:
        diagnostics.warn(path, lines["tweet_ids"],
                         f"{len(ids)} tweet_ids for {tweets} tweets", "give one id per tweet")
    title = typeset(values["title"], language) if values.get("title") else body.first_sentence
    if not title:
        diagnostics.error(path, split.body_line, "no title and an empty body",
                          "add `title:` or write the thread")
        return None, diagnostics
    thread = ParsedThread(
        path=path,
        tags_line=lines.get("tags", 1),
        date=values["date"],
        title=title,
        tags=tuple(values.get("tags", ())),
        tweets=tweets,
        read_time=values.get("read_time"),
        summary=typeset(values["summary"], language) if values.get("summary")
        else summary_from(body.lead, title),
        slug=slugify(values.get("slug") or title) or "thread",
        lang=values.get("lang"),
        draft=values.get("draft", False),
        source=values.get("source"),
        updated=values.get("updated"),
        tweet_ids=ids,
        body=body,
        sha=digest(data),
    )
    return thread, diagnostics


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Rounded up, at least one minute."""
    return max(1, math.ceil(words / words_per_minute))


def _tweet_count(given: int | None, body: RenderedBody, path: str, lines: dict[str, int],
                 diagnostics: Diagnostics) -> int | None:
    """Marked boundaries are the truth; a front-matter count that disagrees is a warning."""
    if not body.marked_tweets:
        return given
    counted = len(body.tweets)
    if given is not None and given != counted:
        diagnostics.warn(path, lines["tweets"],
                         f"'tweets' says {given} but the body marks {counted} tweets",
                         f"remove 'tweets' or set it to {counted}")
    return counted
