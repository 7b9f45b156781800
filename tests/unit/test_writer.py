"""writer: staged writes swapped in at the end; unsafe folders refused; foreign files kept."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from helpers import snapshot, write_tree

from site_builder.writer import (
    CHANGES_NAME,
    MANIFEST_NAME,
    STATE_DIR,
    StagedWriter,
    UnsafeOutput,
    check_output_dir,
)


def commit(output: Path, pages: dict[str, bytes], key: str = "k") -> StagedWriter:
    writer = StagedWriter(output)
    for path, data in pages.items():
        if not writer.is_fresh(path, key):
            writer.write(path, key, data)
    writer.commit()
    return writer


def published(output: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(output).items()
            if not rel.startswith(STATE_DIR + "/")}


def test_nothing_reaches_output_before_commit(tmp_path: Path) -> None:
    output = tmp_path / "output"
    writer = StagedWriter(output)
    writer.write("index.html", "k", b"home")
    writer.write("a/b/index.html", "k", b"page")
    assert published(output) == {}
    report = writer.commit()
    assert published(output) == {"index.html": b"home", "a/b/index.html": b"page"}
    assert sorted(report.written) == ["a/b/index.html", "index.html"]
    assert [p.name for p in (output / STATE_DIR).iterdir() if p.name.startswith("staging")] == []


def test_abort_leaves_output_and_no_staging(tmp_path: Path) -> None:
    output = tmp_path / "output"
    commit(output, {"index.html": b"old"})
    before = snapshot(output)
    writer = StagedWriter(output)
    writer.write("index.html", "k2", b"new")
    writer.write("other.html", "k2", b"new")
    writer.abort()
    assert snapshot(output) == before


def test_unchanged_outputs_are_not_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "output"
    commit(output, {"a.html": b"a", "b.html": b"b"})
    mtime = (output / "a.html").stat().st_mtime_ns
    writer = StagedWriter(output)
    assert writer.is_fresh("a.html", "k")
    writer.write("b.html", "other-key", b"b")  # same bytes from new inputs
    report = writer.commit()
    assert (report.written, report.unchanged) == ([], 2)
    assert (output / "a.html").stat().st_mtime_ns == mtime


def test_an_output_edited_by_hand_is_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "output"
    commit(output, {"a.html": b"a"})
    (output / "a.html").write_bytes(b"tampered")
    writer = StagedWriter(output)
    assert not writer.is_fresh("a.html", "k")
    writer.write("a.html", "k", b"a")
    writer.commit()
    assert (output / "a.html").read_bytes() == b"a"


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps([1, 2, 3]),
                                    marshal.dumps((2, ["a.html"])),
                                    marshal.dumps((2, {"a.html": ("k", "sha")})),
                                    marshal.dumps((1, {"a.html": ("k", "sha", 1, 2)}))],
                         ids=["empty", "not-marshal", "a-list", "no-mapping", "short-entry",
                              "older-version"])
def test_a_damaged_or_older_manifest_counts_as_none(tmp_path: Path, damage: bytes) -> None:
    """Nothing is trusted then: every output is written again, and the build goes on."""
    output = tmp_path / "output"
    commit(output, {"a.html": b"a"})
    (output / STATE_DIR / MANIFEST_NAME).write_bytes(damage)
    writer = StagedWriter(output)
    assert not writer.is_fresh("a.html", "k")
    assert writer.previous_sha("a.html") is None
    writer.write("a.html", "k", b"a")
    assert writer.commit().written == ["a.html"]
    assert StagedWriter(output).is_fresh("a.html", "k")  # and the new manifest is sound


def test_outputs_no_longer_made_are_removed_with_their_empty_folders(tmp_path: Path) -> None:
    output = tmp_path / "output"
    commit(output, {"index.html": b"i", "2024/01/x/index.html": b"x", "2024/02/y/index.html": b"y",
                    "2024/index.html": b"year"})
    write_tree(output, {"CNAME": "example.org", ".nojekyll": "", ".git/HEAD": "ref",
                        "2024/02/notes.txt": "mine"})
    writer = commit(output, {"index.html": b"i", "2024/index.html": b"year"})
    assert sorted(writer.report.removed) == ["2024/01/x/index.html", "2024/02/y/index.html"]
    assert published(output) == {"index.html": b"i", "2024/index.html": b"year",
                                 "CNAME": b"example.org", ".nojekyll": b"", ".git/HEAD": b"ref",
                                 "2024/02/notes.txt": b"mine"}
    assert not (output / "2024" / "01").exists()
    assert (output / STATE_DIR / CHANGES_NAME).read_text() == (
        "- 2024/01/x/index.html\n- 2024/02/y/index.html\n")


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a//b", "./a",
                                  "a\\..\\b", ""])
def test_writes_never_leave_the_output_folder(tmp_path: Path, path: str) -> None:
    writer = StagedWriter(tmp_path / "output")
    with pytest.raises(ValueError, match="escapes the output folder"):
        writer.write(path, "k", b"x")
    writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_page_replaces_a_folder_left_at_its_path(tmp_path: Path) -> None:
    output = tmp_path / "output"
    commit(output, {"feed/index.html": b"x"})
    writer = commit(output, {"feed": b"now a file"})
    assert (output / "feed").read_bytes() == b"now a file"
    assert writer.report.removed == ["feed/index.html"]


# --- which folders a build may write into ------------------------------------------------------

def protected(root: Path) -> list[Path]:
    return [root, root / "content", root / "templates", root / "home"]


@pytest.mark.parametrize("output", [".", "content", "templates", "home", "..", "/"])
def test_protected_folders_are_refused(tmp_path: Path, output: str) -> None:
    root = write_tree(tmp_path / "site", {"content/a.md": "a", "home/notes": "n"})
    target = (root / output) if not output.startswith("/") else Path(output)
    with pytest.raises(UnsafeOutput, match="choose a folder of its own"):
        check_output_dir(target, protected(root))


def test_a_parent_of_content_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "site", {"src/content/a.md": "a"})
    with pytest.raises(UnsafeOutput):
        check_output_dir(root / "src", [root / "src" / "content"])


def test_a_link_to_content_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "site", {"content/a.md": "a"})
    os.symlink(root / "content", root / "output")
    with pytest.raises(UnsafeOutput):
        check_output_dir(root / "output", protected(root))


def test_a_file_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "site", {"output": "a file"})
    with pytest.raises(UnsafeOutput, match="is a file, not a folder"):
        check_output_dir(root / "output", protected(root))


def test_a_folder_we_did_not_write_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "site", {"public/thesis.docx": "years of work"})
    with pytest.raises(UnsafeOutput, match="holds files site-builder did not write"):
        check_output_dir(root / "public", protected(root))


def test_new_empty_or_deploy_only_folders_are_fine(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "site", {"deploy/CNAME": "e.org", "deploy/.nojekyll": "",
                                          "deploy/.git/HEAD": "ref"})
    (root / "empty").mkdir()
    for name in ("output", "empty", "deploy"):
        check_output_dir(root / name, protected(root))
    commit(root / "built", {"index.html": b"x"})
    write_tree(root, {"built/extra.txt": "added by hand"})
    check_output_dir(root / "built", protected(root))  # it has site-builder's state folder


def test_a_first_build_is_staged_as_a_tree_and_moved_in_by_top_level_entry(
        tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_tree(output, {"CNAME": "example.org\n"})  # a deploy file is no page of ours
    writer = StagedWriter(output)
    assert writer.staging.tree
    pages = {"index.html": b"home", "2024/01/a/index.html": b"a", "2024/02/b/index.html": b"b",
             "tags/x/feed.xml": b"feed"}
    for path, data in pages.items():
        writer.write(path, "k", data)
    assert sorted(writer.commit().written) == sorted(pages)
    assert published(output) == {**pages, "CNAME": b"example.org\n"}
    again = StagedWriter(output)  # the manifest holds the moved files' real mtimes
    assert not again.staging.tree
    assert all(again.is_fresh(path, "k") for path in pages)


def test_a_first_build_failing_while_moving_in_leaves_output_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    write_tree(output, {"CNAME": "example.org\n"})
    before = published(output)
    writer = StagedWriter(output)
    for path in ("index.html", "2024/01/a/index.html", "tags/x/index.html"):
        writer.write(path, "k", b"page")
    real_rename, calls = os.rename, []

    def rename(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == 2:  # the second top-level entry
            raise OSError(28, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError):
        writer.commit()
    writer.abort()
    assert published(output) == before
