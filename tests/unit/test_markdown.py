"""markdown: tweets, plain text for titles, safe links, unique heading ids, bounded time."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import pytest
from helpers import Node, ids, links, parse_html, unsafe_markup
from markdown_it.common.normalize_url import normalizeLink

from site_builder.markdown import (
    SUMMARY_LENGTH,
    TITLE_LENGTH,
    Highlights,
    first_sentence,
    is_safe_link,
    normalize_link,
    render_markdown,
    shorten,
    summary_from,
)
from site_builder.typography import NARROW_NBSP as N
from site_builder.typography import NBSP, typeset

FEW_SECONDS = 4.0


def html_of(text: str, **options: object) -> Node:
    """All tweets of a body as one parsed fragment."""
    return parse_html("".join(render_markdown(text, **options).tweets))  # type: ignore[arg-type]


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError instead of letting a slow case stall the suite."""

    def expire(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- tweets and plain text --------------------------------------------------------------------

def test_three_asterisks_split_tweets_and_other_rules_stay() -> None:
    body = render_markdown("A\n\n---\n\nB\n\n* * *\n\nC\n\n***\n\nD\n")
    assert body.marked_tweets is True
    assert len(body.tweets) == 2
    first, second = (parse_html(tweet) for tweet in body.tweets)
    assert [node.tag for node in first.children if isinstance(node, Node)] == [
        "p", "hr", "p", "hr", "p"]
    assert second.text() == "D"


def test_without_breaks_one_unmarked_tweet() -> None:
    body = render_markdown("Just one.\n\nTwo paragraphs.\n")
    assert (body.marked_tweets, len(body.tweets)) == (False, 1)


def test_empty_body_has_one_empty_tweet() -> None:
    body = render_markdown("")
    assert (body.tweets, body.marked_tweets, body.first_sentence, body.words) == (
        ("",), False, "", 0)


def test_leading_and_trailing_breaks_make_no_empty_tweets() -> None:
    body = render_markdown("***\n\nA\n\n***\n\nB\n\n***\n")
    assert [parse_html(tweet).text() for tweet in body.tweets] == ["A", "B"]


def test_first_sentence_paragraph_words_and_code() -> None:
    body = render_markdown("# Heading first\n\nOne *two* `three`. Four!\n\n```\nfive six\n```\n")
    assert body.first_sentence == "Heading first"
    assert body.lead == "One two three. Four!"
    assert body.words == 2 + 4 + 2
    assert body.has_code is True


@pytest.mark.parametrize(("text", "sentence"), [
    ("Une phrase. Une autre.", "Une phrase"),
    ("Vraiment ? Oui.", "Vraiment ?"),
    ("Attendez… la suite", "Attendez…"),
    ("Trois points... puis", "Trois points..."),
    ("v1.2 est sortie. Enfin", "v1.2 est sortie"),
    ("  ", ""),
])
def test_first_sentence(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("short  text", 90) == "short text"
    long = "word " * 40
    cut = shorten(long, TITLE_LENGTH)
    assert cut.endswith("word…") and len(cut) <= TITLE_LENGTH
    assert shorten("aaaa, bbbb cccc", 11) == "aaaa…"
    assert shorten("x" * 200, 10) == "x" * 9 + "…"


def test_default_title_and_summary_lengths() -> None:
    body = render_markdown("mot " * 200)
    assert len(body.first_sentence) <= TITLE_LENGTH
    assert body.first_sentence.endswith("…")
    summary = summary_from(body.lead, body.first_sentence)
    assert len(summary) <= SUMMARY_LENGTH and summary.endswith("…")


def test_the_summary_skips_the_sentence_the_title_came_from() -> None:
    body = render_markdown("The title sentence. What follows it.\n\nA second paragraph.\n")
    assert body.lead == "The title sentence. What follows it. A second paragraph."
    assert summary_from(body.lead, body.first_sentence) == \
        "What follows it. A second paragraph."
    assert summary_from(body.lead, "Another title") == body.lead
    assert summary_from("Only the title.", "Only the title") == "Only the title."


# --- Markdown features ------------------------------------------------------------------------

def test_tables_strikethrough_footnotes_and_bare_urls() -> None:
    doc = html_of("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see[^n] https://example.org/x\n\n"
                  "[^n]: the note\n")
    assert [cell.text() for cell in doc.find_all("td")] == ["1", "2"]
    assert doc.find("s").text() == "gone"
    assert doc.find("li", class_="footnote-item").text().startswith("the note")
    assert ("a", "href", "https://example.org/x") in links(doc)


def test_fenced_code_is_highlighted_with_classes() -> None:
    doc = html_of('```python\nx = "<b>"\n```\n')
    pre = doc.find("pre")
    assert pre.get("class") == "code"
    assert pre.find("code").get("class") == "language-python"
    assert pre.find_all("span")  # pygments classes, no inline styles
    assert all(span.get("style") is None for span in pre.find_all("span"))
    assert pre.text() == 'x = "<b>"'


def test_unknown_language_is_plain_escaped_code() -> None:
    doc = html_of("```nosuchlanguage\n<script>alert(1)</script> & co\n```\n")
    assert doc.find_all("span") == [] and doc.find_all("script") == []
    assert doc.find("code").text() == "<script>alert(1)</script> & co"


# --- HTML safety ------------------------------------------------------------------------------

def test_raw_html_is_escaped_by_default() -> None:
    doc = html_of('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n'
                  '<a href="javascript:x" onclick="y">q</a> <svg onload=alert(1)>\n\n'
                  "<iframe src='https://x'></iframe> <style>body{}</style>\n")
    assert unsafe_markup(doc, theme_scripts=False) == []
    assert {node.tag for node in doc.iter()} <= {"#document", "p", "a"}
    assert "<script>alert(1)</script>" in doc.text()


def test_the_safety_check_sees_raw_html_when_it_is_allowed() -> None:
    """`allow_html: true` is the site author's opt-in: raw HTML passes as written."""
    doc = html_of('<script>alert(1)</script>\n\n<p><img src="x" onerror="alert(2)">'
                  '<a href="JaVaScRiPt:x">a</a><a href="java\tscript:x">b</a></p>\n',
                  allow_html=True)
    assert unsafe_markup(doc, theme_scripts=False) == [
        "line 1: <script>", "line 2: <img onerror=...>",
        "line 2: <a href='JaVaScRiPt:x'>", "line 2: <a href='java\\tscript:x'>"]


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
    "java\tscript:alert(1)", " javascript:alert(1)", "file:///etc/passwd",
])
@pytest.mark.parametrize("form", ["[x]({})", "![x]({})", "<{}>", "[x][r]\n\n[r]: {}"])
def test_unsafe_link_schemes_are_dropped(href: str, form: str) -> None:
    doc = html_of(form.format(href))
    assert unsafe_markup(doc, theme_scripts=False) == []


@pytest.mark.parametrize("href", ["https://e.org/", "http://e.org/", "mailto:a@b.org", "/abs",
                                  "rel/page/", "../up/", "#t2", "?q=1"])
def test_safe_links_stay(href: str) -> None:
    assert links(html_of(f"[x]({href})")) == [("a", "href", href)]


@pytest.mark.parametrize(("url", "safe"), [
    ("https://e.org", True), ("HTTP://e.org", True), ("mailto:x@y", True), ("page/", True),
    ("#x", True), ("javascript:x", False), ("java\nscript:x", False), ("\x01javascript:x", False),
    ("data:x", False), ("vbscript:x", False), ("JAVASCRIPT:x", False),
])
def test_is_safe_link(url: str, safe: bool) -> None:
    assert is_safe_link(url) is safe


@pytest.mark.parametrize("url", [
    "https://example.org/il/5102", "http://x.com/a_b/status/1?s=20&t=x#top", "https://e.org",
    "https://exämple.org/a", "https://e.org:8080/a", "https://e.org/a%20b", "https://e.org/é",
    "https://e.org/a b", "https://u@e.org/", "HTTPS://E.org/x", "https://" + "a" * 64 + ".org/",
    "https://" + "a." * 130 + "org/", "mailto:a@b.c", "//e.org/x", "/relative", "#top",
])
def test_normalize_link_is_markdown_its(url: str) -> None:
    assert normalize_link(url) == normalizeLink(url)


def test_image_title_cannot_break_out_of_its_attribute() -> None:
    doc = html_of('![t](https://e.org/a.png "t\\"onerror=alert(1)")')
    img = doc.find("img")
    assert img.get("title") == 't"onerror=alert(1)'
    assert unsafe_markup(doc, theme_scripts=False) == []


def test_keywords_are_frequent_long_letter_runs_without_stopwords() -> None:
    body = render_markdown("Usines usines USINES, énergie Énergie. Même même covid19 snake_case "
                           "a²bcde über über\n\n```\nignored_in_keywords\n```\n")
    assert body.keywords == "usines énergie a²bcde covid snake"
    assert body.words == 12 + 1  # the code counts as words too


# --- French typography ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "typeset_text"), [
    ("Vraiment ? Oui! Non ;", f"Vraiment{N}? Oui{N}! Non{N};"),
    ("Note: ceci, mot : cela, 10:30", f"Note{NBSP}: ceci, mot{NBSP}: cela, 10:30"),
    ("« oui », «non»", f"«{N}oui{N}», «{N}non{N}»"),
    ("a  «b", f"a  «{N}b"),  # spaces no rule takes, then a mark that has its own
    ("ouf  !  :", f"ouf{N}!{NBSP}:"),
    ("(voir)! [x]?", f"(voir){N}! [x]{N}?"),
    ("L'idée !?", f"L’idée{N}!?"),
])
def test_french_spacing(text: str, typeset_text: str) -> None:
    assert typeset(text, "fr-FR") == typeset_text


def test_french_spacing_skips_code_and_bare_urls() -> None:
    body = render_markdown("Le `code ; !` et https://x.org/a?b=1!c reste ; mais «pas ça» !",
                           language="fr")
    assert body.tweets == (f'<p>Le <code>code ; !</code> et <a href="https://x.org/a?b=1!c">'
                           f'https://x.org/a?b=1!c</a> reste{N}; mais «{N}pas ça{N}»{N}!</p>\n',)


# --- heading ids ------------------------------------------------------------------------------

def test_heading_ids_are_prefixed_and_unique_across_tweets() -> None:
    doc = html_of("# constructor\n\n# constructor\n\n***\n\n## `__proto__`\n\n### __proto__\n\n"
                  "# constructor 1\n\n### !!!\n\n### ...\n\n# t1\n\n# fn1\n\n# main\n")
    heading_ids = ids(doc)
    assert heading_ids == ["h-constructor", "h-constructor-1", "h-proto", "h-proto-1",
                           "h-constructor-1-1", "h-section", "h-section-1", "h-t1", "h-fn1",
                           "h-main"]


def test_footnote_ids_do_not_clash_with_headings() -> None:
    doc = html_of("# fn1\n\nText[^a]\n\n[^a]: note\n")
    all_ids = ids(doc)
    assert len(all_ids) == len(set(all_ids))


# --- pathological input -----------------------------------------------------------------------

PATHOLOGICAL = {
    "50000 [": "[" * 50_000,
    "50000 > ": "> " * 50_000,
    "deep block quotes": "\n".join(">" * depth + " x" for depth in range(1, 2000)),
    "deep lists": "\n".join("  " * depth + "- x" for depth in range(1000)),
    "deep emphasis": "*" * 20_000 + "a" + "*" * 20_000,
    "50000 <": "<" * 50_000,
    "NUL bytes": "a\x00b \x00" * 5_000,
    "1 MB code block": "```\n" + "x = 1\n" * 175_000 + "```\n",
    "1 MB highlighted code block": "```python\n" + "x = 1\n" * 175_000 + "```\n",
    "1 MB unclosed fence": "```\n" + "x = 1\n" * 175_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_fast_and_safe(text: str) -> None:
    with time_limit(FEW_SECONDS):
        body = render_markdown(text)
    assert "\x00" not in "".join(body.tweets)


def test_highlights_reuse_what_they_know_and_note_what_they_use() -> None:
    code = "```python\nprint(1)\n```\n\n```\nplain\n```\n"
    first = Highlights({})
    html = render_markdown(code, highlights=first).tweets[0]
    assert html == render_markdown(code).tweets[0]
    assert len(first.used) == 1  # the plain block is not highlighted, so not kept
    (key, highlighted), = first.used.items()
    assert highlighted.startswith('<pre class="code">')
    known = Highlights({key: '<pre class="code">known</pre>\n'})
    assert "known" in render_markdown(code, highlights=known).tweets[0]
    assert known.used == {key: '<pre class="code">known</pre>\n'}
