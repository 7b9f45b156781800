"""Reading in headless chromium: every page kind at phone and desktop widths (screenshots kept
under tmp, no pixel comparison), French typography and dates on the demo archive, English on a
small English site, keyboard navigation, tweet anchors, a thread page without JavaScript, no
request to another host, and the weight of the stylesheets.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from reading_fixtures import (
    DEMO_SPACED_THREAD,
    ENGLISH_CODE_THREAD,
    ENGLISH_FRENCH_THREAD,
    IMAGE_ALT,
    PAGE_KINDS,
    OpenPage,
    ServedSite,
    demo_site,
    english_site,
    open_page,
    png_size,
    reading_browser,
    site,
    wait_for_search,
)

__all__ = ["demo_site", "english_site", "open_page", "reading_browser", "site"]

CSS_BUDGET = 20_000  # bytes
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def visible_text(page: Any, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


# --- Layout at two widths -------------------------------------------------------------------

@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_every_page_kind_fits_phone_and_desktop_widths(site: ServedSite, width: int,
                                                       open_page: OpenPage,
                                                       tmp_path: Path) -> None:
    page = open_page("about:blank", width=width).page
    for kind in PAGE_KINDS:
        page.goto(site.page_url(kind))
        if kind == "search":
            wait_for_search(page)
        for scheme in ("light", "dark") if kind in ("home", "thread") else ("light",):
            page.emulate_media(color_scheme=scheme)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{kind} at {width}px scrolls sideways by {overflow}px"
            shot = tmp_path / f"{kind}-{scheme}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
            assert png_size(shot.read_bytes())[0] == width


@pytest.mark.parametrize("width", [768, 1280])
@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_the_text_column_keeps_a_reading_measure(site: ServedSite, width: int,
                                                 open_page: OpenPage) -> None:
    """Paragraphs run 60 to 75 characters a line on a tablet and a desktop screen."""
    page = open_page(site.page_url("thread"), width=width).page
    lengths = page.evaluate("""() => {
        const counts = [];
        for (const p of document.querySelectorAll('.thread-body p')) {
            const range = document.createRange(), lines = new Map();
            for (const node of p.childNodes) {
                if (node.nodeType !== Node.TEXT_NODE) continue;
                for (let i = 0; i < node.length; i++) {
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    const rect = range.getClientRects()[0];
                    const top = rect && Math.round(rect.top);
                    if (rect) lines.set(top, (lines.get(top) || 0) + 1);
                }
            }
            const full = [...lines.values()].slice(0, -1);  // the last line of a paragraph is short
            counts.push(...full);
        }
        return counts;
    }""")
    assert len(lengths) >= 5, lengths
    average = sum(lengths) / len(lengths)
    assert 60 <= average <= 75, f"{average:.0f} characters a line on average"


# --- Languages ------------------------------------------------------------------------------

def test_french_typography_and_dates_in_the_demo_archive(demo_site: ServedSite,
                                                         open_page: OpenPage) -> None:
    page = open_page(demo_site.page_url("thread")).page
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    meta = visible_text(page, ".thread-header .meta")
    assert meta == "26 septembre 2025 • 18 tweets • 6 min de lecture", meta
    home = open_page(demo_site.page_url("home")).page
    card = home.locator(".thread-card", has_text="Et encore une autre")
    assert visible_text(card, ".meta") == "26 septembre 2025 • 18 tweets • 6 min de lecture"
    expect(home.locator(".site-title")).to_have_text("Fils d’ingénieur")

    spaced = open_page(demo_site.page_url(DEMO_SPACED_THREAD)).page
    text = spaced.locator("article .thread-body").text_content() or ""
    assert "point" + NBSP + ": c’est" in text  # no-break space before a colon
    assert re.search(NARROW_NBSP + "!", text)  # narrow no-break space before ! ? ;
    assert not re.search(r" [;:!?»]|« ", text), "an ordinary space next to French punctuation"
    assert "'" not in text, "a straight apostrophe in French text"


def test_english_dates_counts_and_quotes(english_site: ServedSite, open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread")).page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    meta = visible_text(page, ".thread-header .meta")
    assert meta == "September 26, 2025 • 18 tweets • 6 min read", meta
    body = page.locator("article .thread-body").text_content() or ""
    assert "“post-industrial”" in body and "“You can buy" in body
    assert NARROW_NBSP not in body and "«" not in body

    french = open_page(english_site.page_url(ENGLISH_FRENCH_THREAD)).page
    text = french.locator("article .thread-body").text_content() or ""
    assert "usines" + NARROW_NBSP + "?" in text and "«" + NARROW_NBSP + "l’énergie" in text
    assert visible_text(french, ".thread-header .meta") == "August 14, 2025 • 2 tweets • 1 min read"


# --- Keyboard, anchors ----------------------------------------------------------------------

def test_arrow_keys_follow_prev_and_next(english_site: ServedSite, open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread")).page
    older = page.locator('a[rel~="prev"]').get_attribute("href")
    newer = page.locator('a[rel~="next"]').get_attribute("href")
    assert older and newer
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(english_site.page_url(ENGLISH_FRENCH_THREAD))
    page.go_back()
    page.wait_for_url(english_site.page_url("thread"))
    page.keyboard.press("ArrowRight")
    page.wait_for_url(english_site.page_url(ENGLISH_CODE_THREAD))

    home = open_page(english_site.page_url("home")).page
    home.keyboard.press("ArrowLeft")  # the first page has no newer page: nothing happens
    home.keyboard.press("ArrowRight")
    home.wait_for_url(english_site.page_url("page/2/"))


def test_slash_focuses_search_and_typing_never_navigates(english_site: ServedSite,
                                                         open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread")).page
    box = page.locator(".site-search input")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    page.keyboard.type("steel/")
    page.keyboard.press("ArrowLeft")  # moves the caret, not the page
    expect(box).to_have_value("steel/")
    assert page.url == english_site.page_url("thread")
    page.keyboard.press("Shift+ArrowLeft")
    assert page.url == english_site.page_url("thread")

    phone = open_page(english_site.page_url("thread"), width=390).page  # the box is hidden there
    expect(phone.locator(".site-search input")).to_be_hidden()
    phone.keyboard.press("/")
    phone.wait_for_url(re.compile(re.escape(english_site.page_url("search/")) + r"\?q=$"))


def test_a_tweet_anchor_scrolls_to_the_tweet_and_highlights_it(english_site: ServedSite,
                                                               open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread") + "#t12").page
    tweet = page.locator("#t12")
    expect(tweet).to_be_in_viewport()
    top = tweet.evaluate("element => element.getBoundingClientRect().top")
    assert 0 <= top < 120, top

    def highlight(selector: str) -> tuple[str, str]:
        return page.locator(selector).evaluate(
            "element => [getComputedStyle(element).backgroundColor,"
            " getComputedStyle(element).boxShadow]")

    plain = highlight("#t3")
    assert highlight("#t12") != plain
    page.locator("#t2 .tweet-link").click()
    assert page.evaluate("location.hash") == "#t2"
    expect(page.locator("#t2")).to_be_in_viewport()
    assert highlight("#t2") != plain and highlight("#t12") == plain
    expect(page.locator("#t2 .tweet-link")).to_have_text("2/18")
    expect(page.locator("#t2 .tweet-link")).to_have_accessible_name("Link to tweet 2/18")


# --- Without JavaScript, without other hosts ------------------------------------------------

@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_a_thread_page_reads_without_javascript(site: ServedSite, open_page: OpenPage) -> None:
    opened = open_page(site.page_url("thread"), javascript=False, width=390)
    page = opened.page
    expect(page.locator("h1")).to_be_visible()
    body = page.locator("article .thread-body")
    expect(body).to_be_visible()
    paragraphs = body.locator("p")
    assert paragraphs.count() >= 10
    last = paragraphs.last
    last.scroll_into_view_if_needed()
    expect(last).to_be_visible()
    assert len(last.inner_text()) > 20
    expect(page.locator('a[rel~="prev"], a[rel~="next"]').first).to_be_visible()
    if site.language == "en":
        image = page.locator("article img")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        expect(image).to_have_attribute("alt", IMAGE_ALT)
        page.locator("#t5 .tweet-link").click()
        assert page.url.endswith("#t5")
        expect(page.locator("#t5")).to_be_in_viewport()
    older = page.locator('a[rel~="prev"]')
    if older.count():
        href = older.get_attribute("href")
        older.click()
        page.wait_for_load_state()
        assert page.url != site.page_url("thread") and href
        expect(page.locator("article h1")).to_be_visible()


@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_no_request_leaves_the_site_and_the_css_stays_small(site: ServedSite,
                                                            open_page: OpenPage) -> None:
    """Every stylesheet a page uses, summed, under 20 KB; code.css only where there is code.
    Pagefind's own bundle, which the search page's script adds once the page is shown, is
    counted apart (it is not the theme's)."""
    paths = [site.pages[kind] for kind in PAGE_KINDS]
    if site.language == "en":
        paths.append(ENGLISH_CODE_THREAD)
    opened = open_page("about:blank")
    for path in paths:
        opened.page.goto(site.page_url(path))
        if "search/" in path:
            wait_for_search(opened.page)
        sheets = opened.page.evaluate(
            "[...document.styleSheets].map(sheet => sheet.href"
            " ? new URL(sheet.href).pathname : sheet.ownerNode.textContent)")
        sizes = {sheet: (site.output / sheet.lstrip("/")).stat().st_size
                 if sheet.startswith("/") else len(sheet.encode()) for sheet in sheets}
        theme = sum(size for sheet, size in sizes.items() if not sheet.startswith("/pagefind/"))
        assert "/static/style.css" in sizes, f"{path}: {sizes}"
        assert theme < CSS_BUDGET, f"{path}: {theme} bytes of CSS: {sizes}"
        assert ("/static/code.css" in sizes) == (path == ENGLISH_CODE_THREAD), path
    assert not opened.foreign, opened.foreign
