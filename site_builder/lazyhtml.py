"""Thread HTML stands in page contexts as a small reference until a template asks for it.

Contexts are built in the main process and sent to the render workers; with references there
they carry the source's digest instead of kilobytes of HTML, and only the worker rendering a
page reads its HTML, from the parse cache.
Templates call `html(ref)`: a list of tweets for a thread, one string for a feed entry.
"""

from __future__ import annotations

from typing import Protocol

from site_builder.autolinks import resolve_hashtags

_TWEETS = "@tweets"  # a list of each tweet's HTML
_JOINED = "@html"  # the whole body as one string


class TweetSource(Protocol):
    def tweets(self, sha: str) -> tuple[str, ...]: ...


def tweets_ref(sha: str, root: str, hashtags: tuple[str, ...]) -> tuple[str, ...]:
    """Each tweet's HTML, hashtags linked from `root` (the page's way back to the site root)."""
    return (_TWEETS, sha, root, *hashtags)


def html_ref(sha: str, root: str, hashtags: tuple[str, ...]) -> tuple[str, ...]:
    """The whole body as one HTML string, for feeds."""
    return (_JOINED, sha, root, *hashtags)


def resolve(ref: tuple[str, ...], source: TweetSource) -> list[str] | str:
    """The HTML a reference stands for: the `html()` of templates, `{% for t in html(x) %}`."""
    kind, sha, root, *hashtags = ref
    known = frozenset(hashtags)
    tweets = [resolve_hashtags(tweet, known, root) for tweet in source.tweets(sha)]
    return tweets if kind == _TWEETS else "".join(tweets)
