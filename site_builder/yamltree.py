"""YAML parsed to a tree of raw text with file line numbers, so values keep their written meaning.

PyYAML's own constructors follow YAML 1.1 (`no` is False, `012` is 10, `1:30` is 90) and would
run `!!python/...` tags; we only compose nodes and let the schema in `fields.py` type each value.
"""

from __future__ import annotations

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
    offset = first_line - 1
    fast = _compose_fast(text)
    if fast is not None:
        return _to_mapping(fast, path, offset, diagnostics)
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
        diagnostics.error(path, refused.line + offset + 1, refused.message)
        return None
    except yaml.MarkedYAMLError as error:
        unclosed = "quoted scalar" in (error.context or "")
        mark = error.context_mark if unclosed else (error.problem_mark or error.context_mark)
        line = mark.line + offset + 1 if mark else first_line
        problem = error.problem or error.context or "invalid YAML"
        hint = "a quote is not closed" if unclosed else _yaml_hint(text, mark)
        diagnostics.error(path, line, f"invalid YAML: {problem}", hint)
        return None
    except yaml.YAMLError as error:
        diagnostics.error(path, first_line, f"invalid YAML: {error}")
        return None
    finally:
        loader.dispose()
    return _to_mapping(root, path, offset, diagnostics)


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


def _to_mapping(root: Node | None, path: str, offset: int,
                diagnostics: Diagnostics) -> dict[str, Value] | None:
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        diagnostics.error(path, root.start_mark.line + offset + 1,
                          "expected `key: value` lines, found a single value")
        return None
    value = _to_value(root, path, offset, diagnostics)
    return value.data if isinstance(value.data, dict) else None


def _to_value(node: Node, path: str, offset: int, diagnostics: Diagnostics) -> Value:
    line = node.start_mark.line + offset + 1
    if node.tag not in _PLAIN_TAGS:
        diagnostics.error(path, line, f"YAML tag {node.tag!r} is not allowed", "remove the tag")
        return Value(None, line)
    if isinstance(node, ScalarNode):
        quoted = node.style in ("'", '"', "|", ">")
        data = None if not quoted and node.value in _NULLS else node.value
        return Value(data, line, quoted)
    if isinstance(node, SequenceNode):
        return Value([_to_value(item, path, offset, diagnostics) for item in node.value], line)
    mapping: dict[str, Value] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + offset + 1
        if not isinstance(key_node, ScalarNode):
            diagnostics.error(path, key_line, "a key must be plain text")
            continue
        if key_node.value in mapping:
            diagnostics.error(path, key_line, f"duplicate key {key_node.value!r}",
                              f"it is already set on line {mapping[key_node.value].line}")
            continue
        mapping[key_node.value] = _to_value(value_node, path, offset, diagnostics)
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


