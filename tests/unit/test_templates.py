"""Templates: Jinja's own answers, however the environment takes shortcuts to them."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from helpers import site_config, write_tree

from site_builder.templates import Templates
from site_builder.theme import Theme


def templates_with(tmp_path: Path, files: dict[str, str]) -> Templates:
    """The default theme under a site's own `templates/` files."""
    write_tree(tmp_path, {f"templates/{name}": text for name, text in files.items()})
    config = site_config(tmp_path)
    return Templates(Theme(config), config)


def test_dict_keys_read_as_attributes(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{{ page.title }}|{{ page['title'] }}"})
    assert templates.render("t.html", {"page": {"title": "A & B"}}) == "A &amp; B|A &amp; B"


def test_dict_methods_win_over_keys_of_the_same_name(tmp_path: Path) -> None:
    """As in Jinja: `x.items` is the method even when the dict has an `items` key."""
    templates = templates_with(tmp_path, {"t.html": "{{ x.items is callable }} {{ x.get('a') }}"})
    assert templates.render("t.html", {"x": {"items": 1, "a": 2}}) == "True 2"


def test_a_missing_key_is_a_strict_undefined_error(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{{ page.nope }}"})
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nope'"):
        templates.render("t.html", {"page": {"title": "x"}})


def test_attributes_of_other_objects_are_unchanged(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{{ s.upper() }} {{ n.real }}"})
    assert templates.render("t.html", {"s": "a", "n": 3}) == "A 3"


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ text }}", "&lt;b&gt; &amp; &#34;q&#34; &#39;a&#39;"),
    ("{{ text|safe }}", "<b> & \"q\" 'a'"),
    ("{{ n }} {{ none }} {{ flag }}", "3 None True"),
    ("{% set block %}<i>{{ text }}</i>{% endset %}{{ block }}",
     "<i>&lt;b&gt; &amp; &#34;q&#34; &#39;a&#39;</i>"),
    ("{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m('<') }}", "<i>&lt;</i>"),
    ("{% filter upper %}<i>{{ '<' }}</i>{% endfilter %}", "<I>&LT;</I>"),
    ("{{ '<' ~ text|safe }}", "&lt;<b> & \"q\" 'a'"),
])
def test_outputs_are_escaped_once(tmp_path: Path, source: str, expected: str) -> None:
    """`{{ }}` outputs are escaped as plain text: safe values and blocks are not escaped twice."""
    templates = templates_with(tmp_path, {"t.html": source})
    context = {"text": "<b> & \"q\" 'a'", "n": 3, "none": None, "flag": True}
    assert templates.render("t.html", context) == expected
