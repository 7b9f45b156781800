"""What the preview notices: every change of a poll at once, no editor litter, never output/."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.serve_rebuild import Debouncer
from site_builder.serve_watch import SiteWatcher

Save = Callable[[Path, str], None]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for rel in ("site.yaml", "content/a.md", "content/b.md", "templates/thread.html",
                "output/index.html", ".site-builder-cache/parse.pickle"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    return tmp_path


def watcher_for(site: Path) -> SiteWatcher:
    watcher = SiteWatcher(site, excluded=[site / "output", site / ".site-builder-cache"])
    for rel in ("content", "templates", "site.yaml"):
        watcher.watch(str(site / rel))
    watcher.scan()
    return watcher


def bump(path: Path, text: str = "changed") -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a later mtime even on coarse clocks
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_nothing_changed_nothing_reported(site: Path) -> None:
    assert watcher_for(site).scan() == set()


def test_every_change_of_one_poll_is_reported_together(site: Path) -> None:
    watcher = watcher_for(site)
    bump(site / "content/a.md")
    bump(site / "content/b.md")
    (site / "content/new.md").write_text("new", encoding="utf-8")
    (site / "templates/thread.html").unlink()
    bump(site / "site.yaml")
    assert watcher.scan() == {"content/a.md", "content/b.md", "content/new.md",
                              "templates/thread.html", "site.yaml"}
    assert watcher.scan() == set()


def test_output_and_caches_are_never_watched(site: Path) -> None:
    watcher = watcher_for(site)
    bump(site / "output/index.html")
    (site / "output/.site-builder").mkdir()
    bump(site / ".site-builder-cache/parse.pickle")
    assert watcher.scan() == set()


def test_output_inside_content_is_still_not_watched(tmp_path: Path) -> None:
    (tmp_path / "content/public").mkdir(parents=True)
    watcher = SiteWatcher(tmp_path, excluded=[tmp_path / "content/public"])
    watcher.watch(str(tmp_path / "content"))
    watcher.scan()
    (tmp_path / "content/public/index.html").write_text("x", encoding="utf-8")
    assert watcher.scan() == set()


@pytest.mark.parametrize("litter", ["a.md~", ".a.md.swp", ".a.md.swx", "4913", ".#a.md",
                                    "#a.md#", "a.md___jb_tmp___", "a.md___jb_old___",
                                    ".goutputstream-1", "a.md.tmp"])
def test_editor_litter_is_ignored(site: Path, litter: str) -> None:
    watcher = watcher_for(site)
    (site / "content" / litter).write_text("x", encoding="utf-8")
    assert watcher.scan() == set()
    (site / "content" / litter).unlink()
    assert watcher.scan() == set()


def test_new_file_with_an_old_mtime_is_noticed(site: Path) -> None:
    """livereload's Watcher skips these (restored backups, `cp -p`, `git stash pop`)."""
    watcher = watcher_for(site)
    restored = site / "content/restored.md"
    restored.write_text("x", encoding="utf-8")
    os.utime(restored, (0, 0))
    assert watcher.scan() == {"content/restored.md"}


def vim_save(path: Path, text: str) -> None:
    """vim with backupcopy=no: probe file 4913, rename to a~ backup, write anew, drop backup."""
    probe = path.parent / "4913"
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text, encoding="utf-8")
    backup.unlink()


def jetbrains_save(path: Path, text: str) -> None:
    """JetBrains safe write: temp file, old renamed away, temp renamed in place, old deleted."""
    temporary = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temporary.write_text(text, encoding="utf-8")
    path.rename(old)
    temporary.rename(path)
    old.unlink()


def vscode_atomic_save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.parametrize("save", [vim_save, jetbrains_save, vscode_atomic_save])
def test_a_save_by_rename_is_one_change_of_the_file(site: Path, save: Save) -> None:
    watcher = watcher_for(site)
    save(site / "content/a.md", "same length")
    assert watcher.scan() == {"content/a.md"}


@pytest.mark.parametrize("save", [vim_save, jetbrains_save])
def test_a_poll_in_the_middle_of_a_rename_save_still_gives_one_build(site: Path,
                                                                    save: Save) -> None:
    """Even when a poll sees the file missing, the next poll sees it back: one build, after."""
    watcher = watcher_for(site)
    debouncer = Debouncer()
    path = site / "content/a.md"
    path.rename(path.with_name("a.md~"))  # the first half of a rename save
    builds = [debouncer.observe(watcher.scan(), 0.0)]
    path.with_name("a.md~").rename(path)
    save(path, "new text")
    builds += [debouncer.observe(watcher.scan(), t / 10) for t in range(1, 10)]
    assert [b for b in builds if b is not None] == [{"content/a.md"}]


def test_a_folder_vanishing_between_polls_is_a_change_not_a_crash(site: Path) -> None:
    watcher = watcher_for(site)
    (site / "content/sub").mkdir()
    (site / "content/sub/x.md").write_text("x", encoding="utf-8")
    assert watcher.scan() == {"content/sub/x.md"}
    (site / "content/sub/x.md").unlink()
    (site / "content/sub").rmdir()
    assert watcher.scan() == {"content/sub/x.md"}


def test_a_missing_folder_is_watched_once_it_appears(tmp_path: Path) -> None:
    watcher = SiteWatcher(tmp_path)
    watcher.watch(str(tmp_path / "templates"))
    assert watcher.scan() == set()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/base.html").write_text("x", encoding="utf-8")
    assert watcher.scan() == {"templates/base.html"}


def test_livereload_polling_is_switched_off(site: Path) -> None:
    assert watcher_for(site).start(lambda: None) is True
