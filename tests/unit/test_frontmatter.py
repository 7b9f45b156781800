"""frontmatter: decoding and the `---` split, with lines counted in the file, never the block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.errors import Diagnostics
from site_builder.frontmatter import SplitFile, decode_source, split_front_matter

PATH = "content/a.md"


def decode(data: bytes) -> tuple[str | None, list[str]]:
    diagnostics = Diagnostics()
    return decode_source(data, PATH, diagnostics), [str(e) for e in diagnostics.errors]


def split(text: str) -> tuple[SplitFile | None, list[str]]:
    diagnostics = Diagnostics()
    return split_front_matter(text, PATH, diagnostics), [str(e) for e in diagnostics.errors]


def test_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbf---\ndate: 2024-01-05\n---\n") == (
        "---\ndate: 2024-01-05\n---\n", [])


def test_crlf_and_cr_become_lf() -> None:
    assert decode(b"---\r\ndate: 2024-01-05\r\n---\r\nA\rB\r\n") == (
        "---\ndate: 2024-01-05\n---\nA\nB\n", [])


def test_nul_bytes_are_replaced() -> None:
    assert decode(b"a\x00b") == ("a\ufffdb", [])


def test_cp1252_is_an_error_at_its_line_with_a_re_encode_hint() -> None:
    text, errors = decode("---\ndate: 2024-01-05\n---\nUn café.\nL'économie.\n"
                          .encode("cp1252"))
    assert text is None
    assert errors == ["content/a.md:4: not UTF-8 text (byte 0xe9) "
                      "(re-encode the file as UTF-8, e.g. iconv -f cp1252 -t utf-8 content/a.md)"]


def test_body_line_is_counted_in_the_file() -> None:
    result, errors = split("---\ndate: 2024-01-05\ntitle: x\n---\nBody\n")
    assert errors == []
    assert result is not None
    assert result.body == "Body\n"
    assert result.body_line == 5
    assert result.meta["title"].line == 3


def test_yaml_errors_are_at_the_file_line() -> None:
    _, errors = split("---\ndate: 2024-01-05\ntitle: x\ntitle: y\n---\n")
    assert errors == ["content/a.md:4: duplicate key 'title' (it is already set on line 3)"]


def test_dots_close_the_block_too() -> None:
    result, errors = split("---\ndate: 2024-01-05\n...\nBody\n")
    assert errors == [] and result is not None and result.body == "Body\n"


def test_a_later_rule_stays_in_the_body() -> None:
    result, _ = split("---\ndate: 2024-01-05\n---\nA\n\n---\n\nB\n")
    assert result is not None and result.body == "A\n\n---\n\nB\n"


def test_empty_file() -> None:
    assert split("") == (None, ["content/a.md:1: empty file "
                                "(a thread starts with ---, date: YYYY-MM-DD, ---)"])
    assert split("  \n\n") == split("")


def test_no_front_matter_gets_a_hint() -> None:
    assert split("date: 2024-01-05\n---\nBody\n") == (None, [
        "content/a.md:1: no front-matter (did you forget the `---` line before "
        "`date: YYYY-MM-DD`?)"])


def test_front_matter_never_closed() -> None:
    assert split("---\ndate: 2024-01-05\ntitle: x\nBody\n") == (None, [
        "content/a.md:1: front-matter is never closed "
        "(add a `---` line after the last `key: value` line)"])


def test_empty_block_is_an_empty_mapping() -> None:
    result, errors = split("---\n---\nBody\n")
    assert errors == [] and result is not None and result.meta == {} and result.body_line == 3


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("---\n" + t).encode()))
def test_any_bytes_give_a_result_or_located_errors(data: bytes) -> None:
    diagnostics = Diagnostics()
    text = decode_source(data, PATH, diagnostics)
    result = split_front_matter(text, PATH, diagnostics) if text is not None else None
    if result is None:
        assert diagnostics.errors
    for error in diagnostics.errors:
        assert error.location.path == PATH and error.location.line >= 1
