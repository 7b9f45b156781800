"""The preview's HTTP side: output/ and nothing else, answered only to this machine's pages.

livereload's handlers are wrapped rather than used as they are: its static handler would serve
every file under its root (output/.site-builder/ included), knows nothing of a failed build or
of a sub-path, and its websocket accepts any Origin and keeps one process-wide set of browsers.
Here every request first passes the Host check (against DNS rebinding); files come fresh from
output/ (no ETag, no 304, symlinks resolved and kept inside); the reload socket is livereload's
with an Origin check and one set of browsers per preview.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httputil, web
from tornado.websocket import WebSocketClosedError

from site_builder.serve_guard import RequestGuard
from site_builder.serve_page import inject_live_script, render_error_page, render_plain_page

log = logging.getLogger(__name__)

KEPT_HIDDEN = frozenset({".well-known"})  # the one dot-folder a published site may need
_PAGE_SUFFIXES = (".html", ".htm")


@dataclass(eq=False)
class PreviewState:
    """What the handlers serve, shared with the builder on the same IOLoop thread."""

    output_dir: Path
    base_path: str
    problems: list[str] = field(default_factory=list)  # the failed build's, shown to browsers
    browsers: set[ReloadSocket] = field(default_factory=set)

    def reload(self, path: str = "*") -> None:
        """Ask every connected page to reload (or, for a stylesheet path, to swap it in)."""
        message = json.dumps({"command": "reload", "path": path,
                              "liveCSS": True, "liveImg": True})
        for browser in list(self.browsers):
            try:
                browser.write_message(message)
            except WebSocketClosedError:
                self.browsers.discard(browser)


class _Preview(web.RequestHandler):
    """Never cached (a reload must show the new build), errors as small escaped pages."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs["exc_info"][1] if "exc_info" in kwargs else None
        message = error.log_message if isinstance(error, web.HTTPError) else None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render_plain_page(status_code, message or self._reason))

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, web.HTTPError):  # refusals are answers, not server faults
            log.debug("%s %s: %s", self.request.method, self.request.uri, value)
            return
        super().log_exception(typ, value, tb)

    def send_page(self, status: int, html: bytes, include_body: bool = True) -> None:
        """An HTML answer with the live-reload hook, so even error pages reload when fixed."""
        body = inject_live_script(html)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Length", len(body))
        self.finish(body if include_body else None)


class ForbiddenHost(_Preview):
    def prepare(self) -> None:
        raise web.HTTPError(403, "Host not allowed: open the preview at 127.0.0.1")


class RedirectToSite(_Preview):
    def initialize(self, target: str) -> None:
        self.target = target

    def get(self) -> None:
        self.redirect(self.target)


class OutsideSite(_Preview):
    """Paths beside a sub-path site: a 404 that says where the site is."""

    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def get(self, *args: str) -> None:
        self.send_page(404, render_plain_page(404, f"The site is served at {self.state.base_path}"))


class SiteFileHandler(_Preview, web.StaticFileHandler):
    """output/ as the last complete build left it; after a failed build, pages show the errors."""

    def initialize(self, state: PreviewState) -> None:  # type: ignore[override]
        super().initialize(path=str(state.output_dir), default_filename="index.html")
        self.state = state

    async def get(self, path: str, include_body: bool = True) -> None:
        try:
            self.path = self.parse_url_path(path)  # escapes and hidden files refused first
            if self.state.problems and _looks_like_page(path):
                self.send_page(500, render_error_page(self.state.problems), include_body)
                return
            absolute = self.validate_absolute_path(self.root,
                                                   self.get_absolute_path(self.root, self.path))
            if absolute is None:  # redirected to the folder's own URL, with its slash
                return
            if absolute.endswith(_PAGE_SUFFIXES):
                self.send_page(200, Path(absolute).read_bytes(), include_body)
                return
        except web.HTTPError as error:
            if error.status_code != 404:
                raise
            self._send_not_found(include_body)
            return
        await super().get(path, include_body)

    def parse_url_path(self, url_path: str) -> str:
        """Refuse escapes as written (`..`, `//`, `\\`) and hidden files before any disk access."""
        parts = url_path.split("/")
        if "\\" in url_path or any(part in ("..", ".") for part in parts) \
                or any(part == "" for part in parts[:-1]):
            raise web.HTTPError(403, "Path outside the site")
        if "\x00" in url_path or any(part.startswith(".") and part not in KEPT_HIDDEN
                                     for part in parts):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """Links are followed only when they stay inside output/ (also on tornado < 6.6)."""
        real_root = os.path.realpath(root)
        real = os.path.realpath(absolute_path)
        if real != real_root and not real.startswith(real_root + os.sep):
            raise web.HTTPError(403, "Path outside the site")
        return super().validate_absolute_path(root, absolute_path)

    def compute_etag(self) -> str | None:
        return None  # tornado caches ETags per path forever; a rebuild would answer 304

    def should_return_304(self) -> bool:
        return False

    def get_cache_time(self, path: str, modified: object, mime_type: str) -> int:
        return 0  # not even for `?v=` URLs: Cache-Control stays no-store

    def _send_not_found(self, include_body: bool) -> None:
        custom = Path(self.root) / "404.html"
        html = custom.read_bytes() if custom.is_file() else render_plain_page(404, "Not found")
        self.send_page(404, html, include_body)


def _looks_like_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith(_PAGE_SUFFIXES) or "." not in last


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, for this preview's own pages only, tracked per preview."""

    def initialize(self, state: PreviewState, guard: RequestGuard) -> None:
        self.state = state
        self.guard = guard

    def prepare(self) -> None:
        # tornado skips check_origin when Origin equals Host; checking here too keeps the rule
        # the same on every tornado version.
        origin = self.request.headers.get("Origin")
        if origin is not None and not self.guard.allows_origin(origin):
            raise web.HTTPError(403, "Origin not allowed")

    def check_origin(self, origin: str) -> bool:
        return self.guard.allows_origin(origin)

    def on_message(self, message: str | bytes) -> None:
        """livereload's handshake: answer `hello`, then count the page in once it says `info`."""
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.send_message({"command": "hello", "serverName": "site-builder",
                               "protocols": ["http://livereload.com/protocols/official-7"]})
        elif command == "info":
            self.state.browsers.add(self)

    def on_close(self) -> None:
        self.state.browsers.discard(self)


class ReloadScript(_Preview, LiveReloadJSHandler):
    """livereload.js, as the livereload package ships it."""


class PreviewApplication(web.Application):
    """Every request passes the Host check before any handler sees it."""

    def __init__(self, handlers: list[Any], guard: RequestGuard) -> None:
        super().__init__(handlers, log_function=_log_request)
        self.guard = guard

    def find_handler(self, request: httputil.HTTPServerRequest,
                     **kwargs: Any) -> web._HandlerDelegate:
        if not self.guard.allows_host(request.headers.get("Host")):
            return self.get_handler_delegate(request, ForbiddenHost)
        return super().find_handler(request, **kwargs)


def make_application(state: PreviewState, guard: RequestGuard) -> PreviewApplication:
    """livereload's two routes at the root, the site at its base_url path, `/` leading there."""
    base = state.base_path
    handlers: list[Any] = [
        (r"/livereload", ReloadSocket, {"state": state, "guard": guard}),
        (r"/livereload\.js", ReloadScript),
    ]
    if base != "/":
        handlers += [(r"/", RedirectToSite, {"target": base}),
                     (re.escape(base.rstrip("/")), RedirectToSite, {"target": base})]
    handlers += [(re.escape(base) + r"(.*)", SiteFileHandler, {"state": state}),
                 (r"(.*)", OutsideSite, {"state": state})]
    return PreviewApplication(handlers, guard)


def _log_request(handler: web.RequestHandler) -> None:
    request = handler.request
    log.debug("%d %s %s %.0f ms", handler.get_status(), request.method, request.uri,
              1000 * request.request_time())
