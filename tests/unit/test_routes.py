"""routes and urls: every page declared before rendering, with plain data and relative roots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import thread as thread_file

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.model import build_archive
from site_builder.parse import parse_thread
from site_builder.related import related_threads
from site_builder.routes import Page, plan_pages
from site_builder.strings import Strings
from site_builder.theme import default_theme_dir
from site_builder.urls import output_path, page_root

CONFIG = SiteConfig(root=Path("/site"), title="Archive", base_url="https://e.org/sub/",
                    language="en", per_page=2, search=False)
STRINGS = Strings.from_yaml("en", (default_theme_dir() / "strings" / "en.yaml").read_text())

FILES = {
    "a.md": thread_file("2023-12-31", title="Oldest", tags="[Chine]"),
    "b.md": thread_file("2024-01-05", title="Middle", tags="[chine, Économie]"),
    "c.md": thread_file("2024-03-01", title="Newest", tags="[Chine]"),
    "d.md": thread_file("2024-01-06", title="Fourth", tags="[Chine]"),
    "e.md": thread_file("2024-01-07", title="Fifth"),
}


def plan(files: dict[str, str] = FILES, config: SiteConfig = CONFIG) -> dict[str, Page]:
    parsed = []
    for name, text in files.items():
        result, _ = parse_thread(text.encode(), f"content/{name}", False, "en")
        assert result is not None
        parsed.append(result)
    archive = build_archive(parsed, config, Diagnostics())
    pages = list(plan_pages(archive, config, STRINGS, related_threads(archive)))
    by_url = {page.url: page for page in pages}
    assert len(by_url) == len(pages), "two pages at one URL"
    return by_url


@pytest.mark.parametrize(("url", "path", "root"), [
    ("/", "index.html", ""),
    ("/2024/01/x/", "2024/01/x/index.html", "../../../"),
    ("/tags/", "tags/index.html", "../"),
    ("/404.html", "404.html", ""),
    ("/tags/chine/feed.xml", "tags/chine/feed.xml", "../../"),
])
def test_output_path_and_page_root(url: str, path: str, root: str) -> None:
    assert output_path(url) == path
    assert page_root(url) == root


def test_the_core_pages_are_planned() -> None:
    pages = plan()
    expected = {
        "/2023/12/oldest/", "/2024/01/middle/", "/2024/03/newest/", "/2024/01/fourth/",
        "/2024/01/fifth/", "/", "/page/2/", "/page/3/", "/tags/", "/tags/chine/",
        "/tags/chine/page/2/", "/tags/economie/", "/archive/", "/2024/", "/2024/01/",
        "/2024/03/", "/2023/", "/2023/12/", "/404.html",
    }
    assert expected <= set(pages)
    assert "/page/4/" not in pages and "/tags/economie/page/2/" not in pages
    templates = {url: page.template for url, page in pages.items() if url in expected}
    assert templates["/2024/01/middle/"] == "thread.html"
    assert templates["/page/2/"] == "index.html"
    assert templates["/tags/chine/page/2/"] == "tag.html"
    assert templates["/2024/01/"] == "month.html" and templates["/2024/"] == "year.html"


def test_every_prefix_of_a_thread_url_is_a_page() -> None:
    pages = plan()
    for url, page in pages.items():
        if page.template != "thread.html":
            continue
        parts = url.strip("/").split("/")
        for depth in range(len(parts)):
            assert "/" + "".join(part + "/" for part in parts[:depth]) in pages


def test_pagination_newest_first() -> None:
    pages = plan()
    first, second, third = pages["/"], pages["/page/2/"], pages["/page/3/"]
    assert [card["title"] for card in first.context["threads"]] == ["Newest", "Fifth"]
    assert [card["title"] for card in second.context["threads"]] == ["Fourth", "Middle"]
    assert [card["title"] for card in third.context["threads"]] == ["Oldest"]
    assert (first.context["pagination"]["newer"], first.context["pagination"]["older"]) == (
        None, "/page/2/")
    assert (third.context["pagination"]["newer"], third.context["pagination"]["older"]) == (
        "/page/2/", None)
    assert second.context["pagination"]["text"] == "Page 2 of 3"


def test_an_empty_archive_still_has_a_home_page() -> None:
    pages = plan({})
    assert pages["/"].context["threads"] == []
    assert pages["/"].context["pagination"]["total"] == 1


def test_thread_context_has_neighbours_and_meta() -> None:
    thread = plan()["/2024/01/fourth/"].context
    assert thread["older"] == {"url": "/2024/01/middle/", "title": "Middle"}
    assert thread["newer"] == {"url": "/2024/01/fifth/", "title": "Fifth"}
    assert thread["thread"]["meta"] == "1 min read"
    assert thread["thread"]["date_text"] == "January 6, 2024"
    assert thread["thread"]["tags"] == [{"name": "Chine", "url": "/tags/chine/"}]


def test_cards_share_their_repeated_strings() -> None:
    """10,000 cards hold a few hundred distinct dates and counts lines: one copy of each."""
    same_day = {name: thread_file("2024-01-05", title=name) for name in ("x", "y")}
    cards = plan(same_day)["/"].context["threads"]
    assert cards[0]["date"] == "2024-01-05" and cards[0]["meta"] == "1 min read"
    assert cards[0]["date"] is cards[1]["date"]
    assert cards[0]["meta"] is cards[1]["meta"]


def test_page_roots_are_relative_and_404_starts_from_the_base_path() -> None:
    pages = plan()
    assert pages["/2024/01/middle/"].context["page"]["root"] == "../../../"
    assert pages["/"].context["page"]["root"] == ""
    assert pages["/404.html"].context["page"]["root"] == "/sub/"


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_contexts_are_plain_data() -> None:
    for url, page in plan().items():
        assert _plain(page.context), url
        json.dumps(page.context)  # and so they can be hashed as cache keys


def test_drafts_make_no_page() -> None:
    files = {**FILES, "z.md": thread_file("2024-01-08", title="Secret draft", draft="true")}
    pages = plan(files)
    assert not any("secret-draft" in url for url in pages)
    drafts = plan(files, CONFIG._replace(drafts=True))
    assert "/2024/01/secret-draft/" in drafts


def test_a_page_shows_exactly_the_threads_whose_digest_it_reads() -> None:
    """body_edits renders again the pages that show a thread; a page that read a thread's file
    digest without showing it would keep a stale key."""
    files = {**FILES, "f.md": thread_file("2024-01-08", title="Tweets", tweet_ids="['123']")}
    pages = plan(files)
    digests = {page.shows[0] for page in pages.values() if page.template == "thread.html"}
    assert len(digests) == len(files)
    for url, page in pages.items():
        read = {sha for sha in digests if sha in repr(page.reads)}
        assert read == set(page.shows), url
    assert len(pages["/feed.xml"].shows) == len(files)
    assert len(pages["/tags/chine/feed.xml"].shows) == 4
