"""Related threads, computed at build time: shared tags first, then distinctive shared words.

Candidates come from inverted indexes capped in size, so the cost stays near-linear in the
number of threads instead of comparing every pair. A build keeps its ranking in the cache
folder with what it was computed from, and the page store records which one (its digest) went
with the pages it holds: the next build ranks again only the threads sharing a word that
changed, and a save that changes some keywords but no suggestion needs no full build at all
(`rerank_kept`, body_edits.py).
"""

from __future__ import annotations

import marshal
import math
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.sources import digest
from site_builder.writer import read_if_present, write_atomically

if TYPE_CHECKING:  # not imported: the body-edit build reranks without the model
    from site_builder.model import Archive, Thread

LIMIT = 3
_TAG_WEIGHT = 4.0
_BIG_TAG = 100  # past this many threads a tag says little; only its nearest threads in time count
_NEAREST_IN_TAG = 10
_COMMON_WORD = 50  # a word in more threads than this is not distinctive
_CACHE_NAME = "related.marshal"

# Per thread, newest first: tags and keywords. Suggestions are positions in that order, so a
# thread's new URL (a new title) changes none of them.
Inputs = list[tuple[list[str], list[str]]]
# What a build keeps: each thread's path (to find it again), the inputs, the suggestions.
Ranking = tuple[list[str], Inputs, list[list[int]]]


def related_threads(archive: Archive, limit: int = LIMIT) -> dict[str, tuple[Thread, ...]]:
    """Up to `limit` related threads for each thread URL, best first, deterministic."""
    inputs = _inputs(archive)
    index = _Index(inputs)
    return _as_threads(archive, [index.related(i, limit) for i in range(len(inputs))])


def rank_related_threads(archive: Archive, folder: Path, code: bytes
                         ) -> tuple[dict[str, tuple[Thread, ...]], str]:
    """`related_threads`, reusing the ranking kept in `folder` for every thread it still holds
    for; with the digest of the ranking now kept there, for the page store.

    `code` is the digest of our code (fingerprint.code_digest): other code may rank otherwise.
    Word weights are site-wide, so a thread's suggestions stay valid only while the number of
    threads and the tags at each position stay the same and none of its own words changed
    anywhere.
    """
    inputs = _inputs(archive)
    path = folder / _CACHE_NAME
    kept = read_if_present(path)
    last = _decode(kept, code)
    if last is not None and last[1] == inputs:
        result = last[2]
    else:
        index = _Index(inputs)
        stale = _stale(last[1], inputs, index) if last is not None else None
        if stale is None or last is None:
            result = [index.related(i) for i in range(len(inputs))]
        else:
            result = [index.related(i) if i in stale else others
                      for i, others in enumerate(last[2])]
    data = marshal.dumps((code, [thread.path for thread in archive.threads], inputs, result), 2)
    if data != kept:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    return _as_threads(archive, result), digest(data)


def rerank_kept(folder: Path, code: bytes, kept: str, keywords: dict[str, list[str]]
                ) -> str | None:
    """For a build that changed some threads' keywords and nothing else they are ranked by
    (body_edits.py): the digest of the ranking kept with the new keywords, when the one in
    `folder` is the ranking whose digest is `kept` and no thread's suggestions change; None
    otherwise, and the full build ranks them."""
    path = folder / _CACHE_NAME
    data = read_if_present(path)
    last = _decode(data, code) if data is not None and digest(data) == kept else None
    ranking = rerank(last, keywords) if last is not None else None
    if ranking is None:
        return None
    data = marshal.dumps((code, *ranking), 2)
    write_atomically(path, data)
    return digest(data)


def rerank(last: Ranking, keywords: dict[str, list[str]]) -> Ranking | None:
    """`last` with these threads' new keywords (by path), when they change no thread's
    suggestions; None when they would, or name a thread `last` does not hold."""
    paths, inputs, result = last
    where = {path: position for position, path in enumerate(paths)}
    now = list(inputs)
    for path, words in keywords.items():
        position = where.get(path)
        if position is None:
            return None
        now[position] = (inputs[position][0], list(words))
    index = _Index(now)
    stale = _stale(inputs, now, index)
    if stale is None or any(index.related(i) != result[i] for i in stale):
        return None
    return paths, now, result


def _inputs(archive: Archive) -> Inputs:
    return [([ref.slug for ref in thread.tags], thread.body.keywords.split())
            for thread in archive.threads]


def _stale(before: Inputs, now: Inputs, index: _Index) -> set[int] | None:
    """The threads whose suggestions may differ, or None when every thread's may."""
    if len(before) != len(now):
        return None
    changed: set[int] = set()
    words: set[str] = set()
    for position, (old, new) in enumerate(zip(before, now, strict=True)):
        if old[0] != new[0]:  # a tag change moves tag neighbourhoods: start over
            return None
        if old[1] != new[1]:
            changed.add(position)
            words.update(set(old[1]) ^ set(new[1]))
    # Whoever had a changed word before has it still or is in `changed`.
    return changed.union(*(index.by_word.get(word, ()) for word in words))


def _decode(data: bytes | None, code: bytes) -> Ranking | None:
    """The ranking in a kept file, if our code wrote it."""
    if data is None:
        return None
    try:
        stamp, paths, inputs, result = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return (paths, inputs, result) if stamp == code else None


def _as_threads(archive: Archive, result: list[list[int]]) -> dict[str, tuple[Thread, ...]]:
    threads = archive.threads
    return {thread.url: tuple(threads[other] for other in others)
            for thread, others in zip(threads, result, strict=True)}


class _Index:
    """Threads by tag and by distinctive word, with each word's weight."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for position, (tags, keywords) in enumerate(inputs):
            for tag in tags:
                self.by_tag[tag].append(position)
            for word in keywords:
                self.by_word[word].append(position)
        self.idf = {word: math.log(len(inputs) / len(posting))
                    for word, posting in self.by_word.items() if len(posting) <= _COMMON_WORD}

    def related(self, position: int, limit: int = LIMIT) -> list[int]:
        """Positions of the threads most related to the one at `position`, best first."""
        tags, keywords = self.inputs[position]
        scores: dict[int, float] = defaultdict(float)
        for tag in tags:
            members = self.by_tag[tag]
            if len(members) > _BIG_TAG:
                at = members.index(position)
                members = members[max(0, at - _NEAREST_IN_TAG): at + _NEAREST_IN_TAG + 1]
            for other in members:
                scores[other] += _TAG_WEIGHT
        for word in keywords:
            weight = self.idf.get(word)
            if weight:
                for other in self.by_word[word]:
                    scores[other] += weight
        scores.pop(position, None)
        return [other for other, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
                [:limit]]
