"""Browser tests: Debian's chromium driven by Playwright, and `serve` run as a real process.

Without chromium these tests are skipped, unless SITE_BUILDER_REQUIRE_BROWSER=1 (as in CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from chromium import launched_chromium

SERVE = [sys.executable, "-c", "from site_builder.serve import serve_command; serve_command()"]

# Marks, in every page the browser opens, when livereload.js is connected and when the
# document was loaded, so a test can wait for the first and measure with the second.
LIVE_RELOAD_PROBE = """
window.__liveReloadConnected = false;
document.addEventListener('LiveReloadConnect', () => { window.__liveReloadConnected = true; });
document.addEventListener('DOMContentLoaded', () => { window.__loadedAt = Date.now(); });
"""


# Module scope, not session: while Playwright's sync API is open, its event loop counts as
# running in the main thread, and any later test that runs an event loop there would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(LIVE_RELOAD_PROBE)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


@dataclass
class Preview:
    """A running `serve` process and everything it printed."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)

    def wait_for_line(self, predicate: Callable[[str], bool], seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        seen = 0
        while time.monotonic() < deadline:
            for line in self.lines[seen:]:
                if predicate(line):
                    return line
            seen = len(self.lines)
            if self.process.poll() is not None and seen == len(self.lines):
                break
            time.sleep(0.02)
        raise AssertionError("serve never printed the line; it printed:\n" + "\n".join(self.lines))


def start_serve(config: Path, *options: str) -> Preview:
    process = subprocess.Popen([*SERVE, "--config", str(config), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               bufsize=1)
    preview = Preview(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            preview.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    line = preview.wait_for_line(lambda text: text.startswith("Serving on "), seconds=120)
    preview.url = line.split()[2]
    return preview


def stop_serve(preview: Preview) -> None:
    preview.process.terminate()
    try:
        preview.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        preview.process.kill()
        preview.process.wait()


@pytest.fixture
def serve() -> Iterator[Callable[..., Preview]]:
    """serve(config_path, *options) -> Preview; every preview is stopped after the test."""
    started: list[Preview] = []

    def start(config: Path, *options: str) -> Preview:
        started.append(start_serve(config, *options))
        return started[-1]

    yield start
    for preview in started:
        stop_serve(preview)

