"""One pass over an HTML page: its links, its ids, and the tag-structure mistakes browsers hide.

A regex tokenizer, not html.parser: the stdlib parser alone costs ~2 ms of CPU for a 13 kB
thread page (25 s for 13,000 pages); this scanner about a fifth of that. It follows the HTML
tokenizer where pages need it: quoted attribute values may hold `>`, script, style, textarea and
title hold raw text, comments and doctypes are skipped, character references in attribute values
are decoded, and HTML's implied end tags (`<li>` after `<li>`, a `<div>` ending a `<p>`) apply.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Elements that never have content or an end tag.
VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr"
                 .split())
# Elements whose end tag HTML lets the author leave out.
OPTIONAL_END = frozenset("html head body p li dt dd option optgroup rb rt rtc rp tr td th "
                         "thead tbody tfoot colgroup caption".split())
# A start tag of one of these closes an open <p>.
_CLOSES_P = frozenset("address article aside blockquote details dialog div dl fieldset "
                      "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main "
                      "menu nav ol p pre search section table ul".split())
# A start tag (key) closes the nearest open element in the set, if only optional-end elements
# stand between, and none of the `scope` elements does.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
}
_FOREIGN = frozenset({"svg", "math"})
_P = frozenset({"p"})
# (tag, attribute) pairs that hold a URL the site must serve.
_URL_ATTRIBUTES = frozenset({
    ("a", "href"), ("area", "href"), ("link", "href"), ("form", "action"),
    ("img", "src"), ("script", "src"), ("iframe", "src"), ("embed", "src"), ("audio", "src"),
    ("video", "src"), ("video", "poster"), ("source", "src"), ("track", "src"),
    ("input", "src"), ("object", "data"),
})
_SRCSET_TAGS = frozenset({"img", "source"})
# <meta property=... content=URL> that sharing cards fetch.
_META_URLS = frozenset({"og:url", "og:image", "twitter:image"})


# A URL as written in a page, with its line: (line, url). A plain tuple, because pages hold
# thousands and worker processes send them back pickled: ten times cheaper than a class.
Link = tuple[int, str]


@dataclass(slots=True)
class PageScan:
    """What the checker needs from one page; `problems` are (line, message) pairs."""

    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    base: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)


_ATTRS = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_TOKEN = re.compile(
    r"<(?:"
    r"!--.*?(?:-->|(\Z))"  # 1: a comment never closed
    rf"|(script|style|textarea|title)(?=[\s/>])({_ATTRS})>.*?(?:</\2\s*>|(\Z))"  # 2-4: raw text
    rf"|(/?)([a-z][^\s/>]*)({_ATTRS})>"  # 5-7: start or end tag
    r"|[!?][^>]*>)",  # doctype, processing instruction
    re.S | re.I,
)
# `name=value` pairs of a tag; each match takes a whole quoted value, so text inside one
# (title="see href=x") is never taken for an attribute. Bare names (`defer`) are skipped.
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
_READ = frozenset({"id", "name", "href", "src", "srcset", "action", "poster", "data", "content",
                   "property", "http-equiv"})
# <meta http-equiv="refresh" content="0; url=../x/">: a redirect page's target.
_REFRESH = re.compile(r"""^\s*\d*(?:\.\d*)?\s*[;,]?\s*url\s*=\s*["']?([^"']*)""", re.I)
_UNQUOTED_SLASH = re.compile(r"=\s*[^\s\"'=<>`]*/$")


def scan_html(text: str) -> PageScan:
    """Links, ids and structure problems of one page, in a single pass."""
    scanner = _Scanner(text)
    stack = scanner.stack
    for token in _TOKEN.finditer(text):
        open_comment, raw, raw_attrs, open_raw, end, name, attrs = token.groups()
        if name is not None:
            name = name.lower()
            if end:
                if stack and stack[-1][0] == name and not scanner.foreign:  # the common case
                    stack.pop()
                else:
                    scanner.end(name, token.start())
                continue
            if "=" in attrs:
                scanner.collect(name, attrs, token.start())
            if name in _SPECIAL or scanner.foreign or attrs.endswith("/"):
                self_closing = attrs.endswith("/") and not _UNQUOTED_SLASH.search(attrs)
                scanner.start(name, self_closing, token.start())
            else:
                stack.append((name, token.start()))
        elif raw is not None:
            scanner.collect(raw.lower(), raw_attrs, token.start())
            if open_raw is not None:
                scanner.problem(token.start(), f"<{raw.lower()}> is never closed")
        elif open_comment is not None:
            scanner.problem(token.start(), "comment <!-- is never closed")
    return scanner.finish()


def parse_srcset(value: str) -> list[str]:
    """The URLs of a `srcset`, following the HTML candidate-string rules (commas in URLs too)."""
    urls: list[str] = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < end and not value[position].isspace():
            position += 1
        url = value[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to the comma that ends this candidate
            depth = 0
            while position < end and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


class _Scanner:
    """The open-element stack: HTML's implied end tags are applied, anything else is reported.

    Positions are offsets into the page until they are turned into line numbers; counting lines
    only for what is reported keeps the common tag cheap.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan = PageScan()
        self.stack: list[tuple[str, int]] = []  # open elements: (tag, offset)
        self.id_offsets: dict[str, int] = {}
        self.foreign = 0  # depth inside <svg> or <math>, where XML-like rules apply
        self._line, self._seen = 1, 0

    def line(self, offset: int) -> int:
        if offset < self._seen:  # rare: a problem found after later links
            return self.text.count("\n", 0, offset) + 1
        self._line += self.text.count("\n", self._seen, offset)
        self._seen = offset
        return self._line

    def problem(self, offset: int, message: str) -> None:
        self.scan.problems.append((self.line(offset), message))

    def finish(self) -> PageScan:
        for tag, offset in self.stack:
            if tag not in OPTIONAL_END:
                self.problem(offset, f"<{tag}> is never closed")
        self.stack.clear()
        self.scan.problems.sort()
        return self.scan

    def end(self, tag: str, offset: int) -> None:
        stack = self.stack
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == tag:
                break
        else:
            if tag == "p":  # browsers turn a stray </p> into an empty paragraph
                self.problem(offset, "</p> without an open <p>")
            elif tag not in ("html", "head", "body"):
                self.problem(offset, f"</{tag}> closes nothing")
            return
        if not self.foreign:
            for open_tag, open_offset in stack[depth + 1:]:
                if open_tag not in OPTIONAL_END:
                    line = self.line(offset)
                    self.problem(open_offset, f"<{open_tag}> is not closed before </{tag}> "
                                              f"on line {line}")
        del stack[depth:]
        if tag in _FOREIGN:
            self.foreign -= 1

    def start(self, tag: str, self_closing: bool, offset: int) -> None:
        """A start tag that may close others, is void or foreign, or claims to close itself."""
        if self.foreign:
            if not self_closing:
                self.stack.append((tag, offset))
                self.foreign += tag in _FOREIGN
            return
        if tag in _CLOSES_P:
            self._close_implied(_P, _CLOSES_P_SCOPE)
        implied = _IMPLIED.get(tag)
        if implied is not None:
            self._close_implied(*implied)
        if tag in VOID:
            return
        if tag in _FOREIGN:
            if not self_closing:
                self.foreign += 1
                self.stack.append((tag, offset))
            return
        if self_closing:
            self.problem(offset, f"<{tag}/> does not close itself in HTML")
        self.stack.append((tag, offset))

    def _close_implied(self, closes: frozenset[str], scope: frozenset[str]) -> None:
        """Pop the element an incoming start tag ends implicitly (`<li>` after `<li>`)."""
        for depth in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[depth][0]
            if tag in closes:
                del self.stack[depth:]
                return
            if tag in scope or tag not in OPTIONAL_END:
                return

    def collect(self, tag: str, text: str, offset: int) -> None:
        """Ids and URLs from one tag's attributes."""
        scan = self.scan
        meta: dict[str, str] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(text):
            if name not in _READ:
                name = name.lower()
                if name not in _READ:
                    continue
            value = double or single or bare
            if not value:
                continue
            if "&" in value:
                value = html.unescape(value)
            if name == "id":
                self._add_id(value, offset)
            elif tag == "a" and name == "name":
                scan.ids.add(value)
            elif (tag, name) in _URL_ATTRIBUTES:
                scan.links.append((self.line(offset), value))
            elif name == "srcset" and tag in _SRCSET_TAGS:
                line = self.line(offset)
                scan.links.extend((line, url) for url in parse_srcset(value))
            elif tag == "meta" or tag == "base":
                meta[name] = value
        if tag == "base" and "href" in meta:
            scan.base = meta["href"]
        elif tag == "meta" and meta.get("content"):
            content = meta["content"]
            if (meta.get("property") or meta.get("name")) in _META_URLS:
                scan.links.append((self.line(offset), content))
            elif meta.get("http-equiv", "").lower() == "refresh":
                target = _REFRESH.match(content)
                if target and target.group(1).strip():
                    scan.links.append((self.line(offset), target.group(1).strip()))

    def _add_id(self, value: str, offset: int) -> None:
        first = self.id_offsets.get(value)
        if first is None:
            self.id_offsets[value] = offset
        else:
            line = self.line(first)
            self.problem(offset, f"duplicate id {value!r} (first on line {line})")
        self.scan.ids.add(value)


# What stops the search for an open <p>: elements that start a new paragraph context.
_CLOSES_P_SCOPE = frozenset({"button", "table", "td", "th", "caption", "marquee", "object",
                             "html", "template"})
# Start tags that need more than a push onto the stack.
_SPECIAL = _CLOSES_P | _IMPLIED.keys() | VOID | _FOREIGN
