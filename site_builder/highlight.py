"""Pygments behind one function, imported lazily: most threads hold no code at all."""

from __future__ import annotations

import functools
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

CSS_CLASS = "code"
_FORMATTER = HtmlFormatter(nowrap=True)


def highlight_code(code: str, language: str) -> str:
    """A `<pre class="code">` block with pygments classes, or "" so the caller escapes it."""
    lexer_class = _lexer_class(language)
    if lexer_class is None:
        return ""
    body = highlight(code, lexer_class(), _FORMATTER)
    code_class = f"language-{escape(language)}"
    return f'<pre class="{CSS_CLASS}"><code class="{code_class}">{body}</code></pre>\n'


@functools.lru_cache(maxsize=256)
def _lexer_class(language: str) -> type[Lexer] | None:
    """get_lexer_by_name walks pygments' whole table of lexers (~40 µs) on every call."""
    try:
        return find_lexer_class_by_name(language)
    except ClassNotFound:
        return None


def stylesheet(light: str = "xcode", dark: str = "monokai") -> str:
    """The one code stylesheet of the theme, light and dark; regenerate with `python -m`."""
    light_rules = HtmlFormatter(style=light).get_style_defs(f".{CSS_CLASS}")
    dark_rules = HtmlFormatter(style=dark).get_style_defs(f".{CSS_CLASS}")
    return f"{light_rules}\n@media (prefers-color-scheme: dark) {{\n{dark_rules}\n}}\n"


if __name__ == "__main__":
    print(stylesheet(), end="")
