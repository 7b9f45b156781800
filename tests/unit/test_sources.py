"""sources: which files a site is made of; editor droppings, outside links and loops left out."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from helpers import write_tree

from site_builder.errors import Diagnostics
from site_builder.sources import discover, is_ignored_name


def found(folder: Path) -> tuple[list[str], list[str]]:
    diagnostics = Diagnostics()
    files = discover(folder, "content", diagnostics)
    return [source.rel for source in files], [str(w) for w in diagnostics.warnings]


def test_files_are_found_recursively_and_sorted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/b.md": "b", "content/a/z.md": "z", "content/a/pic.png": b"p",
                          "content/a.md": "a"})
    rels, warnings = found(tmp_path / "content")
    assert rels == ["a.md", "a/pic.png", "a/z.md", "b.md"]
    assert warnings == []


def test_source_files_know_their_kind_and_size(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/a.md": "four", "content/p.png": b"12"})
    diagnostics = Diagnostics()
    files = discover(tmp_path / "content", "content", diagnostics)
    assert [(f.rel, f.is_thread, f.size) for f in files] == [("a.md", True, 4),
                                                             ("p.png", False, 2)]
    assert files[0].path == (tmp_path / "content" / "a.md").resolve()


@pytest.mark.parametrize("name", [".hidden.md", "a.md~", ".a.md.swp", ".a.md.swx", "4913",
                                  ".#a.md", "#a.md#", "~a.md", "a.md.tmp", "a.md___jb_tmp___"])
def test_editor_droppings_are_ignored(tmp_path: Path, name: str) -> None:
    assert is_ignored_name(name)
    write_tree(tmp_path, {f"content/{name}": "x", "content/a.md": "a"})
    assert found(tmp_path / "content") == (["a.md"], [])


def test_hidden_folders_are_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/.git/x.md": "x", "content/a.md": "a"})
    assert found(tmp_path / "content") == (["a.md"], [])


def test_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert found(tmp_path / "nope") == ([], [])


def test_decomposed_names_are_shown_composed(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "économie.md")
    write_tree(tmp_path, {f"content/{decomposed}": "x"})
    rels, _ = found(tmp_path / "content")
    assert rels == [unicodedata.normalize("NFC", "économie.md")]


def test_links_inside_the_folder_are_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/a.md": "a"})
    os.symlink(tmp_path / "content" / "a.md", tmp_path / "content" / "b.md")
    assert found(tmp_path / "content") == (["a.md", "b.md"], [])


def test_links_leaving_the_folder_are_skipped_with_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"secret.txt": "password", "content/a.md": "a"})
    os.symlink(tmp_path / "secret.txt", tmp_path / "content" / "secret.txt")
    os.symlink("/etc", tmp_path / "content" / "etc")
    rels, warnings = found(tmp_path / "content")
    assert rels == ["a.md"]
    assert sorted(warnings) == [
        "content/etc: symbolic link skipped (only links to files inside the folder are followed)",
        "content/secret.txt: symbolic link skipped "
        "(only links to files inside the folder are followed)"]


def test_folder_link_loops_do_not_hang(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/sub/a.md": "a"})
    os.symlink(tmp_path / "content", tmp_path / "content" / "sub" / "loop")
    assert found(tmp_path / "content") == (["sub/a.md"], [
        "content/sub/loop: symbolic link skipped "
        "(only links to files inside the folder are followed)"])


def test_a_link_to_itself_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/a.md": "a"})
    os.symlink("self.md", tmp_path / "content" / "self.md")
    assert found(tmp_path / "content") == (["a.md"], [
        "content/self.md: symbolic link skipped "
        "(only links to files inside the folder are followed)"])


def test_a_link_to_a_folder_inside_is_skipped_as_well(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/sub/a.md": "a"})
    os.symlink(tmp_path / "content" / "sub", tmp_path / "content" / "again")
    assert found(tmp_path / "content") == (["sub/a.md"], [
        "content/again: symbolic link skipped "
        "(only links to files inside the folder are followed)"])


def test_pipes_and_sockets_are_not_sources(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/sub/a.md": "a"})
    os.mkfifo(tmp_path / "content" / "sub" / "b.md")
    assert found(tmp_path / "content") == (["sub/a.md"], [])


def test_names_are_relative_at_any_depth(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/2025/09/a.md": "a", "content/2025/b.md": "b"})
    files = discover(tmp_path / "content", "content", Diagnostics())
    assert [(f.rel, Path(f.location).relative_to(tmp_path / "content").as_posix())
            for f in files] == [("2025/09/a.md", "2025/09/a.md"), ("2025/b.md", "2025/b.md")]
