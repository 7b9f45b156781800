"""Issue 7, HTML safety: hostile front-matter values land literally, and inert, everywhere.

tests/unit/test_build.py::test_front_matter_values_land_literally checks the thread page's
<title>, h1, description, og:title and JSON-LD headline/description. This file covers the rest:
og:description, article:tag, JSON-LD keywords and author, every list that shows a card
(home, tag, month, year), prev/next and related links, both Atom feeds (parsed as XML), the
search index input (what Pagefind reads: the `data-pagefind-body` article), and a `source` URL
holding quotes. Every assertion is on parsed documents, never on substrings of the markup.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import (
    Node,
    build_errors,
    build_site,
    parse_html,
    read_page,
    site_files,
    thread,
    unsafe_markup,
)

from site_builder.slugs import slugify

ATOM = "{http://www.w3.org/2005/Atom}"

TITLE = "Ti \"><script>alert(1)</script> & 'single' &amp; <b>x</b>"
SUMMARY = "</script><script>alert(2)</script> <!-- & --> \"q\" &lt;"
TAGS = ["</script><b>x</b>", 'a&b "q"']
SOURCE = 'https://example.org/?a=1&b="onmouseover="alert(3)'
SITE_TITLE = 'Site "><script>alert(9)</script> & co'
SITE_AUTHOR = 'A & "B" <script>'
BODY = "Body text <script>alert(5)</script> & <img src=x onerror=alert(6)>.\n"

SITE_YAML = f"""\
title: '{SITE_TITLE}'
description: Threads kept for the tests.
author: '{SITE_AUTHOR}'
base_url: https://example.org/
language: en
timezone: Europe/Paris
per_page: 10
search: true
"""


def quoted(value: str) -> str:
    """A YAML single-quoted scalar: the value exactly as written."""
    return "'" + value.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-values")
    tags = "[" + ", ".join(quoted(tag) for tag in TAGS) + "]"
    build_site(root, {
        "site.yaml": SITE_YAML,
        "content/hostile.md": thread("2024-01-05", BODY, title=quoted(TITLE),
                                     summary=quoted(SUMMARY), tags=tags, source=quoted(SOURCE)),
        "content/older.md": thread("2024-01-02", "Older body.", title="Older", tags=tags),
        "content/newer.md": thread("2024-01-09", "Newer body.", title="Newer", tags=tags),
    })
    return root / "output"


@pytest.fixture(scope="module")
def page(output: Path) -> Node:
    return read_page(output, f"2024/01/{slugify(TITLE)}/index.html")


def title_of(card: Node) -> str:
    (title,) = [node for node in card.iter() if "thread-card-title" in (node.get("class") or "")]
    return title.find("a").text()


def meta_values(doc: Node, key: str) -> list[str]:
    return [node.get("content") or "" for node in doc.find_all("meta")
            if key in (node.get("name"), node.get("property"))]


def test_every_page_is_inert_with_only_the_themes_scripts(output: Path) -> None:
    """search: true, so the search page and its theme scripts are part of the check."""
    pages = [rel for rel in site_files(output) if rel.endswith(".html")]
    assert "search/index.html" in pages and len(pages) > 10
    for rel in pages:
        assert unsafe_markup(read_page(output, rel)) == [], rel


def test_title_and_meta_tags_hold_the_values_literally(page: Node) -> None:
    assert page.find("title").text() == f"{TITLE} · {SITE_TITLE}"
    assert meta_values(page, "og:title") == [TITLE]
    assert meta_values(page, "description") == [SUMMARY]
    assert meta_values(page, "og:description") == [SUMMARY]
    assert meta_values(page, "og:site_name") == [SITE_TITLE]
    assert meta_values(page, "article:tag") == TAGS


def test_json_ld_parses_to_the_values(page: Node) -> None:
    (script,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    data = json.loads(script.text())
    assert data["headline"] == TITLE
    assert data["description"] == SUMMARY
    assert data["keywords"] == TAGS
    assert data["author"] == {"@type": "Person", "name": SITE_AUTHOR}


def test_the_source_link_keeps_its_quotes_inside_the_attribute(page: Node) -> None:
    (link,) = page.find("p", class_="source").find_all("a")
    assert link.attrs == [("href", SOURCE), ("rel", "noopener")]


@pytest.mark.parametrize("rel", ["index.html", "2024/01/index.html", "2024/index.html",
                                 f"tags/{slugify(TAGS[0])}/index.html",
                                 f"tags/{slugify(TAGS[1])}/index.html"])
def test_cards_on_every_list_hold_the_values_literally(output: Path, rel: str) -> None:
    doc = read_page(output, rel)
    cards = {title_of(card): card for card in doc.find_all("li", class_="thread-card")}
    assert set(cards) == {TITLE, "Older", "Newer"}
    card = cards[TITLE]
    assert card.find("p", class_="summary").text() == SUMMARY
    assert [a.text() for a in card.find("ul", class_="tag-list").find_all("a")] == TAGS


def test_tag_pages_and_the_tags_index_name_the_tags_literally(output: Path) -> None:
    for tag in TAGS:
        doc = read_page(output, f"tags/{slugify(tag)}/index.html")
        assert doc.find("h1").text() == tag
        assert doc.find("title").text() == f"Topic: {tag} · {SITE_TITLE}"
    index = read_page(output, "tags/index.html")
    assert sorted(a.text() for a in index.find("main").find_all("a")
                  if a.text() in TAGS) == sorted(TAGS)


def test_neighbours_and_related_threads_show_the_title_literally(output: Path) -> None:
    for rel, direction in (("2024/01/older/index.html", "newer"),
                           ("2024/01/newer/index.html", "older")):
        doc = read_page(output, rel)
        link = doc.find("nav", class_="thread-nav").find("a", class_=direction)
        assert link.children[-1].strip() == TITLE, rel
        (related,) = [node for node in doc.iter()
                      if node.get("aria-labelledby") == "related-title"]
        assert TITLE in [a.text() for a in related.find_all("a")], rel


def test_search_index_input_holds_the_values_as_text(page: Node) -> None:
    """Pagefind indexes the element with `data-pagefind-body` and its `data-pagefind-meta`."""
    (body,) = [node for node in page.iter() if node.get("data-pagefind-body") is not None]
    assert unsafe_markup(body, theme_scripts=False) == []
    (title,) = [node for node in body.iter() if node.get("data-pagefind-meta") == "title"]
    assert title.text() == TITLE
    assert [a.text() for a in body.find("ul", class_="tag-list").find_all("a")] == TAGS
    assert body.find("div", class_="thread-body").text() == " ".join(BODY.split())
    assert [node.get("data-pagefind-meta") for node in body.iter()
            if node.get("data-pagefind-meta")] == ["title", "date:January 5, 2024"]


def feed_entries(output: Path, rel: str) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring((output / rel).read_bytes())
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    return root, entries


@pytest.mark.parametrize("tag", [None, *TAGS], ids=["site feed", "tag 1 feed", "tag 2 feed"])
def test_feeds_parse_to_the_values(output: Path, tag: str | None) -> None:
    rel = "feed.xml" if tag is None else f"tags/{slugify(tag)}/feed.xml"
    root, entries = feed_entries(output, rel)
    assert root.findtext(f"{ATOM}title") == (SITE_TITLE if tag is None
                                              else f"{SITE_TITLE} — {tag}")
    assert root.findtext(f"{ATOM}author/{ATOM}name") == SITE_AUTHOR
    assert set(entries) == {TITLE, "Older", "Newer"}
    entry = entries[TITLE]
    assert entry.findtext(f"{ATOM}summary") == SUMMARY
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == TAGS
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    html = parse_html(content.text or "")
    assert unsafe_markup(html, theme_scripts=False) == []
    assert html.text() == " ".join(BODY.split())


# --- URL fields --------------------------------------------------------------------------------

def test_url_fields_with_script_schemes_are_errors_at_their_line(tmp_path: Path) -> None:
    """Every file is checked and reported in one run; a good `source` is kept."""
    files = {
        "content/a.md": thread(title="A", source="javascript:alert(1)"),
        "content/b.md": thread(title="B", tags="[x]", source="JaVaScRiPt:alert(1)"),
        "content/c.md": thread(title="C", source="'data:text/html,<script>alert(1)</script>'"),
        "content/d.md": thread(title="D", tags="[x]", summary="s", source="vbscript:msgbox(1)"),
        "content/e.md": thread(title="E", source='"\\tjavascript:alert(1)"'),
        "content/f.md": thread(title="F", source="'//evil.example/x'"),
        "content/ok.md": thread(title="OK", source="https://example.org/thread"),
    }
    assert build_errors(tmp_path, files) == [
        "content/a.md:4: 'source' must be an http(s) URL, not \"javascript:alert(1)\"",
        "content/b.md:5: 'source' must be an http(s) URL, not \"JaVaScRiPt:alert(1)\"",
        "content/c.md:4: 'source' must be an http(s) URL, "
        "not \"data:text/html,<script>alert(1)</script>\"",
        "content/d.md:6: 'source' must be an http(s) URL, not \"vbscript:msgbox(1)\"",
        "content/e.md:4: 'source' must be an http(s) URL, not \"javascript:alert(1)\"",
        "content/f.md:4: 'source' must be an http(s) URL, not \"//evil.example/x\"",
    ]
    assert not (tmp_path / "output").exists()
