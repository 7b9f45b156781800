"""Shared test helpers: small sites on disk, builds with overrides, and HTML read as a tree."""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.build import BuildReport, build
from site_builder.config import SiteConfig, load_config
from site_builder.errors import BuildFailed, Diagnostics

STATE_DIR = ".site-builder"

SITE_YAML = """\
title: Test archive
description: Threads kept for the tests.
author: Test Author
base_url: https://example.org/
language: en
timezone: Europe/Paris
per_page: 10
search: false
"""


def thread(date: str = "2024-01-05", body: str = "A first sentence. Then more.",
           **meta: str) -> str:
    """A content file: `date` plus any front-matter keys written as given, then the body."""
    lines = [f"date: {date}", *(f"{key}: {value}" for key, value in meta.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `{"content/a.md": "..."}` under root; bytes are written as they are."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def site_config(root: Path, **overrides: object) -> SiteConfig:
    """site.yaml under root (the default one unless `files` wrote another), with overrides."""
    if not (root / "site.yaml").exists():
        write_tree(root, {"site.yaml": SITE_YAML})
    return load_config(root / "site.yaml").with_overrides(**overrides)


def build_site(root: Path, files: Mapping[str, str | bytes] | None = None,
               **overrides: object) -> BuildReport:
    """Write files (and a default site.yaml if none), then build; raises BuildFailed."""
    write_tree(root, files or {})
    return build(site_config(root, **overrides), Diagnostics())


def build_errors(root: Path, files: Mapping[str, str | bytes] | None = None,
                 **overrides: object) -> list[str]:
    """The `path:line: message` lines of a build that must fail."""
    try:
        build_site(root, files, **overrides)
    except BuildFailed as failed:
        return [str(error) for error in failed.errors]
    raise AssertionError("the build succeeded but should have failed")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative POSIX path, with its bytes."""
    if not folder.exists():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def site_files(output: Path) -> dict[str, bytes]:
    """The published part of output/: everything but site-builder's own state folder."""
    return {rel: data for rel, data in snapshot(output).items()
            if not rel.startswith(STATE_DIR + "/")}


def copy_site(source: Path, target: Path) -> Path:
    """A stored site copied somewhere writable, without any expected/ or output/ in it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        "expected", "expected-errors.txt", "output", ".site-builder-cache", "__pycache__"))
    return target


# --- HTML as a tree ---------------------------------------------------------------------------

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "data", "xlink:href"}


@dataclass
class Node:
    """An element: tag, attributes in source order, children (Nodes and text strings)."""

    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node | str] = field(default_factory=list)
    line: int = 0

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((value for key, value in self.attrs if key == name), default)

    def iter(self) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Elements with this tag; `class_="x"` matches one of the classes."""
        found = []
        for node in self.iter():
            if node.tag != tag:
                continue
            if all(_attr_matches(node, key.rstrip("_"), value) for key, value in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        """The one element that matches; fails the test when there are none or several."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def text(self) -> str:
        """The visible text, whitespace collapsed."""
        return " ".join(_texts(self).split())


def _attr_matches(node: Node, key: str, value: str) -> bool:
    actual = node.get(key)
    if actual is None:
        return False
    return value in actual.split() if key == "class" else actual == value


def _texts(node: Node) -> str:
    return "".join(child if isinstance(child, str) else _texts(child)
                   for child in node.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, [(key, value or "") for key, value in attrs], line=self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, [(key, value or "") for key, value in attrs], line=self.getpos()[0])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes "
                               f"<{self.stack[-1].tag}>")
            names = [node.tag for node in self.stack]
            if tag not in names:
                return
            while self.stack[-1].tag != tag:
                self.stack.pop()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str, *, strict: bool = True) -> Node:
    """A page as a tree; strict means every element opened is closed in order."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    unclosed = [node.tag for node in builder.stack[1:]]
    if strict:
        assert not builder.errors and not unclosed, (builder.errors, unclosed)
    return builder.root


def read_page(output: Path, rel: str) -> Node:
    return parse_html((output / rel).read_text(encoding="utf-8"))


def links(doc: Node) -> list[tuple[str, str, str]]:
    """Every URL-carrying attribute: (tag, attribute, value)."""
    return [(node.tag, key, value) for node in doc.iter() for key, value in node.attrs
            if key in URL_ATTRIBUTES]


def ids(doc: Node) -> list[str]:
    return [value for node in doc.iter() for key, value in node.attrs if key == "id"]


_ASCII_SPACES = re.compile(r"[ \t\n\r\f]+")


def dump(doc: Node) -> str:
    """A normalized text form of a page: one element per line, sorted attributes, text trimmed."""
    lines: list[str] = []

    def walk(node: Node, depth: int) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = _ASCII_SPACES.sub(" ", child).strip(" ")  # keeps no-break spaces
                if text:
                    lines.append("  " * depth + "| " + text)
                continue
            attrs = "".join(f" {key}={value!r}" for key, value in sorted(child.attrs))
            lines.append("  " * depth + f"<{child.tag}{attrs}>")
            walk(child, depth + 1)

    walk(doc, 0)
    return "\n".join(lines) + "\n"


def resolve_link(page_url: str, href: str) -> str:
    """The site path a relative link from `page_url` points to (fragment and query dropped)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    path = unquote(parts.path)
    if not path:
        return page_url
    base = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    joined = posixpath.normpath(posixpath.join(base, path))
    return joined + "/" if path.endswith("/") and not joined.endswith("/") else joined


def page_url(rel: str) -> str:
    """`2024/01/x/index.html` -> `/2024/01/x/`; `404.html` -> `/404.html`."""
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


_URL_NOISE = str.maketrans("", "", "\t\n\r")
SAFE_SCHEMES = {"http", "https", "mailto"}
DEFAULT_THEME = Path(__file__).resolve().parents[1] / "templates"


def url_scheme(value: str) -> str:
    """The scheme a browser would see: tabs and newlines removed, edges trimmed, lowercased."""
    cleaned = value.translate(_URL_NOISE).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                                                "\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    head = cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else ""


def is_theme_script(src: str | None, script_type: str | None, text: str) -> bool:
    """JSON-LD, or a file of the theme's static/ folder loaded by a relative URL."""
    if src is None:
        return script_type == "application/ld+json"
    parts = urlsplit(src)
    return (not parts.scheme and not parts.netloc and not text.strip()
            and posixpath.dirname(posixpath.normpath(parts.path)).endswith("static"))


def failing_thread_template(title: str) -> tuple[str, int]:
    """The default thread.html with an undefined key on the thread titled `title`; and the
    line of the template the error is on."""
    lines = (DEFAULT_THEME / "thread.html").read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if "{% block main %}" in text) + 2
    lines.insert(line - 1, f"{{% if thread.title == '{title}' %}}{{{{ thread.no_such_key }}}}"
                           "{% endif %}")
    return "\n".join(lines), line


def unsafe_markup(doc: Node, theme_scripts: bool = True) -> list[str]:
    """What could run code in a reader's browser: scripts, on* handlers, odd URL schemes.

    With `theme_scripts`, the theme's own scripts are allowed: JSON-LD metadata, and files of
    its static/ folder loaded by a relative URL.
    """
    problems = []
    for node in doc.iter():
        theme_script = (theme_scripts and node.tag == "script"
                        and is_theme_script(node.get("src"), node.get("type"), node.text()))
        if node.tag in ("script", "iframe", "object", "embed", "frame", "base") \
                and not theme_script:
            problems.append(f"line {node.line}: <{node.tag}>")
        for key, value in node.attrs:
            if key.startswith("on"):
                problems.append(f"line {node.line}: <{node.tag} {key}=...>")
            if key in URL_ATTRIBUTES and url_scheme(value) not in ("", *SAFE_SCHEMES):
                problems.append(f"line {node.line}: <{node.tag} {key}={value!r}>")
            if key == "http-equiv" and value.lower() == "refresh":
                target = (node.get("content") or "").split("url=", 1)[-1]
                if url_scheme(target) not in ("", *SAFE_SCHEMES):
                    problems.append(f"line {node.line}: refresh to {target!r}")
    return problems


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal link (relative, root-relative or under base_url) that finds no file or id.

    `page -> link` lines; a site whose every link resolves gives [].
    """
    files = site_files(output)
    base_path = urlsplit(base_url).path or "/"
    pages = {rel: parse_html(data.decode("utf-8")) for rel, data in files.items()
             if rel.endswith(".html")}
    problems = []
    for rel, doc in pages.items():
        here = page_url(rel)
        targets = [value for tag, key, value in links(doc) if key in ("href", "src", "action")]
        targets += [(node.get("content") or "").split("url=", 1)[1] for node in doc.iter()
                    if node.tag == "meta" and (node.get("http-equiv") or "").lower() == "refresh"]
        for value in targets:
            parts = urlsplit(value)
            if value.startswith(base_url):
                site_path = "/" + value[len(base_url):]
            elif parts.scheme or parts.netloc:
                continue  # outside the site
            elif value.startswith("/"):
                if not value.startswith(base_path):
                    problems.append(f"{rel} -> {value} (outside {base_path})")
                    continue
                site_path = "/" + value[len(base_path):]
            else:
                site_path = resolve_link(here, value)
            target = urlsplit(site_path).path
            target_rel = target.lstrip("/") + ("index.html" if target.endswith("/") else "")
            if target_rel not in files:
                problems.append(f"{rel} -> {value} (no {target_rel})")
                continue
            fragment = urlsplit(value).fragment
            if fragment and target_rel in pages and fragment not in ids(pages[target_rel]):
                problems.append(f"{rel} -> {value} (no id {fragment!r})")
    return problems
