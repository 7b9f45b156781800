"""Screenshots of the default theme for the README, taken by the test suite's browser.

Builds the demo archive (content/ and site.yaml at the repository root) into a temporary
folder, serves it on 127.0.0.1 and saves, in docs/screenshots/:

    home-light.png  home-dark.png  thread-light.png  thread-dark.png   1280 px wide
    thread-mobile.png                                                  390 px wide (2x)

Run from the repository root:  .venv/bin/python scripts/screenshots.py [--out DIR]
Needs Debian's chromium (/usr/bin/chromium); for emoji, the fonts-noto-color-emoji package.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# The thread shown: the demo's 18-tweet thread.
THREAD = "2025/09/et-encore-une-autre/"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def build_demo(folder: Path) -> Path:
    """The demo archive copied into `folder` and built there, so the checkout stays untouched."""
    from site_builder.build import build
    from site_builder.config import load_config
    from site_builder.errors import Diagnostics

    shutil.copy(ROOT / "site.yaml", folder / "site.yaml")
    shutil.copytree(ROOT / "content", folder / "content")
    output = folder / "output"
    config = load_config(folder / "site.yaml").with_overrides(output_dir=output)
    build(config, Diagnostics())
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`http://127.0.0.1:PORT/` serving `folder` until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        worker.join(timeout=5)


def take(browser: Any, url: str, target: Path, viewport: dict[str, int], scheme: str,
         scale: int = 1) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=scale,
                                  color_scheme=scheme, locale="fr-FR")
    page = context.new_page()
    page.goto(url)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(target))
    context.close()
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNG files (default: docs/screenshots)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        output = build_demo(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        with served(output) as origin:
            for scheme in ("light", "dark"):
                take(browser, origin, out / f"home-{scheme}.png", DESKTOP, scheme)
                take(browser, origin + THREAD, out / f"thread-{scheme}.png", DESKTOP, scheme)
            take(browser, origin + THREAD, out / "thread-mobile.png", PHONE, "light", scale=2)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
