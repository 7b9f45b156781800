"""In a real browser: a save shows up by itself, a broken save shows its errors, a fix undoes it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

THREAD = """---
title: {title}
date: 2024-01-02
tags: [essai]
---
{body}
"""
THREAD_URL = "2024/01/hello-world/"


def write_site(root: Path, base_url: str = "https://example.org/") -> Path:
    """A small site: site.yaml and two threads."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"title: Browser test\nbase_url: {base_url}\nlanguage: en\n"
                                    "timezone: Europe/London\nsearch: false\n", encoding="utf-8")
    write_thread(root, "The first version of this thread.")
    (root / "content/2024-01-01-other.md").write_text(
        THREAD.format(title="Another thread", body="Another body."), encoding="utf-8")
    return root / "site.yaml"


def write_thread(root: Path, body: str, title: str = "Hello world") -> Path:
    path = root / "content/2024-01-02-hello.md"
    path.write_text(THREAD.format(title=title, body=body), encoding="utf-8")
    return path


def wait_for_live_reload(page: Any) -> None:
    """Until this document's livereload.js has shaken hands with the server."""
    page.wait_for_function("window.__liveReloadConnected === true")
    time.sleep(0.1)  # livereload.js says `info` right after; the server counts the page then


def open_thread(page: Any, url: str) -> None:
    page.goto(url)
    wait_for_live_reload(page)


def test_a_save_appears_in_the_open_page_without_navigation(tmp_path: Path, page: Any,
                                                            serve: Callable[..., Any]) -> None:
    from playwright.sync_api import expect

    preview = serve(write_site(tmp_path))
    open_thread(page, preview.url + THREAD_URL)
    expect(page.locator("main")).to_contain_text("The first version of this thread.")
    loaded = page.evaluate("window.__loadedAt")

    write_thread(tmp_path, "A **second** version, saved in the editor.")

    expect(page.locator("main")).to_contain_text("A second version, saved in the editor.")
    assert page.url == preview.url + THREAD_URL
    assert page.evaluate("window.__loadedAt") > loaded  # the page reloaded by itself
    preview.wait_for_line(lambda line: line.startswith("content/2024-01-02-hello.md changed: "))


def test_a_broken_front_matter_shows_the_error_page_and_the_fix_brings_the_page_back(
        tmp_path: Path, page: Any, serve: Callable[..., Any]) -> None:
    from playwright.sync_api import expect

    preview = serve(write_site(tmp_path))
    open_thread(page, preview.url + THREAD_URL)

    (tmp_path / "content/2024-01-01-other.md").write_text(
        "---\ntitle: Another thread\ndate: [2024\n---\nBody.\n", encoding="utf-8")
    (tmp_path / "content/2024-01-02-hello.md").write_text(
        "---\ntitle: Hello world\ndate: 2024-01-02\nlang: '<img src=x onerror=window.pwned=1>'"
        "\n---\nBody.\n", encoding="utf-8")

    expect(page.locator("h1")).to_contain_text("Build failed: 2 problems")
    problems = page.locator("ol.problems li")
    expect(problems).to_have_count(2)
    texts = problems.all_inner_texts()
    assert texts[0].startswith("content/2024-01-01-other.md:3: invalid YAML")
    assert texts[1].startswith("content/2024-01-02-hello.md:4: 'lang' must be")
    assert "<img src=x onerror=window.pwned=1>" in texts[1]  # shown as text, not markup
    assert page.locator("ol.problems img").count() == 0
    assert page.evaluate("window.pwned") is None
    for text in texts:  # the terminal says the same
        preview.wait_for_line(lambda line, text=text: line == text)
    wait_for_live_reload(page)

    (tmp_path / "content/2024-01-01-other.md").write_text(
        THREAD.format(title="Another thread", body="Another body."), encoding="utf-8")
    write_thread(tmp_path, "Fixed, and better than before.")

    expect(page.locator("main")).to_contain_text("Fixed, and better than before.")
    assert page.url == preview.url + THREAD_URL


def test_a_template_error_names_the_template_and_line(tmp_path: Path, page: Any,
                                                      serve: Callable[..., Any]) -> None:
    from playwright.sync_api import expect

    preview = serve(write_site(tmp_path))
    open_thread(page, preview.url + THREAD_URL)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/thread.html").write_text(
        "<!doctype html>\n<title>x</title>\n{{ thread.title | no_such_filter }}\n",
        encoding="utf-8")

    expect(page.locator("ol.problems")).to_contain_text("templates/thread.html:3:")
    wait_for_live_reload(page)
    (tmp_path / "templates/thread.html").unlink()
    expect(page.locator("main")).to_contain_text("The first version of this thread.")


def test_live_reload_under_a_sub_path_base_url(tmp_path: Path, page: Any,
                                               serve: Callable[..., Any]) -> None:
    from playwright.sync_api import expect

    preview = serve(write_site(tmp_path, base_url="https://example.org/archive/"))
    assert preview.url.endswith("/archive/")
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 and not response.url.endswith("favicon.ico") else None)
    root = preview.url[: -len("archive/")]
    page.goto(root)
    assert page.url == preview.url  # / leads to the site's path
    page.locator(f'a[href$="{THREAD_URL}"]').first.click()
    page.wait_for_url(preview.url + THREAD_URL)
    wait_for_live_reload(page)
    assert failed == []  # stylesheets and livereload.js found from under the sub-path

    write_thread(tmp_path, "Edited under a sub-path.")

    expect(page.locator("main")).to_contain_text("Edited under a sub-path.")
    assert page.url == preview.url + THREAD_URL
    assert failed == []
