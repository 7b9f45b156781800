"""Golden sites: each built page compared, as parsed HTML, with its reviewed expected form.

`tests/golden/<case>/` holds a site (site.yaml, content/) and `expected/`: `files.txt` (every
published file) and one `<page>.txt` per HTML page (a normalized tree: tags, sorted attributes,
trimmed text). Regenerate on purpose with `pytest tests/test_golden.py --update-golden`, then
review the diff; a plain run never writes them.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from helpers import broken_links, copy_site, dump, parse_html, site_files

from site_builder.build import build
from site_builder.config import load_config
from site_builder.errors import Diagnostics

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path for path in GOLDEN.iterdir() if (path / "site.yaml").is_file())
FILE_LIST = "files.txt"


def built(case: Path, tmp_path: Path, **overrides: object) -> tuple[Path, str]:
    """The case built in a copy of its own; returns output/ and the base_url used."""
    site = copy_site(case, tmp_path / case.name)
    config = load_config(site / "site.yaml").with_overrides(**overrides)
    build(config, Diagnostics())
    return config.output_dir, config.base_url


def expected_form(output: Path) -> dict[str, str]:
    """What expected/ holds for a built site: the file list and every page's parsed tree."""
    files = site_files(output)
    forms = {FILE_LIST: "".join(f"{rel}\n" for rel in sorted(files))}
    for rel, data in files.items():
        if rel.endswith(".html"):
            forms[rel + ".txt"] = dump(parse_html(data.decode("utf-8")))
    return forms


def stored_form(expected: Path) -> dict[str, str]:
    return {path.relative_to(expected).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(expected.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_site(case: Path, tmp_path: Path, update_golden: bool) -> None:
    output, _ = built(case, tmp_path)
    actual = expected_form(output)
    expected_dir = case / "expected"
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in actual.items():
            path = expected_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {expected_dir.relative_to(GOLDEN.parent.parent)}: review the diff")
    expected = stored_form(expected_dir)
    assert expected, f"no expected pages in {expected_dir}; run pytest --update-golden"
    assert actual[FILE_LIST] == expected.get(FILE_LIST), "the set of published files changed"
    assert sorted(actual) == sorted(expected)
    for rel in sorted(expected):
        diff = "".join(difflib.unified_diff(expected[rel].splitlines(keepends=True),
                                            actual[rel].splitlines(keepends=True),
                                            f"expected/{rel}", f"built/{rel}"))
        assert actual[rel] == expected[rel], diff


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/deep/sub/"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_internal_link_resolves(case: Path, tmp_path: Path, base_url: str) -> None:
    output, used = built(case, tmp_path, base_url=base_url)
    assert used == base_url
    assert broken_links(output, base_url) == []


def test_the_link_checker_finds_broken_links(tmp_path: Path) -> None:
    output, base_url = built(CASES[0], tmp_path)
    page = output / "archive" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", '<a href="../nowhere/">x</a><a href="#nope">y</a>'
                                            '<a href="/outside/">z</a></main>'), encoding="utf-8")
    assert broken_links(output, base_url) == [
        "archive/index.html -> ../nowhere/ (no nowhere/index.html)",
        "archive/index.html -> #nope (no id 'nope')",
        "archive/index.html -> /outside/ (no outside/index.html)",
    ]
    assert broken_links(output, "https://example.org/deep/")[-1] == (
        "archive/index.html -> /outside/ (outside /deep/)")


_FETCHED = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
            ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
            ("object", "data"), ("img", "srcset"), ("source", "srcset"), ("video", "poster")}
_NOT_FETCHED_RELS = {"canonical", "alternate", "author", "license", "me"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_external_requests(case: Path, tmp_path: Path) -> None:
    """The theme loads nothing from elsewhere: no CDN, no web fonts, no remote images."""
    output, _ = built(case, tmp_path)
    remote = []
    for rel, data in site_files(output).items():
        if rel.endswith(".html"):
            for node in parse_html(data.decode("utf-8")).iter():
                if node.tag == "link" and set((node.get("rel") or "").split()) & \
                        _NOT_FETCHED_RELS:
                    continue
                remote += [f"{rel}: <{node.tag} {key}={value!r}>" for key, value in node.attrs
                           if (node.tag, key) in _FETCHED and "//" in value]
        elif rel.endswith(".css"):
            text = data.decode("utf-8")
            remote += [f"{rel}: {part[:60]!r}" for part in text.split("url(")[1:]
                       if "//" in part.split(")", 1)[0]]
            remote += [f"{rel}: @import" for _ in range(text.count("@import"))]
    assert remote == []
