"""Typography by language: French spacing and quotes, curly apostrophes; never in code or URLs.

The same rules serve Markdown text tokens (as a markdown-it core rule) and plain strings
(titles and summaries from front-matter).
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

from site_builder.autolinks import URL_MARKUP

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# Quote pairs for markdown-it's smartquotes rule: double open/close, single open/close.
QUOTES = {
    "fr": ["«" + NARROW_NBSP, NARROW_NBSP + "»", "“", "”"],
    "en": ["“", "”", "‘", "’"],
}

_SPACE = f"[ {NBSP}{NARROW_NBSP}]"
# French spacing in one pass: each alternative names what it found, `_french` places the space.
_FRENCH = re.compile(
    rf"{_SPACE}+(?P<after_space>[;!?]+)"  # mot ! -> mot\u202f!
    rf"|(?<=[\w»)\]])(?P<glued>[;!?]+)(?=\s|$)"  # mot! -> mot\u202f!
    rf"|{_SPACE}+:(?=\s|$)|(?<=\w):(?=\s)"  # mot : / Note: -> mot\u00a0:
    rf"|(?P<open>«){_SPACE}*"  # «oui -> «\u202foui
    rf"|{_SPACE}*(?P<close>»)"  # oui» -> oui\u202f»
)


def _french(match: re.Match[str]) -> str:
    marks = match["after_space"] or match["glued"]
    if marks:
        return NARROW_NBSP + marks
    if match["open"]:
        return "«" + NARROW_NBSP
    if match["close"]:
        return NARROW_NBSP + "»"
    return NBSP + ":"


# The quote first: a pattern that opens on a literal is searched for, not tried at every place.
_APOSTROPHE = re.compile(r"'(?<=\w')(?=\w)")
_FRENCH_MARKS = re.compile("[;:!?«»]")
_SPACES = frozenset(f" {NBSP}{NARROW_NBSP}")


def base_language(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def typeset(text: str, language: str) -> str:
    """Plain text in the reader's conventions: `L'idée : « oui » !` -> `L’idée : « oui » !`."""
    text = _curl_apostrophes(text)
    return _french_spacing(text) if base_language(language) == "fr" else text


def _curl_apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("’", text) if "'" in text else text


def _has_french_mark(text: str) -> bool:
    # Six substring tests cost less than one regex search call, and most texts hold no mark.
    return ";" in text or ":" in text or "!" in text or "?" in text or "«" in text or "»" in text


def _french_spacing(text: str) -> str:
    """`_FRENCH.sub(_french, text)`, with the pattern tried only where a match can start.

    Every match holds a mark, and starts on it or on the run of spaces just before it. Trying
    the six alternatives at every character took ~75 µs a paragraph; jumping to marks, a tenth.
    """
    if not _has_french_mark(text):
        return text
    parts: list[str] = []
    done = position = 0
    while mark := _FRENCH_MARKS.search(text, position):
        start = mark.start()
        while start > position and text[start - 1] in _SPACES:
            start -= 1
        match = _FRENCH.match(text, start)
        if match is None and start < mark.start():
            match = _FRENCH.match(text, mark.start())  # a space run that no mark rule took
        if match is None:
            position = mark.end()
            continue
        parts.append(text[done:match.start()])
        parts.append(_french(match))
        done = position = match.end()
    if not done:
        return text
    parts.append(text[done:])
    return "".join(parts)


def french_spacing_rule(state: StateCore) -> None:
    """A core rule: French spaces in text tokens, skipping code spans and bare-URL link text."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_url = 0
        for child in token.children:
            if child.type == "link_open" and child.markup in (URL_MARKUP, "autolink"):
                in_url += 1
            elif child.type == "link_close" and in_url:
                in_url -= 1
            elif child.type == "text" and not in_url:
                child.content = _french_spacing(_curl_apostrophes(child.content))
