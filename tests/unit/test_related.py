"""related: shared tags and distinctive words rank suggestions; the cached answer always equals
a fresh computation, however the threads changed since."""

from __future__ import annotations

import marshal
import random
from pathlib import Path

from helpers import thread

from site_builder.config import SiteConfig
from site_builder.errors import Diagnostics
from site_builder.model import Archive, build_archive
from site_builder.parse import parse_thread
from site_builder.related import rank_related_threads, related_threads, rerank, rerank_kept

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


def test_a_kept_ranking_gives_what_a_fresh_one_does_after_any_change(tmp_path: Path) -> None:
    rng = random.Random(6)
    files = corpus(rng)
    found, _ = rank_related_threads(archive_of(files), tmp_path, CODE)
    assert urls(found) == urls(related_threads(archive_of(files)))
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
        found, kept = rank_related_threads(archive, tmp_path, CODE)
        assert urls(found) == urls(related_threads(archive)), f"step {step}: {kind}"
        again, same = rank_related_threads(archive, tmp_path, CODE)  # all from the ranking
        assert (urls(again), same) == (urls(related_threads(archive)), kept)


def ranking_of(archive: Archive, folder: Path) -> tuple[list[str], list, list[list[int]]]:
    """The ranking a build keeps, as rank_related_threads writes it."""
    rank_related_threads(archive, folder, CODE)
    _, paths, inputs, result = marshal.loads((folder / "related.marshal").read_bytes())
    return paths, inputs, result


def test_rerank_keeps_a_ranking_only_when_no_suggestion_changes(tmp_path: Path) -> None:
    """body_edits trusts it: a ranking back means every page's related threads stay."""
    rng = random.Random(7)
    files = corpus(rng, count=120)
    ranking = ranking_of(archive_of(files), tmp_path / "0")
    outcomes = []
    for step in range(30):
        name = rng.choice(sorted(files))
        word = rng.choice(WORDS) + rng.choice("xyz")  # a word a few threads come to share
        new_words = " ".join([word] * rng.randint(1, 8))  # a keyword of this one, or not
        files[name] = files[name].replace(".\n", f" {new_words}.\n", 1)
        archive = archive_of(files)
        thread = next(t for t in archive.threads if t.path == f"content/{name}")
        reranked = rerank(ranking, {thread.path: thread.body.keywords.split()})
        fresh = ranking_of(archive, tmp_path / str(step + 1))
        if reranked is None:
            assert fresh[2] != ranking[2], f"step {step}: nothing changed"
        else:
            assert reranked == fresh, f"step {step}"
        outcomes.append(reranked is not None)
        ranking = fresh
    assert any(outcomes) and not all(outcomes)  # both ways were tried
    assert rerank(ranking, {"content/unknown.md": ["mot"]}) is None


def test_a_kept_ranking_is_reranked_only_if_it_is_the_one_the_store_names(
        tmp_path: Path) -> None:
    files = corpus(random.Random(8))
    archive = archive_of(files)
    _, kept = rank_related_threads(archive, tmp_path, CODE)
    thread = archive.threads[0]
    same_words = {thread.path: thread.body.keywords.split()}
    assert rerank_kept(tmp_path, CODE, "another digest", same_words) is None
    assert rerank_kept(tmp_path, b"other code", kept, same_words) is None
    assert rerank_kept(tmp_path, CODE, kept, same_words) == kept
    (tmp_path / "related.marshal").write_bytes(b"damaged")
    assert rerank_kept(tmp_path, CODE, kept, same_words) is None
