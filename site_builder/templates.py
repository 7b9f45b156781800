"""The theme: the site's templates/ over the default one, file by file, as one Jinja environment."""

from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import yaml

from site_builder.config import SiteConfig
from site_builder.errors import ContentError, Diagnostics, SourceLocation
from site_builder.lazyhtml import TweetSource, resolve
from site_builder.sources import discover
from site_builder.strings import Strings

STATIC_FOLDER = "static"
STRINGS_FOLDER = "strings"


def default_theme_dir() -> Path:
    """`site_builder/theme` inside the wheel; the top-level templates/ in a checkout."""
    packaged = Path(__file__).parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


class Theme:
    """Template folders in lookup order, the Jinja environment over them, and their digest."""

    def __init__(self, config: SiteConfig) -> None:
        folders = [config.templates_dir, default_theme_dir()]
        self.folders = list(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
        self.root = config.root
        # Links leaving a folder are skipped with a warning, as in content/ (sources.discover).
        self.warnings = Diagnostics()
        self._files: dict[str, Path] = {}
        for folder in self.folders:
            for source in discover(folder, config.display_path(folder), self.warnings):
                self._files.setdefault(source.rel, source.path)
        self.environment = jinja2.Environment(
            loader=jinja2.ChoiceLoader([_ContainedLoader(folder) for folder in self.folders]),
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

    def files(self, folder: str = "") -> dict[str, Path]:
        """Theme files by name relative to `folder`; the site's own win over the default's."""
        if not folder:
            return dict(sorted(self._files.items()))
        prefix = folder + "/"
        return {name[len(prefix):]: path for name, path in sorted(self._files.items())
                if name.startswith(prefix)}

    def digest(self) -> str:
        """Changes whenever any template or string changes: part of every page's cache key."""
        hasher = hashlib.blake2b(digest_size=16)
        for name, path in sorted(self.files().items()):
            if not name.startswith(STATIC_FOLDER + "/"):
                hasher.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        return hasher.hexdigest()

    def strings(self, language: str) -> Strings:
        """The default theme's strings with the site's own over them, key by key, so a site
        that overrides a few strings keeps working when the theme gains new ones."""
        table: dict[str, Any] = {}
        for folder in reversed(self.folders):
            path = folder / STRINGS_FOLDER / f"{language}.yaml"
            if path.is_file() and path.resolve().is_relative_to(folder):
                table.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        return Strings(language, table)

    def read_html_from(self, source: TweetSource) -> None:
        """Where `html(ref)` in templates finds thread HTML (the parse cache)."""
        self.environment.globals["html"] = lambda ref: resolve(ref, source)

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.environment.get_template(template).render(context)

    def describe_error(self, error: Exception, template: str, url: str) -> ContentError:
        """`templates/thread.html:12: 'x' is undefined (rendering /2025/09/y/)`."""
        location = SourceLocation(self._shown(template), 0)
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
            location = SourceLocation(self._shown_path(error.filename), error.lineno)
        else:
            for frame in reversed(traceback.extract_tb(error.__traceback__)):
                if any(frame.filename.startswith(str(folder)) for folder in self.folders):
                    location = SourceLocation(self._shown_path(frame.filename), frame.lineno or 0)
                    break
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        return ContentError(location, f"template error: {message}", f"rendering {url}")

    def _shown(self, template: str) -> str:
        for folder in self.folders:
            if (folder / template).is_file():
                return self._shown_path(str(folder / template))
        return template

    def _shown_path(self, filename: str) -> str:
        path = Path(filename)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return f"(default theme)/{path.relative_to(default_theme_dir()).as_posix()}" \
                if path.is_relative_to(default_theme_dir()) else path.name


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
