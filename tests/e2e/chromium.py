"""Debian's chromium under Playwright, one way for every browser test (a browser download
fails here, so Playwright is pointed at the system's chromium).

Without chromium the browser tests are skipped, unless SITE_BUILDER_REQUIRE_BROWSER=1 (as in
CI), which turns the skip into a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def missing(message: str) -> None:
    """Skip the test for want of a tool, or fail it when CI requires the browser tests."""
    if os.environ.get("SITE_BUILDER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (and SITE_BUILDER_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """A headless chromium for a module's tests (Playwright's sync API must not outlive it)."""
    executable = chromium_path()
    if executable is None:
        missing("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def keep_local(context: Any, allowed_prefix: str, foreign: list[str]) -> None:
    """Let the browser fetch only URLs under `allowed_prefix`; the rest are refused and noted
    in `foreign`, so a test can assert the site asks nothing of the network."""

    def gate(route: Any) -> None:
        if route.request.url.startswith(allowed_prefix):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
