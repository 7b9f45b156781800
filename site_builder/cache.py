"""The persistent parse cache: a thread is parsed again only when its bytes change.

Kept in `.site-builder-cache/` next to site.yaml, so it survives restarts and can be saved
between CI runs. Stale or unreadable caches are ignored, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import Diagnostics
from site_builder.parse import ParsedThread

# The modules whose code decides what a parse produces: a change to any of them (an upgrade,
# a fix) must not let an old cache answer for it.
_PARSE_MODULES = ("parse", "markdown", "frontmatter", "fields", "yamltree", "highlight", "slugs",
                  "typography", "autolinks", "keywords")
_PARSE_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "pygments", "python-slugify")


@functools.cache
def code_stamp() -> str:
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for name in _PARSE_MODULES:
        hasher.update((package / f"{name}.py").read_bytes())
    for library in _PARSE_LIBRARIES:
        hasher.update(importlib.metadata.version(library).encode())
    return hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class CachedParse:
    mtime_ns: int
    size: int
    sha: str
    result: ParsedThread | None
    diagnostics: Diagnostics


class ParseCache:
    """Parsed threads by source path, valid for one set of Markdown options."""

    def __init__(self, folder: Path, options: tuple[object, ...]) -> None:
        self.path = folder / "parsed.pickle"
        self.stamp = (code_stamp(), *options)
        self.entries: dict[str, CachedParse] = {}
        self.dirty = False

    def load(self) -> None:
        try:
            with self.path.open("rb") as file:
                stamp, entries = pickle.load(file)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
                AttributeError, ImportError):
            return
        if stamp == self.stamp:
            self.entries = entries

    def get(self, key: str) -> CachedParse | None:
        return self.entries.get(key)

    def put(self, key: str, entry: CachedParse) -> None:
        self.entries[key] = entry
        self.dirty = True

    def keep_only(self, keys: set[str]) -> None:
        """Forget deleted sources so the cache does not grow without bound."""
        for key in set(self.entries) - keys:
            del self.entries[key]
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as file:
            pickle.dump((self.stamp, self.entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
        self.dirty = False
