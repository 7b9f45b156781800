"""The files of an X data archive, zipped or extracted, and its `window.YTD... = [...]` scripts."""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import Diagnostics
from site_builder.importers import decode_utf8

ACCOUNT_FILE = "data/account.js"
# tweets.js, tweets-part1.js, ...; archives before 2020 call them tweet.js, tweet-part1.js, ...
_TWEETS_FILE = re.compile(r"data/tweets?(?:-part([0-9]+))?\.js")
_YTD_PREFIX = re.compile(r"\s*window\.YTD\.\w+\.part[0-9]+\s*=\s*")
_NOT_AN_ARCHIVE_HINT = "give the archive's zip or the folder it was extracted to"
# What reading a damaged zip member can raise, on top of OSError.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


@dataclass(frozen=True, slots=True)
class ArchiveFiles:
    """An archive's files by their name inside it (`data/tweets.js`), however it is stored."""

    label: str
    names: frozenset[str]
    _read: Callable[[str], bytes]

    def where(self, name: str) -> str:
        """How messages name a file of the archive: `twitter.zip/data/tweets.js`."""
        return f"{self.label}/{name}"

    def read(self, name: str, diagnostics: Diagnostics) -> bytes | None:
        """The file's bytes, or None with an error naming it (a damaged zip member, a bad disk)."""
        try:
            return self._read(name)
        except OSError as error:
            diagnostics.error(self.where(name), 0, f"cannot read: {error.strerror or error}")
        except _ZIP_ERRORS as error:
            diagnostics.error(self.where(name), 0, f"cannot read from the zip: {error}",
                              "the archive may be truncated; download it again")
        return None

    def tweet_files(self) -> list[str]:
        """The tweets files in part order; an archive may hold new and old names side by side."""
        found = [(m, name) for name in self.names if (m := _TWEETS_FILE.fullmatch(name))]
        return [name for m, name in sorted(found, key=lambda f: (int(f[0][1] or 0), f[1]))]


@contextmanager
def open_archive(path: Path, diagnostics: Diagnostics) -> Iterator[ArchiveFiles | None]:
    """The archive at `path` (a zip or a folder), or None with the reason in `diagnostics`."""
    label = str(path)
    if path.is_dir():
        yield _folder_archive(path, diagnostics)
        return
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        diagnostics.error(label, 0, "no such file or folder", _NOT_AN_ARCHIVE_HINT)
        yield None
        return
    except (OSError, zipfile.BadZipFile) as error:
        diagnostics.error(label, 0, f"not a readable zip file ({error})",
                          "the download may be truncated; download the archive again")
        yield None
        return
    with archive:
        members = {info.filename for info in archive.infolist() if not info.is_dir()}
        # Some zips put everything under one folder: find it from account.js.
        prefix = next((name[: -len(ACCOUNT_FILE)] for name in sorted(members, key=len)
                       if name.endswith(ACCOUNT_FILE)
                       and (name == ACCOUNT_FILE or name.endswith("/" + ACCOUNT_FILE))), "")
        names = frozenset(name[len(prefix):] for name in members if name.startswith(prefix))
        found = ArchiveFiles(label, names, lambda name: archive.read(prefix + name))
        yield _checked(found, diagnostics)


def _folder_archive(path: Path, diagnostics: Diagnostics) -> ArchiveFiles | None:
    # The extracted folder holds data/; accept the data/ folder itself too.
    root = path.parent if path.name == "data" and not (path / "data").is_dir() else path
    data = root / "data"
    names = frozenset(
        file.relative_to(root).as_posix() for file in data.rglob("*") if file.is_file()
    ) if data.is_dir() else frozenset()
    return _checked(ArchiveFiles(str(root), names, lambda name: (root / name).read_bytes()),
                    diagnostics)


def _checked(archive: ArchiveFiles, diagnostics: Diagnostics) -> ArchiveFiles | None:
    if ACCOUNT_FILE not in archive.names:
        diagnostics.error(archive.label, 0, f"no {ACCOUNT_FILE}: not an X archive",
                          _NOT_AN_ARCHIVE_HINT)
        return None
    if not archive.tweet_files():
        diagnostics.error(archive.label, 0, "no data/tweets.js (nor data/tweet.js) in the archive",
                          _NOT_AN_ARCHIVE_HINT)
        return None
    return archive


def load_ytd(data: bytes, where: str, diagnostics: Diagnostics) -> tuple[list[object], str] | None:
    """The JSON list in `window.YTD.tweets.part0 = [...]`, and the file's text to find lines in."""
    text = decode_utf8(data, where, diagnostics, "not UTF-8 text")
    if text is None:
        return None
    prefix = _YTD_PREFIX.match(text)
    if prefix is None:
        diagnostics.error(where, 1, "expected `window.YTD.<name>.part0 = [...]`",
                          "is this file from an X archive?")
        return None
    try:
        value = json.loads(text[prefix.end():].rstrip().removesuffix(";"))
    except json.JSONDecodeError as error:
        at = prefix.end() + error.pos
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        diagnostics.error(where, line, f"malformed JSON: {error.msg} (column {column})")
        return None
    except RecursionError:
        diagnostics.error(where, 1, "malformed JSON: nested too deeply")
        return None
    if not isinstance(value, list):
        diagnostics.error(where, 1, f"expected a list after `=`, found {type(value).__name__}")
        return None
    return value, text
