"""parse: one file's bytes -> a ParsedThread, or every problem of the file at its line."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.parse import ParsedThread, parse_thread, reading_minutes

PATH = "content/a.md"


def parse(text: str | bytes, language: str = "en") -> tuple[ParsedThread | None, list[str],
                                                             list[str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    thread, diagnostics = parse_thread(data, PATH, False, language)
    return (thread, [str(e) for e in diagnostics.errors],
            [str(w) for w in diagnostics.warnings])


def parsed(text: str | bytes) -> ParsedThread:
    thread, errors, _ = parse(text)
    assert errors == []
    assert thread is not None
    return thread


def test_every_field_is_read() -> None:
    thread = parsed("""---
date: 2025-09-26
title: Sovereignty
tags: [Chine, industrie]
tweets: 18
read_time: 6
summary: A short summary.
slug: souverainete
lang: en-GB
draft: false
source: https://x.com/someone/status/1971234567890
updated: 2025-10-01T09:00:00+02:00
tweet_ids: ["1971234567890"]
---
Body.
""")
    assert (thread.path, thread.date, thread.title, thread.tags) == (
        PATH, dt.date(2025, 9, 26), "Sovereignty", ("Chine", "industrie"))
    assert (thread.tweets, thread.read_time, thread.summary, thread.slug, thread.lang) == (
        18, 6, "A short summary.", "souverainete", "en-GB")
    assert (thread.draft, thread.source, thread.tweet_ids) == (
        False, "https://x.com/someone/status/1971234567890", ("1971234567890",))
    assert thread.updated == dt.datetime(2025, 10, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert thread.tags_line == 4


def test_defaults_come_from_the_body() -> None:
    thread = parsed("---\ndate: 2025-09-26\n---\nThe first sentence. The second one.\n")
    assert thread.title == "The first sentence"
    assert thread.summary == "The second one."  # the title's sentence is not said twice
    assert (thread.tags, thread.tweets, thread.read_time, thread.slug, thread.draft) == (
        (), None, None, "the-first-sentence", False)


def test_yaml_1_1_values_keep_their_written_meaning() -> None:
    thread = parsed("---\ndate: 2024-01-05\ntitle: no\ntags: [yes, on]\ntweets: 012\n---\nB.\n")
    assert (thread.title, thread.tags, thread.tweets) == ("no", ("yes", "on"), 12)


def test_every_error_of_a_file_at_its_line() -> None:
    thread, errors, warnings = parse("""---
date: 2024-02-30
title: no
read_time: 1:30
tweets: -3
tags: "a, b"
draft: yes
source: javascript:alert(1)
tag: [x]
---
Body.
""")
    assert thread is None
    assert errors == [
        "content/a.md:2: 'date' is not a date: \"2024-02-30\" "
        "(write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)",
        "content/a.md:4: 'read_time' is not a whole number: \"1:30\" "
        "(write a number between 1 and 10000)",
        "content/a.md:5: 'tweets' must be between 1 and 100000, not -3",
        "content/a.md:6: 'tags' must be a list, not \"a, b\" (write tags: [a, b])",
        "content/a.md:7: 'draft' must be true or false, not \"yes\"",
        "content/a.md:8: 'source' must be an http(s) URL, not \"javascript:alert(1)\"",
    ]
    assert warnings == ["content/a.md:9: unknown key 'tag' (did you mean 'tags'?)"]


def test_missing_date() -> None:
    assert parse("---\ntitle: x\n---\nBody.\n")[1] == [
        "content/a.md:1: 'date' is missing (add `date: YYYY-MM-DD`)"]


def test_no_title_and_empty_body() -> None:
    assert parse("---\ndate: 2024-01-05\n---\n\n\n")[1] == [
        "content/a.md:4: no title and an empty body (add `title:` or write the thread)"]


@pytest.mark.parametrize(("text", "error"), [
    ("", "content/a.md:1: empty file (a thread starts with ---, date: YYYY-MM-DD, ---)"),
    ("---\ndate: 2024-01-05\ntitle: x\n", "content/a.md:1: front-matter is never closed "
     "(add a `---` line after the last `key: value` line)"),
    ("---\ndate: 2024-01-05\ntags:\n\t- a\n---\nB.\n", "content/a.md:4: invalid YAML: found "
     "character '\\t' that cannot start any token (indent with spaces, not tabs)"),
    ('---\ndate: 2024-01-05\ntitle: "abc\n---\nB.\n',
     "content/a.md:3: invalid YAML: found unexpected end of stream (a quote is not closed)"),
    ("---\ndate: 2024-01-05\ntags: [1, null]\n---\nB.\n",
     "content/a.md:3: 'tags' has a number, 1, where a word is expected (quote it: \"1\")"),
    ("---\ndate: 2024-01-05\na: &x 1\nb: *x\n---\nB.\n",
     "content/a.md:3: anchors and aliases (&, *) are not allowed"),
    ("---\ndate: 2024-01-05\ntweets: " + "9" * 5000 + "\n---\nB.\n",
     "content/a.md:3: 'tweets' is not a whole number: \"" + "9" * 40 + "…\" "
     "(write a number between 1 and 100000)"),
    ("---\ndate: 2024-01-05\nlang: 'fr <x>'\n---\nB.\n",
     "content/a.md:3: 'lang' must be a language tag like fr or en-GB, not 'fr <x>'"),
    ("---\ndate: 2024-01-05\ntweet_ids: [12a]\n---\nB.\n",
     "content/a.md:3: 'tweet_ids' must hold tweet ids made of digits (quote each: \"123\")"),
])
def test_malformed_files(text: str, error: str) -> None:
    thread, errors, _ = parse(text)
    assert (thread, errors) == (None, [error])


def meaning(thread: ParsedThread) -> dict[str, object]:
    """What a thread says, without any digest of the bytes it was read from."""
    return {field.name: getattr(thread, field.name) for field in dataclasses.fields(thread)
            if field.name not in ("sha", "digest")}


def test_bom_crlf_and_lf_parse_alike() -> None:
    lf = "---\ndate: 2024-01-05\ntitle: Same\n---\nOne.\n\n***\n\nTwo.\n"
    plain = meaning(parsed(lf))
    assert meaning(parsed(b"\xef\xbb\xbf" + lf.encode())) == plain
    assert meaning(parsed(lf.replace("\n", "\r\n"))) == plain


def test_cp1252_is_an_error_with_a_hint() -> None:
    thread, errors, _ = parse("---\ndate: 2024-01-05\ntitle: Café\n---\nB.\n".encode("cp1252"))
    assert thread is None
    assert errors == ["content/a.md:3: not UTF-8 text (byte 0xe9) "
                      "(re-encode the file as UTF-8, e.g. iconv -f cp1252 -t utf-8 content/a.md)"]


def test_marked_tweets_are_the_count() -> None:
    thread, errors, warnings = parse("---\ndate: 2024-01-05\ntweets: 5\n---\nA\n\n***\n\nB\n")
    assert errors == [] and thread is not None and thread.tweets == 2
    assert warnings == ["content/a.md:3: 'tweets' says 5 but the body marks 2 tweets "
                        "(remove 'tweets' or set it to 2)"]


def test_tweet_ids_that_do_not_match_the_count_warn() -> None:
    _, errors, warnings = parse('---\ndate: 2024-01-05\ntweet_ids: ["1"]\n---\nA\n\n***\n\nB\n')
    assert errors == []
    assert warnings == ["content/a.md:3: 1 tweet_ids for 2 tweets (give one id per tweet)"]


def test_timestamps() -> None:
    assert parsed("---\ndate: 2024-01-05 10:30\n---\nB.\n").date == dt.datetime(2024, 1, 5, 10, 30)
    assert parsed("---\ndate: 2024-01-05T10:30:00Z\n---\nB.\n").date == dt.datetime(
        2024, 1, 5, 10, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("character", ["\x08", "\x1b", "\x7f", "\ufffe"])
def test_control_characters_in_front_matter_are_an_error(character: str) -> None:
    thread, errors, _ = parse(f"---\ntitle: a{character}b\ndate: 2024-01-05\n---\nB.\n")
    assert thread is None
    assert errors == [f"content/a.md:2: control character {ord(character)} in YAML "
                      "(remove it; only printable text is allowed)"]


def test_nul_bytes_are_replaced_not_fatal() -> None:
    assert parsed(b"---\ntitle: a\x00b\ndate: 2024-01-05\n---\nB\x00.\n").title == "a\ufffdb"


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5)])
def test_reading_minutes_round_up(words: int, minutes: int) -> None:
    assert reading_minutes(words, 200) == minutes


_KEYS = st.sampled_from(["date", "title", "tags", "tweets", "read_time", "draft", "source",
                         "slug", "lang", "updated", "tweet_ids", "x"])
_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_VALUES = st.one_of(_ANY_TEXT, st.integers().map(str),
                    st.sampled_from(["[a, b]", "[1, null]", "yes", "no", "2024-02-30",
                                     "2024-01-05", "&a x", "*a", "!!python/name:os.system",
                                     "'unclosed", "{a: b}", "- a", "~", "1:30"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES), max_size=6), st.text(max_size=200))
def test_any_front_matter_gives_a_thread_or_located_errors(
        pairs: list[tuple[str, str]], body: str) -> None:
    text = "---\n" + "".join(f"{key}: {value}\n" for key, value in pairs) + "---\n" + body
    thread, diagnostics = parse_thread(text.encode("utf-8", "surrogatepass"), PATH, False, "fr")
    assert (thread is None) == bool(diagnostics.errors)
    for problem in diagnostics.errors + diagnostics.warnings:
        assert problem.location.path == PATH and problem.location.line >= 1
