"""The sqlite files a build keeps beside the site between runs: the parse cache, the page store.

All they hold can be computed again, so a damaged file is deleted and started afresh rather
than failing the build; WAL without a sync per commit, since losing the last commit to a power
cut only costs that work again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# SQLite keeps up to 2 MiB of pages per connection by default. A build reads each row once or
# twice, in large scans or by key, so a small cache costs no time; a cold build at 10,000
# threads holds four connections over three processes (page store, parse cache, and each
# render worker's HTML store), and this took its memory (PSS, summed) down by ~5 MiB.
SMALL_CACHE = "PRAGMA cache_size = -256"  # KiB

# What reading a damaged or foreign file can raise: sqlite's errors, marshal's on a bad blob.
_UNREADABLE = (sqlite3.DatabaseError, EOFError, AttributeError, TypeError, ValueError, KeyError)


class KeptDatabase:
    """One file; subclasses open it with `_open_with(prepare)` and commit what they keep."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def _open_with(self, prepare: Callable[[sqlite3.Connection], T]) -> T:
        """Connect and `prepare` (check the layout, load); on a damaged file, start afresh."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return prepare(self._connect())
        except _UNREADABLE:
            self.close()
            for suffix in ("", "-wal", "-shm"):  # a stale log must not replay into a new file
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return prepare(self._connect())

    def _connect(self) -> sqlite3.Connection:
        db = self._db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(SMALL_CACHE)
        return db

    def close(self) -> None:
        """Close; what was not committed is rolled back."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _require(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"{type(self).__name__}.open() first")
        return self._db
