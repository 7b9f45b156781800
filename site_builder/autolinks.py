"""@mentions link to their X profile; #hashtags link to the tag page when that tag exists.

Whether a tag exists is known only once every file is parsed, so parsing marks hashtags
(`<a class="hashtag" data-tag="slug">`) and `resolve_hashtags` finishes them per page.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from site_builder.slugs import slugify
from site_builder.urls import tag_url

PROFILE_URL = "https://x.com/{handle}"

_SOCIAL = re.compile(r"(?<![\w@/.])@(?P<handle>[A-Za-z0-9_]{1,15})(?![\w@])"
                     r"|(?<![\w&#/])#(?P<tag>\w*[^\W\d_]\w*)")
_MARKED_HASHTAG = re.compile(r'<a class="hashtag" data-tag="([a-z0-9-]+)">(.*?)</a>')


def social_links_rule(state: StateCore) -> None:
    """A core rule: split text tokens around mentions and hashtags; never inside links or code."""
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
            if child.type == "text" and not in_link and ("@" in child.content
                                                        or "#" in child.content):
                children.extend(_split(child))
            else:
                children.append(child)
        token.children = children


def _split(text: Token) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in _SOCIAL.finditer(text.content):
        attrs: dict[str, str | int | float]
        if match["handle"]:
            attrs = {"class": "mention", "href": PROFILE_URL.format(handle=match["handle"])}
        else:
            tag_slug = slugify(match["tag"])
            if not tag_slug:
                continue
            attrs = {"class": "hashtag", "data-tag": tag_slug}
        tokens.append(_text(text.content[position:match.start()]))
        tokens.append(Token("link_open", "a", 1, attrs=attrs, markup="social"))
        tokens.append(_text(match.group(0)))
        tokens.append(Token("link_close", "a", -1, markup="social"))
        position = match.end()
    tokens.append(_text(text.content[position:]))
    return [token for token in tokens if token.type != "text" or token.content]


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
