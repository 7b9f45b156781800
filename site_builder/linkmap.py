"""Resolve a link found in output/ to the file a static host would serve for it, or say why not.

Hosts differ in case sensitivity; we answer as a case-sensitive one does, from the real listing,
so a link that works on a laptop but 404s on the server is caught here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_UPS = re.compile(r"(?:\.\./)*")
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Resolution:
    """`target` is the output file a link reaches (None when external); `why` a problem, or ''."""

    target: str | None = None
    why: str = ""


_EXTERNAL = Resolution()


class SiteLinks:
    """The published files of one output folder and the ids of its pages, for link lookups."""

    def __init__(self, base_path: str, base_url: str, files: set[str], folders: set[str],
                 ids: dict[str, set[str]]) -> None:
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        parts = urlsplit(base_url) if base_url else None
        self.host = parts.netloc.lower() if parts and parts.scheme in _WEB_SCHEMES else None
        self.files = files
        self.folders = folders
        self.ids = ids
        self._by_lower: dict[str, str] | None = None
        self._paths: dict[str, Resolution] = {}  # URL path -> outcome
        self._fixed: dict[str, Resolution] = {}  # links that mean the same on every page
        self._origin = ""
        self._folders: list[str] = []

    def page_origin(self, page: str, base: str | None = None) -> str | None:
        """The URL path links on `page` are relative to; None when its <base> points away."""
        origin = self.base_path + page
        if base is not None:
            return self._absolute_path(origin, base.strip())
        return origin

    def resolve(self, origin: str | None, url: str) -> Resolution:
        """Where `url`, written on the page at URL path `origin`, leads."""
        known = self._fixed.get(url)
        if known is not None:
            return known
        if url.startswith("#") and origin is not None:  # a tweet's own anchor: the common case
            page = self._paths.get(origin)
            if page is not None and page.target is not None and url[1:] in self.ids.get(
                    page.target, ()):
                return page
        location, _, fragment = url.strip().partition("#")
        location = location.partition("?")[0]
        if location.startswith("/") or (":" in location and _SCHEME.match(location)):
            # The same wherever it is written: resolved once for the whole site.
            known = self._fixed[url] = self._finish(self._absolute_path("/", location), fragment)
            return known
        if origin is None:
            return _EXTERNAL
        if not location:
            return self._finish(origin, fragment)
        # Climb with the page's folders, computed once per page, not once per `../`.
        if origin != self._origin:
            self._origin, self._folders = origin, _folders(origin)
        ups = _UPS.match(location).end()  # type: ignore[union-attr]  # always matches
        path = self._folders[min(ups // 3, len(self._folders) - 1)] + location[ups:]
        if "/." in path:
            path = _remove_dot_segments(path)
        return self._finish(path, fragment)

    def _finish(self, path: str | None, fragment: str) -> Resolution:
        if path is None:
            return _EXTERNAL
        resolution = self._paths.get(path)
        if resolution is None:
            resolution = self._paths[path] = self._resolve_path(path)
        if resolution.why or not fragment or resolution.target is None:
            return resolution
        return self._check_fragment(resolution.target, unquote(fragment))

    def _absolute_path(self, origin: str, location: str) -> str | None:
        """The URL path of a link on this site, or None for other sites and other schemes."""
        if location.startswith("//") or _SCHEME.match(location):
            parts = urlsplit(location)
            if parts.scheme and parts.scheme.lower() not in _WEB_SCHEMES:
                return None
            if self.host is None or parts.netloc.lower() != self.host:
                return None
            location = parts.path or "/"
            if not (location + "/").startswith(self.base_path):
                return None  # another site on the same host
        if location.startswith("/"):
            return _remove_dot_segments(location)
        if not location:
            return origin
        return _remove_dot_segments(origin[:origin.rfind("/") + 1] + location)

    def _resolve_path(self, path: str) -> Resolution:
        if not path.startswith(self.base_path):
            if path + "/" == self.base_path:
                path = self.base_path
            else:
                return Resolution(None, f"outside the site's base path {self.base_path}")
        relative = unquote(path[len(self.base_path):])
        if relative in self.files:
            return Resolution(relative)
        folder = relative.rstrip("/")
        if relative == "" or relative.endswith("/") or folder in self.folders:
            index = f"{folder}/index.html" if folder else "index.html"
            if index in self.files:
                return Resolution(index)
            if folder in self.folders:
                return Resolution(None, f"folder {folder or '/'} has no index.html")
            return Resolution(None, self._not_found(index, folder))
        return Resolution(None, self._not_found(relative, relative))

    def _not_found(self, wanted: str, shown: str) -> str:
        """`not found`, with the real name when only the case differs."""
        if self._by_lower is None:
            self._by_lower = {name.lower(): name for name in self.files | self.folders}
        real = self._by_lower.get(wanted.lower()) or self._by_lower.get(shown.lower())
        if real is not None:
            return f"not found (case differs: the file is {real})"
        return "not found"

    def _check_fragment(self, target: str, fragment: str) -> Resolution:
        ids = self.ids.get(target)
        if ids is None or fragment in ids or fragment in ("", "top") or fragment.startswith(":~:"):
            return Resolution(target)
        return Resolution(target, f"no id {fragment!r} in {target}")


def _folders(origin: str) -> list[str]:
    """`/a/b/page.html` -> [`/a/b/`, `/a/`, `/`]: where 0, 1, 2 `../` lead."""
    folders = [origin[:origin.rfind("/") + 1]]
    while len(folders[-1]) > 1:
        folder = folders[-1]
        folders.append(folder[:folder.rindex("/", 0, len(folder) - 1) + 1])
    return folders


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 dot-segment removal; `..` never climbs above the host root, as in browsers."""
    if "/." not in path:
        return path
    parts = path.split("/")
    kept: list[str] = []
    for part in parts:
        if part == ".":
            continue
        if part == "..":
            if len(kept) > 1:
                kept.pop()
            continue
        kept.append(part)
    if parts[-1] in (".", ".."):
        kept.append("")
    return "/".join(kept)
