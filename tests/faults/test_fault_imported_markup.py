"""Issue 7, HTML safety: hostile tweets imported by both importers, then built, stay inert.

The unit tests check the importers' Markdown and one rendered body; here the real commands
write into a site's content/, the site is built, and every page and feed is checked as a
parsed document: no `on*` attribute, no <script> but the theme's, only http(s), mailto,
relative or `#` URLs, and the hostile text shown to readers as the text it was.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import (
    SITE_YAML,
    build_site,
    links,
    parse_html,
    read_page,
    site_files,
    unsafe_markup,
    url_scheme,
    write_tree,
)

from site_builder.importers.commands import import_group

FIXTURES = Path(__file__).parents[1] / "fixtures" / "x_archive"
ATOM = "{http://www.w3.org/2005/Atom}"

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)" onclick="x()">clic</a>',
    "[a](javascript:alert(4)) [b](JaVaScRiPt:alert(5)) [c](&#106;avascript:alert(6))",
    "[d](data:text/html,<script>alert(7)</script>) [e](vbscript:msgbox(8)) "
    "![f](javascript:alert(9))",
    "<javascript:alert(10)> javascript:alert(11) <svg onload=alert(12)>",
    '"><script>alert(14)</script> & \'q\'',
]
STRAIGHT = str.maketrans("“”‘’", "\"\"''")
# What a reader sees of each line: raw HTML as text, dropped links as their bracketed text.
SHOWN = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)" onclick="x()">clic</a>',
]


def run_import(args: list[str]) -> None:
    result = CliRunner().invoke(import_group, [*args, "--config", "site.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 0, result.stderr


def x_archive(folder: Path) -> Path:
    """The legacy fixture with one thread of hostile self-replies, hashtags, links and media."""
    shutil.copytree(FIXTURES / "legacy", folder)
    tweets, previous = [], None
    for index, text in enumerate(["Premier tweet hostile.", *HOSTILE]):
        tweet: dict[str, object] = {
            "id_str": str(100 + index),
            "created_at": f"Fri Jan 05 10:{index:02d}:00 +0000 2024",
            "full_text": ("@ancien " if previous else "") + text,
            "entities": {"hashtags": [{"text": '"><b>x'}],
                         "urls": [{"url": "https://t.co/abc",
                                   "expanded_url": "javascript:alert(99)"}]},
        }
        if previous:
            tweet["in_reply_to_status_id_str"] = previous
        if index == 2:  # a t.co link expanding to javascript:, a picture with a hostile alt
            tweet["full_text"] = f"{tweet['full_text']} https://t.co/abc"
            tweet["extended_entities"] = {"media": [{
                "url": "https://t.co/m", "media_url_https": "https://pbs.twimg.com/media/x.jpg",
                "ext_alt_text": '"><img src=x onerror=alert(1)> [a](javascript:b)'}]}
        previous = tweet["id_str"]
        tweets.append({"tweet": tweet})
    (folder / "data" / "tweet.js").write_text(
        "window.YTD.tweet.part0 = " + json.dumps(tweets), encoding="utf-8")
    (folder / "data" / "tweets_media").mkdir(exist_ok=True)
    (folder / "data" / "tweets_media" / "102-x.jpg").write_bytes(b"\xff\xd8 jpeg")
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_tree(tmp_path_factory.mktemp("imported"),
                      {"site.yaml": SITE_YAML.replace("search: false", "search: true")})
    export = root / "export.txt"
    export.write_text("Jan 5, 2024 • 8 tweets • 1 min read\nHostile thread start.\n"
                      + "\n".join(HOSTILE) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        run_import(["threadreader", str(export), "--tag", '"><script>x'])
        run_import(["x-archive", str(x_archive(root / "archive"))])
    build_site(root)
    return root


def test_both_importers_wrote_their_thread(site: Path) -> None:
    names = sorted(p.relative_to(site / "content").as_posix()
                   for p in (site / "content").rglob("*") if p.is_file())
    assert names == ["2024-01-05-hostile-thread-start.md",
                     "2024-01-05-premier-tweet-hostile/102-x.jpg",
                     "2024-01-05-premier-tweet-hostile/index.md"]


def test_no_page_runs_code_or_links_to_a_script_scheme(site: Path) -> None:
    output = site / "output"
    pages = [rel for rel in site_files(output) if rel.endswith(".html")]
    assert len(pages) > 10
    for rel in pages:
        assert unsafe_markup(read_page(output, rel)) == [], rel


@pytest.mark.parametrize("rel", ["2024/01/hostile-thread-start/index.html",
                                 "2024/01/premier-tweet-hostile/index.html"])
def test_hostile_lines_are_shown_as_text(site: Path, rel: str) -> None:
    page = read_page(site / "output", rel)
    body = page.find("div", class_="thread-body")
    # Typography curls the quotes (“x”), which changes nothing of what the text says.
    paragraphs = [p.text().translate(STRAIGHT) for p in body.find_all("p")]
    for line in SHOWN:
        assert line in paragraphs or any(p.startswith(line) for p in paragraphs), line
    assert '"><script>alert(14)</script> & \'q\'' in paragraphs
    # Links left in the body are relative: tweet anchors, the picture, an escaped `&#106;...`
    # kept as a (harmless) relative path. None has a scheme, let alone a script one.
    assert {url_scheme(value) for _, _, value in links(body)} <= {""}


def test_the_imported_picture_keeps_its_alt_text_as_text(site: Path) -> None:
    page = read_page(site / "output", "2024/01/premier-tweet-hostile/index.html")
    (img,) = page.find_all("img")
    assert img.attrs == [("src", "102-x.jpg"),
                         ("alt", '"><img src=x onerror=alert(1)> [a](javascript:b)')]


def test_imported_tags_are_text(site: Path) -> None:
    threadreader = read_page(site / "output", "2024/01/hostile-thread-start/index.html")
    x = read_page(site / "output", "2024/01/premier-tweet-hostile/index.html")
    assert [a.text() for a in threadreader.find("ul", class_="tag-list").find_all("a")] == [
        '"><script>x']
    assert [a.text() for a in x.find("ul", class_="tag-list").find_all("a")] == ['"><b>x']


def test_feed_content_of_imported_threads_is_inert(site: Path) -> None:
    root = ET.fromstring((site / "output" / "feed.xml").read_bytes())
    contents = [entry.find(f"{ATOM}content") for entry in root.iter(f"{ATOM}entry")]
    assert len(contents) == 2
    for content in contents:
        assert content is not None
        assert unsafe_markup(parse_html(content.text or ""), theme_scripts=False) == []
