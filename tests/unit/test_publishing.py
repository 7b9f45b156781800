"""Feeds, sitemap, robots.txt, sharing metadata and tweet redirects of a built site (issue 4)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import build_site, read_page, thread

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

FILES = {
    "content/a.md": thread("2024-01-05", "Alpha opens. Body & <b>text</b>.", tags="[Chine, usines]",
                           title='"Alpha \\"><script>x</script> & co"'),
    "content/b.md": thread("2024-02-10T21:30:00-05:00", "Beta opens.", tags="[chine]",
                           tweet_ids='["111", "222"]') + "\n***\n\nSecond tweet.\n",
    "content/c.md": thread("2024-03-01", "Gamma opens.", tags="[Autre]"),
    "content/d.md": thread("2024-03-02", "Draft opens.", tags="[chine]", draft="true"),
}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    build_site(root, FILES)
    return root / "output"


def entries(feed: Path) -> list[ET.Element]:
    return ET.parse(feed).getroot().findall(f"{ATOM}entry")


def test_site_feed_lists_every_public_thread_newest_first(output: Path) -> None:
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(output / "feed.xml")]
    assert titles == ["Gamma opens", "Beta opens", 'Alpha "><script>x</script> & co']


def test_each_tag_feed_holds_exactly_its_threads(output: Path) -> None:
    chine = [e.findtext(f"{ATOM}id") for e in entries(output / "tags/chine/feed.xml")]
    autre = [e.findtext(f"{ATOM}id") for e in entries(output / "tags/autre/feed.xml")]
    assert chine == ["https://example.org/2024/02/beta-opens/",
                     "https://example.org/2024/01/alpha-script-x-script-co/"]
    assert autre == ["https://example.org/2024/03/gamma-opens/"]


def test_feed_entries_carry_full_content_and_dates_with_offsets(output: Path) -> None:
    beta = entries(output / "feed.xml")[1]
    assert beta.findtext(f"{ATOM}published") == "2024-02-10T21:30:00-05:00"
    content = beta.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<p>Second tweet.</p>" in (content.text or "")
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == \
        "https://example.org/2024/02/beta-opens/"
    # `Chine` and `chine` are one tag; the draft's spelling does not count.
    assert [c.get("term") for c in beta.findall(f"{ATOM}category")] == ["Chine"]


def test_sitemap_lists_exactly_the_public_pages(output: Path) -> None:
    root = ET.parse(output / "sitemap.xml").getroot()
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    pages = {"https://example.org/" + str(path.relative_to(output).parent).replace(".", "")
             for path in output.rglob("index.html")
             if ".site-builder" not in path.parts and path.parts[-3:-2] != ("status",)}
    pages = {page if page.endswith("/") else page + "/" for page in pages}
    assert locations == pages
    assert "https://example.org/2024/03/draft-opens/" not in locations


def test_robots_points_to_the_sitemap(output: Path) -> None:
    lines = (output / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://example.org/sitemap.xml" in lines


def test_thread_head_has_canonical_sharing_cards_and_json_ld(output: Path) -> None:
    head = read_page(output, "2024/01/alpha-script-x-script-co/index.html").find("head")
    meta = {(m.get("property") or m.get("name")): m.get("content")
            for m in head.find_all("meta") if m.get("content") is not None}
    assert meta["og:title"] == 'Alpha "><script>x</script> & co'
    assert meta["og:type"] == "article"
    assert meta["article:published_time"] == "2024-01-05T00:00:00+01:00"
    assert meta["og:url"] == "https://example.org/2024/01/alpha-script-x-script-co/"
    assert meta["twitter:card"] == "summary"
    canonical = [link.get("href") for link in head.find_all("link", rel="canonical")]
    assert canonical == ["https://example.org/2024/01/alpha-script-x-script-co/"]
    ld = json.loads(head.find("script", type="application/ld+json").text())
    assert ld["@type"] == "Article" and ld["headline"] == 'Alpha "><script>x</script> & co'
    assert ld["keywords"] == ["Chine", "usines"]


def test_every_page_links_its_feeds(output: Path) -> None:
    tag = read_page(output, "tags/chine/index.html").find("head")
    feeds = [link.get("href") for link in tag.find_all("link", rel="alternate")]
    assert feeds == ["../../feed.xml", "../../tags/chine/feed.xml"]
    home = read_page(output, "index.html").find("head")
    assert [link.get("href") for link in home.find_all("link", rel="alternate")] == ["feed.xml"]


def test_tweet_ids_redirect_to_the_tweet_anchor(output: Path) -> None:
    page = read_page(output, "status/222/index.html")
    refresh = page.find("meta", **{"http-equiv": "refresh"}).get("content")
    assert refresh == "0; url=../../2024/02/beta-opens/#t2"
    assert page.find("link", rel="canonical").get("href") == \
        "https://example.org/2024/02/beta-opens/"


def test_changes_list_names_what_the_build_wrote(tmp_path: Path) -> None:
    build_site(tmp_path, FILES)
    edited = thread("2024-03-01", "Gamma opens. Then more.", tags="[Autre]")
    (tmp_path / "content/c.md").write_text(edited)
    build_site(tmp_path)
    changes = (tmp_path / "output/.site-builder/changes.txt").read_text().splitlines()
    assert "+ 2024/03/gamma-opens/index.html" in changes
    assert "+ 2024/01/alpha-script-x-script-co/index.html" not in changes
