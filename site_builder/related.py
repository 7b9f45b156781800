"""Related threads, computed at build time: shared tags first, then distinctive shared words.

Candidates come from inverted indexes capped in size, so the cost stays near-linear in the
number of threads instead of comparing every pair. The result is kept in the cache folder and
reused while no thread's URL, tags or keywords change: most edits touch none of them.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
from collections import defaultdict
from pathlib import Path

from site_builder.model import Archive, Thread

LIMIT = 3
_TAG_WEIGHT = 4.0
_BIG_TAG = 100  # past this many threads a tag says little; only its nearest threads in time count
_NEAREST_IN_TAG = 10
_COMMON_WORD = 50  # a word in more threads than this is not distinctive
_CACHE_NAME = "related.marshal"


def cached_related_threads(archive: Archive, folder: Path) -> dict[str, tuple[Thread, ...]]:
    """`related_threads`, read from `folder` when computed from the same inputs by this code.

    A change to any thread's words or tags can move suggestions anywhere (word weights are
    site-wide), so any such change computes them all again.
    """
    inputs = [(thread.url, [ref.slug for ref in thread.tags], thread.body.keywords)
              for thread in archive.threads]
    hasher = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    hasher.update(marshal.dumps(inputs, 2))
    key = hasher.hexdigest()
    path = folder / _CACHE_NAME
    by_url = {thread.url: thread for thread in archive.threads}
    try:
        saved_key, saved = marshal.loads(path.read_bytes())
        if saved_key == key:
            return {url: tuple(by_url[other] for other in others) for url, others in saved.items()}
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass  # no cache yet, or an unreadable one: compute
    result = related_threads(archive)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{_CACHE_NAME}.{os.getpid()}")
    temporary.write_bytes(marshal.dumps(
        (key, {url: [other.url for other in others] for url, others in result.items()}), 2))
    os.replace(temporary, path)
    return result


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
