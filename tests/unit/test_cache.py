"""cache: a parse read back from the persistent cache equals the parse that was stored
(less what only the parse reads)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import thread

from site_builder.cache import NOT_KEPT, PARSE_MODULES, CachedParse, HtmlStore, ParseCache
from site_builder.errors import Diagnostics
from site_builder.parse import parse_thread
from site_builder.parse_stage import parse_file

FILES = {
    "day": thread("2024-01-05", tags="[Chine, énergie]"),
    "aware": thread("2024-01-05T09:30:00+02:00", updated="2024-02-01T08:00:00Z",
                    summary="Un résumé", tweet_ids="['123', '456']"),
    "naive": thread("2024-01-05 09:30:00", lang="en", source="https://x.com/a/status/1",
                    body="Code:\n\n```python\nprint(1)\n```\n\n***\n\n#chine suite"),
    "warned": thread("2024-01-05", unknown_key="x"),
    "broken": thread("2024-13-01"),
}


@pytest.mark.parametrize("name", FILES)
def test_a_cached_parse_reads_back_equal(tmp_path: Path, name: str) -> None:
    result, found = parse_thread(FILES[name].encode(), f"content/{name}.md", False, "fr")
    cache = ParseCache(tmp_path, ("options",))
    cache.open()
    tweets = result.body.tweets if result else None
    kept = cache.put(f"{name}.md", CachedParse(1, 2, "sha", result, found), tweets)
    cache.save()
    cache.close()

    again = ParseCache(tmp_path, ("options",))
    again.open()
    if result is not None:  # the HTML is kept apart; what only the parse reads, not at all
        html = result.body.tweets
        result = dataclasses.replace(result, body=dataclasses.replace(result.body, **NOT_KEPT))
        assert HtmlStore(again.path).tweets("sha") == html
    assert kept.surface
    assert again.get(f"{name}.md") == CachedParse(1, 2, "sha", result, found, kept.surface,
                                                  kept.keywords)
    again.close()


def test_a_fresh_parse_holds_no_more_than_one_read_back(tmp_path: Path) -> None:
    """A cold build holds every fresh parse until it ends: one holding what only the parse
    reads (the lead alone) was ~12 MiB more at 10,000 threads."""
    source = tmp_path / "naive.md"
    source.write_text(FILES["naive"], encoding="utf-8")
    sha, result, tweets, found = parse_file((str(source), "content/naive.md", None, False, "fr"))
    assert result is not None and tweets
    cache = ParseCache(tmp_path / "cache", ("options",))
    cache.open()
    cache.put("naive.md", CachedParse(1, 2, str(sha), result, found), tweets)
    cache.save()
    cache.close()
    again = ParseCache(tmp_path / "cache", ("options",))
    again.open()
    entry = again.get("naive.md")
    again.close()
    assert entry is not None and entry.result == result


def surface_of(text: str, tmp_path: Path) -> tuple[str, str]:
    """(surface, keywords) of a file's entry."""
    result, found = parse_thread(text.encode(), "content/x.md", False, "fr")
    cache = ParseCache(tmp_path, ("options",))
    cache.open(load=False)
    try:
        entry = cache.put("x.md", CachedParse(1, 2, "sha of these bytes", result, found), ())
        return entry.surface, entry.keywords
    finally:
        cache.close()


def test_each_connection_keeps_a_small_page_cache(tmp_path: Path) -> None:
    """SQLite's default (2 MiB a connection) was ~5 MiB of a cold build's memory."""
    cache = ParseCache(tmp_path, ("options",))
    cache.open()
    cache.put("a.md", CachedParse(1, 2, "sha", None, Diagnostics()), ("<p>a</p>",))
    cache.save()
    store = HtmlStore(cache.path)
    assert store.tweets("sha") == ("<p>a</p>",)
    for db in (cache._require(), store._db):
        assert db is not None and db.execute("PRAGMA cache_size").fetchone()[0] == -256
    cache.close()


def test_the_surface_is_all_a_record_says_but_its_body_html_and_keywords(
        tmp_path: Path) -> None:
    """Equal surfaces let a build re-render only the pages showing the body (body_edits)."""
    def file(date: str = "2024-01-05", body: str = "Un texte sur les barrages du fleuve.",
             **meta: str) -> str:
        return thread(date, body, title="Barrages", summary="Des barrages.", **meta)

    base, keywords = surface_of(file(), tmp_path)
    assert surface_of(file(body="Un texte sur les barrages du fleuve !"), tmp_path) == \
        (base, keywords)
    # The words count only through the reading time, which body_edits compares itself.
    assert surface_of(file(body="Un texte sur les barrages du bon fleuve."), tmp_path) == \
        (base, keywords)
    # Keywords only through related threads, which body_edits ranks again.
    for other_words in ("Un texte sur les barrages du fleuve jaune.",  # a keyword more
                        "Un texte sur les digues du fleuve."):  # other keywords
        surface, other_keywords = surface_of(file(body=other_words), tmp_path)
        assert (surface, other_keywords != keywords) == (base, True), other_words
    for changed in (file(date="2024-01-06"), file(tags="[eau]"), file(unknown_key="x"),
                    file(body="Un texte sur les #barrages du fleuve.")):  # a hashtag
        assert surface_of(changed, tmp_path)[0] != base, changed


def test_other_options_start_an_empty_cache(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path, ("fr",))
    cache.open()
    result, found = parse_thread(FILES["day"].encode(), "content/day.md", False, "fr")
    cache.put("day.md", CachedParse(1, 2, "sha", result, found), ())
    cache.save()
    cache.close()
    other = ParseCache(tmp_path, ("en",))
    other.open()
    assert other.get("day.md") is None
    other.close()


def test_every_module_that_parsing_loads_is_in_the_code_stamp() -> None:
    """A module missing from PARSE_MODULES could change a parse while the cache answers."""
    code = ("import sys, site_builder.cache, site_builder.highlight\n"
            "print(' '.join(m for m in sys.modules if m.startswith('site_builder.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    defines_no_output = {"errors", "sources"}  # error classes; the digest of a file's bytes
    missing = {name.removeprefix("site_builder.") for name in loaded} - set(PARSE_MODULES)
    assert missing <= defines_no_output, f"add to cache.PARSE_MODULES: {sorted(missing)}"


def test_a_touched_file_keeps_its_parse_with_its_new_stat(tmp_path: Path) -> None:
    result, found = parse_thread(FILES["day"].encode(), "content/day.md", False, "fr")
    cache = ParseCache(tmp_path, ("options",))
    cache.open()
    kept = cache.put("day.md", CachedParse(1, 2, "sha", result, found), ())
    cache.touch("day.md", 5, 2)
    cache.save()
    cache.close()
    again = ParseCache(tmp_path, ("options",))
    again.open()
    entry = again.get("day.md")
    assert entry is not None and entry.result is not None
    assert (entry.mtime_ns, entry.size, entry.sha, entry.surface) == (5, 2, "sha", kept.surface)
    again.close()
