"""UI strings per language, read from the theme (`templates/strings/{language}.yaml`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any


@functools.lru_cache(maxsize=4096)  # counts repeat on every list page
def _plural_form(language: str, n: int) -> str:
    from babel import Locale  # only when a page is made: a no-op build never needs it

    return str(Locale.parse(language).plural_form(n))


@dataclass(frozen=True, slots=True)
class Strings:
    """One language's UI strings, with Babel's plural rules for counted ones."""

    language: str
    table: dict[str, Any]

    @classmethod
    def from_yaml(cls, language: str, text: str) -> Strings:
        import yaml  # here: importing this module must not load YAML (rerun.py)

        return cls(language, yaml.safe_load(text) or {})

    def get(self, key: str, **values: object) -> str:
        return str(self.table[key]).format(**values)

    def count(self, key: str, n: int) -> str:
        """`18 tweets`, `1 fil`: the form follows the language's plural rule."""
        forms = self.table[key]
        if isinstance(forms, str):
            return forms.format(n=n)
        form = _plural_form(self.language, n)
        return str(forms.get(form, forms["other"])).format(n=n)

    def plain(self) -> dict[str, str]:
        """The single-form strings, for templates (which fill a `{n}` themselves if need be)."""
        return {key: value for key, value in self.table.items() if isinstance(value, str)}
