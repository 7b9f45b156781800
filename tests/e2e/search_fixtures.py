"""Fixtures for the search browser tests: a small French archive under a sub-path, indexed by
Pagefind, served by the standard library's http.server, and a chromium page that records every
request it makes (search must work with no other host).

Kept apart from tests/e2e/conftest.py (the preview server's) so either can change alone.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from chromium import keep_local, launched_chromium
from helpers import build_site, thread

from site_builder.search import index_site

SUB_PATH = "/archive/"

MAGNETS_TITLE = "Terres rares : la dépendance"
MAGNETS_DATE = "12 septembre 2025"

SITE_FILES = {
    "site.yaml": ("title: Fils d'ingénieur\nbase_url: https://example.org/archive/\n"
                  "language: fr\ntimezone: Europe/Paris\nsearch: true\n"),
    "content/2025-09-12-terres-rares.md": thread(
        "2025-09-12",
        "La Chine raffine l'essentiel des métaux du monde.\n\n***\n\n"
        "Les aimants permanents des moteurs électriques en dépendent.\n\n***\n\n"
        "Et l'Europe n'a presque plus d'usine.",
        title=f'"{MAGNETS_TITLE}"', tags="[chine, industrie]"),
    "content/2025-10-01-acier.md": thread(
        "2025-10-01", "Le haut fourneau et l'acier vert, sans un mot de trop.",
        title="L'acier vert", tags="[industrie]"),
    "content/2025-10-20-nucleaire.md": thread(
        "2025-10-20", "Les réacteurs, l'uranium et le combustible.", title="Le nucléaire"),
}


@dataclass
class ServedSite:
    """The built site, and where the test server publishes it."""

    output: Path
    origin: str  # http://127.0.0.1:PORT
    url: str  # origin + /archive/

    def thread_url(self, month: str, word: str) -> str:
        """The URL of the one thread of that month (`2025/09`) whose slug holds `word`."""
        (folder,) = [path.parent for path in (self.output / month).glob(f"*{word}*/index.html")]
        return self.url + folder.relative_to(self.output).as_posix() + "/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def search_browser() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """Built into www/archive/ and served from www/, so the site lives under a sub-path."""
    root = tmp_path_factory.mktemp("search-site")
    www = root / "www"
    output = www / SUB_PATH.strip("/")
    build_site(root, SITE_FILES, output_dir=output)
    index_site(output, "fr")  # again if the build already did: the same bundle
    handler = functools.partial(_QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield ServedSite(output, origin, origin + SUB_PATH)
    finally:
        server.shutdown()
        server.server_close()
        worker.join(timeout=5)


@dataclass
class RecordedPage:
    """A chromium page and the requests it tried to send to any other host (all refused)."""

    page: Any
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def search_page(search_browser: Any, french_site: ServedSite) -> Iterator[RecordedPage]:
    context = search_browser.new_context(locale="fr-FR")
    recorded = RecordedPage(context.new_page())
    keep_local(context, french_site.origin + "/", recorded.foreign)
    recorded.page.set_default_timeout(20_000)
    try:
        yield recorded
    finally:
        context.close()
