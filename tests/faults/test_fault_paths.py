"""Issue 7, paths: symbolic links through the whole build, and every write inside output/.

tests/unit/test_sources.py checks what `discover` finds in content/; here whole builds show
what reaches output/ (never a byte from outside), what the user is told (a warning per link),
and that link loops in content/ or templates/ cannot hang a build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from helpers import build_site, site_files, snapshot, thread, write_tree

SECRET = b"SECRET-FROM-OUTSIDE-THE-SITE"
SKIPPED = "symbolic link skipped (only links to files inside the folder are followed)"


def outside(tmp_path: Path) -> Path:
    """A file and a folder beside the site, which no build may publish."""
    write_tree(tmp_path, {"private/secret.txt": SECRET, "private/style.css": SECRET,
                          "private/thread.html": SECRET.decode() + "{{ page.title }}",
                          "private/notes.md": thread(title="Private", body=SECRET.decode())})
    return tmp_path / "private"


def leaked(output: Path) -> list[str]:
    return [rel for rel, data in snapshot(output).items() if SECRET in data]


def test_content_links_leaving_the_folder_are_skipped_with_a_warning_never_copied(
        tmp_path: Path, time_limit: Callable[[float], AbstractContextManager[None]]) -> None:
    private = outside(tmp_path)
    root = write_tree(tmp_path / "site", {"content/a.md": thread(title="A"),
                                          "content/sub/b.md": thread(title="B"),
                                          "content/files/doc.txt": "public"})
    content = root / "content"
    os.symlink(private / "secret.txt", content / "secret.txt")
    os.symlink(private / "notes.md", content / "notes.md")
    os.symlink(private, content / "private")
    os.symlink(content, content / "sub" / "loop")  # a loop back to content/
    os.symlink("self.md", content / "self.md")  # a link to itself
    os.symlink(content / "files" / "doc.txt", content / "doc.txt")  # inside: followed
    with time_limit(20):
        report = build_site(root)
    assert sorted(str(w) for w in report.warnings) == [
        f"content/{name}: {SKIPPED}"
        for name in ("notes.md", "private", "secret.txt", "self.md", "sub/loop")]
    assert leaked(root / "output") == []
    files = site_files(root / "output")
    assert report.threads == 2
    assert files["doc.txt"] == files["files/doc.txt"] == b"public"
    assert not [rel for rel in files if "private" in rel or "secret" in rel or "loop" in rel
                or "self" in rel]


def theme_links(root: Path, private: Path) -> None:
    templates = root / "templates"
    (templates / "static").mkdir(parents=True)
    os.symlink(private / "secret.txt", templates / "static" / "secret.txt")
    os.symlink(private, templates / "static" / "private")
    os.symlink(templates, templates / "static" / "loop")


def test_theme_links_leaving_the_folder_are_never_copied(
        tmp_path: Path, time_limit: Callable[[float], AbstractContextManager[None]]) -> None:
    private = outside(tmp_path)
    root = write_tree(tmp_path / "site", {"content/a.md": thread(title="A")})
    theme_links(root, private)
    with time_limit(20):
        build_site(root)
    files = site_files(root / "output")
    assert leaked(root / "output") == []
    assert not [rel for rel in files if rel.startswith(("static/secret", "static/private",
                                                        "static/loop"))]
    assert "static/style.css" in files  # the default theme still made it


def test_theme_links_leaving_the_folder_are_skipped_with_a_warning(tmp_path: Path) -> None:
    private = outside(tmp_path)
    root = write_tree(tmp_path / "site", {"content/a.md": thread(title="A")})
    theme_links(root, private)
    report = build_site(root)
    assert sorted(str(w) for w in report.warnings) == [
        f"templates/static/{name}: {SKIPPED}" for name in ("loop", "private", "secret.txt")]


@pytest.mark.parametrize("link", ["thread.html", "partials"])
def test_a_template_linked_from_outside_is_not_used(tmp_path: Path, link: str) -> None:
    private = outside(tmp_path)
    write_tree(private, {"partials/thread_list.html": SECRET.decode()})
    root = write_tree(tmp_path / "site", {"content/a.md": thread(title="A")})
    (root / "templates").mkdir()
    os.symlink(private / link, root / "templates" / link)
    report = build_site(root)
    assert leaked(root / "output") == []
    assert [str(w) for w in report.warnings] == [f"templates/{link}: {SKIPPED}"]


# --- every write lands under output/ -----------------------------------------------------------

HOSTILE_NAMES = ["../../etc/passwd", "%2e%2e%2f", "/abs", "con", "x" * 300, "a/../../b",
                 "C:\\\\x", "..", ".", "~", "$HOME", "\u202e..", "a\x00b"]


def yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0") + '"'


def test_hostile_slugs_titles_and_tags_write_only_under_output(tmp_path: Path) -> None:
    """Slugs, titles (the default slug) and tags (tag pages, tag feeds) all make paths."""
    root = tmp_path / "site"
    files = {}
    for index, name in enumerate(HOSTILE_NAMES):
        files[f"content/s{index}.md"] = thread(f"{2000 + index}-01-05", slug=yaml_string(name))
        files[f"content/t{index}.md"] = thread(f"{2000 + index}-02-05",
                                               title=yaml_string(f"Title {name}"),
                                               tags=f"[{yaml_string('tag ' + name)}]")
    write_tree(root, files)
    write_tree(tmp_path, {"beside/keep.txt": "untouched"})
    build_site(root)  # writes site.yaml, then builds
    before = {rel: data for rel, data in snapshot(tmp_path).items()
              if not rel.startswith(("site/output/", "site/.site-builder-cache/"))}
    build_site(root, {"site.yaml": (root / "site.yaml").read_text() + "\n"})  # full rebuild
    after = {rel: data for rel, data in snapshot(tmp_path).items()
             if not rel.startswith(("site/output/", "site/.site-builder-cache/"))}
    assert after.keys() == before.keys()
    assert {rel: data for rel, data in after.items() if rel != "site/site.yaml"} == \
        {rel: data for rel, data in before.items() if rel != "site/site.yaml"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beside", "site"]
    assert sorted(p.name for p in root.iterdir()) == [".site-builder-cache", "content",
                                                      "output", "site.yaml"]
    for rel in site_files(root / "output"):
        parts = rel.split("/")
        assert all(part and part not in (".", "..") and "\\" not in part and "\x00" not in part
                   and len(part) <= 80 for part in parts), rel
