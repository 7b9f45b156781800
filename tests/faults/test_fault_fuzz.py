"""Issue 7, fuzzing: property tests for front-matter parsing, slugs and the Markdown pipeline.

Already property-tested elsewhere: bytes and `key: value` pairs through parse_thread
(tests/unit/test_frontmatter.py, tests/unit/test_parse.py), and both importers
(tests/unit/test_import_*.py). Here: arbitrary text *between* the two `---` lines, slugify,
and render_markdown on hostile text. Each is bounded (max_examples, no deadline) so the whole
folder stays well under a minute on two cores.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
from helpers import parse_html
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.markdown import render_markdown
from site_builder.parse import parse_thread
from site_builder.slugs import MAX_SLUG_LENGTH, slugify

PATH = "content/fuzz.md"
# Characters YAML counts as line breaks though editors (and our line numbers) do not.
UNICODE_BREAKS = frozenset("\x85\u2028\u2029")

_YAMLISH = st.text(alphabet=st.sampled_from(list(
    "ab:- \n\t'\"[]{}&*!|>#%@`,?~.01239eE+_\\\x00\r\x85\u2028\ufeff\U0001f600é")), max_size=120)
_FRONT_MATTER = st.one_of(_YAMLISH, st.text(max_size=120), st.sampled_from([
    "date: 2024-01-05", "date: 2024-01-05\ntitle: no\ntags: [yes, on]\ntweets: 012",
    "date: 2024-01-05\n\ttitle: x", "a: &a [1]\nb: *a", "t: !!python/name:os.system",
    "date: 2024-02-30", "date: 2024-01-05\ntitle: 'x", "- a\n- b", "date: 9" * 50,
    "date: 2024-01-05\ndate: 2024-01-06",
]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRONT_MATTER, st.text(max_size=80), st.sampled_from(["en", "fr"]))
@example("date: 2024-01-05\ntitle: \"a\x85b\"\ntweets: x", "B.", "en")
def test_any_text_between_the_fences_gives_a_thread_or_located_errors(
        meta: str, body: str, language: str) -> None:
    data = f"---\n{meta}\n---\n{body}".encode("utf-8", "surrogatepass")
    result, diagnostics = parse_thread(data, PATH, False, language)
    assert (result is None) == bool(diagnostics.errors)
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    for problem in diagnostics.errors + diagnostics.warnings:
        assert problem.location.path == PATH
        assert problem.location.line >= 1
        assert problem.location.line <= lines, (str(problem), lines)


@pytest.mark.parametrize("separator", sorted(UNICODE_BREAKS))
def test_unicode_line_separators_do_not_shift_error_lines(separator: str) -> None:
    text = f'---\ndate: 2024-01-05\nsummary: "a{separator}b{separator}c"\ntweets: x\n---\nB.\n'
    result, diagnostics = parse_thread(text.encode(), PATH, False, "en")
    assert result is None
    assert [str(error) for error in diagnostics.errors] == [
        f"{PATH}:4: 'tweets' is not a whole number: \"x\" (write a number between 1 and 100000)"]


# --- slugs --------------------------------------------------------------------------------------

SLUG = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
            *(f"lpt{i}" for i in range(1, 10))}
_PATHISH = st.text(alphabet=st.sampled_from(list("./\\%2eE:~$ \x00\t\nconCONé\u0301\u202e_-'’")),
                   max_size=60)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=400), _PATHISH, st.sampled_from(sorted(RESERVED)).map(
    lambda name: name.upper() + ".txt")))
def test_a_slug_is_always_one_safe_path_segment(text: str) -> None:
    slug = slugify(text)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug not in RESERVED
    assert not any(bad in slug for bad in ("/", "\\", "\x00", ".."))
    # macOS writes file names decomposed: the slug must not care.
    assert slugify(unicodedata.normalize("NFD", text)) == slug
    assert slugify(unicodedata.normalize("NFC", text)) == slug


# --- the Markdown pipeline ----------------------------------------------------------------------

_SNIPPETS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;", "&#x6A;", "&#58;", "data:text/html,",
    "vbscript:", "file:", "[x](", "](", ")", "(", "<", ">", "![i](", "`", "```", "```js\n",
    "\n", "\n\n", "\n***\n", "# ", "> ", "- ", "1. ", "*", "_", "[^1]", "\n[^1]: ", "[r]",
    "\n[r]: ", '<a href="', '" onclick="', '"', "'", "\t", "\x00", "https://", "www.", "@user",
    "#tag", " ", "&", ";", "|", "\n|-|\n", "---", "\\", "alert(1)", "mailto:", "//evil",
]
_MARKDOWN = st.one_of(
    st.lists(st.one_of(st.sampled_from(_SNIPPETS), st.text(max_size=4)), max_size=40)
    .map("".join),
    st.text(max_size=200),
)


# The scan fixture is a pure function, safe to share across examples.
@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_MARKDOWN, st.sampled_from(["en", "fr"]))
@example("\n[r]: \n[r]: \n[r]: ", "en")  # `href="%5Br%5D:"`: a relative path, no scheme
@example("[a](&#106;avascript:alert(1)) <java\tscript:x> [b](\x01javascript:x)", "fr")
def test_rendered_markdown_is_well_formed_and_inert(
        scan_unsafe: Callable[..., list[str]], text: str, language: str) -> None:
    """No <script>, no `on*` attribute, only http(s), mailto, relative or `#` URLs."""
    body = render_markdown(text, allow_html=False, language=language)
    html = "".join(body.tweets)
    parse_html(html)  # strict: every element closed, in order
    assert scan_unsafe(html, theme_scripts=False) == [], html
    assert "\x00" not in html
