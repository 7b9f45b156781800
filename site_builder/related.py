"""Related threads, computed at build time: shared tags first, then distinctive shared words.

Candidates come from inverted indexes capped in size, so the cost stays near-linear in the
number of threads instead of comparing every pair.
"""

from __future__ import annotations

import math
from collections import defaultdict

from site_builder.model import Archive, Thread

LIMIT = 3
_TAG_WEIGHT = 4.0
_BIG_TAG = 100  # past this many threads a tag says little; only its nearest threads in time count
_NEAREST_IN_TAG = 10
_COMMON_WORD = 50  # a word in more threads than this is not distinctive
def related_threads(archive: Archive, limit: int = LIMIT) -> dict[str, tuple[Thread, ...]]:
    """Up to `limit` related threads for each thread URL, best first, deterministic."""
    threads = archive.threads
    position = {thread.url: index for index, thread in enumerate(threads)}
    tag_neighbours: dict[str, list[int]] = {}
    for tag in archive.tags:
        tag_neighbours[tag.slug] = [position[t.url] for t in tag.threads]
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, thread in enumerate(threads):
        for word in thread.body.keywords:
            by_word[word].append(index)
    idf = {word: math.log(len(threads) / len(posting)) for word, posting in by_word.items()
           if len(posting) <= _COMMON_WORD}
    result: dict[str, tuple[Thread, ...]] = {}
    for index, thread in enumerate(threads):
        scores: dict[int, float] = defaultdict(float)
        for ref in thread.tags:
            members = tag_neighbours[ref.slug]
            if len(members) > _BIG_TAG:
                at = members.index(index)
                members = members[max(0, at - _NEAREST_IN_TAG): at + _NEAREST_IN_TAG + 1]
            for other in members:
                scores[other] += _TAG_WEIGHT
        for word in thread.body.keywords:
            weight = idf.get(word)
            if weight:
                for other in by_word[word]:
                    scores[other] += weight
        scores.pop(index, None)
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        result[thread.url] = tuple(threads[other] for other, _ in best)
    return result
