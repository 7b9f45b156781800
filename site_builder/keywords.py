"""The distinctive words of a thread, computed at parse time for related-thread suggestions."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]{5,}")
_STOPWORDS = frozenset("""
aussi autre autres avant avec avoir cette comme contre dans depuis donc elles encore entre
faire fait leurs mais même moins notre nous parce peut plus pour quand quelque rien sans
selon seulement sont suis tous tout toute toutes très vers votre vous about after again
against because before being between could doing during every their there these those
through under until where which while would should other really think
""".split())


def keywords(text: str, limit: int = 12) -> tuple[str, ...]:
    """The most frequent long words of a thread, lowercased, for similarity."""
    counts = Counter(word for word in (w.lower() for w in _WORD.findall(text))
                     if word not in _STOPWORDS)
    return tuple(word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])
