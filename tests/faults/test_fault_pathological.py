"""Issue 7: pathological Markdown through the WHOLE build (parse, cache, model, render, write).

tests/unit/test_markdown.py::test_pathological_markdown_is_fast_and_safe times render_markdown
alone; here each body goes through the parse cache, related threads, every template and the
Atom feed, under a wall-clock limit, with no RecursionError, and the pages stay inert.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from helpers import build_site, site_files, thread

FEW_SECONDS = 6.0
"""CPU seconds for a whole build of one pathological file; the worst case measured ~3 s."""

PATHOLOGICAL = {
    "50000 [": "[" * 50_000,
    "50000 > ": "> " * 50_000,
    "50000 > lines": "> \n" * 50_000 + "x",
    "deep block quotes": "\n".join(">" * depth + " x" for depth in range(1, 2000)),
    "deep lists": "\n".join("  " * depth + "- x" for depth in range(1000)),
    "deep ordered lists": "\n".join("   " * depth + "1. x" for depth in range(1000)),
    "deep emphasis": "*" * 20_000 + "a" + "*" * 20_000,
    "deep mixed emphasis": "*_" * 10_000 + "a" + "_*" * 10_000,
    "50000 (": "[a](" * 12_500,
    "50000 <": "<" * 50_000,
    "NUL bytes": "a\x00b \x00" * 5_000,
    "1 MB code block": "```\n" + "x = 1\n" * 175_000 + "```\n",
    "1 MB highlighted code block": "```python\n" + "x = 1\n" * 175_000 + "```\n",
    "1 MB unclosed fence": "```\n" + "x = 1\n" * 175_000,
    "1 MB line": "word " * 200_000,
}

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_pathological_body_builds_fast_and_inert(
        tmp_path: Path, body: str, time_limit: Callable[[float], AbstractContextManager[None]],
        scan_unsafe: Callable[..., list[str]]) -> None:
    files = {"content/bad.md": thread("2024-01-05", body, title="Bad"),
             "content/good.md": thread("2024-01-06", "A good thread.", title="Good")}
    with time_limit(FEW_SECONDS):  # a RecursionError would fail the build, hence the test
        report = build_site(tmp_path, files)
    assert report.threads == 2
    output = site_files(tmp_path / "output")
    page = output["2024/01/bad/index.html"].decode("utf-8")
    assert "\x00" not in page
    for rel, data in output.items():
        if rel.endswith(".html"):
            assert scan_unsafe(data.decode("utf-8")) == [], rel
    feed = ET.fromstring(output["feed.xml"])  # still well-formed XML
    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == [
        "Good", "Bad"]


def test_a_pathological_front_matter_value_builds_fast(
        tmp_path: Path, time_limit: Callable[[float], AbstractContextManager[None]]) -> None:
    """A title and a summary of 200 KB each: slug bounded, every page built in time."""
    long = "mot " * 50_000
    files = {"content/a.md": thread("2024-01-05", "Body.", title=long, summary=long,
                                    tags="[a, b]"),
             "content/b.md": thread("2024-01-06", "Body.", title="B", tags="[a, b]")}
    with time_limit(FEW_SECONDS):
        build_site(tmp_path, files)
    (page,) = [rel for rel in site_files(tmp_path / "output")
               if rel.startswith("2024/01/mot-") and rel.count("/") == 3]
    assert page == f"2024/01/{'-'.join(['mot'] * 20)}/index.html"  # 79 characters
