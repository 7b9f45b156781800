"""Slugs for URLs and file names: accents folded, lowercase, safe as one path segment."""

from __future__ import annotations

import unicodedata

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80

# Names Windows refuses as files or folders; a site built here may be deployed from there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`L'économie, c'est…` -> `l-economie-c-est`; never `..` nor reserved, empty if no letters."""
    text = unicodedata.normalize("NFC", text)
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    if slug in _RESERVED:
        slug = f"{slug}-1"
    return slug
