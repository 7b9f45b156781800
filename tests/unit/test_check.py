"""check: links, anchors, case, HTML structure and XML of a built site, as `page:line: why`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import build_site, thread, write_tree

from site_builder import scanpages
from site_builder.check import check_command, check_site
from site_builder.htmlscan import parse_srcset, scan_html

BASE_URL = "https://example.org/archive/"


def page(body: str, head: str = "") -> str:
    """A well-formed page; `body` lands on line 5."""
    return ("<!doctype html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><title>t</title>"
            f"{head}</head>\n<body>\n{body}\n</body>\n</html>\n")


def clean_site(root: Path) -> Path:
    """A small hand-written site meant to live under /archive/, every link sound."""
    return write_tree(root / "output", {
        "index.html": page('<a href="2025/09/aimants/">x</a> <a href="/archive/tags/">t</a> '
                           '<a href="https://example.org/archive/2025/09/aimants/#t2">abs</a> '
                           '<a href="https://elsewhere.example/x">ext</a> '
                           '<a href="mailto:a@example.org">m</a> <a href="#top">top</a>',
                           '<link rel="stylesheet" href="static/style.css">'),
        "2025/09/aimants/index.html": page(
            '<section id="t1"><a href="#t1">1</a></section>\n<section id="t2">\n'
            '<img src="photo%20un.jpg" srcset="photo%20un.jpg 1x, ../../../static/big.png 2x"'
            ' alt="">\n<a href="../../../tags/?q=x">tags</a> <a href="..">month</a>'
            ' <a href="../../../feed.xml">feed</a></section>'),
        "2025/09/aimants/photo un.jpg": "jpeg",
        "2025/09/index.html": page('<a href="aimants/#t1">a</a> <a href="./aimants/../aimants/'
                                   '#t2">b</a> <a href="../../../../archive/tags/">c</a>'),
        "tags/index.html": page('<a href="../2025/09/aimants/index.html#t2">a</a>'),
        "static/style.css": "body{}",
        "static/big.png": "png",
        "feed.xml": ('<?xml version="1.0" encoding="utf-8"?>\n'
                     '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                     f'<link rel="self" href="{BASE_URL}feed.xml"/>'
                     f'<entry><link href="{BASE_URL}2025/09/aimants/"/></entry></feed>\n'),
        "sitemap.xml": ('<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns='
                        '"http://www.sitemaps.org/schemas/sitemap/0.9">'
                        f'<url><loc>{BASE_URL}</loc></url>'
                        f'<url><loc>{BASE_URL}tags/</loc></url></urlset>\n'),
        # Not pages of the site: never read.
        ".site-builder/staging-1/index.html": "<div><a href='nowhere/'>",
        "pagefind/playground/index.html": "<span></div>",
    })


def problems(output: Path, base_path: str = "/archive/", base_url: str = BASE_URL) -> list[str]:
    return [str(problem) for problem in check_site(output, base_path, base_url)]


def test_a_clean_sub_path_site_passes(tmp_path: Path) -> None:
    assert problems(clean_site(tmp_path)) == []


def test_a_built_sub_path_site_passes(tmp_path: Path) -> None:
    files = {
        "site.yaml": f"title: Fils\nbase_url: {BASE_URL}\nlanguage: fr\nsearch: true\n",
        "content/2025-09-12-aimants.md": thread(
            "2025-09-12", "Les aimants permanents.\n\n***\n\nSuite du fil.",
            title="Terres rares", tags="[chine, industrie]"),
        "content/2025-10-01-acier.md": thread("2025-10-01", "Acier et #chine.", title="Acier",
                                              tags="[chine]"),
    }
    build_site(tmp_path, files)
    assert problems(tmp_path / "output") == []


def test_a_planted_broken_link(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"2025/09/index.html": page('<a href="aimants/">ok</a>\n'
                                                   '<a href="../../tags/chine/">broken</a>')})
    assert problems(output) == ["2025/09/index.html:6: ../../tags/chine/: not found"]


def test_a_planted_missing_anchor(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"tags/index.html": page('<a href="../2025/09/aimants/#t9">a</a>')})
    assert problems(output) == [
        "tags/index.html:5: ../2025/09/aimants/#t9: no id 't9' in 2025/09/aimants/index.html"]


def test_a_missing_anchor_on_the_same_page(tmp_path: Path) -> None:
    output = write_tree(tmp_path / "output", {
        "index.html": page('<p id="here"><a href="#here">a</a> <a href="#gone">b</a></p>')})
    assert problems(output, "/", "") == ["index.html:5: #gone: no id 'gone' in index.html"]


def test_a_case_mismatched_link(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"index.html": page('<a href="2025/09/Aimants/">x</a>\n'
                                           '<img src="static/Style.css" alt="">')})
    assert problems(output) == [
        "index.html:5: 2025/09/Aimants/: not found (case differs: the file is "
        "2025/09/aimants/index.html)",
        "index.html:6: static/Style.css: not found (case differs: the file is static/style.css)",
    ]


def test_malformed_xml(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"feed.xml": '<?xml version="1.0"?>\n<feed>\n<title>a</titel>\n</feed>\n',
                        "tags/chine/feed.xml": "<feed>AT&T</feed>"})
    assert problems(output) == [
        "feed.xml:3: not well-formed XML: mismatched tag",
        "tags/chine/feed.xml:1: not well-formed XML: not well-formed (invalid token)",
    ]


def test_links_in_feeds_and_sitemap_must_resolve(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"sitemap.xml": (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<url><loc>{BASE_URL}2025/09/</loc></url><url><loc>{BASE_URL}2024/</loc></url>'
        '</urlset>')})
    assert problems(output) == [f"sitemap.xml: {BASE_URL}2024/: not found"]


def test_links_that_leave_the_base_path(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"tags/index.html": page(
        '<a href="/tags/">root</a>\n<a href="../../elsewhere/">up</a>\n'
        '<a href="https://example.org/other/">same host, another site: not ours to check</a>\n'
        '<a href="/archive">the base without its slash</a>')})
    assert problems(output) == [
        "tags/index.html:5: /tags/: outside the site's base path /archive/",
        "tags/index.html:6: ../../elsewhere/: outside the site's base path /archive/",
    ]


def test_absolute_links_to_the_site_itself_are_checked(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"index.html": page(
        '<a href="https://example.org/archive/nope/">a</a>\n'
        '<a href="http://EXAMPLE.org/archive/tags/">other scheme, same site</a>\n'
        '<a href="//example.org/archive/gone.html">scheme-relative</a>',
        '<meta property="og:image" content="https://example.org/archive/card.png">')})
    assert problems(output) == [
        "index.html:3: https://example.org/archive/card.png: not found",
        "index.html:5: https://example.org/archive/nope/: not found",
        "index.html:7: //example.org/archive/gone.html: not found",
    ]


def test_redirect_pages_must_lead_somewhere(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {
        "status/1/index.html": page("", '<meta http-equiv="refresh" content="0; '
                                        'url=../../2025/09/aimants/#t2">'),
        "status/2/index.html": page("", "<meta http-equiv=Refresh content='0;URL=../../gone/'>"),
    })
    assert problems(output) == ["status/2/index.html:3: ../../gone/: not found"]


def test_folders_without_an_index(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"2025/index.html": page('<a href="09">month</a> <a href="../static/">s</a>'
                                                ' <a href="../static">s</a>')})
    assert problems(output) == [
        "2025/index.html:5: ../static: folder static has no index.html",
        "2025/index.html:5: ../static/: folder static has no index.html",
    ]


def test_broken_html_structure(tmp_path: Path) -> None:
    output = write_tree(tmp_path / "output", {
        "index.html": page('<div class="a">\n<span>text</div>\n</em>\n<section id="x">\n'
                           '<p id="x">para\n<ul><li>one<li>two</ul>'),
        "ok.html": page("<p>one\n<p>two<div>block</div>\n<table><tr><td>a<td>b</table>"
                        "<svg><path d='M0'/></svg><br/><img src=ok.html alt=''>"),
    })
    assert problems(output, "/", "") == [
        "index.html:6: <span> is not closed before </div> on line 6",
        "index.html:7: </em> closes nothing",
        "index.html:8: <section> is not closed before </body> on line 11",
        "index.html:9: duplicate id 'x' (first on line 8)",
    ]


def test_pages_that_are_not_utf8(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_bytes(page("caf\xe9").encode("latin-1"))
    assert problems(output, "/", "") == ["index.html:5: not UTF-8 text"]


def test_scan_reads_raw_text_and_quoted_attributes() -> None:
    scan = scan_html('<script>if (a < b) { x = "</div>"; }</script>\n'
                     '<a title="a > b" href="x.html?a=1&amp;b=2">y</a><!-- <a href="no"> -->'
                     '<textarea><b></textarea>')
    assert scan.problems == []
    assert [url for _, url in scan.links] == ["x.html?a=1&b=2"]


def test_srcset_candidates() -> None:
    assert parse_srcset("a.png 1x, b%20c.png 2x,d.png") == ["a.png", "b%20c.png", "d.png"]
    assert parse_srcset("data:image/png;base64,AAA= 1x, e.png 480w") == [
        "data:image/png;base64,AAA=", "e.png"]


def test_command_lists_problems_and_exits_1(tmp_path: Path) -> None:
    output = clean_site(tmp_path)
    write_tree(output, {"index.html": page('<a href="nope/">x</a>')})
    result = CliRunner().invoke(check_command, ["--output", str(output), "--config",
                                                str(tmp_path / "none.yaml"),
                                                "--base-url", BASE_URL])
    assert result.exit_code == 1
    assert result.stdout == "index.html:5: nope/: not found\n"
    assert "1 problem;" in result.stderr


def test_command_uses_site_yaml_and_passes(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    clean_site(tmp_path)
    write_tree(tmp_path, {"site.yaml": f"title: t\nbase_url: {BASE_URL}\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(check_command, [])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No problems: 4 pages, ")


def test_unchanged_pages_are_not_read_again(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    output = clean_site(tmp_path)
    read: list[str] = []
    real_scan = scanpages.scan_file

    def counting(path: str) -> scanpages.Record:
        read.append(Path(path).relative_to(output).as_posix())
        return real_scan(path)

    monkeypatch.setattr(scanpages, "scan_file", counting)
    assert problems(output) == []
    assert len(read) == 4
    assert (output / ".site-builder" / scanpages.CACHE_NAME).is_file()
    read.clear()
    assert problems(output) == []
    assert read == []
    write_tree(output, {"tags/index.html": page('<a href="../nope/">a</a>')})
    assert problems(output) == ["tags/index.html:5: ../nope/: not found"]
    assert read == ["tags/index.html"]
    (output / ".site-builder" / scanpages.CACHE_NAME).write_bytes(b"damaged")
    read.clear()
    assert problems(output) == ["tags/index.html:5: ../nope/: not found"]
    assert len(read) == 4


def test_a_folder_site_builder_did_not_write_gets_no_memory(tmp_path: Path) -> None:
    output = write_tree(tmp_path / "output", {"index.html": page("<p>hello</p>")})
    assert problems(output, "/", "") == []
    assert sorted(p.name for p in output.iterdir()) == ["index.html"]
