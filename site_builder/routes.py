"""Every output of a build, declared before anything is rendered: URL, template, what it reads.

Declaring first lets the build check collisions, skip unchanged pages and write atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from site_builder import views
from site_builder.config import SiteConfig
from site_builder.dates import month_name
from site_builder.model import Archive, Thread
from site_builder.parse_stage import shown_path
from site_builder.sources import BUNDLE_INDEX, SourceFile
from site_builder.strings import Strings
from site_builder.theme import STATIC_FOLDER, Theme
from site_builder.urls import month_url, output_path, page_root, tag_url, year_url
from site_builder.views import Context


class Page:
    """An output rendered from a template, keyed by what it reads rather than by its context.

    `reads` is plain data naming everything the page shows beyond what every page shares (the
    configuration, strings, theme and code, keyed once per build): mostly the digests of the
    threads it lists. Equal reads make an equal page, so an unchanged page is skipped without
    building its context, which at 10,000 threads was most of an incremental build.

    `shows` are the digests of the threads whose body the page shows (and reads): when only a
    body changes, these pages are the ones to render again (body_edits.py).
    """

    __slots__ = ("_context", "_make", "path", "reads", "shows", "source", "template", "url")

    def __init__(self, url: str, template: str, reads: object, make: Callable[[], Context],
                 source: str = "", shows: tuple[str, ...] = ()) -> None:
        self.url, self.template, self.reads, self.source = url, template, reads, source
        self.shows = shows
        self.path = output_path(url)
        self._make = make  # builds the context, only when the page is rendered
        self._context: Context | None = None

    @property
    def context(self) -> Context:
        """What the template sees: plain data, built on first use."""
        if self._context is None:
            self._context = self._make()
        return self._context


@dataclass(frozen=True, slots=True)
class Copy:
    """An output copied as it is: theme assets, media bundled with a thread."""

    url: str
    source: Path

    @property
    def path(self) -> str:
        return output_path(self.url)


Route = Page | Copy


class _Cards:
    """Each thread's list entry and its digest, computed once however many pages show it."""

    def __init__(self, threads: Sequence[Thread], strings: Strings) -> None:
        self._strings = strings
        self._cards: dict[str, Context] = {}
        self._keys = {thread.url: views.card_key(thread) for thread in threads}

    def __call__(self, thread: Thread) -> Context:
        card = self._cards.get(thread.url)
        if card is None:
            card = self._cards[thread.url] = views.thread_card(thread, self._strings)
        return card

    def key(self, thread: Thread | None) -> str | None:
        return self._keys[thread.url] if thread is not None else None

    def keys(self, threads: Sequence[Thread]) -> list[str]:
        keys = self._keys
        return [keys[thread.url] for thread in threads]


def plan_pages(archive: Archive, config: SiteConfig, strings: Strings,
               related: dict[str, tuple[Thread, ...]]) -> Iterator[Page]:
    """All template-rendered pages of the site, in a stable order.

    `related` holds each thread's related threads (related.py), computed apart because the
    build keeps them between runs. Pages listing many threads get their context lazily,
    from a `make` function; what they read is their threads' digests.
    """
    site = views.site_context(config, strings)
    cards = _Cards(archive.threads, strings)

    public: list[tuple[str, str | None]] = []  # (url, last modified) for the sitemap

    def page(url: str, template: str, title: str, description: str = config.description,
             feed_url: str = "/feed.xml", listed: bool = True, lastmod: str | None = None,
             source: str = "", root: str | None = None, reads: object = None,
             make: Callable[[], Context] | None = None, shows: Sequence[Thread] = (),
             **context: Any) -> Page:
        """A page whose context is `context`, or `make()` when `reads` names what it shows."""
        meta = {"url": url, "root": page_root(url) if root is None else root, "title": title,
                "kind": template.split(".")[0], "description": description, "feed": feed_url}
        if listed:
            public.append((url, lastmod))
        body = make if make is not None else lambda: context
        return Page(url, template, (meta, context if make is None else reads),
                    lambda: {"site": site, "page": meta, **body()}, source,
                    tuple(thread.sha for thread in shows))

    known_tags = frozenset(tag.slug for tag in archive.tags)

    def thread_reads(thread: Thread) -> tuple[object, ...]:
        """What a page showing the thread in full reads: its card, its file, linked hashtags.
        The page names the thread in `shows` too."""
        return (cards.key(thread), thread.sha, thread.path,
                views.linked_hashtags(thread, known_tags))

    def feed_page(url: str, title: str, feed_title: str, threads: Sequence[Thread]) -> Page:
        """An Atom feed of the newest of `threads`, each in full."""
        newest = threads[:views.FEED_LENGTH]
        return page(url, "feed.xml", title, listed=False, shows=newest,
                    reads=[thread_reads(thread) for thread in newest],
                    make=partial(views.feed, newest, feed_title, url, config.base_url,
                                 known_tags))

    for index, thread in enumerate(archive.threads):
        older, newer = archive.neighbours(index)
        near = related[thread.url]
        yield page(thread.url, "thread.html", thread.title, description=thread.summary,
                   source=thread.path, lastmod=views.last_modified(thread), shows=(thread,),
                   reads=(thread_reads(thread), cards.key(older), cards.key(newer),
                          cards.keys(near)),
                   make=partial(views.thread_page, thread, older, newer, near, known_tags,
                                strings))
        for number, tweet_id in enumerate(thread.tweet_ids, start=1):
            # An old x.com/<user>/status/<id> link works here by changing only the host.
            anchor = f"#t{number}" if thread.body.marked_tweets else ""
            yield page(f"/status/{tweet_id}/", "redirect.html", thread.title, listed=False,
                       target={"url": thread.url, "anchor": anchor, "title": thread.title})
    yield from _paginated(page, "/", "index.html", config.title, archive.threads, cards,
                          config.per_page, strings)
    yield page("/tags/", "tags.html", strings.get("tags"), **views.tags_index(archive, strings))
    for tag in archive.tags:
        title = strings.get("tagged", name=tag.name)
        tag_feed = tag_url(tag.slug) + "feed.xml"
        yield from _paginated(page, tag_url(tag.slug), "tag.html", title, tag.threads,
                              cards, config.per_page, strings, feed_url=tag_feed,
                              tag=views.tag_summary(tag, strings))
        yield feed_page(tag_feed, title, f"{config.title} — {tag.name}", tag.threads)
    yield page("/archive/", "archive.html", strings.get("archive"),
               **views.archive_page(archive, strings))
    for year in archive.years:
        yield page(year_url(year.year), "year.html", str(year.year),
                   reads=[(month.month, cards.keys(month.threads)) for month in year.months],
                   make=partial(views.year_page, year, cards, strings))
        for month in year.months:
            yield page(month_url(month.year, month.month), "month.html",
                       month_name(month.year, month.month, strings.language),
                       reads=cards.keys(month.threads),
                       make=partial(views.month_page, month, cards, strings))
    if config.search:
        yield page("/search/", "search.html", strings.get("search"), listed=False)
    # Hosts serve 404.html at any depth, so its links start from the site's base path.
    yield page("/404.html", "404.html", strings.get("not_found_title"), listed=False,
               root=config.base_path)
    yield feed_page("/feed.xml", config.title, config.title, archive.threads)
    yield page("/robots.txt", "robots.txt", "robots", listed=False)
    # Last, and its context made only when rendered: it lists every page (Renderer.finish).
    yield page("/sitemap.xml", "sitemap.xml", "sitemap", listed=False, reads=public,
               make=partial(views.sitemap, public))


def _paginated(page: Any, first_url: str, template: str, title: str,
               threads: Sequence[Thread], cards: _Cards, per_page: int, strings: Strings,
               feed_url: str = "/feed.xml", **extra: Any) -> Iterator[Page]:
    """`/x/`, `/x/page/2/`, ...: newest first, `per_page` a page, at least one page."""
    total = max(1, -(-len(threads) // per_page))
    urls = [first_url if n == 1 else f"{first_url}page/{n}/" for n in range(1, total + 1)]
    for number, url in enumerate(urls, start=1):
        chunk = threads[(number - 1) * per_page: number * per_page]
        pagination = {
            "number": number,
            "total": total,
            "text": strings.get("page_of", n=number, total=total),
            "newer": urls[number - 2] if number > 1 else None,
            "older": urls[number] if number < total else None,
            "first": urls[0],
            "last": urls[-1],
        }
        shown = title if number == 1 else f"{title} ({pagination['text']})"
        yield page(url, template, shown, feed_url=feed_url,
                   reads=(pagination, extra, cards.keys(chunk)),
                   make=partial(_listing, chunk, cards, pagination, extra))


def _listing(threads: Sequence[Thread], cards: _Cards, pagination: Context,
             extra: Context) -> Context:
    return {"threads": [cards(thread) for thread in threads], "pagination": pagination, **extra}


def plan_copies(sources: list[SourceFile], archive: Archive, theme: Theme,
                 config: SiteConfig) -> Iterator[Copy]:
    """Theme assets under /static/, and media beside the thread whose bundle holds them."""
    for name, path in sorted(theme.files(STATIC_FOLDER).items()):
        yield Copy(f"/{STATIC_FOLDER}/{name}", path)
    shown_to_url = {thread.path: thread.url for thread in archive.threads}
    bundles = {source.rel.rsplit("/", 1)[0]: shown_to_url.get(shown_path(config, source))
               for source in sources if source.rel.endswith("/" + BUNDLE_INDEX)}
    for source in sources:
        if source.is_thread:
            continue
        folder = source.rel.rsplit("/", 1)[0] if "/" in source.rel else ""
        owner = next((f for f in _ancestors(folder) if f in bundles), None)
        if owner is None:
            yield Copy(f"/{source.rel}", source.path)
        elif bundles[owner] is not None:  # a draft's media stay out with the draft
            yield Copy(bundles[owner] + source.rel[len(owner) + 1:], source.path)


def _ancestors(folder: str) -> Iterator[str]:
    while folder:
        yield folder
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
