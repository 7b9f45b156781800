"""A no-op build in milliseconds: when no input changed since the last build, do nothing.

The fingerprint covers everything a build reads: the code, the configuration (command-line
overrides included), and the name, size and mtime of every source and theme file. It is saved
in output/.site-builder/ only after a successful build, so a failed build never vouches.
"""

from __future__ import annotations

import functools
import importlib.util
import marshal
import os
import sys
from itertools import filterfalse
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from site_builder.config import SiteConfig
from site_builder.errors import ContentError
from site_builder.sources import SourceFile, blake2b

NAME = "fingerprint.marshal"  # marshal: JSON alone was 3% of a no-op build, to import
_FORMAT = 1
_LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins", "pygments", "babel", "yaml", "slugify")


@functools.cache
def code_digest() -> bytes:
    """Our code and the libraries it runs: an upgrade or a fix invalidates what they made.

    Read from our files' bytes and the installed libraries' versions, never from mtimes or
    paths: a CI job that restores the cache folder into a fresh checkout, with the libraries
    installed afresh, finds it valid. The versions come from the names of the folders that
    installers leave beside the libraries (cache.code_stamp imports them instead; a build that
    finds nothing changed must not). Those of every package installed there count, so adding
    or upgrading any one renders the pages again: rare, and never wrong.
    """
    hasher = blake2b(sys.version.encode(), digest_size=16)  # and the Python running it
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.name.encode() + path.read_bytes())
    folders: set[Path] = set()
    for library in _LIBRARIES:  # found, not imported
        spec = importlib.util.find_spec(library)
        hasher.update(f"{library}\0{spec is not None}\n".encode())
        if spec is not None and spec.origin:
            origin = Path(spec.origin)  # a package's __init__.py, or a module's own file
            folders.add(origin.parent.parent if origin.stem == "__init__" else origin.parent)
    for folder in sorted(folders):  # where pip or Debian installed them: names carry versions
        try:
            installed = sorted(name for name in os.listdir(folder)
                               if name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip archive on sys.path: its path stands in for the versions
            installed = [str(folder)]
        hasher.update(repr(installed).encode())
    return hasher.digest()


def fingerprint(config: SiteConfig, sources: list[SourceFile], theme_files: list[SourceFile]
                ) -> tuple[str, str]:
    """(fingerprint, frame): the frame covers every input but the threads' sizes and mtimes
    (their names included), so a build can tell when only some threads' files changed."""
    # Each part is marshalled whole and hashed at once, not formatted file by file.
    is_thread = attrgetter("is_thread")
    thread_files = list(filter(is_thread, sources))
    other_files = list(filterfalse(is_thread, sources))
    frame = blake2b(code_digest(), digest_size=16)
    frame.update(repr(config).encode())
    frame.update(marshal.dumps(list(map(attrgetter("rel"), thread_files)), 2))
    frame.update(marshal.dumps(list(map(attrgetter("rel", "mtime_ns", "size"), other_files)), 2))
    # The theme's files by location, as stat-ed when the theme was listed:
    frame.update(marshal.dumps(list(map(attrgetter("location", "mtime_ns", "size"),
                                        theme_files)), 2))
    threads = blake2b(marshal.dumps(list(map(attrgetter("mtime_ns", "size"), thread_files)), 2),
                      digest_size=16)
    frame_digest = frame.hexdigest()
    threads.update(frame_digest.encode())
    return threads.hexdigest(), frame_digest


class SavedBuild(NamedTuple):
    """What the last successful build saved of itself."""

    fingerprint: str
    threads: int
    pages: int
    warnings: list[ContentError]  # shown again: an unchanged build says what the last one said


def last_build(state_dir: Path) -> SavedBuild | None:
    """The last successful build into this output folder, if its record is readable."""
    try:
        form, current, threads, pages, warnings = marshal.loads((state_dir / NAME).read_bytes())
        if form != _FORMAT:
            return None
        return SavedBuild(str(current), int(threads), int(pages),
                          [ContentError.from_record(record) for record in warnings])
    except (OSError, EOFError, ValueError, TypeError):
        return None


def encode(current: str, threads: int, pages: int, warnings: list[ContentError]) -> bytes:
    """The file the writer saves with the manifest, as the last step of a successful swap."""
    return marshal.dumps((_FORMAT, current, threads, pages, [w.as_record() for w in warnings]),
                         2)
