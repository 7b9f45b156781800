"""The persistent parse cache: a thread is parsed again only when its bytes change.

Kept in `.site-builder-cache/parse.sqlite` next to site.yaml, so it survives restarts and can be
saved between CI runs. The rendered HTML of each thread is stored apart from its metadata and
read only for the pages that are rendered again, so a build never holds every thread's HTML.
A cache made by other code or other options is dropped, never trusted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib
import marshal
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import ContentError, Diagnostics
from site_builder.kept_db import SMALL_CACHE, KeptDatabase
from site_builder.markdown import Highlights, RenderedBody
from site_builder.parse import ParsedThread
from site_builder.sources import blake2b, digest

# The modules whose code decides what a parse produces: a change to any of them (an upgrade,
# a fix) must not let an old cache answer for it. Others (templates, rendering) may change
# without parsing 10,000 threads again. tests/unit/test_cache.py fails when a module that
# parsing imports is missing here.
PARSE_MODULES = ("cache", "parse", "markdown", "frontmatter", "fields", "yamltree", "highlight",
                 "slugs", "typography", "autolinks", "keywords", "urls", "kept_db")
# By version, not by file: a cache saved in CI stays valid in a fresh install of the same ones.
_PARSE_LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments", "slugify", "yaml")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (rel TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,
                                   sha TEXT, surface TEXT, keywords TEXT, record BLOB);
CREATE TABLE IF NOT EXISTS html (sha TEXT PRIMARY KEY, tweets BLOB);
CREATE TABLE IF NOT EXISTS highlighted (key TEXT PRIMARY KEY, html TEXT);
"""


@functools.cache
def code_stamp() -> str:
    hasher = blake2b(digest_size=16)
    package = Path(__file__).parent
    for name in PARSE_MODULES:
        hasher.update((package / f"{name}.py").read_bytes())
    for library in _PARSE_LIBRARIES:  # their own __version__: importlib.metadata costs 30 ms
        hasher.update(f"{library} {importlib.import_module(library).__version__}\n".encode())
    return hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class CachedParse:
    """A file's parse; `result.body.tweets` is empty once stored: the HTML stays apart."""

    mtime_ns: int
    size: int
    sha: str
    result: ParsedThread | None
    diagnostics: Diagnostics
    # A digest of the record but its `sha`, word count and keywords: equal surfaces (and
    # reading times) tell that an edit changed only the body's HTML, which pages other than
    # those showing the body never read (body_edits.py). Keywords are read by related threads
    # only; their own digest tells when to rank them again.
    surface: str = ""
    keywords: str = ""


class ParseCache(KeptDatabase):
    """Parsed threads by source path, valid for one version of the code and one set of options."""

    def __init__(self, folder: Path, options: tuple[object, ...]) -> None:
        super().__init__(folder / "parse.sqlite")
        self.stamp = repr((code_stamp(), *options))
        self.entries: dict[str, CachedParse] = {}

    def open(self, load: bool = True) -> None:
        """Load every thread's metadata (unless `load` is False: a build that parses a few
        files and needs nothing of the others); a cache from other code or options starts
        empty."""
        self._open_with(lambda db: self._load(db, load))

    def _load(self, db: sqlite3.Connection, load: bool) -> None:
        db.executescript(_SCHEMA)
        row = db.execute("SELECT stamp FROM info").fetchone()
        if row is None or row[0] != self.stamp:  # other code may have laid out other tables
            db.executescript("DROP TABLE info; DROP TABLE parsed; DROP TABLE html; "
                             "DROP TABLE highlighted;")
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO info VALUES (?)", (self.stamp,))
            return
        if not load:
            return
        for rel, mtime_ns, size, sha, surface, keywords, record in db.execute(
                "SELECT * FROM parsed"):
            fields, problems = marshal.loads(record)
            self.entries[rel] = CachedParse(mtime_ns, size, sha, _decode(fields),
                                            _decode_diagnostics(problems), surface, keywords)

    def get(self, rel: str) -> CachedParse | None:
        return self.entries.get(rel)

    def put(self, rel: str, entry: CachedParse, tweets: tuple[str, ...] | None) -> CachedParse:
        """Record a parse; `tweets` is the HTML, stored apart (None: already stored).

        Returns the entry with its `surface` and `keywords` filled in."""
        db = self._require()
        fields = _encode(entry.result)
        problems = _encode_diagnostics(entry.diagnostics)
        record = marshal.dumps((fields, problems), 2)
        keywords = ""
        if fields is not None:  # the words count only through the reading time
            fields[_SHA] = ""
            body = list(fields[_BODY])  # type: ignore[call-overload]
            keywords = digest(str(body[_KEYWORDS]).encode())
            body[_WORDS], body[_KEYWORDS] = 0, ""
            fields[_BODY] = tuple(body)
        entry = CachedParse(entry.mtime_ns, entry.size, entry.sha, entry.result, entry.diagnostics,
                            digest(marshal.dumps((fields, problems), 2)), keywords)
        self.entries[rel] = entry
        db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (rel, entry.mtime_ns, entry.size, entry.sha, entry.surface, entry.keywords,
                    record))
        if tweets is not None:
            db.execute("INSERT OR REPLACE INTO html VALUES (?, ?)",
                       (entry.sha, marshal.dumps(tweets, 2)))
        return entry

    def touch(self, rel: str, mtime_ns: int, size: int) -> None:
        """A file saved again with the same bytes: only its stat changes."""
        self.entries[rel] = dataclasses.replace(self.entries[rel], mtime_ns=mtime_ns, size=size)
        self._require().execute("UPDATE parsed SET mtime_ns = ?, size = ? WHERE rel = ?",
                                (mtime_ns, size, rel))

    def keep_only(self, rels: set[str]) -> None:
        """Forget deleted sources so the cache does not grow without bound."""
        db = self._require()
        gone = [(rel,) for rel in set(self.entries) - rels]
        if gone:
            db.executemany("DELETE FROM parsed WHERE rel = ?", gone)
            db.execute("DELETE FROM html WHERE sha NOT IN (SELECT sha FROM parsed)")
            for (rel,) in gone:
                del self.entries[rel]

    def highlights(self) -> Highlights:
        """The code blocks the last body-edit build highlighted, to highlight them no more."""
        return Highlights(dict(self._require().execute("SELECT key, html FROM highlighted")))

    def keep_highlights(self, highlights: Highlights) -> None:
        """Keep the blocks this build used, and only those: the threads being edited now."""
        db = self._require()
        db.execute("DELETE FROM highlighted")
        db.executemany("INSERT INTO highlighted VALUES (?, ?)", highlights.used.items())

    def save(self) -> None:
        self._require().commit()


# Records are marshalled plain data: pickled dataclasses load field by field through Python
# code (dataclasses' __setstate__), which was most of the time to load 10,000 threads.
_THREAD_FIELDS = tuple(field.name for field in dataclasses.fields(ParsedThread))
_BODY_FIELDS = tuple(field.name for field in dataclasses.fields(RenderedBody))
_BODY = _THREAD_FIELDS.index("body")
_SHA = _THREAD_FIELDS.index("sha")
_WORDS = _BODY_FIELDS.index("words")
_KEYWORDS = _BODY_FIELDS.index("keywords")
_DATES = (_THREAD_FIELDS.index("date"), _THREAD_FIELDS.index("updated"))
# Body fields a record leaves out, as kept: the HTML (stored apart), and what only the parse
# reads (a default title and summary; a third of a record).
NOT_KEPT: dict[str, object] = {"tweets": (), "first_sentence": "", "lead": ""}


def _encode(result: ParsedThread | None) -> list[object] | None:
    """The fields in declaration order (the code stamp covers a change of the classes)."""
    if result is None:
        return None
    values = [getattr(result, name) for name in _THREAD_FIELDS]
    values[_BODY] = tuple(NOT_KEPT[name] if name in NOT_KEPT else getattr(result.body, name)
                          for name in _BODY_FIELDS)
    for at in _DATES:  # a date or a datetime, naive or aware: its ISO form tells which
        moment = values[at]
        values[at] = moment.isoformat() if moment is not None else None  # type: ignore[attr-defined]
    return values


def _decode(values: list[object] | None) -> ParsedThread | None:
    if values is None:
        return None
    values[_BODY] = RenderedBody(*values[_BODY])  # type: ignore[misc]
    for at in _DATES:
        text = values[at]
        if isinstance(text, str):
            values[at] = (dt.datetime.fromisoformat(text) if "T" in text
                          else dt.date.fromisoformat(text))
    return ParsedThread(*values)  # type: ignore[arg-type]


def _encode_diagnostics(found: Diagnostics) -> tuple[list[tuple[str, int, str, str]], ...] | None:
    if not (found.errors or found.warnings):
        return None  # most files: nothing to say, and nothing to build back
    return tuple([problem.as_record() for problem in problems]
                 for problems in (found.errors, found.warnings))


def _decode_diagnostics(saved: tuple[list[tuple[str, int, str, str]], ...] | None
                        ) -> Diagnostics:
    if saved is None:
        return Diagnostics()
    errors, warnings = ([ContentError.from_record(problem) for problem in problems]
                        for problems in saved)
    return Diagnostics(errors, warnings)


class HtmlStore:
    """Reads a thread's HTML by the digest of its source; one per process, opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def tweets(self, sha: str) -> tuple[str, ...]:
        if self._db is None:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._db.execute(SMALL_CACHE)
        row = self._db.execute("SELECT tweets FROM html WHERE sha = ?", (sha,)).fetchone()
        if row is None:
            raise LookupError(f"no HTML cached for {sha}")  # a bug: parse stored it first
        return tuple(marshal.loads(row[0]))

