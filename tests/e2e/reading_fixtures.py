"""Fixtures for the reading and accessibility browser tests: the demo archive (content/ and
site.yaml at the repository root) and a small English site, each built into a temporary folder,
served by the standard library's http.server, and opened in Debian's chromium.

Kept apart from tests/e2e/conftest.py (the preview server's) so either can change alone.
Chromium missing: skip, or fail with SITE_BUILDER_REQUIRE_BROWSER=1. axe-core missing (it is
installed with `npm ci --prefix tests/e2e/axe`): the same.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from chromium import keep_local, launched_chromium, missing
from helpers import build_site, thread, write_tree

REPO = Path(__file__).resolve().parents[2]
AXE_INSTALL = "npm ci --prefix tests/e2e/axe"
AXE_SCRIPT = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# Every kind of page the theme renders; each site maps them to one of its URLs.
PAGE_KINDS = ("home", "thread", "tag", "tags", "archive", "year", "month", "404", "search")

# --- The demo archive -------------------------------------------------------------------------

DEMO_PAGES = {
    "home": "",
    "thread": "2025/09/et-encore-une-autre/",
    "tag": "tags/chine/",
    "tags": "tags/",
    "archive": "archive/",
    "year": "2025/",
    "month": "2025/09/",
    "404": "404.html",
    "search": "search/?q=chine",
}
DEMO_SPACED_THREAD = "2025/10/trump-vient-de-reagir-a-la-decision-chinoise-sur-les-terres-rares/"

# --- The English site -------------------------------------------------------------------------

ENGLISH_SITE_YAML = """\
title: Field notes
description: Threads about factories, energy and the tools we build them with.
author: Sam Example
base_url: https://example.org/
language: en
timezone: Europe/London
per_page: 2
search: true
"""
IMAGE_ALT = "A diagram of the assembly line, from raw steel to finished frames"


def _factory_tweets() -> str:
    """Eighteen tweets: a mention, a hashtag, quotes, an image, a list and a link among them."""
    tweets = [
        "Why factories still matter, and why the \"post-industrial\" story was always too "
        "simple. A thread about what a country loses when it stops making things.",
        "Start with the obvious: a factory is not a building. It is a web of suppliers, "
        "machinists, maintenance crews and engineers who know why the line stops at 3 am.",
        f"Here is the line we visited last spring:\n\n![{IMAGE_ALT}](line.png)",
        "When the last plant in a region closes, that knowledge does not move elsewhere. It "
        "retires, or it changes trade, and it is very hard to hire back.",
        "@plantmanager put it well: \"You can buy the machines in a month. The people who "
        "can run them take ten years.\"",
        "Three things disappear first:\n\n- the toolmakers\n- the repair shops\n- the "
        "apprenticeships that fed both",
        "None of this shows up in a quarterly report, which is why it is so easy to ignore.",
        "Energy is the other half. Heavy industry needs cheap, steady power, and the "
        "countries that kept it kept their plants. #energy",
        "It is not nostalgia to say so. The new industries (batteries, chips, heat pumps) "
        "need exactly the skills the old ones trained.",
        "A battery plant is a chemistry lab at the scale of a stadium. Who runs it? People "
        "who learned on older lines.",
        "So the question is not whether to keep old factories alive forever. It is how to "
        "keep the know-how alive between two generations of machines.",
        "Some regions did it well. They kept the training schools open even when the "
        "plants closed, and they were ready when new ones came.",
        "Others sold the land, closed the schools and now wonder why nobody applies.",
        "The cost of a rebuilt supply chain is measured in years, not in euros.",
        "What can a policy do? Guarantee demand, train people before the plant opens, and "
        "keep energy prices predictable.",
        "What can a company do? Keep a few experienced people on staff even in a slow "
        "year; they are the memory of the line.",
        "And what can the rest of us do? Notice what is made nearby, and ask what it would "
        "take to make it again.",
        "The full report is here: https://example.org/report. Thanks for reading.",
    ]
    return "\n\n***\n\n".join(tweets)


ENGLISH_FILES: dict[str, str | bytes] = {
    "site.yaml": ENGLISH_SITE_YAML,
    "content/2025-09-26-factories/index.md": thread(
        "2025-09-26", _factory_tweets(), title="Why factories still matter", read_time="6",
        tags="[industry, energy]", source="https://x.com/example/status/1971234567890"),
    "content/2025-10-03-code.md": thread(
        "2025-10-03",
        "A small script to count the tweets of a thread.\n\n```python\n"
        "# Count the tweets: one per separator, plus the first.\n"
        "def count(text: str) -> int:\n    return text.count(\"***\") + 1\n```\n",
        title="Counting tweets with a script", tags="[tools]"),
    "content/2025-08-14-francais.md": thread(
        "2025-08-14",
        "Pourquoi garder les usines ? Parce que le savoir-faire ne se rachète pas : il se "
        "transmet.\n\n***\n\nEt « l’énergie » compte autant que les machines !",
        title="Pourquoi garder les usines", lang="fr", tags="[industry]"),
    "content/2024-12-30-energy.md": thread(
        "2024-12-30", "A year of energy prices, and what they did to heavy industry.",
        title="A year of energy prices", tags="[energy]"),
}
ENGLISH_PAGES = {
    "home": "",
    "thread": "2025/09/why-factories-still-matter/",
    "tag": "tags/industry/",
    "tags": "tags/",
    "archive": "archive/",
    "year": "2025/",
    "month": "2025/09/",
    "404": "404.html",
    "search": "search/?q=factory",
}
ENGLISH_CODE_THREAD = "2025/10/counting-tweets-with-a-script/"
ENGLISH_FRENCH_THREAD = "2025/08/pourquoi-garder-les-usines/"


def png(width: int = 240, height: int = 120, rgb: tuple[int, int, int] = (196, 120, 74)) -> bytes:
    """A valid one-colour PNG, without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- Browser and tools ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reading_browser() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        missing(f"axe-core is not installed: run `{AXE_INSTALL}`")
    return AXE_SCRIPT


# --- Sites ------------------------------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class ServedSite:
    """A built site, where the test server publishes it, and its URL for each page kind."""

    output: Path
    url: str  # http://127.0.0.1:PORT/
    pages: dict[str, str]
    language: str

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def page_url(self, kind_or_path: str) -> str:
        return self.url + self.pages.get(kind_or_path, kind_or_path)


def _index_search(output: Path, language: str) -> None:
    """Build the search index when the search module and Pagefind are there; else the search
    page says the index is unavailable, which is a page worth checking too."""
    try:
        from site_builder.search import SearchUnavailable, index_site
    except ImportError:
        return
    with contextlib.suppress(SearchUnavailable):
        index_site(output, language)


def _serve(output: Path, pages: dict[str, str], language: str) -> Iterator[ServedSite]:
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    try:
        yield ServedSite(output, f"http://127.0.0.1:{server.server_address[1]}/", pages,
                         language)
    finally:
        server.shutdown()
        server.server_close()
        worker.join(timeout=5)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The demo archive, copied so that its build leaves the checkout untouched."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    output = root / "output"
    build_site(root, output_dir=output)
    _index_search(output, "fr")
    yield from _serve(output, DEMO_PAGES, "fr")


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("english")
    write_tree(root, {"content/2025-09-26-factories/line.png": png()})
    output = root / "output"
    build_site(root, ENGLISH_FILES, output_dir=output)
    _index_search(output, "en")
    yield from _serve(output, ENGLISH_PAGES, "en")


@pytest.fixture
def site(request: pytest.FixtureRequest) -> ServedSite:
    """`demo_site` or `english_site`, by the name a parametrized test gives."""
    return request.getfixturevalue(f"{request.param}_site")


# --- Pages ------------------------------------------------------------------------------------

@dataclass
class Opened:
    """A chromium page, and the requests it tried to send to any other host (all refused)."""

    page: Any
    foreign: list[str] = field(default_factory=list)


OpenPage = Callable[..., Opened]


@pytest.fixture
def open_page(reading_browser: Any) -> Iterator[OpenPage]:
    """open_page(url, scheme="light", width=1280, javascript=True) -> Opened.

    Each call gets its own browser context (colour scheme, viewport, JavaScript); requests to
    any host but 127.0.0.1 are refused and recorded. Everything is closed after the test.
    """
    contexts: list[Any] = []

    def open_(url: str, scheme: str = "light", width: int = 1280, javascript: bool = True,
              height: int = 900) -> Opened:
        context = reading_browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme,
            java_script_enabled=javascript)
        contexts.append(context)
        opened = Opened(context.new_page())
        keep_local(context, "http://127.0.0.1:", opened.foreign)
        opened.page.set_default_timeout(20_000)
        opened.page.goto(url)
        return opened

    yield open_
    for context in contexts:
        context.close()


def wait_for_search(page: Any) -> None:
    """The search page settles on results, a 'no result' message or 'unavailable'."""
    page.wait_for_function(
        "() => { const box = document.getElementById('search');"
        " return !box || box.getAttribute('role') === 'status'"
        " || box.querySelector('.pagefind-ui__result, .pagefind-ui__message'); }")
