"""Markdown -> HTML per tweet, plus the plain text a thread's title, summary and read time need."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from site_builder.autolinks import autolinks_rule
from site_builder.keywords import keywords
from site_builder.slugs import slugify
from site_builder.sources import digest
from site_builder.typography import QUOTES, base_language, french_spacing_rule

TWEET_BREAK = "***"
"""A line of exactly three asterisks separates tweets; other rules stay rules."""

HIGHLIGHT_LIMIT = 100_000  # characters; pygments takes seconds on a megabyte, plain is instant
TITLE_LENGTH = 90
SUMMARY_LENGTH = 220

_SAFE_SCHEMES = re.compile(r"(https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\s]+")
_WORD = re.compile(r"\w+")
# A link that normalizeLink gives back unchanged (no IDN, port, user, `%`, space or quote).
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?:/[A-Za-z0-9\-._~/?=&#+]*)?")
_LONGEST_HOST = 255  # mdurl drops a longer host name


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """What the rest of the build needs from a body, so Markdown is parsed only once."""

    tweets: tuple[str, ...]  # HTML of each tweet; one item when no boundaries are marked
    marked_tweets: bool  # True when the file marks tweet boundaries with `***`
    first_sentence: str  # plain text, for a default title
    lead: str  # plain text of the opening paragraphs, for a default summary
    words: int
    has_code: bool
    keywords: str  # most frequent long words, space-separated, for related threads
    hashtags: tuple[str, ...] = ()  # slugs of the #hashtags in the text, linked if tags exist


class Highlights:
    """Code blocks highlighted before, by a digest of their language and code.

    An edit to a thread's prose then leaves its code as it was without loading Pygments:
    importing it and compiling a lexer's patterns took 40-75 ms of a 0.4 s body-edit build
    (body_edits.py). `used` holds every block looked up or highlighted, for the parse cache
    to keep.
    """

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.used: dict[str, str] = {}

    def __call__(self, code: str, language: str, attributes: str) -> str:
        if not _highlightable(code, language):
            return ""  # plain: nothing to keep
        key = digest(f"{language}\0{code}".encode())
        html = self.known.get(key)
        if html is None:
            html = self.known[key] = _highlight(code, language, attributes)
        self.used[key] = html
        return html


def render_markdown(text: str, allow_html: bool = False, language: str = "en",
                    highlights: Highlights | None = None) -> RenderedBody:
    """Parse once, split the token stream at tweet breaks, render each tweet on its own."""
    md = _markdown(allow_html, base_language(language))
    options = md.options
    if highlights is not None:
        options = OptionsDict({**md.options, "highlight": highlights})
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    chunks = _split_tweets(tokens, text.split("\n"))
    tweets = tuple(md.renderer.render(chunk, options, env) for chunk in chunks)
    first_block = _first_text(tokens, ("paragraph_open", "heading_open"))
    prose, code = _sources(tokens)
    prose_words = _WORD.findall(" ".join(prose))
    return RenderedBody(
        tweets=tweets,
        marked_tweets=len(chunks) > 1,
        first_sentence=shorten(first_sentence(first_block), TITLE_LENGTH),
        lead=_lead_text(tokens),
        words=len(prose_words) + len(_WORD.findall(" ".join(code))),
        keywords=keywords(prose_words),
        hashtags=tuple(dict.fromkeys(env.get("hashtags", ()))),
        has_code=bool(code),
    )


def first_sentence(text: str) -> str:
    """Up to the first `.`, `!`, `?` or `…` followed by a space; a closing single `.` is dropped."""
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""
    return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-") + "…"


def is_safe_link(url: str) -> bool:
    """Only http(s), mailto, relative and `#` links: no javascript:, data:, vbscript: or kin."""
    url = _CONTROL.sub("", url)
    return not _ANY_SCHEME.match(url) or bool(_SAFE_SCHEMES.match(url))


def normalize_link(url: str) -> str:
    """markdown-it's normalizeLink, without its ~25 µs of parsing for most links as written."""
    if len(url) <= _LONGEST_HOST and _PLAIN_URL.fullmatch(url):
        return url
    return normalizeLink(url)


@functools.cache
def _markdown(allow_html: bool, language: str) -> MarkdownIt:
    options = {"html": allow_html, "typographer": True,
               "quotes": QUOTES.get(language, QUOTES["en"])}
    md = MarkdownIt("commonmark", options)
    md.core.ruler.at("normalize", _normalize)
    # smartquotes only: "replacements" would rewrite the author's `!!!!` and `--`.
    md.enable(["table", "strikethrough", "smartquotes"])
    if not allow_html:  # both rules return False at once then, but are tried at every block
        md.disable(["html_block", "html_inline"])
    md.core.ruler.after("inline", "autolinks", autolinks_rule)
    if language == "fr":
        md.core.ruler.after("smartquotes", "french_spacing", french_spacing_rule)
    md.options["highlight"] = _highlight
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_id)
    md.core.ruler.push("demote_headings", _demote_headings)
    return md


def _normalize(state: StateCore) -> None:
    """markdown-it's own rule, but str.replace: its regex rewrote every line end, even LF to LF."""
    state.src = state.src.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def _demote_headings(state: StateCore) -> None:
    """A `#` in a thread is a section of it: the page's only h1 is the thread's title."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag != "h6":
            token.tag = f"h{int(token.tag[1]) + 1}"


def _heading_id(title: str) -> str:
    # The prefix keeps ids off names like `constructor`, `t1` or `fn1` that mean something else.
    return "h-" + (slugify(title) or "section")


def _highlightable(code: str, language: str) -> bool:
    """A fence that names a language and is not too long for Pygments."""
    return bool(language) and len(code) <= HIGHLIGHT_LIMIT


def _highlight(code: str, language: str, _attrs: str) -> str:
    """Pygments is imported only when a fence names a language; unknown ones stay plain."""
    if not _highlightable(code, language):
        return ""
    from site_builder.highlight import highlight_code

    return highlight_code(code, language)


def _split_tweets(tokens: list[Token], lines: list[str]) -> list[list[Token]]:
    # The hr token's markup does not keep what was written, so read the source line itself.
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        if token.type == "hr" and token.level == 0 and _source_line(token, lines) == TWEET_BREAK:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return [chunk for chunk in chunks if chunk] or [[]]


def _sources(tokens: list[Token]) -> tuple[list[str], list[str]]:
    """The Markdown source of the prose blocks and the code blocks, in one pass."""
    prose: list[str] = []
    code: list[str] = []
    for token in tokens:
        if token.type == "inline":
            prose.append(token.content)
        elif token.type in ("fence", "code_block"):
            code.append(token.content)
    return prose, code


def _lead_text(tokens: list[Token], enough: int = 2 * SUMMARY_LENGTH) -> str:
    """The opening paragraphs as one line of plain text, long enough for any summary."""
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break  # footnotes close the text; they are not its opening
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            parts.append(_plain(tokens[index + 1]))
            if sum(len(part) for part in parts) >= enough:
                break
    return " ".join(" ".join(parts).split())


def summary_from(lead: str, title: str) -> str:
    """The start of the text, without the title's own sentence when the title was taken from it."""
    if title and lead.startswith(title):
        rest = lead[len(title):].lstrip(" .!?…")
        lead = rest or lead
    return shorten(lead, SUMMARY_LENGTH)


def _source_line(token: Token, lines: list[str]) -> str:
    return lines[token.map[0]].strip() if token.map and token.map[0] < len(lines) else ""


def _first_text(tokens: list[Token], openers: tuple[str, ...]) -> str:
    for index, token in enumerate(tokens):
        if token.type in openers and index + 1 < len(tokens):
            text = _plain(tokens[index + 1])
            if text.strip():
                return text
    return ""


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
