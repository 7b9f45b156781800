"""build: whole sites built end to end; failures change nothing; nothing unsafe reaches a page."""

from __future__ import annotations

import gc
import json
import os
import re
import resource
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from helpers import (
    SITE_YAML,
    build_errors,
    build_site,
    failing_thread_template,
    ids,
    parse_html,
    read_page,
    site_config,
    site_files,
    snapshot,
    thread,
    unsafe_markup,
    write_tree,
)

from site_builder.build import build
from site_builder.errors import Diagnostics
from site_builder.slugs import slugify
from site_builder.writer import STATE_DIR, UnsafeOutput

REPO = Path(__file__).resolve().parents[2]

SMALL_SITE = {
    "content/2024-01-05-first.md": thread("2024-01-05", "First body. More.", title="First",
                                          tags="[Chine, industrie]"),
    "content/2024-02-10-second.md": thread("2024-02-10", "Second body.", title="Second",
                                           tags="[chine]"),
    "content/2023/old.md": thread("2023-06-01", "Old body.", title="Old"),
}


def staging_folders(output: Path) -> list[str]:
    state = output / STATE_DIR
    return sorted(p.name for p in state.iterdir() if "staging" in p.name) if state.is_dir() else []


def test_a_small_site_builds(tmp_path: Path) -> None:
    report = build_site(tmp_path, SMALL_SITE)
    files = site_files(tmp_path / "output")
    for rel in ("index.html", "2024/01/first/index.html", "2024/02/second/index.html",
                "2023/06/old/index.html", "2024/index.html", "2024/01/index.html",
                "2023/index.html", "archive/index.html", "tags/index.html",
                "tags/chine/index.html", "tags/industrie/index.html", "404.html",
                "static/style.css"):
        assert rel in files, rel
    assert report.threads == 3
    assert report.pages == len([rel for rel in files])
    assert sorted(report.written) == sorted(files)
    assert staging_folders(tmp_path / "output") == []
    home = read_page(tmp_path / "output", "index.html")
    assert [h2.text() for h2 in home.find_all("h2", class_="thread-card-title")] == [
        "Second", "First", "Old"]


def test_a_second_build_rewrites_nothing(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    before = site_files(tmp_path / "output")
    report = build_site(tmp_path)
    assert (report.written, report.removed) == ([], [])
    assert site_files(tmp_path / "output") == before


def test_drafts_only_with_the_option(tmp_path: Path) -> None:
    files = {**SMALL_SITE, "content/draft.md": thread(title="Secret", draft="true")}
    build_site(tmp_path, files)
    assert "2024/01/secret/index.html" not in site_files(tmp_path / "output")
    build_site(tmp_path, drafts=True)
    assert "2024/01/secret/index.html" in site_files(tmp_path / "output")


def test_bundled_media_are_copied_beside_their_thread(tmp_path: Path) -> None:
    build_site(tmp_path, {"content/x/index.md": thread(title="Photos", body="![p](pic.png)"),
                          "content/x/pic.png": b"\x89PNG", "content/files/doc.txt": "d"})
    files = site_files(tmp_path / "output")
    assert files["2024/01/photos/pic.png"] == b"\x89PNG"
    assert files["files/doc.txt"] == b"d"
    page = read_page(tmp_path / "output", "2024/01/photos/index.html")
    assert page.find("img").get("src") == "pic.png"


# --- all or nothing --------------------------------------------------------------------------

def test_a_failed_build_leaves_output_byte_identical(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    before = snapshot(tmp_path / "output")
    errors = build_errors(tmp_path, {
        "content/2024-01-05-first.md": thread("2024-02-30", title="First"),
        "content/new.md": "---\ntitle: no date\n---\nBody.\n",
    })
    assert errors == [
        "content/2024-01-05-first.md:2: 'date' is not a date: \"2024-02-30\" "
        "(write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)",
        "content/new.md:1: 'date' is missing (add `date: YYYY-MM-DD`)",
    ]
    assert snapshot(tmp_path / "output") == before


def many_threads(count: int) -> dict[str, str]:
    return {f"content/t{i:03d}.md": thread(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                           f"Body of thread {i}.", title=f"Thread {i}",
                                           tags=f"[t{i % 5}]")
            for i in range(count)}


def test_a_template_error_in_one_page_of_many(tmp_path: Path) -> None:
    build_site(tmp_path, many_threads(150))
    before = snapshot(tmp_path / "output")
    template, line = failing_thread_template("Thread 77")
    errors = build_errors(tmp_path, {"templates/thread.html": template})
    assert errors == [f"templates/thread.html:{line}: template error: 'dict object' has no "
                      f"attribute 'no_such_key' (rendering /2024/06/thread-77/)"]
    assert snapshot(tmp_path / "output") == before
    assert staging_folders(tmp_path / "output") == []


def test_one_template_error_on_many_pages_is_reported_once(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    before = snapshot(tmp_path / "output")
    errors = build_errors(tmp_path, {"templates/tag.html": "{{ tag.nope }}\n"})
    assert errors == ["templates/tag.html:1: template error: 'dict object' has no attribute "
                      "'nope' (rendering /tags/chine/ and 1 other pages)"]
    assert snapshot(tmp_path / "output") == before


def test_a_template_syntax_error_names_its_line(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {**SMALL_SITE,
                                     "templates/archive.html": "ok\n\n{% if %}\n"})
    assert errors == ["templates/archive.html:3: template error: Expected an expression, "
                      "got 'end of statement block' (rendering /archive/)"]
    assert not (tmp_path / "output").exists() or site_files(tmp_path / "output") == {}


def _limit_file_size(limit: int) -> None:
    """In the child process: writes beyond `limit` bytes fail, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_the_build(tmp_path: Path) -> None:
    files = many_threads(20)
    files["content/big.md"] = thread("2024-05-05", "word " * 30_000, title="Big")
    build_site(tmp_path, files)
    before = snapshot(tmp_path / "output")
    write_tree(tmp_path, {"templates/base.html":  # every page renders again
                          (REPO / "templates" / "base.html").read_text() + "\n"})
    result = subprocess.run(
        [sys.executable, "-c", "from site_builder.cli import cli; cli()", "build", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        preexec_fn=lambda: _limit_file_size(64 * 1024))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "1 problem; output was not changed."
    assert re.fullmatch(r"output(/\S*)?: cannot write: File too large "
                        r"\(free some space or fix the folder's permissions\)",
                        result.stderr.splitlines()[0]), result.stderr
    assert snapshot(tmp_path / "output") == before
    assert staging_folders(tmp_path / "output") == []


# --- the output folder -------------------------------------------------------------------------

def test_deploy_files_survive_and_deleted_sources_disappear(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_tree(output, {"CNAME": "example.org\n", ".nojekyll": "", ".git/HEAD": "ref: main\n",
                        ".git/objects/ab/cdef": b"\x00blob"})
    build_site(tmp_path, SMALL_SITE)
    (tmp_path / "content" / "2024-01-05-first.md").unlink()
    report = build_site(tmp_path)
    files = snapshot(output)
    assert files["CNAME"] == b"example.org\n" and files[".nojekyll"] == b""
    assert files[".git/HEAD"] == b"ref: main\n" and files[".git/objects/ab/cdef"] == b"\x00blob"
    assert "2024/01/first/index.html" in report.removed
    assert "tags/industrie/index.html" in report.removed
    assert not (output / "2024" / "01").exists()
    assert not (output / "tags" / "industrie").exists()


@pytest.mark.parametrize("where", [".", "content", "templates", "home", "src", "public"])
def test_unsafe_output_folders_are_refused_before_anything_is_deleted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    root = tmp_path / "site"
    write_tree(root, {"site.yaml": SITE_YAML + "content: src/content\n",
                      "src/content/a.md": thread(title="A"), "templates/base.html": "mine",
                      "public/thesis.docx": "years of work", "notes.txt": "keep"})
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    targets = {".": root, "content": root / "src" / "content", "templates": root / "templates",
               "home": tmp_path / "home", "src": root / "src", "public": root / "public"}
    before = snapshot(tmp_path)
    with pytest.raises(UnsafeOutput):
        build(site_config(root, output_dir=targets[where]), Diagnostics())
    assert snapshot(tmp_path) == before
    assert not (root / ".site-builder-cache").exists()


# --- HTML safety of whole pages --------------------------------------------------------------

HOSTILE_TITLE = '"><script>alert(1)</script> & "quoted"'
HOSTILE_SUMMARY = "</script><script>alert(2)</script> <!-- & -->"
HOSTILE_BODY = """\
# constructor

<script>alert(3)</script> <img src=x onerror=alert(4)> <a href="javascript:x" onclick="y">q</a>

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1))
[d](data:text/html,<script>alert(1)</script>) [e](vbscript:msgbox(1)) ![f](javascript:alert(1))
<javascript:alert(1)> [g](java\tscript:alert(1)) [ok](https://example.org/) [m](mailto:a@b.org)

# constructor

***

## __proto__

## `__proto__`

[^n] and <svg onload=alert(5)>

[^n]: note <iframe src="https://x"></iframe>
"""


def hostile_site(tmp_path: Path) -> Path:
    meta = {"title": "'" + HOSTILE_TITLE.replace("'", "''") + "'",
            "summary": "'" + HOSTILE_SUMMARY + "'", "tags": "['<b>x</b>', 'a&b']"}
    build_site(tmp_path, {"content/hostile.md": thread("2024-01-05", HOSTILE_BODY, **meta),
                          "content/other.md": thread("2024-01-06", "Other.", title="Other")})
    return tmp_path / "output"


def test_no_page_carries_script_handlers_or_unsafe_links(tmp_path: Path) -> None:
    output = hostile_site(tmp_path)
    pages = [rel for rel in site_files(output) if rel.endswith(".html")]
    assert len(pages) > 8
    for rel in pages:
        assert unsafe_markup(read_page(output, rel)) == [], rel


def test_front_matter_values_land_literally(tmp_path: Path) -> None:
    output = hostile_site(tmp_path)
    page = read_page(output, f"2024/01/{slugify(HOSTILE_TITLE)}/index.html")
    assert page.find("h1", class_="p-name").text() == " ".join(HOSTILE_TITLE.split())
    assert page.find("title").text().startswith(HOSTILE_TITLE)
    meta = {node.get("name") or node.get("property"): node.get("content")
            for node in page.find_all("meta")}
    assert meta["description"] == HOSTILE_SUMMARY
    assert meta["og:title"] == HOSTILE_TITLE
    assert sorted(tag.text() for tag in page.find("ul", class_="tag-list").find_all("a")) == [
        "<b>x</b>", "a&b"]
    (ld,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    data = json.loads(ld.text())
    assert (data["headline"], data["description"]) == (HOSTILE_TITLE, HOSTILE_SUMMARY)


def test_every_id_on_a_page_is_unique(tmp_path: Path) -> None:
    output = hostile_site(tmp_path)
    for rel in (r for r in site_files(output) if r.endswith(".html")):
        page_ids = ids(read_page(output, rel))
        assert len(page_ids) == len(set(page_ids)), rel
    thread_ids = [i for r in site_files(output) if r.endswith("/index.html") and "/01/" in r
                  for i in ids(read_page(output, r)) if i.startswith("h-")]
    assert {"h-constructor", "h-constructor-1", "h-proto", "h-proto-1"} <= set(thread_ids)


def test_slugs_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    build_site(tmp_path / "site", {
        "content/a.md": thread(slug="../../etc/passwd"), "content/b.md": thread(slug="'%2e%2e%2f'"),
        "content/c.md": thread(slug="/abs"), "content/d.md": thread(slug="con"),
        "content/e.md": thread(slug="x" * 300), "content/f.md": thread(title="'...'"),
        "content/g.md": thread(slug="'a/../../b'"), "content/h.md": thread(slug="'C:\\\\x'")})
    outside = sorted(p.name for p in tmp_path.iterdir())
    assert outside == ["site"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        ".site-builder-cache", "content", "output", "site.yaml"]
    urls = sorted(rel for rel in site_files(tmp_path / "site" / "output")
                  if rel.startswith("2024/01/") and rel.count("/") == 3)
    assert urls == sorted(f"2024/01/{slug}/index.html" for slug in (
        "etc-passwd", "2e-2e-2f", "abs", "con-1", "x" * 80, "thread", "a-b",
        "c-x"))


def test_case_only_differences_are_an_error(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {"content/a.md": thread(title="About"),
                                     "content/b.md": thread(title="ABOUT", date="2024-01-05")})
    assert errors == ["content/b.md:1: same URL /2024/01/about/ as content/a.md "
                      "(give one of them another 'slug' or 'title')"]


def test_case_only_differences_of_copied_files_name_both_paths(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {"content/a.md": thread(title="A"),
                                     "content/img/About.png": b"1", "content/img/about.png": b"2"})
    assert errors == ["content/img/about.png: /img/about.png is also made by "
                      "content/img/About.png (change a slug or a file name)"]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    files = {"content/a.md": thread(title="A", tag="[x]")}
    report = build_site(tmp_path, files)
    assert [str(w) for w in report.warnings] == [
        "content/a.md:4: unknown key 'tag' (did you mean 'tags'?)"]
    assert build_errors(tmp_path, strict=True) == [
        "content/a.md:4: unknown key 'tag' (did you mean 'tags'?)"]


# --- dates and encodings ---------------------------------------------------------------------

def test_dates_do_not_depend_on_the_machine_time_zone(tmp_path: Path) -> None:
    """`date: 2024-01-05` shows 5 January 2024 whatever TZ the build runs under."""
    shown = "5 janvier 2024"
    outputs = []
    for zone in ("America/Los_Angeles", "Pacific/Kiritimati"):
        root = tmp_path / zone.replace("/", "-")
        write_tree(root, {"site.yaml": SITE_YAML.replace("language: en", "language: fr"),
                          "content/a.md": thread("2024-01-05", "Body.", title="Jan"),
                          "content/b.md": thread("2024-01-05 23:30", "Late.", title="Late")})
        subprocess.run([sys.executable, "-c", "from site_builder.cli import cli; cli()",
                        "build", "-q", "--config", str(root / "site.yaml")],
                       env={**os.environ, "TZ": zone}, check=True, cwd=root)
        page = read_page(root / "output", "2024/01/jan/index.html")
        time_tag = page.find("time", class_="dt-published")
        assert time_tag.text() == shown
        assert time_tag.get("datetime", "").startswith("2024-01-05T00:00:00")
        late = read_page(root / "output", "2024/01/late/index.html")
        assert late.find("time", class_="dt-published").text() == shown
        outputs.append(site_files(root / "output"))
    assert outputs[0] == outputs[1]


def test_bom_and_crlf_give_the_same_pages_as_lf(tmp_path: Path) -> None:
    text = thread("2024-01-05", "First tweet.\n\n***\n\nSecond *tweet*.\n", title="Same",
                  tags="[a]")
    variants = {"lf": text.encode(), "crlf": text.replace("\n", "\r\n").encode(),
                "bom": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()}
    pages = {}
    for name, data in variants.items():
        build_site(tmp_path / name, {"content/same.md": data})
        pages[name] = site_files(tmp_path / name / "output")
    assert pages["crlf"] == pages["lf"] == pages["bom"]


def test_cp1252_is_an_error_and_other_files_are_still_checked(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {
        "content/a.md": "---\ndate: 2024-01-05\n---\nUn café.\n".encode("cp1252"),
        "content/b.md": thread(tweets="-3")})
    assert errors == [
        "content/a.md:4: not UTF-8 text (byte 0xe9) "
        "(re-encode the file as UTF-8, e.g. iconv -f cp1252 -t utf-8 content/a.md)",
        "content/b.md:3: 'tweets' must be between 1 and 100000, not -3"]


def test_decomposed_file_names_build_like_composed_ones(tmp_path: Path) -> None:
    name = "économie.md"
    for form in ("NFC", "NFD"):
        build_site(tmp_path / form, {f"content/{unicodedata.normalize(form, name)}":
                                     thread(title="Économie à Noël", tags="[Économie]")})
    assert site_files(tmp_path / "NFC" / "output") == site_files(tmp_path / "NFD" / "output")
    assert "2024/01/economie-a-noel/index.html" in site_files(tmp_path / "NFD" / "output")
    errors = build_errors(tmp_path / "bad", {
        f"content/{unicodedata.normalize('NFD', name)}": thread(tweets="0")})
    assert errors == ["content/économie.md:3: 'tweets' must be between 1 and 100000, not 0"]


def test_no_content_folder(tmp_path: Path) -> None:
    assert build_errors(tmp_path, {"site.yaml": SITE_YAML}) == [
        "content: content folder not found (create it, or set `content:` in site.yaml)"]


def test_html_pages_are_well_formed(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    for rel, data in site_files(tmp_path / "output").items():
        if rel.endswith(".html"):
            parse_html(data.decode("utf-8"))  # strict: every element closed in order


# --- theme and cache -------------------------------------------------------------------------

def test_site_templates_override_the_default_theme_file_by_file(tmp_path: Path) -> None:
    strings = (REPO / "templates" / "strings" / "en.yaml").read_text(encoding="utf-8")
    build_site(tmp_path, {
        **SMALL_SITE,
        "content/x.md": thread("2024-01-09", "Body.", title="<b>bold</b> & co"),
        "templates/thread.html": '{% extends "base.html" %}{% block main %}'
                                 '<h1 class="mine">{{ thread.title }}</h1>{% endblock %}',
        "templates/strings/en.yaml": strings.replace("archive: Archive", "archive: Stacks"),
    })
    page = read_page(tmp_path / "output", "2024/01/b-bold-b-co/index.html")
    assert page.find("h1", class_="mine").text() == "<b>bold</b> & co"  # escaped, not markup
    assert page.find_all("b") == []
    archive = read_page(tmp_path / "output", "archive/index.html")
    assert archive.find("h1").text() == "Stacks"  # default template, the site's strings
    assert "Stacks" in [a.text() for a in archive.find("nav", class_="site-nav").find_all("a")]


def test_a_damaged_parse_cache_is_ignored(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    before = site_files(tmp_path / "output")
    assert build_site(tmp_path).parsed == 0
    for cached in (tmp_path / ".site-builder-cache").rglob("*"):
        if cached.is_file():
            cached.write_bytes(b"\x80\x04not a pickle")
    touched = tmp_path / "content" / "2023" / "old.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    report = build_site(tmp_path)  # the same bytes, but nothing can be taken from the cache
    assert report.parsed == 3
    assert report.written == []
    assert site_files(tmp_path / "output") == before


def test_a_touched_thread_is_not_parsed_again(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    touched = tmp_path / "content" / "2023" / "old.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    report = build_site(tmp_path)  # a new mtime, the same bytes: the digest answers
    assert (report.parsed, report.written) == (0, [])


def test_an_edited_thread_is_parsed_again(tmp_path: Path) -> None:
    build_site(tmp_path, SMALL_SITE)
    report = build_site(tmp_path, {"content/2023/old.md": thread("2023-06-01", "Old body, edited.",
                                                                  title="Old")})
    assert report.parsed == 1
    page = read_page(tmp_path / "output", "2023/06/old/index.html")
    assert "Old body, edited." in page.find("div", class_="thread-body").text()


def test_the_cycle_collector_is_back_on_after_any_build(tmp_path: Path) -> None:
    """build() pauses it for speed; the caller (the preview server) must get it back."""
    assert gc.isenabled()
    build_site(tmp_path, SMALL_SITE)
    assert gc.isenabled()
    assert build_errors(tmp_path, {"content/bad.md": thread("2025-13-01")})
    assert gc.isenabled()
