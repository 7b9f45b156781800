"""fingerprint: what tells a build that nothing, or only some threads' files, changed, and
what keeps the cache valid for the same code in another checkout."""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import site_config, write_tree

from site_builder import fingerprint
from site_builder.errors import ContentError, Diagnostics, SourceLocation
from site_builder.sources import discover
from site_builder.theme import Theme

FILES = {"content/a.md": "a", "content/b/index.md": "b", "content/b/pic.png": b"png"}


def prints(root: Path) -> tuple[str, str]:
    """(fingerprint, frame) of the site under root as it is now."""
    config = site_config(root)
    sources = discover(config.content_dir, "content", Diagnostics())
    return fingerprint.fingerprint(config, sources, Theme(config).sources())


def touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(tmp_path, FILES)


def test_nothing_changed_nothing_differs(site: Path) -> None:
    assert prints(site) == prints(site)


@pytest.mark.parametrize("thread", ["content/a.md", "content/b/index.md"])
def test_a_thread_saved_again_changes_the_fingerprint_not_the_frame(site: Path,
                                                                    thread: str) -> None:
    before = prints(site)
    touch(site / thread)
    after = prints(site)
    assert after[0] != before[0]
    assert after[1] == before[1]


@pytest.mark.parametrize("change", [
    pytest.param(lambda site: touch(site / "content/b/pic.png"), id="media saved"),
    pytest.param(lambda site: write_tree(site, {"content/c.md": "c"}), id="thread added"),
    pytest.param(lambda site: (site / "content/a.md").rename(site / "content/z.md"),
                 id="thread renamed"),
    pytest.param(lambda site: write_tree(site, {"templates/base.html": "{{ x }}"}),
                 id="theme file added"),
])
def test_any_other_change_changes_the_frame(site: Path, change: Callable[[Path], object]
                                            ) -> None:
    before = prints(site)
    change(site)
    after = prints(site)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_site_theme_file_saved_again_changes_the_frame(site: Path) -> None:
    write_tree(site, {"templates/base.html": "{{ x }}"})
    before = prints(site)
    touch(site / "templates/base.html")
    assert prints(site)[1] != before[1]


def test_the_last_build_reads_back_what_was_saved(tmp_path: Path) -> None:
    warning = ContentError(SourceLocation("content/a.md", 3), "unknown key 'tgas'", "tags?")
    (tmp_path / fingerprint.NAME).write_bytes(fingerprint.encode("f" * 32, 7, 12, [warning]))
    assert fingerprint.last_build(tmp_path) == fingerprint.SavedBuild("f" * 32, 7, 12, [warning])


@pytest.mark.parametrize("data", [b"", b"garbage", b'{"fingerprint": "f"}',
                                  fingerprint.encode("f", 1, 1, [])[:-3]])
def test_an_unreadable_last_build_counts_as_none(tmp_path: Path, data: bytes) -> None:
    (tmp_path / fingerprint.NAME).write_bytes(data)
    assert fingerprint.last_build(tmp_path) is None


def test_no_last_build_is_none(tmp_path: Path) -> None:
    assert fingerprint.last_build(tmp_path) is None


def install(site_packages: Path, version: str) -> None:
    """A library as pip leaves it: its package, and a folder named with its version."""
    write_tree(site_packages, {"fakelib/__init__.py": "",
                               f"fakelib-{version}.dist-info/METADATA": f"Version: {version}"})


def code_digest_with(monkeypatch: pytest.MonkeyPatch, site_packages: Path) -> bytes:
    monkeypatch.setattr(fingerprint, "_LIBRARIES", ("fakelib",))
    monkeypatch.setattr(sys, "path", [str(site_packages), *sys.path])
    return fingerprint.code_digest.__wrapped__()


def test_a_fresh_install_of_the_same_libraries_keeps_the_code_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI job restores the cache folder into a new checkout and a new virtualenv, where
    every installed file is new (its mtime) and may sit in another folder."""
    install(tmp_path / "ci-1", "1.0")
    install(tmp_path / "ci-2", "1.0")
    touch(tmp_path / "ci-2" / "fakelib" / "__init__.py")
    first = code_digest_with(monkeypatch, tmp_path / "ci-1")
    monkeypatch.undo()
    assert code_digest_with(monkeypatch, tmp_path / "ci-2") == first


def test_another_version_of_a_library_changes_the_code_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path, "1.0")
    first = code_digest_with(monkeypatch, tmp_path)
    (tmp_path / "fakelib-1.0.dist-info" / "METADATA").unlink()
    (tmp_path / "fakelib-1.0.dist-info").rmdir()
    install(tmp_path, "1.1")  # the package's own files are the same bytes
    assert code_digest_with(monkeypatch, tmp_path) != first


def test_a_library_in_a_zip_archive_has_a_code_digest(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "libraries.zip"
    with zipfile.ZipFile(archive, "w") as libraries:
        libraries.writestr("fakelib/__init__.py", "")
    assert len(code_digest_with(monkeypatch, archive)) == 16
