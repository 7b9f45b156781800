"""Write a build so that a failure changes nothing in output/ and a success only what differs.

Pages are rendered into a staging folder inside output/ (same file system, so moves are
renames); only when every page rendered are they moved into place, and the pages of deleted
sources removed. Files site-builder did not write (CNAME, .nojekyll, .git) are never touched.

Staging is flat, one file per output, moved in one by one. A first build (nothing of ours in
output/ yet) stages the site as a tree instead and moves in only its top-level entries: at
10,000 threads, moving 13,800 pages one by one (a folder made and checked for each) took 2-4 s,
and the workers that render the pages make those folders in parallel.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from site_builder.sources import blake2b, digest
from site_builder.transaction import Transaction

STATE_DIR = ".site-builder"
MANIFEST_NAME = "manifest.marshal"  # marshal: a fifth of JSON's time for 13,800 outputs
CHANGES_NAME = "changes.txt"
_MANIFEST_VERSION = 2


class UnsafeOutput(Exception):
    """The output folder is one a build must never write into or delete from."""


class Entry(NamedTuple):
    """An output as the manifest knows it. (No dataclasses here: see errors.py.)

    The manifest holds plain tuples, in its file and in memory, made into an Entry only where
    read: a build that writes one page of 13,800 then makes no object per output to load and
    save them (loading took ~14 ms at 10,000 threads, now ~8.5).
    """

    key: str  # digest of everything the output was made from
    sha: str  # digest of its bytes
    size: int
    mtime_ns: int


_Kept = tuple[str, str, int, int]  # an Entry's fields, as the manifest holds them


class WriteReport:
    """What a commit wrote, removed and left as it was."""

    __slots__ = ("removed", "unchanged", "written")

    def __init__(self) -> None:
        self.written: list[str] = []
        self.removed: list[str] = []
        self.unchanged = 0


def check_output_dir(output: Path, protected: list[Path]) -> None:
    """Refuse `.`, the site root, content/, $HOME, their parents, or a folder we did not create."""
    output = output.resolve()
    for place in protected:
        place = place.resolve()
        if output == place or place.is_relative_to(output):
            raise UnsafeOutput(f"output folder {output} is or contains {place}; "
                               "choose a folder of its own, like output/")
    if output.exists() and not output.is_dir():
        raise UnsafeOutput(f"output {output} is a file, not a folder")
    if output.is_dir() and not (output / STATE_DIR).is_dir():
        visible = [p.name for p in output.iterdir() if p.name not in _FOREIGN_KEPT]
        if visible:
            raise UnsafeOutput(f"output folder {output} holds files site-builder did not write "
                               f"({', '.join(sorted(visible)[:3])}…); empty it or choose another")


# Files a deploy setup puts in output/ by hand; allowed in a folder we have not written yet.
_FOREIGN_KEPT = {".git", "CNAME", ".nojekyll", ".well-known", "_redirects", "_headers"}


class Staging(NamedTuple):
    """Where a build's outputs wait: `folder`, flat or (`tree`) laid out as the site."""

    folder: Path
    tree: bool

    def target(self, path: str) -> Path:
        return self.folder / path if self.tree else self.folder / staged_name(path)


class StagedWriter:
    """Collects a build's outputs in staging, then swaps them in with `commit()`."""

    def __init__(self, output: Path, keep_unwritten: bool = False) -> None:
        """`keep_unwritten`: outputs not written by this build stay (a build that renders only
        what an edit changed); otherwise they are removed on commit."""
        self.output = output.resolve()
        self.state = self.output / STATE_DIR
        self.previous = _load_manifest(self.state / MANIFEST_NAME)
        self.current: dict[str, _Kept] = dict(self.previous) if keep_unwritten else {}
        self.staging = Staging(self.state / f"staging-{os.getpid()}",
                               tree=not self.previous and _holds_nothing_of_ours(self.output))
        self.report = WriteReport()
        self._staged: list[str] = []

    def is_fresh(self, path: str, key: str) -> bool:
        """True (and the output kept) when it was made from the same inputs and is untouched."""
        entry = self._previous(path)
        if entry is None or entry.key != key or not self._matches(path, entry):
            return False
        self.current[path] = self.previous[path]
        self.report.unchanged += 1
        return True

    def previous_sha(self, path: str) -> str | None:
        """The digest of what the output holds now, if it is still what we wrote."""
        entry = self._previous(path)
        return entry.sha if entry is not None and self._matches(path, entry) else None

    def write(self, path: str, key: str, data: bytes) -> None:
        """Stage `data` unless the output already holds exactly these bytes."""
        self.record(path, key, *stage_bytes(self.staging, path, data, self.previous_sha(path)))

    def record(self, path: str, key: str, sha: str, size: int, mtime_ns: int,
               staged: bool) -> None:
        """Note an output rendered elsewhere (a worker process) with `stage_bytes`."""
        if staged:  # moves keep the mtime, so the manifest can be written before them
            self.current[path] = (key, sha, size, mtime_ns)
            self._staged.append(path)
        else:
            _, _, size, mtime_ns = self.previous[path]
            self.current[path] = (key, sha, size, mtime_ns)
            self.report.unchanged += 1

    def commit(self, state_files: Mapping[str, bytes] = MappingProxyType({})) -> WriteReport:
        """Swap the staged outputs in, drop those no source makes now, save the state; all or
        nothing: a failure midway puts output/ back as it was.

        `state_files` (the fingerprint) go into output/.site-builder/ with the manifest, last.
        """
        removed = sorted(set(self.previous) - set(self.current))
        changes = [f"+ {path}\n" for path in self._staged] + [f"- {path}\n" for path in removed]
        state = {MANIFEST_NAME: self._manifest(), CHANGES_NAME: "".join(changes).encode(),
                 **state_files}
        staging = self.staging.folder
        # Pages never have a name starting with a dot (sources.is_ignored_name): no clash.
        state_dir = staging / ".state"
        state_dir.mkdir(parents=True, exist_ok=True)
        for name, data in state.items():
            (state_dir / name).write_bytes(data)
        if self.staging.tree:  # each top-level file or folder, whole
            moved = sorted(name for name in os.listdir(staging) if name != ".state")
        else:
            moved = self._staged
        with Transaction(self.state / f"aside-{os.getpid()}") as moves:
            for name in state_files:  # no stale fingerprint may outlive an interrupted swap
                if (self.state / name).exists():
                    moves.remove(self.state / name)
            for path in removed:  # first: a new page may take the place of an old folder
                moves.remove(self.output / path)
            for path in moved:
                moves.replace(self.staging.target(path), self.output / path)
            for name in state:
                moves.replace(state_dir / name, self.state / name)
        for path in removed:
            _prune_empty_folders(self.output, (self.output / path).parent)
        self.report.written, self.report.removed = list(self._staged), removed
        self.abort()
        return self.report

    def abort(self) -> None:
        """Leave no staging folder behind, whatever happened."""
        import shutil  # here: with bz2 and lzma, 3% of a build that finds nothing changed

        shutil.rmtree(self.staging.folder, ignore_errors=True)

    def _previous(self, path: str) -> Entry | None:
        kept = self.previous.get(path)
        return None if kept is None else Entry._make(kept)

    def _matches(self, path: str, entry: Entry) -> bool:
        try:  # a string path: a Path per output was most of the time of checking 13,800
            stat = os.stat(f"{self.output}/{path}")
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def _manifest(self) -> bytes:
        return marshal.dumps((_MANIFEST_VERSION, dict(sorted(self.current.items()))), 2)


def append_changes(state_dir: Path, written: list[str], removed: list[str]) -> None:
    """Add what another step (the search index) wrote and removed to the changes list."""
    lines = [f"+ {path}\n" for path in written] + [f"- {path}\n" for path in removed]
    if lines:
        with (state_dir / CHANGES_NAME).open("a", encoding="utf-8") as changes:
            changes.writelines(lines)


def clear_changes(state_dir: Path) -> None:
    """Say that the last build wrote and removed nothing."""
    changes = state_dir / CHANGES_NAME
    if changes.exists() and changes.stat().st_size:
        write_atomically(changes, b"")


def staged_name(path: str) -> str:
    """Staging is flat, one file per output: no folders to create and remove twice."""
    return blake2b(path.encode("utf-8"), digest_size=12).hexdigest()


def stage_bytes(staging: Staging, path: str, data: bytes,
                previous_sha: str | None) -> tuple[str, int, int, bool]:
    """Write `data` to staging unless the output already holds it: (sha, size, mtime, staged).

    Runs in the render workers: they make the folders and read the mtimes in parallel."""
    _check_relative(path)
    sha = digest(data)
    if sha == previous_sha:
        return sha, len(data), 0, False
    target = staging.target(path)
    try:
        target.write_bytes(data)
    except FileNotFoundError:  # the first file of the build, or of its folder (a tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sha, len(data), target.stat().st_mtime_ns, True


def _holds_nothing_of_ours(output: Path) -> bool:
    """Nothing but what a deploy setup puts there by hand, and our state folder."""
    try:
        return set(os.listdir(output)) <= _FOREIGN_KEPT | {STATE_DIR}
    except FileNotFoundError:
        return True


def _load_manifest(path: Path) -> dict[str, _Kept]:
    try:
        version, outputs = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):  # none, or not ours
        return {}
    if (version != _MANIFEST_VERSION or type(outputs) is not dict
            or not all(type(kept) is tuple and len(kept) == 4 for kept in outputs.values())):
        return {}
    return outputs


def _check_relative(path: str) -> None:
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"output path escapes the output folder: {path!r}")


def _prune_empty_folders(output: Path, folder: Path) -> None:
    """Remove the folders a removed page left empty, never output/ itself."""
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def read_if_present(path: Path) -> bytes | None:
    """A kept file's bytes, or None when it is missing or unreadable (then it is made again)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` whole: a reader, or a build running beside, sees the old file or the new."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
