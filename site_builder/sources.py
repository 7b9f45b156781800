"""Find the files a site is made of: threads, their bundled media, and theme files."""

from __future__ import annotations

import os
import unicodedata
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from site_builder.errors import Diagnostics

try:  # hashlib's own blake2b; importing hashlib loads OpenSSL too, ~5 ms of a no-op build
    from _blake2 import blake2b
except ImportError:  # a Python other than CPython
    from hashlib import blake2b

THREAD_SUFFIX = ".md"
BUNDLE_INDEX = "index.md"
_new_tuple = tuple.__new__  # SourceFile(...) runs a Python __new__: twice as slow


class SourceFile(NamedTuple):
    """A file under a source folder; `rel` is POSIX, NFC (macOS writes names decomposed).

    A named tuple, the quickest to make: a build starts by making one per file, 10,000 of them
    in the time a no-op build has.
    """

    location: str  # the file's path as a string: a Path per file is most of a no-op build
    rel: str
    mtime_ns: int
    size: int
    is_thread: bool  # a Markdown file: a thread, or a bundle's index

    @property
    def path(self) -> Path:
        return Path(self.location)


def digest(data: bytes) -> str:
    """The content digest used for sources, outputs and cache keys alike."""
    return blake2b(data, digest_size=16).hexdigest()


def is_ignored_name(name: str) -> bool:
    """Hidden files and what editors leave behind while saving (`x~`, `.x.swp`, `4913`, `.#x`)."""
    return (name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
            or name == "4913" or "___jb_" in name)


def discover(folder: Path, shown: str, diagnostics: Diagnostics) -> list[SourceFile]:
    """Every usable file under `folder`, sorted; links that leave it are skipped with a warning.

    Directory links are never followed, so a link loop cannot hang the build. A build that
    finds nothing changed is mostly this loop: at 10,000 threads, ~45 ms of `stat` calls and
    ~10 ms of Python around them. So the common case (a plain file) comes first, each folder
    is listed through its descriptor (a `stat` then looks up one name, not every folder of
    the path again: ~8 ms at 10,000 threads, five folders deep), and the named tuples are
    made without their Python-level constructor.
    """
    found: list[SourceFile] = []
    if not folder.is_dir():
        return found
    root = folder.resolve()
    stack = [(str(root), "")]  # a folder, and its path relative to the root with a final "/"
    while stack:
        current, prefix = stack.pop()
        descriptor = os.open(current, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with os.scandir(descriptor) as entries:  # each entry.stat() is relative to it
                for entry in entries:
                    name = entry.name
                    if is_ignored_name(name):
                        continue
                    rel = prefix + name
                    if not rel.isascii():
                        rel = unicodedata.normalize("NFC", rel)
                    location = f"{current}/{name}"
                    if not entry.is_file(follow_symlinks=False):  # a folder, a link, or special
                        if entry.is_dir(follow_symlinks=False):
                            stack.append((location, rel + "/"))
                            continue
                        if not entry.is_symlink():
                            continue  # a pipe or a socket: not a source
                        if not _links_inside(location, root):
                            diagnostics.warn(f"{shown}/{rel}", 0, "symbolic link skipped",
                                             "only links to files inside the folder are "
                                             "followed")
                            continue
                    stat = entry.stat()
                    found.append(_new_tuple(SourceFile, (location, rel, stat.st_mtime_ns,
                                                         stat.st_size,
                                                         name.endswith(THREAD_SUFFIX))))
        finally:
            os.close(descriptor)
    found.sort(key=itemgetter(1))  # by rel
    return found


def _links_inside(link: str, root: Path) -> bool:
    """The link leads to a file inside `root`."""
    try:
        target = Path(link).resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop (RuntimeError < 3.13)
        return False
    return target.is_relative_to(root) and target.is_file()
