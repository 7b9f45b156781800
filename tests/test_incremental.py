"""Incremental builds: exactly the pages that show a change are rewritten, and an incremental
build always writes what a clean build writes (issue 6)."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from helpers import build_site, site_files, thread

from site_builder import page_store, render
from site_builder.slugs import slugify

TAGS = ["chine", "industrie", "énergie", "france", "usines", "ambition"]
WORDS = ("usine acier réseau turbine chantier ingénieur fonderie aimant batterie rail port "
         "barrage centrale lingot cuivre silicium").split()


def corpus(count: int, seed: int = 7) -> dict[str, str]:
    """A small deterministic archive: dates over two years, a few tags each, varied words."""
    rng = random.Random(seed)
    files = {}
    for number in range(count):
        day = f"2024-{1 + number % 12:02d}-{1 + number % 27:02d}"
        words = " ".join(rng.choice(WORDS) for _ in range(40))
        tags = ", ".join(rng.sample(TAGS, 2))
        body = f"Fil numéro {number} sur l'industrie. {words}.\n\n***\n\nSuite {number}. Et oui."
        files[f"content/t{number:03d}.md"] = thread(day, body, tags=f"[{tags}]",
                                                    slug=f"fil-{number}")
    return files


def pages_containing(output: Path, text: str) -> set[str]:
    return {path for path, data in site_files(output).items()
            if path.endswith((".html", ".xml")) and text.encode() in data}


def written(tmp_path: Path) -> set[str]:
    report = build_site(tmp_path)
    return set(report.written)


def test_a_body_edit_rewrites_the_thread_and_the_feeds_that_carry_it(tmp_path: Path) -> None:
    build_site(tmp_path, corpus(30))
    path = tmp_path / "content/t007.md"
    path.write_text(path.read_text().replace("Et oui.", "Et oui, bis."))
    assert written(tmp_path) == {"2024/08/fil-7/index.html", "feed.xml",
                                 *(f"tags/{slugify(tag)}/feed.xml" for tag in _tags_of(path))}


def test_an_edit_of_the_body_alone_renders_only_the_pages_showing_it(tmp_path: Path) -> None:
    """Same words, same title and summary: the build takes the pages from the page store."""
    build_site(tmp_path, corpus(30))
    path = tmp_path / "content/t007.md"
    path.write_text(path.read_text().replace("Suite 7. Et", "Suite 7 ! Et"))
    report = build_site(tmp_path)
    assert report.strategy == "bodies"
    assert set(report.written) == {"2024/08/fil-7/index.html", "feed.xml",
                                   *(f"tags/{slugify(tag)}/feed.xml" for tag in _tags_of(path))}
    assert (report.threads, report.pages) == (30, report.unchanged + len(report.written))
    assert "Suite 7 !" in (tmp_path / "output/2024/08/fil-7/index.html").read_text()
    _assert_same_as_a_clean_build(tmp_path)


def few_words_site() -> dict[str, str]:
    """Threads with few distinctive words, a title and a summary: a new word at the end of a
    body changes its keywords and nothing else."""
    def file(day: str, tags: str, body: str) -> str:
        return thread(day, body, title=f"Fil du {day}", summary="Un résumé.", tags=tags)

    return {"content/a.md": file("2024-01-01", "[énergie]", "Les turbines du barrage tournent."),
            "content/b.md": file("2024-01-02", "[énergie]", "Un barrage neuf, ses turbines."),
            "content/c.md": file("2024-01-03", "[transport]", "Le tramway arrive en ville."),
            "content/d.md": file("2024-01-04", "[transport]", "Un tramway roule la nuit.")}


def test_new_keywords_that_move_no_related_thread_render_only_the_body(
        tmp_path: Path) -> None:
    build_site(tmp_path, few_words_site())
    path = tmp_path / "content/a.md"
    path.write_text(path.read_text().replace("tournent.", "tournent. Zirconium, zirconium."))
    report = build_site(tmp_path)
    assert report.strategy == "bodies"
    assert set(report.written) == {"2024/01/fil-du-2024-01-01/index.html", "feed.xml",
                                   "tags/energie/feed.xml"}
    _assert_same_as_a_clean_build(tmp_path)
    path.write_text(path.read_text().replace(" Zirconium, zirconium.", ""))  # and back
    assert build_site(tmp_path).strategy == "bodies"
    _assert_same_as_a_clean_build(tmp_path)


def test_new_keywords_that_move_a_related_thread_build_in_full(tmp_path: Path) -> None:
    build_site(tmp_path, few_words_site())
    path = tmp_path / "content/c.md"
    path.write_text(path.read_text().replace("en ville.", "en ville. Turbines du barrage."))
    assert build_site(tmp_path).strategy == "full"
    _assert_same_as_a_clean_build(tmp_path)


def test_a_touched_thread_rewrites_nothing(tmp_path: Path) -> None:
    build_site(tmp_path, corpus(5))
    path = tmp_path / "content/t002.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    report = build_site(tmp_path)
    assert (report.strategy, report.written, report.parsed) == ("bodies", [], 0)
    assert build_site(tmp_path).strategy == "unchanged"


def test_a_page_store_from_another_build_is_not_trusted(tmp_path: Path) -> None:
    """As when a build is stopped after its output landed and before its store did."""
    build_site(tmp_path, corpus(10))
    store = tmp_path / ".site-builder-cache" / page_store.NAME
    saved = store.read_bytes()
    path = tmp_path / "content/t003.md"
    path.write_text(path.read_text().replace("Fil numéro 3", "Fil numéro trois"))
    assert build_site(tmp_path).strategy == "full"
    store.write_bytes(saved)  # the store of the build before, which showed the old title
    for name in ("-wal", "-shm"):
        store.with_name(store.name + name).unlink(missing_ok=True)
    path.write_text(path.read_text().replace("Suite 3. Et", "Suite 3 ! Et"))
    assert build_site(tmp_path).strategy == "full"
    _assert_same_as_a_clean_build(tmp_path)
    path.write_text(path.read_text().replace("Suite 3 ! Et", "Suite 3. Et"))
    assert build_site(tmp_path).strategy == "bodies"  # the full build saved a store again
    _assert_same_as_a_clean_build(tmp_path)


def test_a_build_without_its_cache_folder_builds_in_full(tmp_path: Path) -> None:
    build_site(tmp_path, corpus(10))
    shutil.rmtree(tmp_path / ".site-builder-cache")
    path = tmp_path / "content/t003.md"
    path.write_text(path.read_text().replace("Suite 3. Et", "Suite 3 ! Et"))
    report = build_site(tmp_path)
    assert report.strategy == "full"
    assert set(report.written) == {"2024/04/fil-3/index.html", "feed.xml",
                                   *(f"tags/{slugify(tag)}/feed.xml" for tag in _tags_of(path))}


def test_a_site_moved_with_its_cache_and_output_renders_no_page_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in CI, when the cache and output/ are restored into a checkout at another path."""
    build_site(tmp_path / "here", corpus(10))
    (tmp_path / "here").rename(tmp_path / "there")
    rendered: list[str] = []
    real = render._render_with

    def counted(templates: object, staging: object, jobs: list[render.Job]) -> object:
        rendered.extend(url for url, *_ in jobs)
        return real(templates, staging, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "_render_with", counted)
    report = build_site(tmp_path / "there")
    assert (report.strategy, report.parsed, report.written, rendered) == ("full", 0, [], [])
    _assert_same_as_a_clean_build(tmp_path / "there")


def test_a_title_edit_rewrites_exactly_the_pages_that_show_the_title(tmp_path: Path) -> None:
    build_site(tmp_path, corpus(30))
    showing = pages_containing(tmp_path / "output", "Fil numéro 12 sur l’industrie")
    path = tmp_path / "content/t012.md"
    path.write_text(path.read_text().replace("Fil numéro 12", "Fil numéro douze"))
    assert written(tmp_path) == showing
    assert len(showing) > 5  # its page, neighbours, lists, archives, feeds, related threads


def test_a_tag_edit_rewrites_exactly_the_pages_that_show_the_thread_or_the_tags(
        tmp_path: Path) -> None:
    build_site(tmp_path, corpus(30))
    path = tmp_path / "content/t003.md"
    old = _tags_of(path)
    text = path.read_text()
    path.write_text(text.replace(f"tags: [{', '.join(old)}]", "tags: [nouveau]"))
    changed = written(tmp_path)
    assert "2024/04/fil-3/index.html" in changed
    assert "tags/nouveau/index.html" in changed and "tags/index.html" in changed
    untouched = {"2024/01/fil-0/index.html", "2024/02/fil-1/index.html"}
    assert not changed & untouched


def test_unchanged_outputs_keep_their_mtime(tmp_path: Path) -> None:
    build_site(tmp_path, corpus(10))
    output = tmp_path / "output"
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*.html")}
    path = tmp_path / "content/t004.md"
    path.write_text(path.read_text().replace("Et oui.", "Et non."))
    build_site(tmp_path)
    moved = {p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
    assert {p.relative_to(output).as_posix() for p in moved} == {"2024/05/fil-4/index.html"}


def test_incremental_equals_clean_over_random_edits(tmp_path: Path) -> None:
    """Edits, additions, deletions, template and config changes, each checked against a clean
    build of the same sources into a fresh folder (no cache, no previous output).

    Pages are keyed by what they read (routes.Page.reads), not by their contexts: a field left
    out of those reads shows up here as a stale page.
    """
    rng = random.Random(2025)
    site = tmp_path / "site"
    build_site(site, corpus(20))
    for step in range(2 * len(KINDS)):
        kind = _random_change(site, rng, step)
        report = build_site(site)
        _assert_same_as_a_clean_build(site, f"step {step}: {kind}")
        # Only these leave the rest of the site as it was (body_edits.py): not even the
        # reading time or a related thread changes. New words may or may not move one.
        if kind in ("punctuation", "body"):
            assert report.strategy == "bodies", f"step {step}"
        elif kind not in ("nothing", "words"):
            assert report.strategy == "full", f"step {step}: {kind}"


def _assert_same_as_a_clean_build(site: Path, step: str = "") -> None:
    clean = site.parent / f"{site.name}-clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("output", ".site-builder-cache"))
    build_site(clean)
    assert site_files(site / "output") == site_files(clean / "output"), step


KINDS = ["body", "title", "add", "tags", "delete", "template", "config", "date", "summary",
         "hashtag", "words", "draft", "tweets", "punctuation"]


def _random_change(site: Path, rng: random.Random, step: int) -> str:
    threads = sorted((site / "content").glob("*.md"))
    kind = KINDS[step % len(KINDS)]  # every kind of change at least twice
    victim = rng.choice(threads)
    text = victim.read_text()
    if kind == "punctuation":  # the same words, title and summary: only the body's HTML
        victim.write_text(text.replace(". Et", " ! Et", 1) if ". Et" in text
                          else text.replace(" ! Et", ". Et", 1))
    elif kind == "body":
        victim.write_text(text.replace("Et oui.", f"Et oui {step}."))
    elif kind == "date":  # moves it in the lists, maybe to another month and year
        victim.write_text(text.replace("date: 2024-", f"date: 202{step % 3 + 3}-", 1))
    elif kind == "summary":
        victim.write_text(text.replace("---\n", f"---\nsummary: Résumé {step}\n", 1))
    elif kind == "hashtag":  # links to the tag's page only where the tag exists
        victim.write_text(text.replace("Et oui.", f"Et oui. #{rng.choice(TAGS)} #absent{step}"))
    elif kind == "words":  # new distinctive words: related threads change across the site
        victim.write_text(text.replace("Et oui.", " ".join([f"lingotière{step}"] * 9) + "."))
    elif kind == "draft":
        victim.write_text(text.replace("---\n", "---\ndraft: true\n", 1))
    elif kind == "tweets":  # another tweet: a count that lists show
        victim.write_text(text + f"\n***\n\nEncore {step}.\n")
    elif kind == "title":
        victim.write_text(text.replace("Fil numéro", f"Fil {step} numéro", 1))
    elif kind == "tags":
        victim.write_text(text.replace("tags: [", f"tags: [tag{step}, ", 1))
    elif kind == "add":
        extra = corpus(1, seed=step)["content/t000.md"].replace("fil-0", f"ajout-{step}")
        (site / f"content/ajout{step}.md").write_text(extra)
    elif kind == "delete" and len(threads) > 3:
        victim.unlink()
    elif kind == "template":
        footer = site / "templates/404.html"
        footer.parent.mkdir(exist_ok=True)
        footer.write_text(f'{{% extends "base.html" %}}{{% block main %}}<p>{step}</p>'
                          "{% endblock %}")
    elif kind == "config":
        config = site / "site.yaml"
        config.write_text(config.read_text().replace("per_page: 10", "per_page: 7")
                          if "per_page: 10" in config.read_text()
                          else config.read_text().replace("per_page: 7", "per_page: 10"))
    else:
        return "nothing"  # a delete that would leave too few threads
    edited_victim = kind not in ("add", "template", "config", "delete")
    return "nothing" if edited_victim and victim.read_text() == text else kind


def _tags_of(path: Path) -> list[str]:
    line = next(line for line in path.read_text().splitlines() if line.startswith("tags:"))
    return line[len("tags: ["):-1].split(", ")
