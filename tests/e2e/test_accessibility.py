"""Accessibility in headless chromium: axe-core on every kind of page, light and dark, on the
demo archive and on a small English site; visible keyboard focus; landmarks, languages and
alternative text.

axe-core is pinned in tests/e2e/axe/package-lock.json: `npm ci --prefix tests/e2e/axe`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from reading_fixtures import (
    ENGLISH_CODE_THREAD,
    ENGLISH_FRENCH_THREAD,
    IMAGE_ALT,
    PAGE_KINDS,
    OpenPage,
    ServedSite,
    axe_script,
    demo_site,
    english_site,
    open_page,
    reading_browser,
    site,
    wait_for_search,
)

__all__ = ["axe_script", "demo_site", "english_site", "open_page", "reading_browser", "site"]

BLOCKING = ("serious", "critical")

def axe_violations(page: Any, script: Path) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (every rule axe runs by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                         ".violations")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def check_page(open_page: OpenPage, script: Path, url: str) -> None:
    """axe in the light and then the dark colour scheme, on the same page."""
    opened = open_page(url)
    if "/search/" in url:
        wait_for_search(opened.page)
    blocking = []
    for scheme in ("light", "dark"):
        opened.page.emulate_media(color_scheme=scheme)
        blocking += [{**violation, "help": f"{violation['help']} ({scheme})"}
                     for violation in axe_violations(opened.page, script)
                     if violation["impact"] in BLOCKING]
    assert not blocking, f"{url}:\n{describe(blocking)}"
    assert not opened.foreign, opened.foreign


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_no_serious_or_critical_violation(site: ServedSite, kind: str, open_page: OpenPage,
                                          axe_script: Path) -> None:
    check_page(open_page, axe_script, site.page_url(kind))


@pytest.mark.parametrize("path", [ENGLISH_CODE_THREAD, ENGLISH_FRENCH_THREAD])
def test_a_thread_with_code_and_one_in_another_language(english_site: ServedSite, path: str,
                                                        open_page: OpenPage,
                                                        axe_script: Path) -> None:
    check_page(open_page, axe_script, english_site.page_url(path))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_visible(english_site: ServedSite, scheme: str,
                                   open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread"), scheme=scheme).page
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    for _ in range(3):  # the skip link, the site's name, the first navigation link
        focused = page.evaluate("""() => {
            const style = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, style: style.outlineStyle,
                    width: parseFloat(style.outlineWidth)};
        }""")
        assert focused["style"] != "none" and focused["width"] >= 2, focused
        page.keyboard.press("Tab")
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("site", ["demo", "english"], indirect=True)
def test_landmarks_and_language(site: ServedSite, open_page: OpenPage) -> None:
    page = open_page(site.page_url("thread")).page
    expect(page.locator("html")).to_have_attribute("lang", site.language)
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    navigations = page.get_by_role("navigation")
    assert navigations.count() >= 2  # the site's, and older / newer threads
    for index in range(navigations.count()):
        assert navigations.nth(index).get_attribute("aria-label")
    expect(page.locator("main h1")).to_have_count(1)


def test_media_have_their_alternative_text(english_site: ServedSite,
                                           open_page: OpenPage) -> None:
    page = open_page(english_site.page_url("thread")).page
    image = page.locator("article img")
    expect(image).to_have_attribute("alt", IMAGE_ALT)
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('article img').naturalWidth") > 0


def test_a_thread_in_another_language_says_so(english_site: ServedSite,
                                              open_page: OpenPage) -> None:
    page = open_page(english_site.page_url(ENGLISH_FRENCH_THREAD)).page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("article")).to_have_attribute("lang", "fr")
    home = open_page(english_site.page_url("home")).page
    expect(home.locator(".thread-card[lang='fr']")).to_have_count(0)  # on page 2 of 2
    home.goto(english_site.page_url("page/2/"))
    expect(home.locator(".thread-card[lang='fr']")).to_have_count(1)
