"""Templates: Jinja's own answers, however the environment takes shortcuts to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from helpers import site_config, write_tree

from site_builder.templates import Templates
from site_builder.theme import Theme

TEXT = "<b> & \"q\" 'a'"


def templates_with(tmp_path: Path, files: dict[str, str]) -> Templates:
    """The default theme under a site's own `templates/` files."""
    write_tree(tmp_path, {f"templates/{name}": text for name, text in files.items()})
    config = site_config(tmp_path)
    return Templates(Theme(config), config)


def plain_jinja(templates: Templates) -> jinja2.Environment:
    """A stock Jinja environment with the same options, helpers and templates."""
    ours = templates.environment
    plain = jinja2.Environment(loader=ours.loader, autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True, keep_trailing_newline=True)
    plain.globals.update(ours.globals)
    plain.filters.update(ours.filters)
    return plain


def render_both(tmp_path: Path, source: str, context: dict[str, Any]) -> tuple[str, str]:
    layout = "{% block main %}{% endblock %}|{{ url('/z/') }}"
    templates = templates_with(tmp_path, {"t.html": source, "layout.html": layout})
    return (templates.render("t.html", context),
            plain_jinja(templates).get_template("t.html").render(context))


CONTEXT = {"text": TEXT, "n": 3, "none": None, "flag": True, "items": [1, 2],
           "page": {"root": "../", "title": TEXT, "items": 5},
           "site": {"base_url": "https://example.org/a/"}}


@pytest.mark.parametrize("source", [
    "{{ page.title }}|{{ page['title'] }}|{{ page.items is callable }}|{{ page.get('items') }}",
    "{{ text }} {{ text|safe }} {{ n }} {{ none }} {{ flag }} {{ text|length }}",
    "{% set block %}<i>{{ text }}</i>{% endset %}{{ block }}",
    "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m('<') }}{{ m(text|safe) }}",
    "{% filter upper %}<i>{{ '<' }}</i>{% endfilter %}",
    "{{ '<' ~ text|safe }} {{ text.split(' ')|join(',') }}",
    "{{ url('/') }} {{ url('/a/') }} {{ url(page.title) }} {{ absolute_url('/x/') }}",
    "{% for i in items %}{{ url('/t/') }}{% set page = {'root': 'x/'} %}{{ url('/t/') }}"
    "{% endfor %}",
    "{% set page = {'root': ''} %}{{ url('/') }}{% with page = {'root': 'w/'} %}"
    "{{ url('/a/') }}{% endwith %}",
    "{{ url(target='/k/') }}",
    "{% extends 'layout.html' %}{% block main %}{% set x = 1 %}{{ url('/a/') }}"
    "{% set page = {'root': 'p/'} %}{{ url('/b/') }}{% endblock %}",
])
def test_same_output_as_plain_jinja(tmp_path: Path, source: str) -> None:
    ours, plain = render_both(tmp_path, source, CONTEXT)
    assert ours == plain


def test_outputs_are_escaped_once(tmp_path: Path) -> None:
    """`{{ }}` outputs are escaped as plain text: safe values and blocks are not escaped twice."""
    source = "{{ text }}|{% set b %}<i>{{ text }}</i>{% endset %}{{ b }}|{{ text|safe }}"
    ours, _ = render_both(tmp_path, source, CONTEXT)
    assert ours == ("&lt;b&gt; &amp; &#34;q&#34; &#39;a&#39;|"
                    "<i>&lt;b&gt; &amp; &#34;q&#34; &#39;a&#39;</i>|<b> & \"q\" 'a'")


def test_a_missing_key_is_a_strict_undefined_error(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{{ page.nope }}"})
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nope'"):
        templates.render("t.html", CONTEXT)


def test_url_is_relative_to_the_page(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{{ url('/') }} {{ url('/tags/x/') }}"})
    assert templates.render("t.html", {"page": {"root": "../../"}}) == "../../ ../../tags/x/"
    assert templates.render("t.html", {"page": {"root": ""}}) == "./ tags/x/"


def test_templates_are_loaded_once_and_missing_ones_still_fail(tmp_path: Path) -> None:
    templates = templates_with(tmp_path, {"t.html": "{% include 'part.html' %}",
                                          "part.html": "{{ page.title }}"})
    environment = templates.environment
    assert environment.get_template("t.html") is environment.get_template("t.html")
    assert templates.render("t.html", CONTEXT) == templates.render("t.html", CONTEXT)
    for _ in range(2):
        with pytest.raises(jinja2.TemplateNotFound):
            environment.get_template("nope.html")
