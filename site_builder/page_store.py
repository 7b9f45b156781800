"""The pages that show thread bodies, kept from the last build for `body_edits`.

Kept in `.site-builder-cache/pages.sqlite`. A row is a page as the render stage saw it: URL,
template, key, what it reads and its context (without the `site` part every page shares, kept
once). A row is right whenever its key is the page's key, so a build saves only the rows whose
key changed. The file as a whole also records the threads' files of the build whose fingerprint
it names, and the digest of that build's related-thread ranking (related.py); only when that
is the last build into the output folder is it trusted to say which pages show a thread.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_builder.kept_db import KeptDatabase

if TYPE_CHECKING:  # not imported: the body-edit build would load the whole render stage
    from site_builder.routes import Page

NAME = "pages.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (code BLOB, fingerprint TEXT, frame TEXT, site BLOB,
                                 threads BLOB, related TEXT);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, url TEXT, template TEXT, key TEXT,
                                  page BLOB);
CREATE TABLE IF NOT EXISTS shows (path TEXT, sha TEXT, PRIMARY KEY (path, sha)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shows_by_sha ON shows (sha);
"""

Context = dict[str, Any]
# mtime_ns, size, sha, surface, words, keywords (cache.CachedParse)
ThreadState = tuple[int, int, str, str, int, str]
_BATCH = 256


@dataclass(frozen=True, slots=True)
class StoredPage:
    path: str
    url: str
    template: str
    key: str
    reads: object
    shows: tuple[str, ...]
    context: Context  # without `site`


class PageStore(KeptDatabase):
    """One build's view of the store: read it, note the pages rendered, then `finish()`."""

    def __init__(self, folder: Path, code: bytes) -> None:
        super().__init__(folder / NAME)
        self.code = code
        self._keys: dict[str, str] | None = None  # path -> key, once load_keys() ran
        self._alive: set[str] = set()
        self._site: Context | None = None
        self._rows: list[tuple[str, str, str, str, bytes]] = []  # saved, not yet written
        self._replaced: list[tuple[str]] = []
        self._shows: list[tuple[str, str]] = []

    def open(self, create: bool = True) -> bool:
        """Connect; False when there is no usable store (and `create` is False). A store from
        other code, or unreadable, starts empty."""
        if not create and not self.path.exists():
            return False
        return self._open_with(lambda db: self._check(db, create))

    def _check(self, db: sqlite3.Connection, create: bool) -> bool:
        db.executescript(_SCHEMA)
        row = db.execute("SELECT code, site FROM info").fetchone()
        if row is None or row[0] != self.code:
            if not create:
                return False
            db.executescript("DROP TABLE info; DROP TABLE pages; DROP TABLE shows;")
            db.executescript(_SCHEMA)
            db.commit()
        else:
            self._site = marshal.loads(row[1])
        return True

    def describes(self, fingerprint: str, frame: str) -> bool:
        """True when the store was saved by the build with `fingerprint`, from the inputs
        `frame` sums up but the threads' files."""
        row = self._require().execute("SELECT fingerprint, frame FROM info").fetchone()
        return row == (fingerprint, frame)

    def threads(self) -> dict[str, ThreadState]:
        """Each thread file of the build the store describes: stat, digest, surface, words.

        One blob, not a table: read whole on every build that edits a body, 10,000 rows cost
        four times as much."""
        row = self._require().execute("SELECT threads FROM info").fetchone()
        return marshal.loads(row[0]) if row else {}

    def related(self) -> str | None:
        """The digest of the related-thread ranking of the build the store describes."""
        row = self._require().execute("SELECT related FROM info").fetchone()
        return row[0] if row else None

    def showing(self, shas: Collection[str]) -> list[StoredPage]:
        """The pages that show the body of any thread file with one of these digests."""
        db = self._require()
        marks = ",".join("?" * len(shas))
        rows = db.execute(f"SELECT DISTINCT pages.* FROM shows JOIN pages USING (path) "
                          f"WHERE sha IN ({marks}) ORDER BY path", tuple(shas)).fetchall()
        return [StoredPage(path, url, template, key, *marshal.loads(blob))
                for path, url, template, key, blob in rows]

    @property
    def site(self) -> Context:
        if self._site is None:
            raise LookupError("the store holds no page")
        return self._site

    def load_keys(self) -> None:
        """Before a full build notes its pages: which rows are already right."""
        self._keys = dict(self._require().execute("SELECT path, key FROM pages"))

    def note(self, page: Page, key: str) -> None:
        """A page that shows thread bodies; its context is built only when its row is stale."""
        self._alive.add(page.path)
        if self._keys is None or self._keys.get(page.path) != key:
            self.save(page.path, page.url, page.template, key, page.reads, page.shows,
                      page.context)

    def save(self, path: str, url: str, template: str, key: str, reads: object,
             shows: Iterable[str], context: Context) -> None:
        stored = dict(context)
        self._site = stored.pop("site")
        shows = tuple(shows)
        self._rows.append((path, url, template, key, marshal.dumps((reads, shows, stored), 2)))
        if self._keys is None or path in self._keys:  # a new page has no rows to delete
            self._replaced.append((path,))
        self._shows.extend((path, sha) for sha in set(shows))
        if len(self._rows) >= _BATCH:
            self._flush()

    def drop_unnoted(self) -> None:
        """After a full build: forget the pages it no longer makes."""
        gone = [(path,) for path in set(self._keys or ()) - self._alive]
        self._flush()
        db = self._require()
        db.executemany("DELETE FROM pages WHERE path = ?", gone)
        db.executemany("DELETE FROM shows WHERE path = ?", gone)

    def _flush(self) -> None:
        """Write the saved pages: in batches, a cold build's 10,000 rows cost a third less."""
        db = self._require()
        db.executemany("DELETE FROM shows WHERE path = ?", self._replaced)
        db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)", self._rows)
        db.executemany("INSERT INTO shows VALUES (?, ?)", self._shows)
        self._rows, self._replaced, self._shows = [], [], []

    def finish(self, fingerprint: str, frame: str, threads: dict[str, ThreadState],
               related: str | None = None) -> None:
        """Record which build the store now describes, from which thread files, with which
        related-thread ranking (its digest; None: the one it names), and commit everything
        noted."""
        self._flush()
        db = self._require()
        values: dict[str, object] = {"fingerprint": fingerprint, "frame": frame,
                                     "site": marshal.dumps(self._site, 2),
                                     "threads": marshal.dumps(threads, 2)}
        if related is not None:
            values["related"] = related
        if db.execute("SELECT 1 FROM info").fetchone() is None:
            db.execute("INSERT INTO info (code) VALUES (?)", (self.code,))
        db.execute(f"UPDATE info SET {', '.join(f'{name} = ?' for name in values)}",
                   tuple(values.values()))
        db.commit()
