"""site.yaml -> a frozen SiteConfig; every key checked, every problem reported at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from site_builder import fields
from site_builder.errors import Diagnostics
from site_builder.fields import FieldError

if TYPE_CHECKING:
    from site_builder.yamltree import Value

CONFIG_NAME = "site.yaml"
CACHE_FOLDER = ".site-builder-cache"  # beside site.yaml
LANGUAGES = ("fr", "en")
PERMALINK_FIELDS = ("year", "month", "day", "slug")
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"


class SiteConfig(NamedTuple):
    """Everything a build needs to know about the site; folders are absolute paths.

    A named tuple (immutable, `_replace` for a changed copy), not a dataclass: a build that
    finds nothing changed imports this module, and no dataclasses (errors.py says why).
    """

    root: Path
    title: str = "Archive"
    description: str = ""
    author: str = ""
    base_url: str = DEFAULT_BASE_URL
    language: str = "fr"
    timezone: str = "Europe/Paris"
    per_page: int = 10
    words_per_minute: int = 200
    permalink: str = "/{year}/{month}/{slug}/"
    allow_html: bool = False
    search: bool = True
    content_dir: Path = Path("content")
    templates_dir: Path = Path("templates")
    output_dir: Path = Path("output")
    drafts: bool = False
    strict: bool = False

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: `/` at a domain root, `/archive/` under a sub-path."""
        return urlsplit(self.base_url).path or "/"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    def display_path(self, path: Path) -> str:
        """A path as the user sees it in messages: relative to the site when it is inside."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def with_overrides(self, **changes: object) -> SiteConfig:
        """Command-line options win over site.yaml; folders are resolved like the file's."""
        for key in ("content_dir", "output_dir", "templates_dir"):
            if changes.get(key) is not None:
                changes[key] = Path(str(changes[key])).resolve()
        if changes.get("base_url") is not None:
            changes["base_url"] = _checked_base_url(str(changes["base_url"]))
        return self._replace(**{k: v for k, v in changes.items() if v is not None})


def _base_url(key: str, value: Value) -> str:
    return _checked_base_url(fields.url(key, value))


def _checked_base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise FieldError(f"'base_url' must be like https://example.org/ or "
                         f"https://example.org/archive/, not {raw!r}")
    return raw if raw.endswith("/") else raw + "/"


def _timezone(key: str, value: Value) -> str:
    import zoneinfo  # here: a repeated build reads no site.yaml (rerun.py); ~5 ms

    name = fields.text(key, value)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise FieldError(f"{key!r} is not a known time zone: {name!r}",
                         "use an IANA name like Europe/Paris or America/New_York") from None
    return name


def _permalink(key: str, value: Value) -> str:
    pattern = fields.text(key, value)
    names = re.findall(r"\{([^}]*)\}", pattern)
    unknown = [name for name in names if name not in PERMALINK_FIELDS]
    if unknown or "slug" not in names or not (pattern.startswith("/") and pattern.endswith("/")):
        raise FieldError(f"{key!r} must start and end with '/' and use {{slug}}, "
                         f"with only {', '.join('{' + n + '}' for n in PERMALINK_FIELDS)}")
    return pattern


def _folder(key: str, value: Value) -> str:
    raw = fields.text(key, value)
    if not raw:
        raise FieldError(f"{key!r} must name a folder")
    return raw


_SCHEMA = {
    "title": fields.text,
    "description": fields.text,
    "author": fields.text,
    "base_url": _base_url,
    "language": fields.choice(LANGUAGES),
    "timezone": _timezone,
    "per_page": fields.whole_number(1, 1000),
    "words_per_minute": fields.whole_number(10, 2000),
    "permalink": _permalink,
    "allow_html": fields.boolean,
    "search": fields.boolean,
    "content": _folder,
    "templates": _folder,
    "output": _folder,
}


def load_config(path: Path, diagnostics: Diagnostics | None = None) -> SiteConfig:
    """Read site.yaml; raises BuildFailed with every problem; warnings go to `diagnostics`."""
    # Imported here: a repeated build reuses the last one's reading and needs no YAML (rerun.py).
    from site_builder.yamltree import parse_mapping

    path = path.resolve()
    shown = path.name
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    problems = Diagnostics()
    text = _read_config_text(path, shown, problems)
    mapping = parse_mapping(text, shown, 1, problems) if text is not None else None
    values = fields.read_fields(mapping or {}, _SCHEMA, shown, problems)
    problems.raise_if_errors()
    diagnostics.extend(problems)
    if "base_url" not in values:
        diagnostics.warn(shown, 0, f"no 'base_url': feeds and canonical links use "
                         f"{DEFAULT_BASE_URL}", "set it to the address the site is published at")
    root = path.parent
    folders = {
        "content_dir": root / values.pop("content", "content"),
        "templates_dir": root / values.pop("templates", "templates"),
        "output_dir": root / values.pop("output", "output"),
    }
    return SiteConfig(root=root, **values, **folders)


def _read_config_text(path: Path, shown: str, problems: Diagnostics) -> str | None:
    from site_builder.frontmatter import decode_source  # loads YAML, as load_config says

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.error(shown, 0, "not found", "run `site-builder init` to start a site")
        return None
    return decode_source(data, shown, problems)
