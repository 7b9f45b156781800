"""related: shared tags and distinctive words rank suggestions; the cached answer always equals
a fresh computation, however the threads changed since."""

from __future__ import annotations

import random
from pathlib import Path

from helpers import thread

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.model import Archive, build_archive
from site_builder.parse import parse_thread
from site_builder.related import cached_related_threads, related_threads

CONFIG = SiteConfig(root=Path("/site"), title="Archive", base_url="https://e.org/",
                    language="fr", search=False)
WORDS = ("turbine fonderie aimant batterie barrage centrale lingot cuivre silicium acier "
         "réseau chantier usine tramway moteur").split()
TAGS = ["chine", "industrie", "énergie", "france"]
CODE = b"this code"


def archive_of(files: dict[str, str]) -> Archive:
    parsed = []
    for name, text in sorted(files.items()):
        result, _ = parse_thread(text.encode(), f"content/{name}", False, "fr")
        assert result is not None
        parsed.append(result)
    return build_archive(parsed, CONFIG, Diagnostics())


def corpus(rng: random.Random, count: int = 60) -> dict[str, str]:
    return {f"t{n:03d}.md": thread(f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}",
                                   " ".join(rng.choices(WORDS, k=30)) + ".",
                                   tags=f"[{', '.join(rng.sample(TAGS, 1))}]", slug=f"t{n}")
            for n in range(count)}


def urls(result: dict[str, tuple]) -> dict[str, list[str]]:
    return {url: [other.url for other in others] for url, others in result.items()}


def test_shared_tags_and_words_make_threads_related() -> None:
    files = {
        "a.md": thread("2024-01-01", "Turbines et barrages hydrauliques.", tags="[énergie]"),
        "b.md": thread("2024-01-02", "Barrages hydrauliques encore.", tags="[énergie]"),
        "c.md": thread("2024-01-03", "Rien à voir : tramway.", tags="[transport]"),
    }
    related = urls(related_threads(archive_of(files)))
    assert related["/2024/01/turbines-et-barrages-hydrauliques/"][0] == \
        "/2024/01/barrages-hydrauliques-encore/"
    assert all(url not in others for url, others in related.items())


def test_the_cached_answer_equals_a_fresh_one_after_any_change(tmp_path: Path) -> None:
    rng = random.Random(6)
    files = corpus(rng)
    assert urls(cached_related_threads(archive_of(files), tmp_path, CODE)) == \
        urls(related_threads(archive_of(files)))
    for step in range(18):
        name = rng.choice(sorted(files))
        kind = ("words", "words", "tags", "delete", "slug", "date")[step % 6]
        before = files[name]
        if kind == "words":  # new distinctive words, or the same words in another order
            files[name] = files[name].replace(".\n", f" {rng.choice(WORDS)}{step}.\n")
        elif kind == "tags":
            files[name] = files[name].replace("tags: [", f"tags: [{rng.choice(TAGS)}, ", 1)
        elif kind == "slug":  # a new URL, in the same place
            files[name] = files[name].replace("slug: ", f"slug: renamed{step}-", 1)
        elif kind == "date":  # the same thread elsewhere in the order
            files[name] = files[name].replace("date: 2024-", "date: 2023-", 1)
        else:
            del files[name]
        assert kind == "delete" or files[name] != before, kind
        archive = archive_of(files)
        assert urls(cached_related_threads(archive, tmp_path, CODE)) == \
            urls(related_threads(archive)), f"step {step}: {kind}"
        again = cached_related_threads(archive, tmp_path, CODE)  # now all from the cache
        assert urls(again) == urls(related_threads(archive))
