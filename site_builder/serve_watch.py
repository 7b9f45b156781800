"""Notice what changed in a site's sources, all of it at once, without editor litter or output/.

livereload's own Watcher stops at the first changed file of a folder on each poll (so a burst of
50 saves is reported over 50 polls, one build each), ignores only `.swp` among editor files, and
misses new files whose mtime predates the server. This one keeps livereload's `watch()` registry
but compares whole snapshots: one poll reports every file added, changed or removed since the last.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from livereload.watcher import Watcher

from site_builder.sources import is_ignored_name

log = logging.getLogger(__name__)

# What says a file changed: its modification time, its size, and its inode (a save by rename
# makes a new file even when time and size look the same).
Stamp = tuple[int, int, int]


class SiteWatcher(Watcher):
    """A livereload Watcher over the site's sources that reports one poll's changes together."""

    def __init__(self, site_root: Path, excluded: Iterable[Path] = ()) -> None:
        super().__init__()
        self.site_root = site_root.resolve()
        self.excluded = {os.path.realpath(path) for path in excluded}
        self.roots: list[Path] = []
        self._snapshot: dict[str, Stamp] = {}

    def watch(self, path: str, func: object = None, delay: object = None,
              ignore: object = None) -> None:
        """Register a file or folder (livereload's signature; `func` and `delay` are not used)."""
        super().watch(path, func, delay, ignore=ignore)
        self.roots.append(Path(path).absolute())

    def start(self, callback: object) -> bool:
        """Tell livereload not to poll by itself: the preview server polls through `scan()`."""
        return True

    def scan(self) -> set[str]:
        """Files added, changed or removed since the previous scan, as the user names them."""
        current = self.snapshot()
        previous, self._snapshot = self._snapshot, current
        changed = {path for path in current.keys() | previous.keys()
                   if current.get(path) != previous.get(path)}
        return {self.shown(path) for path in changed}

    def snapshot(self) -> dict[str, Stamp]:
        """Every watched file now; a file or folder that vanishes while we look is just absent."""
        found: dict[str, Stamp] = {}
        for root in self.roots:
            if root.is_dir():
                self._walk(root, found)
            elif not is_ignored_name(root.name):
                stamp = _stamp(str(root))
                if stamp is not None:
                    found[str(root)] = stamp
        return found

    def shown(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.site_root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def _walk(self, root: Path, found: dict[str, Stamp]) -> None:
        # Walked from its real path, every folder below is real too (links are not followed),
        # so the excluded folders are found by name, without resolving each one.
        stack = [os.path.realpath(root)]
        while stack:
            folder = stack.pop()
            if folder in self.excluded:
                continue
            try:
                entries = list(os.scandir(folder))
            except OSError:  # removed or unreadable since it was listed
                continue
            for entry in entries:
                if is_ignored_name(entry.name):
                    continue
                try:
                    # Folder links are not followed, as in sources.discover: no loops.
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                except OSError:
                    continue
                stamp = _stamp(entry.path)
                if stamp is not None:
                    found[entry.path] = stamp


def _stamp(path: str) -> Stamp | None:
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)
