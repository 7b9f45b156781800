"""Search in headless chromium: French stemming, title, date and excerpt, the header box, a
sub-path site, and no request to any other host.

(Not named test_search.py: tests/unit/test_search.py exists, and without __init__.py files pytest
refuses two test modules of the same name.)
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from search_fixtures import (
    MAGNETS_DATE,
    MAGNETS_TITLE,
    RecordedPage,
    ServedSite,
    french_site,
    search_browser,
    search_page,
)

__all__ = ["french_site", "search_browser", "search_page"]  # fixtures, used by name

RESULT = ".pagefind-ui__result"


def results(page: Any) -> Any:
    return page.locator(f"{RESULT}")


def test_a_word_with_another_ending_finds_the_thread(french_site: ServedSite,
                                                     search_page: RecordedPage) -> None:
    page = search_page.page
    page.goto(french_site.url + "search/?q=aimant")
    found = results(page)
    expect(found).to_have_count(1)
    link = found.locator(".pagefind-ui__result-link").first
    expect(link).to_have_text(MAGNETS_TITLE)
    thread_url = french_site.thread_url("2025/09", "terres-rares")
    assert link.get_attribute("href") == thread_url[len(french_site.origin):]
    expect(found.locator(".pagefind-ui__result-excerpt").first).to_contain_text("aimants")
    expect(found.locator(".pagefind-ui__result-excerpt mark").first).to_have_text("aimants")
    expect(found.locator(".pagefind-ui__result-tag")).to_contain_text(MAGNETS_DATE)
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("aimant")
    link.click()
    page.wait_for_url(thread_url)
    expect(page.locator("h1")).to_have_text(MAGNETS_TITLE)
    assert search_page.foreign == []


def test_typing_in_the_header_box_of_a_thread_page(french_site: ServedSite,
                                                   search_page: RecordedPage) -> None:
    page = search_page.page
    page.goto(french_site.thread_url("2025/10", "acier"))
    box = page.locator('header form[role="search"] input[name="q"]')
    box.press_sequentially("aimant")
    box.press("Enter")
    page.wait_for_url(french_site.url + "search/?q=aimant")
    link = results(page).locator(".pagefind-ui__result-link").first
    expect(link).to_have_text(MAGNETS_TITLE)
    assert search_page.foreign == []


def test_searching_again_updates_the_address(french_site: ServedSite,
                                             search_page: RecordedPage) -> None:
    page = search_page.page
    page.goto(french_site.url + "search/")
    field = page.locator(".pagefind-ui__search-input")
    expect(field).to_be_focused()
    field.fill("uranium")
    expect(results(page).locator(".pagefind-ui__result-link")).to_have_text(["Le nucléaire"])
    assert page.url == french_site.url + "search/?q=uranium"


def test_a_word_after_an_elision_is_found_and_shown_typographically(
        french_site: ServedSite, search_page: RecordedPage) -> None:
    page = search_page.page
    page.goto(french_site.url + "search/?q=acier")
    link = results(page).locator(".pagefind-ui__result-link")
    expect(link).to_have_text(["L’acier vert"])
    excerpt = results(page).locator(".pagefind-ui__result-excerpt").first
    expect(excerpt).to_contain_text("L’acier vert")
    page.goto(french_site.url + "search/?q=l%E2%80%99Europe")  # typed with the curly apostrophe
    expect(results(page).locator(".pagefind-ui__result-link")).to_have_text([MAGNETS_TITLE])


def test_the_search_page_is_not_itself_a_result(french_site: ServedSite,
                                                search_page: RecordedPage) -> None:
    page = search_page.page
    page.goto(french_site.url + "search/?q=rechercher")
    expect(page.locator(".pagefind-ui__message")).to_contain_text("rechercher")
    expect(results(page)).to_have_count(0)


def test_without_the_bundle_the_page_says_so(french_site: ServedSite,
                                             search_page: RecordedPage) -> None:
    page = search_page.page
    page.route("**/pagefind/pagefind-ui.js", lambda route: route.fulfill(status=404))
    page.goto(french_site.url + "search/?q=aimant")
    expect(page.locator("#search")).to_have_text(
        "L’index de recherche n’est pas disponible sur ce site.")
