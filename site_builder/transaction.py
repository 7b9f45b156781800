"""Moves into output/ that are undone together if any of them fails.

Every step is a rename inside one file system: the file a page replaces is renamed aside
first, so a failure midway (a full disk refusing a folder, a killed write) can rename
everything back. Renames need no free space, which is what makes the way back reliable.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType


class Transaction:
    """`with Transaction(aside) as moves: moves.replace(a, b); moves.remove(c)`."""

    def __init__(self, aside: Path) -> None:
        self.aside = aside
        self._undo: list[tuple[str, Path, Path]] = []  # (what, path, where it went or came from)
        self._count = 0

    def __enter__(self) -> Transaction:
        self.aside.mkdir(parents=True, exist_ok=True)
        return self

    def replace(self, source: Path, target: Path) -> None:
        """Put `source` at `target`, keeping what was there until the end."""
        self._make_parents(target.parent)
        if target.exists() or target.is_symlink():
            self.remove(target)
        os.rename(source, target)
        self._undo.append(("moved", target, source))

    def remove(self, target: Path) -> None:
        """Take `target` (a file, or a folder a page now replaces) out of the way."""
        self._count += 1
        kept = self.aside / str(self._count)
        os.rename(target, kept)
        self._undo.append(("removed", target, kept))

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self._undo.append(("made", made, made))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 _trace: TracebackType | None) -> None:
        if error is not None:
            self._roll_back()
        import shutil  # here: a build that finds nothing changed never loads it (writer.py)

        shutil.rmtree(self.aside, ignore_errors=True)

    def _roll_back(self) -> None:
        for what, path, other in reversed(self._undo):
            if what == "moved":
                os.rename(path, other)
            elif what == "removed":
                os.rename(other, path)
            else:
                path.rmdir()
