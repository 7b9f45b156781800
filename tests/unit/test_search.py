"""search: Pagefind indexes the built pages in the site's language and swaps its bundle in whole."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pytest
from helpers import snapshot, write_tree

from site_builder import search
from site_builder.search import SearchUnavailable, index_site


def thread_page(title: str, date: str, text: str) -> str:
    return ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>x</title></head>'
            f'<body><header>Menu</header><article data-pagefind-body><h1 data-pagefind-meta='
            f'"title">{title}</h1><p data-pagefind-meta="date:{date}">{date}</p><p>{text}</p>'
            '</article></body></html>')


def tiny_site(output: Path) -> Path:
    """What a build leaves: threads, a list page, the search page, and our state folder."""
    return write_tree(output, {
        "2025/09/terres-rares/index.html": thread_page(
            "Terres rares", "12 septembre 2025", "Les aimants permanents sont partout."),
        "2025/10/acier/index.html": thread_page("Acier", "1 octobre 2025", "Le haut fourneau."),
        "index.html": '<html lang="fr"><body><a href="2025/09/terres-rares/">aimants</a></body>',
        "search/index.html": ('<html lang="fr"><body><section data-pagefind-ignore="all">'
                              '<h1>Rechercher</h1><div id="search"></div></section></body>'),
        ".site-builder/manifest.marshal": "{}",
        ".site-builder/staging-9/2025/11/brouillon/index.html": thread_page(
            "Brouillon", "1 novembre 2025", "Pas encore publié."),
    })


def indexed(output: Path) -> dict[str, dict[str, object]]:
    """Pagefind's own record of each page (url -> fragment): what the search UI will show."""
    fragments = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        fragments[fragment["url"]] = fragment
    return fragments


def test_indexes_the_threads_in_french_with_title_and_date(tmp_path: Path) -> None:
    output = tiny_site(tmp_path / "output")
    report = index_site(output, "fr")
    assert report.pages == 2
    assert report.language == "fr"
    assert report.seconds > 0
    pages = indexed(output)
    assert sorted(pages) == ["/2025/09/terres-rares/", "/2025/10/acier/"]
    assert pages["/2025/09/terres-rares/"]["meta"] == {"title": "Terres rares",
                                                       "date": "12 septembre 2025"}
    assert "aimants permanents" in str(pages["/2025/09/terres-rares/"]["content"])
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr"]
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (output / "pagefind" / name).is_file()
    assert sorted(p.name for p in (output / ".site-builder").iterdir()) == [
        "manifest.marshal", "staging-9"]


def test_elisions_are_indexed_as_separate_words_and_pages_are_untouched(tmp_path: Path) -> None:
    output = tiny_site(tmp_path / "output")
    page = output / "2025/10/acier/index.html"
    page.write_text(thread_page("L’acier vert", "1 octobre 2025",
                                "Aujourd’hui, l’usine d’acier : ‘cité’ 2’30."), encoding="utf-8")
    before = snapshot(output)
    index_site(output, "fr")
    fragment = indexed(output)["/2025/10/acier/"]
    assert fragment["meta"]["title"] == "L'acier vert"  # type: ignore[index]
    assert "Aujourd'hui, l'usine d'acier : ‘cité’ 2’30." in str(fragment["content"])
    assert {rel: data for rel, data in snapshot(output).items()
            if not rel.startswith("pagefind/")} == before


def test_a_new_index_replaces_the_old_bundle_whole(tmp_path: Path) -> None:
    output = tiny_site(tmp_path / "output")
    write_tree(output, {"pagefind/stale.pf_fragment": "old", "pagefind/pagefind.js": "old"})
    report = index_site(output, "fr")
    assert not (output / "pagefind" / "stale.pf_fragment").exists()
    assert "pagefind/stale.pf_fragment" in report.removed
    assert "pagefind/pagefind.js" in report.written
    again = index_site(output, "fr")
    assert (again.written, again.removed) == ([], [])
    (output / "2025/10/acier/index.html").unlink()
    after_delete = index_site(output, "fr")
    assert after_delete.pages == 1
    assert "pagefind/pagefind-entry.json" in after_delete.written
    assert after_delete.removed


def test_english_sites_are_indexed_in_english(tmp_path: Path) -> None:
    output = tiny_site(tmp_path / "output")
    index_site(output, "en")
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]


def fake_pagefind(tmp_path: Path, script: str) -> str:
    binary = tmp_path / "fake-pagefind"
    binary.write_text("#!/bin/sh\n" + script + "\n")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return str(binary)


def test_a_failed_index_keeps_the_previous_search(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    output = tiny_site(tmp_path / "output")
    index_site(output, "fr")
    before = snapshot(output / "pagefind")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(
        tmp_path, 'echo "Running Pagefind"; echo "Error: the disk is on fire" >&2; exit 1'))
    with pytest.raises(SearchUnavailable) as failure:
        index_site(output, "fr")
    assert str(failure.value) == "Pagefind failed: the disk is on fire"
    assert snapshot(output / "pagefind") == before
    assert not list((output / ".site-builder").glob("pagefind-*"))


def test_an_incomplete_bundle_is_not_published(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    output = tiny_site(tmp_path / "output")
    write_tree(output, {"pagefind/pagefind-entry.json": "previous"})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(
        tmp_path, 'while [ "$1" != "--output-path" ]; do shift; done; mkdir -p "$2"; '
                  'echo "{}" > "$2/pagefind-entry.json"'))
    with pytest.raises(SearchUnavailable, match=r"incomplete bundle \(no pagefind.js, "):
        index_site(output, "fr")
    assert (output / "pagefind" / "pagefind-entry.json").read_text() == "previous"


def test_a_binary_that_cannot_run_is_one_clear_line(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    output = tiny_site(tmp_path / "output")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-binary"))
    with pytest.raises(SearchUnavailable) as failure:
        index_site(output, "fr")
    assert str(failure.value) == (f"the Pagefind binary {tmp_path / 'no-such-binary'} "
                                  "is missing or not executable")
    crashing = fake_pagefind(tmp_path, "echo \"thread 'main' panicked at src/x.rs:1:2:\" >&2; "
                                       "echo 'no space left on device' >&2; exit 101")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", crashing)
    with pytest.raises(SearchUnavailable) as failure:
        index_site(output, "fr")
    assert str(failure.value) == "Pagefind failed: no space left on device"
    assert not (output / "pagefind").exists()


def test_missing_package_or_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tiny_site(tmp_path / "output")
    monkeypatch.setattr(search.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SearchUnavailable, match=r"^the pagefind package is not installed; "
                                                r"install it with: pip install "):
        index_site(output, "fr")
    monkeypatch.undo()
    import pagefind.service

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(SearchUnavailable, match=r"^the Pagefind binary is missing"):
        index_site(output, "fr")


def test_no_site_no_index(tmp_path: Path) -> None:
    with pytest.raises(SearchUnavailable, match="no built site at"):
        index_site(tmp_path / "missing", "fr")
    foreign = write_tree(tmp_path / "foreign", {"index.html": "<p>not ours</p>"})
    with pytest.raises(SearchUnavailable, match="no built site at"):
        index_site(foreign, "fr")
    assert sorted(p.name for p in foreign.iterdir()) == ["index.html"]
