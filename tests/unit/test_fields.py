"""fields: one typed reader per kind of value; YAML 1.1 guesses are never made."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder import fields
from site_builder.errors import Diagnostics
from site_builder.fields import FieldError
from site_builder.yamltree import Value


def scalar(text: str, quoted: bool = False) -> Value:
    return Value(text, 7, quoted)


def items(*words: str | None, quoted: bool = False) -> Value:
    return Value([Value(word, 7, quoted) for word in words], 7)


def error_of(reader: fields.Reader, value: Value, key: str = "k") -> str:
    with pytest.raises(FieldError) as raised:
        reader(key, value)
    error = raised.value
    return f"{error.message} ({error.hint})" if error.hint else error.message


def test_text_keeps_what_was_written() -> None:
    assert fields.text("title", scalar(" no ")) == "no"
    assert fields.text("title", scalar("012")) == "012"
    assert error_of(fields.text, items("a"), "title") == \
        "'title' must be a single value, not a list or mapping"


@pytest.mark.parametrize(("written", "number"), [("1", 1), ("012", 12), ("+7", 7),
                                                 (" 42 ", 42)])
def test_whole_numbers_are_decimal(written: str, number: int) -> None:
    assert fields.whole_number(1, 100)("tweets", scalar(written)) == number


@pytest.mark.parametrize("written", ["1:30", "1e3", "0x10", "1_000", "1.5", "3 tweets", "",
                                     "9" * 5000])
def test_yaml_1_1_numbers_are_errors(written: str) -> None:
    shown = written if len(written) <= 40 else written[:40] + "…"
    assert error_of(fields.whole_number(1, 100), scalar(written), "tweets") == (
        f'\'tweets\' is not a whole number: "{shown}" (write a number between 1 and 100)')


def test_whole_number_bounds() -> None:
    assert error_of(fields.whole_number(1, 100), scalar("-3"), "tweets") == \
        "'tweets' must be between 1 and 100, not -3"
    assert error_of(fields.whole_number(1, 100), scalar("101"), "tweets") == \
        "'tweets' must be between 1 and 100, not 101"


@pytest.mark.parametrize(("written", "flag"), [("true", True), ("false", False),
                                               ("True", True), ("FALSE", False)])
def test_booleans_are_true_or_false(written: str, flag: bool) -> None:
    assert fields.boolean("draft", scalar(written)) is flag


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "y", "1"])
def test_yaml_1_1_booleans_are_errors(written: str) -> None:
    assert error_of(fields.boolean, scalar(written), "draft") == \
        f"'draft' must be true or false, not \"{written}\""


def test_a_quoted_boolean_is_an_error() -> None:
    assert error_of(fields.boolean, scalar("true", quoted=True), "draft") == \
        "'draft' must be true or false, not \"true\""


def test_text_list_keeps_yes_and_on_as_words() -> None:
    assert fields.text_list("tags", items("yes", "on", " Chine ")) == ["yes", "on", "Chine"]
    assert fields.text_list("tags", items("1", "2.5", quoted=True)) == ["1", "2.5"]


def test_text_list_from_a_string_is_an_error_with_the_fix() -> None:
    assert error_of(fields.text_list, scalar("a, b"), "tags") == \
        "'tags' must be a list, not \"a, b\" (write tags: [a, b])"


def test_text_list_with_a_number_or_null_is_an_error() -> None:
    assert error_of(fields.text_list, items("1", None), "tags") == \
        "'tags' has a number, 1, where a word is expected (quote it: \"1\")"
    assert error_of(fields.text_list, items("a", None), "tags") == \
        "'tags' has an empty or nested item (each item is a word)"
    assert error_of(fields.text_list, Value({"a": scalar("b")}, 7), "tags") == \
        "'tags' must be a list of words"


@pytest.mark.parametrize("written", ["https://x.com/a/status/1", "http://example.org/a?b=c"])
def test_url_accepts_http_and_https(written: str) -> None:
    assert fields.url("source", scalar(written)) == written


@pytest.mark.parametrize("written", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                     "data:text/html,x", "vbscript:x", "//evil.example",
                                     "https://a b", 'https://x/"><script>', "ftp://x"])
def test_url_refuses_other_schemes(written: str) -> None:
    message = error_of(fields.url, scalar(written), "source")
    assert message.startswith("'source' must be an http(s) URL, not \"")


def test_choice() -> None:
    reader = fields.choice(("fr", "en"))
    assert reader("language", scalar("en")) == "en"
    assert error_of(reader, scalar("de"), "language") == \
        "'language' must be one of fr, en, not \"de\""


def test_calendar_dates_stay_dates() -> None:
    assert fields.date_or_datetime("date", scalar("2024-01-05")) == dt.date(2024, 1, 5)
    assert type(fields.date_or_datetime("date", scalar("2024-01-05"))) is dt.date


@pytest.mark.parametrize(("written", "moment"), [
    ("2024-01-05T10:30:00+02:00",
     dt.datetime(2024, 1, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("2024-01-05T10:30:00Z", dt.datetime(2024, 1, 5, 10, 30, tzinfo=dt.UTC)),
    ("2024-01-05 10:30", dt.datetime(2024, 1, 5, 10, 30)),
])
def test_timestamps_keep_their_offset_or_none(written: str, moment: dt.datetime) -> None:
    value = fields.date_or_datetime("date", scalar(written))
    assert value == moment
    assert isinstance(value, dt.datetime) and value.tzinfo == moment.tzinfo


@pytest.mark.parametrize("written", ["2024-02-30", "2023-02-29", "2024-13-01", "05/01/2024",
                                     "yesterday", "2024-1-5", "2024-01-05T25:00"])
def test_impossible_dates_are_errors(written: str) -> None:
    assert error_of(fields.date_or_datetime, scalar(written), "date") == (
        f"'date' is not a date: \"{written}\" (write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)")


def test_read_fields_types_known_keys_and_warns_on_unknown_ones() -> None:
    diagnostics = Diagnostics()
    schema = {"tags": fields.text_list, "tweets": fields.whole_number(1, 10)}
    mapping = {"tag": Value([Value("a", 3)], 3), "tweets": Value("11", 4),
               "zzz": Value("x", 5), "tags": Value(None, 6)}
    values = fields.read_fields(mapping, schema, "content/a.md", diagnostics)
    assert values == {}  # an empty value means the default
    assert [str(e) for e in diagnostics.errors] == [
        "content/a.md:4: 'tweets' must be between 1 and 10, not 11"]
    assert [str(w) for w in diagnostics.warnings] == [
        "content/a.md:3: unknown key 'tag' (did you mean 'tags'?)",
        "content/a.md:5: unknown key 'zzz' (known: tags, tweets)"]
