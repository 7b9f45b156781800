"""Fixtures for the fault matrix (issue 7): a wall-clock limit, and a flat HTML safety scan.

The flat scan reads start tags one by one, with no tree, so a page nested 20,000 elements deep
(pathological Markdown) is checked without the test itself hitting Python's recursion limit.
"""

from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from helpers import SAFE_SCHEMES, URL_ATTRIBUTES, is_theme_script


class Overtime(BaseException):
    """Raised by the time limit; not an Exception (nor an OSError, like TimeoutError), so no
    `except Exception` or `except OSError` in the build can turn it into a reported error."""


@contextlib.contextmanager
def _time_limit(cpu_seconds: float, wall_seconds: float = 60.0) -> Iterator[None]:
    """Fail with Overtime past `cpu_seconds` of this process's CPU time, or past a generous
    wall-clock backstop for hangs that burn no CPU (main thread only).

    CPU time, not wall time: other builds share the machine's 2 cores, and a busy neighbour
    must not fail a test whose own work is quick.
    """

    def expire(signum: int, _frame: object) -> None:
        what = "CPU" if signum == signal.SIGPROF else "wall-clock"
        limit = cpu_seconds if signum == signal.SIGPROF else wall_seconds
        raise Overtime(f"took more than {limit} s of {what} time")

    previous = {sig: signal.signal(sig, expire) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, wall_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@pytest.fixture
def time_limit() -> Callable[[float], contextlib.AbstractContextManager[None]]:
    return _time_limit


class _FlatScan(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str]]]] = []
        self.script_text: dict[int, str] = {}
        self._in_script: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((self.getpos()[0], tag, [(k, v or "") for k, v in attrs]))
        if tag == "script":
            self._in_script = len(self.tags) - 1
            self.script_text[self._in_script] = ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((self.getpos()[0], tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.script_text[self._in_script] += data


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and space, trimmed by browsers


def browser_scheme(value: str) -> str:
    """The scheme a browser's URL parser sees (WHATWG): edges trimmed, tabs and newlines
    removed, then an ASCII letter and letters, digits, `+`, `-`, `.` before a colon.

    Stricter than it looks and no laxer than a browser: `%5Br%5D:x` has no scheme (it is a
    relative path), where `helpers.url_scheme` would call `%5br%5d` one.
    """
    cleaned = re.sub("[\t\n\r]", "", value.strip(_EDGES))
    match = _SCHEME.match(cleaned)
    return match[1].lower() if match else ""


def flat_unsafe(html: str, theme_scripts: bool = True) -> list[str]:
    """What could run code in a reader's browser, like `helpers.unsafe_markup`, without a tree."""
    scan = _FlatScan()
    scan.feed(html)
    scan.close()
    problems = []
    for index, (line, tag, attrs) in enumerate(scan.tags):
        named = dict(attrs)
        allowed = (theme_scripts and tag == "script"
                   and is_theme_script(named.get("src"), named.get("type"),
                                       scan.script_text.get(index, "")))
        if tag in ("script", "iframe", "object", "embed", "frame", "base") and not allowed:
            problems.append(f"line {line}: <{tag}>")
        for key, value in attrs:
            if key.startswith("on"):
                problems.append(f"line {line}: <{tag} {key}=...>")
            if key in URL_ATTRIBUTES and browser_scheme(value) not in ("", *SAFE_SCHEMES):
                problems.append(f"line {line}: <{tag} {key}={value!r}>")
    return problems


@pytest.fixture
def scan_unsafe() -> Callable[..., list[str]]:
    return flat_unsafe
