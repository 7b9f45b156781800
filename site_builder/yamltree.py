"""YAML parsed to a tree of raw text with file line numbers, so values keep their written meaning.

PyYAML's own constructors follow YAML 1.1 (`no` is False, `012` is 10, `1:30` is 90) and would
run `!!python/...` tags; we only compose nodes and let the schema in `fields.py` type each value.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from site_builder.errors import Diagnostics

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
MAX_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Value:
    """A YAML value as written: scalars stay text (`None` for null), with the file line it is on."""

    data: str | list[Value] | dict[str, Value] | None
    line: int
    quoted: bool = False


class _YamlRefused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes but refuses anchors and aliases (a billion-laughs bomb is one alias away)."""

    def compose_node(self, parent: Node | None, index: object) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise _YamlRefused(event.start_mark.line, "anchors and aliases (&, *) are not allowed")
        return Composer.compose_node(self, parent, index)


def parse_mapping(
    text: str, path: str, first_line: int, diagnostics: Diagnostics
) -> dict[str, Value] | None:
    """Parse a YAML mapping starting at `first_line` of the file; problems go to diagnostics.

    Returns None when the text cannot be used at all (the reason is already reported).
    """
    lines = _LineMap(text, first_line)
    deep = _too_deep(text)
    if deep is not None:
        diagnostics.error(path, lines(deep), f"YAML nested more than {MAX_DEPTH} levels deep",
                          "keep to plain values and short lists")
        return None
    fast = _compose_fast(text)
    if fast is not None:
        return _to_mapping(fast, path, lines, diagnostics)
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + first_line
        diagnostics.error(path, line, f"control character {error.character!r} in YAML",
                          "remove it; only printable text is allowed")
        return None
    try:
        root = loader.get_single_node()
    except _YamlRefused as refused:
        diagnostics.error(path, lines(refused.line), refused.message)
        return None
    except yaml.MarkedYAMLError as error:
        unclosed = "quoted scalar" in (error.context or "")
        mark = error.context_mark if unclosed else (error.problem_mark or error.context_mark)
        line = lines(mark.line) if mark else first_line
        problem = error.problem or error.context or "invalid YAML"
        hint = "a quote is not closed" if unclosed else _yaml_hint(text, mark)
        diagnostics.error(path, line, f"invalid YAML: {problem}", hint)
        return None
    except yaml.YAMLError as error:
        diagnostics.error(path, first_line, f"invalid YAML: {error}")
        return None
    finally:
        loader.dispose()
    return _to_mapping(root, path, lines, diagnostics)


class _LineMap:
    """PyYAML's 0-based line numbers -> lines of the file.

    PyYAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inside a line;
    without this map an error after one would point lines below its key.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self.first_line = first_line
        self.starts: list[int] | None = None
        if any(character in text for character in _YAML_ONLY_BREAKS):
            self.starts, yaml_line = [], 0
            for line in text.split("\n"):
                self.starts.append(yaml_line)
                yaml_line += 1 + sum(line.count(c) for c in _YAML_ONLY_BREAKS)

    def __call__(self, yaml_line: int) -> int:
        if self.starts is None:
            return yaml_line + self.first_line
        return bisect.bisect_right(self.starts, yaml_line) - 1 + self.first_line


def _too_deep(text: str) -> int | None:
    """The 0-based line of the key whose value nests past MAX_DEPTH, found without parsing.

    PyYAML's composer recurses once per level: a thousand `[` would end in a RecursionError.
    Brackets inside quotes count too; front-matter never needs that many anyway.
    """
    key_line, depth = 0, 0
    for number, line in enumerate(text.split("\n")):
        if line[:1] not in ("", " ", "-", "#", "[", "]", "{", "}"):
            key_line, depth = number, 0
        indent = (len(line) - len(line.lstrip(" -"))) // 2
        deepest = depth
        if "[" in line or "{" in line:
            for character in line:
                if character in "[{":
                    depth += 1
                    deepest = max(deepest, depth)
                elif character in "]}":
                    depth -= 1
        if max(deepest, indent) > MAX_DEPTH:
            return key_line
    return None


def _compose_fast(text: str) -> Node | None:
    """libyaml's composer when the text cannot hold an anchor, alias or tag; None otherwise.

    Anything unusual, errors included, goes through the pure-Python loader, whose checks
    and messages are the reference.
    """
    if not _FAST_LOADER or "&" in text or "*" in text or "!" in text:
        return None
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return None


def _to_mapping(root: Node | None, path: str, lines: _LineMap,
                diagnostics: Diagnostics) -> dict[str, Value] | None:
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        diagnostics.error(path, lines(root.start_mark.line),
                          "expected `key: value` lines, found a single value")
        return None
    value = _to_value(root, path, lines, diagnostics)
    return value.data if isinstance(value.data, dict) else None


def _to_value(node: Node, path: str, lines: _LineMap, diagnostics: Diagnostics) -> Value:
    line = lines(node.start_mark.line)
    if node.tag not in _PLAIN_TAGS:
        diagnostics.error(path, line, f"YAML tag {node.tag!r} is not allowed", "remove the tag")
        return Value(None, line)
    if isinstance(node, ScalarNode):
        quoted = node.style in ("'", '"', "|", ">")
        data = None if not quoted and node.value in _NULLS else node.value
        return Value(data, line, quoted)
    if isinstance(node, SequenceNode):
        return Value([_to_value(item, path, lines, diagnostics) for item in node.value], line)
    mapping: dict[str, Value] = {}
    for key_node, value_node in node.value:
        key_line = lines(key_node.start_mark.line)
        if not isinstance(key_node, ScalarNode):
            diagnostics.error(path, key_line, "a key must be plain text")
            continue
        if key_node.value in mapping:
            diagnostics.error(path, key_line, f"duplicate key {key_node.value!r}",
                              f"it is already set on line {mapping[key_node.value].line}")
            continue
        mapping[key_node.value] = _to_value(value_node, path, lines, diagnostics)
    return Value(mapping, line)


def _yaml_hint(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    bad = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in bad:
        return "indent with spaces, not tabs"
    if ": " in bad.split(":", 1)[-1]:
        return 'quote a value that contains ": "'
    return ""


