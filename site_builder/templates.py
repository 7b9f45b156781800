"""The theme's templates as one Jinja environment: autoescaped, strict, one link helper."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, MutableMapping
from pathlib import Path
from types import BuiltinMethodType, CodeType
from typing import Any

import jinja2
import jinja2.runtime

try:
    from markupsafe import _escape_inner  # markupsafe 3: escape() without the Markup
except ImportError:
    from markupsafe import escape as _escape_inner

from site_builder.config import SiteConfig
from site_builder.errors import ContentError, SourceLocation
from site_builder.lazyhtml import TweetSource, resolve
from site_builder.theme import Theme


class Templates:
    """Renders pages with the theme's templates; Jinja errors become `path:line` errors."""

    def __init__(self, theme: Theme, config: SiteConfig) -> None:
        self.theme = theme
        self.environment = _Environment(
            loader=jinja2.ChoiceLoader([_ContainedLoader(folder) for folder in theme.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates do not change during a build; skip a stat per page
            # Compiled templates kept between builds: a preview rebuild would spend half its
            # time compiling them again. Keyed by template name and source checksum.
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(_bytecode_folder(config))),
        )
        self.environment.globals["url"] = _url
        self.environment.globals["absolute_url"] = _absolute_url
        self.environment.filters["xml_safe"] = xml_safe

    def read_html_from(self, source: TweetSource) -> None:
        """Where `html(ref)` in templates finds thread HTML (the parse cache)."""
        self.environment.globals["html"] = lambda ref: resolve(ref, source)

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.environment.get_template(template).render(context)

    def describe_error(self, error: Exception, template: str, url: str) -> ContentError:
        """`templates/thread.html:12: 'x' is undefined (rendering /2025/09/y/)`."""
        location = SourceLocation(self.theme.shown(template), 0)
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
            location = SourceLocation(self.theme.shown_path(error.filename), error.lineno)
        else:
            for frame in reversed(traceback.extract_tb(error.__traceback__)):
                if any(frame.filename.startswith(str(folder)) for folder in self.theme.folders):
                    shown = self.theme.shown_path(frame.filename)
                    location = SourceLocation(shown, frame.lineno or 0)
                    break
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        return ContentError(location, f"template error: {message}", f"rendering {url}")


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escape_text(value: Any) -> str:
    """markupsafe.escape's text, without wrapping each `{{ }}` output in a Markup object."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class _Template(jinja2.Template):
    """A compiled template whose `{{ }}` outputs are escaped to plain text.

    The outputs are only ever joined into the page (or into a Markup, for `{% set %}`
    blocks and macros), so Markup around each one was 230,000 objects per thousand pages
    made only to be joined.
    """

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: CodeType,
                  globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The generated module's own `escape` name: `from jinja2.runtime import escape`.
        template.root_render_func.__globals__["escape"] = _escape_text
        return template


class _Context(jinja2.runtime.Context):
    """Jinja's context, calling the link helpers and builtin methods without its checks.

    Every call in a template goes through Context.call, which looks each callable over for
    `pass_context` and the like: ~20 calls a page, `url()` most of them. Ours are known:
    the link helpers take the context, builtin methods (`thread.meta.split(...)`) nothing.
    """

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        loop_vars = kwargs.pop("_loop_vars", None)
        block_vars = kwargs.pop("_block_vars", None)
        if obj is _url or obj is _absolute_url:
            # They read `page` and `site` only; unless a loop or block sets one of those,
            # the context Jinja would derive for them answers as this one does.
            if not _sets_page_or_site(loop_vars) and not _sets_page_or_site(block_vars):
                return obj(self, *args, **kwargs)
        elif type(obj) is BuiltinMethodType:
            try:
                return obj(*args, **kwargs)
            except StopIteration:  # as Jinja does
                return self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return jinja2.runtime.Context.call(self, obj, *args, _loop_vars=loop_vars,
                                           _block_vars=block_vars, **kwargs)


def _sets_page_or_site(names: dict[str, Any] | None) -> bool:
    return names is not None and ("page" in names or "site" in names)


class _Environment(jinja2.Environment):
    """Jinja's environment, with `page.title` read from our contexts' plain dicts directly.

    Jinja tries the attribute first and the item after an AttributeError: ~130 times a
    page, and that exception was about a fifth of the render time.
    """

    template_class = _Template
    context_class = _Context

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[str, jinja2.Template] = {}

    def get_template(self, name: str | jinja2.Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        """Each template loaded once, kept in a plain dict: Jinja's own cache is an LRU with a
        lock, asked 2-4 times a page (the page, `extends`, each `include`)."""
        if self.auto_reload or globals is not None or not isinstance(name, str):
            return jinja2.Environment.get_template(self, name, parent, globals)
        if parent is not None:
            name = self.join_path(name, parent)
        template = self._loaded.get(name)
        if template is None:
            template = self._loaded[name] = jinja2.Environment.get_template(self, name)
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The same answer as Jinja's: a plain dict's only attributes are dict's own names.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return jinja2.Environment.getattr(self, obj, attribute)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 forbids, so a feed stays well-formed whatever a thread holds."""
    return _XML_INVALID.sub("", text)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A folder's templates, but never a file that a link places outside the folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise jinja2.TemplateNotFound(template)  # the next folder (the default theme) answers
        return source, filename, uptodate


def _bytecode_folder(config: SiteConfig) -> Path:
    folder = config.cache_dir / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@jinja2.pass_context
def _absolute_url(context: jinja2.runtime.Context, target: str) -> str:
    """For feeds, sitemaps and sharing: the full address under the site's base_url."""
    return context["site"]["base_url"] + target.lstrip("/")


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """The one link helper: a site path (`/tags/x/`) as seen from the page being rendered."""
    root = context["page"]["root"]
    link = root + target.lstrip("/")
    return link or "./"
