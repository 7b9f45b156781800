"""Issue 7, hostile input found missing while writing the matrix: deep nesting, speed, URLs.

The YAML cases of the issue (1.1 surprises, alias bomb, `!!python/...`, 5000 digits, malformed
blocks, wrong shapes) have exact-message tests in tests/invalid/ and tests/unit/test_yamltree.py.
Here: the same hostile YAML under a CPU-time limit, an empty `date:` (a KeyError today), YAML
nested a thousand levels deep (a RecursionError today), an X archive nested as deep, and thread
URLs that are a theme page's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from helpers import SITE_YAML, build_errors, thread, write_tree

from site_builder.errors import BuildFailed
from site_builder.importers.x_archive import plan_x_archive_import
from site_builder.parse import parse_thread

PATH = "content/a.md"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "x_archive"

BOMB = "\n".join([f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]"
                  for level in range(1, 30)])


@pytest.mark.parametrize(("meta", "expected"), [
    ("l0: &l0 [lol]\n" + BOMB, f"{PATH}:3: anchors and aliases (&, *) are not allowed"),
    ("title: !!python/object/apply:os.system ['touch pwned']",
     f"{PATH}:3: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
     "(remove the tag)"),
    ("tweets: " + "9" * 5000, f"{PATH}:3: 'tweets' is not a whole number: "
     f"\"{'9' * 40}…\" (write a number between 1 and 100000)"),
    ("title: " + "'" + "x" * 1_000_000, f"{PATH}:3: invalid YAML: found unexpected end of "
     "stream (a quote is not closed)"),
], ids=["alias bomb 9^29", "python tag", "5000 digits", "1 MB unclosed quote"])
def test_hostile_yaml_is_refused_fast(
        meta: str, expected: str,
        time_limit: Callable[[float], AbstractContextManager[None]]) -> None:
    text = f"---\ndate: 2024-01-05\n{meta}\n---\nBody.\n"
    with time_limit(2.0):
        result, diagnostics = parse_thread(text.encode(), PATH, False, "en")
    assert result is None
    assert [str(error) for error in diagnostics.errors] == [expected]


@pytest.mark.parametrize("empty", ["", "~", "null"])
def test_an_empty_date_is_an_error_at_its_line(tmp_path: Path, empty: str) -> None:
    errors = build_errors(tmp_path, {
        "content/a.md": f"---\ndate: {empty}\ntitle: A\n---\nBody.\n",
        "content/b.md": thread(tweets="0")})
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"{PATH}:2: 'date' "), errors[0]
    assert errors[1] == "content/b.md:3: 'tweets' must be between 1 and 100000, not 0"


DEEP_YAML = {
    "flow lists": "title: " + "[" * 1000 + "]" * 1000,
    "unclosed flow mappings": "title: " + "{a: " * 1000,
    "block lists": "title:\n" + "".join(" " * depth + "-\n" for depth in range(1000)),
}


@pytest.mark.parametrize("meta", DEEP_YAML.values(), ids=DEEP_YAML.keys())
def test_deeply_nested_front_matter_is_an_error_at_its_line(tmp_path: Path, meta: str) -> None:
    errors = build_errors(tmp_path, {
        "content/a.md": f"---\ndate: 2024-01-05\n{meta}\n---\nBody.\n",
        "content/b.md": thread("2024-02-30"),
        "content/c.md": thread(title="Fine")})
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"{PATH}:3: "), errors[0]
    assert errors[1] == ("content/b.md:2: 'date' is not a date: \"2024-02-30\" "
                         "(write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)")


def test_deeply_nested_site_yaml_is_an_error_at_its_line(tmp_path: Path) -> None:
    errors = build_errors(tmp_path, {
        "site.yaml": SITE_YAML + "description: " + "[" * 1000 + "]" * 1000 + "\n",
        "content/a.md": thread(title="A")})
    assert len(errors) == 1 and errors[0].startswith("site.yaml:9: "), errors  # the added line


def test_an_x_archive_nested_too_deeply_is_an_error(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "legacy", archive)
    (archive / "data" / "tweet.js").write_text(
        "window.YTD.tweet.part0 = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        plan_x_archive_import(archive, tmp_path / "content", timezone="Europe/Paris")
    assert [str(error) for error in failed.value.errors] == [
        f"{archive}/data/tweet.js:1: malformed JSON: nested too deeply"]


# --- a thread at a theme page's URL -----------------------------------------------------------

@pytest.mark.parametrize(("title", "url"), [("Tags", "/tags/"), ("Archive", "/archive/"),
                                            ("2024", "/2024/")])
def test_a_thread_at_a_theme_pages_url_is_an_error_naming_the_file(
        tmp_path: Path, title: str, url: str) -> None:
    write_tree(tmp_path, {"site.yaml": SITE_YAML + "permalink: /{slug}/\n"})
    errors = build_errors(tmp_path, {"content/a.md": thread(title=title),
                                     "content/b.md": thread("2024-01-06", title="Other")})
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{PATH}:"), errors[0]
    assert url in errors[0]
