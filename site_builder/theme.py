"""The theme's files: the site's templates/ over the default theme, file by file.

Listing, digesting and reading strings need no Jinja, so a build that finds nothing changed
never imports it; templates.py turns these files into a Jinja environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.sources import SourceFile, blake2b, discover

if TYPE_CHECKING:
    from site_builder.strings import Strings

STATIC_FOLDER = "static"
STRINGS_FOLDER = "strings"


def default_theme_dir() -> Path:
    """`site_builder/theme` inside the wheel; the top-level templates/ in a checkout."""
    packaged = Path(__file__).parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


class Theme:
    """Template folders in lookup order and the files they hold; the site's own come first."""

    def __init__(self, config: SiteConfig) -> None:
        folders = [config.templates_dir, default_theme_dir()]
        self.folders = list(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
        self.root = config.root
        # Links leaving a folder are skipped with a warning, as in content/ (sources.discover).
        self.warnings = Diagnostics()
        self._sources: dict[str, SourceFile] = {}
        for folder in self.folders:
            for source in discover(folder, config.display_path(folder), self.warnings):
                self._sources.setdefault(source.rel, source)

    def sources(self) -> list[SourceFile]:
        """The files `files()` names, with the size and mtime read when listing them."""
        return [source for _, source in sorted(self._sources.items())]

    def files(self, folder: str = "") -> dict[str, Path]:
        """Theme files by name relative to `folder`; the site's own win over the default's."""
        prefix = folder + "/" if folder else ""
        return {name[len(prefix):]: source.path for name, source in sorted(self._sources.items())
                if name.startswith(prefix)}

    def digest(self) -> str:
        """Changes whenever any template or string changes: part of every page's cache key."""
        hasher = blake2b(digest_size=16)
        for name, path in sorted(self.files().items()):
            if not name.startswith(STATIC_FOLDER + "/"):
                hasher.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        return hasher.hexdigest()

    def strings(self, language: str) -> Strings:
        """The default theme's strings with the site's own over them, key by key, so a site
        that overrides a few strings keeps working when the theme gains new ones."""
        import yaml  # here: a build that finds nothing changed reads no strings

        from site_builder.strings import Strings

        table: dict[str, Any] = {}
        for folder in reversed(self.folders):
            path = folder / STRINGS_FOLDER / f"{language}.yaml"
            if path.is_file() and path.resolve().is_relative_to(folder):
                table.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        return Strings(language, table)

    def shown(self, template: str) -> str:
        """A template as messages name it: `templates/x.html` or `(default theme)/x.html`."""
        for folder in self.folders:
            if (folder / template).is_file():
                return self.shown_path(str(folder / template))
        return template

    def shown_path(self, filename: str) -> str:
        path = Path(filename)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return f"(default theme)/{path.relative_to(default_theme_dir()).as_posix()}" \
                if path.is_relative_to(default_theme_dir()) else path.name
