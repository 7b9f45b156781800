"""yamltree: YAML composed to raw text with file lines; hostile YAML refused, nothing executed."""

from __future__ import annotations

import time

import pytest

from site_builder.errors import Diagnostics
from site_builder.yamltree import Value, parse_mapping


def parse(text: str, first_line: int = 2) -> tuple[dict[str, Value] | None, list[str]]:
    diagnostics = Diagnostics()
    mapping = parse_mapping(text, "content/a.md", first_line, diagnostics)
    return mapping, [str(error) for error in diagnostics.errors]


def test_scalars_stay_text_as_written() -> None:
    mapping, errors = parse("title: no\ntweets: 012\nread_time: 1:30\nflag: on\nn: 1e3\n")
    assert errors == []
    assert mapping is not None
    assert {key: value.data for key, value in mapping.items()} == {
        "title": "no", "tweets": "012", "read_time": "1:30", "flag": "on", "n": "1e3"}


def test_lines_are_counted_in_the_file() -> None:
    mapping, _ = parse("date: 2024-01-05\n\ntags:\n  - a\n  - b\n", first_line=2)
    assert mapping is not None
    assert mapping["date"].line == 2
    assert mapping["tags"].line == 5  # a block sequence starts at its first item
    assert [item.line for item in mapping["tags"].data] == [5, 6]  # type: ignore[union-attr]


def test_lists_and_nested_mappings_keep_their_shape() -> None:
    mapping, errors = parse("tags: [yes, on, '1']\nmeta: {a: b}\n")
    assert errors == []
    assert mapping is not None
    tags = mapping["tags"].data
    assert isinstance(tags, list)
    assert [(item.data, item.quoted) for item in tags] == [("yes", False), ("on", False),
                                                           ("1", True)]
    meta = mapping["meta"].data
    assert isinstance(meta, dict) and meta["a"].data == "b"


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_plain_nulls_are_none(written: str) -> None:
    mapping, _ = parse(f"title: {written}\n")
    assert mapping is not None and mapping["title"].data is None


def test_a_quoted_null_is_the_word() -> None:
    mapping, _ = parse('title: "null"\n')
    assert mapping is not None
    assert mapping["title"] == Value("null", 2, quoted=True)


def test_empty_text_is_an_empty_mapping() -> None:
    assert parse("") == ({}, [])
    assert parse("# only a comment\n") == ({}, [])


def test_duplicate_key_is_an_error_at_the_second_one() -> None:
    mapping, errors = parse("title: a\ntags: [x]\ntitle: b\n")
    assert errors == ["content/a.md:4: duplicate key 'title' (it is already set on line 2)"]
    assert mapping is not None and mapping["title"].data == "a"


def test_anchors_and_aliases_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    started = time.perf_counter()
    mapping, errors = parse(bomb)
    assert time.perf_counter() - started < 1
    assert mapping is None
    assert errors == ["content/a.md:2: anchors and aliases (&, *) are not allowed"]


def test_an_alias_alone_is_refused_at_its_line() -> None:
    _, errors = parse("title: x\nsummary: *nothing\n")
    assert errors == ["content/a.md:3: anchors and aliases (&, *) are not allowed"]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch pwned']",
    "!!python/name:os.system",
    "!custom x",
    "!!binary aGVsbG8=",
])
def test_language_tags_are_refused_and_nothing_runs(tag: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, errors = parse(f"date: 2024-01-05\ntitle: {tag}\n")
    assert len(errors) == 1
    assert errors[0].startswith("content/a.md:3: YAML tag ")
    assert errors[0].endswith(" is not allowed (remove the tag)")
    assert list(tmp_path.iterdir()) == []


def test_a_5000_digit_number_is_kept_as_text_fast() -> None:
    started = time.perf_counter()
    mapping, errors = parse("tweets: " + "9" * 5000 + "\n")
    assert time.perf_counter() - started < 1
    assert errors == []
    assert mapping is not None and mapping["tweets"].data == "9" * 5000


def test_tab_indent_is_an_error_at_its_line_with_a_hint() -> None:
    _, errors = parse("date: 2024-01-05\ntags:\n\t- a\n")
    assert errors == ["content/a.md:4: invalid YAML: found character '\\t' that cannot start "
                      "any token (indent with spaces, not tabs)"]


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    _, errors = parse('date: 2024-01-05\ntitle: "abc\ntags: [a]\n')
    assert errors == ["content/a.md:3: invalid YAML: found unexpected end of stream "
                      "(a quote is not closed)"]


def test_unquoted_colon_space_gets_a_hint() -> None:
    _, errors = parse("date: 2024-01-05\ntitle: Note: ceci\n")
    assert errors == ["content/a.md:3: invalid YAML: mapping values are not allowed here "
                      '(quote a value that contains ": ")']


def test_a_single_value_is_not_a_mapping() -> None:
    assert parse("- a\n- b\n") == (None, ["content/a.md:2: expected `key: value` lines, "
                                          "found a single value"])
    assert parse("just words\n") == (None, ["content/a.md:2: expected `key: value` lines, "
                                            "found a single value"])


def test_a_complex_key_is_an_error() -> None:
    _, errors = parse("? [a, b]\n: c\n")
    assert errors == ["content/a.md:2: a key must be plain text"]


def test_every_problem_of_a_mapping_is_reported() -> None:
    _, errors = parse("a: 1\na: 2\nb: !!python/name:os.system\nb: 3\n")
    assert errors == [
        "content/a.md:3: duplicate key 'a' (it is already set on line 2)",
        "content/a.md:4: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed "
        "(remove the tag)",
        "content/a.md:5: duplicate key 'b' (it is already set on line 4)",
    ]
