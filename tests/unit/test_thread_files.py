from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from site_builder.errors import Diagnostics
from site_builder.thread_files import render_thread_file, write_thread_file_once
from site_builder.yamltree import parse_mapping


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    block, _, _ = text[4:].partition("---\n")
    return yaml.safe_load(block)


def test_documented_format() -> None:
    meta: dict[str, object] = {
        "date": dt.date(2025, 9, 26),
        "tweets": 18,
        "read_time": 6,
        "tags": ["chine", "industrie"],
        "source": "https://x.com/user/status/123",
        "tweet_ids": ["123", "124"],
    }
    assert render_thread_file(meta, "First tweet text.\n\n***\n\nSecond tweet text.") == (
        "---\n"
        "date: 2025-09-26\n"
        "tweets: 18\n"
        "read_time: 6\n"
        "tags: [chine, industrie]\n"
        "source: https://x.com/user/status/123\n"
        'tweet_ids: ["123", "124"]\n'
        "---\n"
        "\n"
        "First tweet text.\n\n***\n\nSecond tweet text.\n"
    )


def test_keys_keep_the_given_order() -> None:
    text = render_thread_file({"title": "b", "date": dt.date(2025, 1, 2), "draft": True}, "x")
    assert text.splitlines()[1:4] == ["title: b", "date: 2025-01-02", "draft: true"]


def test_aware_timestamp_keeps_its_offset() -> None:
    stamp = dt.datetime(2025, 9, 26, 18, 4, tzinfo=ZoneInfo("Europe/Paris"))
    text = render_thread_file({"date": stamp}, "x")
    assert "date: 2025-09-26T18:04:00+02:00\n" in text
    assert front_matter(text)["date"] == stamp


@pytest.mark.parametrize(
    "title",
    ["no", "yes", "on", "1:30", "012", "1e3", "nan", ".inf", "null", "~", "", '"><script>',
     ": x", "a: b", "a #b", "#x", "- a", "[a]", "{a}", "*a", "&a", "!a", "%a", "@a", "`a`",
     "'quoted'", " padded ", "two\nlines", "tab\there", "2025-09-26", "---", "..."],
)
def test_titles_read_back_as_the_same_text(title: str) -> None:
    text = render_thread_file({"title": title}, "x")
    assert text.count("\n") == 5  # the title stays on one line
    assert front_matter(text) == {"title": title}


def test_quoted_values_use_double_quotes() -> None:
    text = render_thread_file({"title": "no", "tags": ["a, b", "it's"]}, "x")
    assert 'title: "no"\n' in text
    assert "tags: [\"a, b\", it's]\n" in text


def test_tweet_ids_are_always_quoted() -> None:
    text = render_thread_file({"tweet_ids": ["1", "abc"]}, "x")
    assert 'tweet_ids: ["1", "abc"]\n' in text


def test_body_ends_with_exactly_one_newline() -> None:
    assert render_thread_file({"tweets": 1}, "\n\nbody\n\n\n") == "---\ntweets: 1\n---\n\nbody\n"


def test_values_the_format_has_no_place_for_are_a_bug() -> None:
    with pytest.raises(TypeError) as raised:
        render_thread_file({"tweets": 1.5}, "x")
    assert str(raised.value) == "front-matter 'tweets': cannot write float 1.5"


def test_write_once(tmp_path: Path) -> None:
    path = tmp_path / "content" / "sub" / "a.md"
    assert write_thread_file_once(path, "one\n", force=False) == "created"
    assert write_thread_file_once(path, "one\n", force=False) == "unchanged"
    path.write_text("edited\n", encoding="utf-8")
    assert write_thread_file_once(path, "one\n", force=False) == "skipped"
    assert path.read_text(encoding="utf-8") == "edited\n"
    assert write_thread_file_once(path, "one\n", force=True) == "overwritten"
    assert path.read_bytes() == b"one\n"
    assert write_thread_file_once(path, "one\n", force=True) == "unchanged"


def test_write_once_keeps_line_ends_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    write_thread_file_once(path, "é\r\n", force=False)
    assert path.read_bytes() == "é\r\n".encode()


words = st.text(min_size=1).filter(lambda s: s.strip() == s and s.strip())


@given(
    title=st.text(),
    summary=st.text(),
    tags=st.lists(st.text(), max_size=5),
    ids=st.lists(st.text(alphabet="0123456789", min_size=1), max_size=5),
)
def test_any_text_round_trips(title: str, summary: str, tags: list[str], ids: list[str]) -> None:
    meta: dict[str, object] = {"title": title, "summary": summary, "tags": tags, "tweet_ids": ids}
    text = render_thread_file(meta, "body")
    assert front_matter(text) == meta
    assert text.count("\n") == len(meta) + 4  # one line per key


@given(title=st.text(), tags=st.lists(words, max_size=5))
def test_the_build_reads_any_text_as_written(title: str, tags: list[str]) -> None:
    text = render_thread_file({"title": title, "tags": tags}, "body")
    diagnostics = Diagnostics()
    block = text[4:].partition("---\n")[0]
    mapping = parse_mapping(block, "a.md", 2, diagnostics)
    assert diagnostics.errors == []
    assert mapping is not None
    assert mapping["title"].data == title
    items = mapping["tags"].data
    assert isinstance(items, list)
    assert [item.data for item in items] == tags
