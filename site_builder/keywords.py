"""The distinctive words of a thread, computed at parse time for related-thread suggestions."""

from __future__ import annotations

import re
from collections import Counter

SHORTEST = 5
_LETTERS = re.compile(rf"[^\W\d_]{{{SHORTEST},}}")
_STOPWORDS = frozenset("""
aussi autre autres avant avec avoir cette comme contre dans depuis donc elles encore entre
faire fait leurs mais même moins notre nous parce peut plus pour quand quelque rien sans
selon seulement sont suis tous tout toute toutes très vers votre vous about after again
against because before being between could doing during every their there these those
through under until where which while would should other really think
""".split())


def keywords(words: list[str], limit: int = 12) -> str:
    """The most frequent long words of a thread, lowercased, for similarity; space-separated
    in one string, which a build holds for every thread (tuples of 12 strings were 8 MiB at
    10,000 threads, one string is a sixth of that).

    `words` are the text's `\\w+` runs, found once for the word count too; a keyword is a run of
    letters inside one, and most runs are nothing but letters.
    """
    letters: list[str] = []
    for word in words:
        if len(word) >= SHORTEST:
            if word.isalpha():
                letters.append(word)
            else:  # `covid19`, `snake_case`: the letter runs inside
                letters.extend(_LETTERS.findall(word))
    counts = Counter(map(str.lower, letters))
    for stopword in _STOPWORDS.intersection(counts):
        del counts[stopword]
    ranked = sorted(counts)  # alphabetical, then (the sort is stable) most frequent first
    ranked.sort(key=counts.__getitem__, reverse=True)
    return " ".join(ranked[:limit])
