"""Bare URLs, @mentions and #hashtags in text become links, in one pass over each text token.

This replaces markdown-it's linkify (linkify-it-py cost ~5 ms a thread, more than the rest of
the parse). Whether a hashtag's tag exists is known only once every file is parsed, so parsing
marks hashtags (`<a class="hashtag" data-tag="slug">`) and `resolve_hashtags` finishes them.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from site_builder.slugs import slugify
from site_builder.urls import tag_url

PROFILE_URL = "https://x.com/{handle}"
URL_MARKUP = "linkify"  # as markdown-it marks its own autolinks, so other rules skip them

_FINDS = re.compile(
    r"(?P<url>(?<![\w@/.])(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,:;!?'\")\]}»…])"
    r"|(?<![\w@/.])@(?P<handle>[A-Za-z0-9_]{1,15})(?![\w@])"
    r"|(?<![\w&#/])#(?P<tag>\w*[^\W\d_]\w*)"
)
_MARKED_HASHTAG = re.compile(r'<a class="hashtag" data-tag="([a-z0-9-]+)">(.*?)</a>')


def autolinks_rule(state: StateCore) -> None:
    """A core rule: split text tokens around URLs, mentions, hashtags; never in links or code."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        in_link = 0
        for child in token.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            if child.type == "text" and not in_link and _may_link(child.content):
                children.extend(_split(child.content, state))
            else:
                children.append(child)
        token.children = children


def _may_link(content: str) -> bool:
    """Whether `_FINDS` could match; substring searches take a tenth of a regex tried everywhere."""
    return ("@" in content or "#" in content or "http://" in content or "https://" in content
            or "www." in content)


def _split(content: str, state: StateCore) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in _FINDS.finditer(content):
        shown = match.group(0)
        markup = "social"
        if match["url"]:
            shown = _balance_parentheses(shown, content[match.end():match.end() + 1])
            href = state.md.normalizeLink(shown if "://" in shown else "https://" + shown)
            if not state.md.validateLink(href):
                continue
            attrs: dict[str, str | int | float] = {"href": href}
            markup = URL_MARKUP
        elif match["handle"]:
            attrs = {"class": "mention", "href": PROFILE_URL.format(handle=match["handle"])}
        else:
            tag_slug = slugify(match["tag"])
            if not tag_slug:
                continue
            attrs = {"class": "hashtag", "data-tag": tag_slug}
            state.env.setdefault("hashtags", []).append(tag_slug)
        tokens.append(_text(content[position:match.start()]))
        tokens.append(Token("link_open", "a", 1, attrs=attrs, markup=markup))
        tokens.append(_text(shown))
        tokens.append(Token("link_close", "a", -1, markup=markup))
        position = match.start() + len(shown)
    tokens.append(_text(content[position:]))
    return [token for token in tokens if token.type != "text" or token.content]


def _balance_parentheses(url: str, following: str) -> str:
    """`https://en.wikipedia.org/wiki/X_(y)`: keep a closing parenthesis the URL opened."""
    return url + ")" if following == ")" and url.count("(") > url.count(")") else url


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def resolve_hashtags(html: str, known_tags: frozenset[str], root: str) -> str:
    """Marked hashtags become links to their tag page, or plain text when no such tag exists."""
    if 'class="hashtag"' not in html:
        return html

    def replace(match: re.Match[str]) -> str:
        if match[1] not in known_tags:
            return match[2]
        return f'<a class="hashtag" href="{root}{tag_url(match[1]).lstrip("/")}">{match[2]}</a>'

    return _MARKED_HASHTAG.sub(replace, html)
