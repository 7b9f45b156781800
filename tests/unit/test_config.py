"""config: site.yaml checked key by key, every problem reported at once, folders resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_tree

from site_builder.config import DEFAULT_BASE_URL, SiteConfig, load_config
from site_builder.errors import BuildFailed, Diagnostics
from site_builder.fields import FieldError


def load(root: Path, text: str | bytes) -> tuple[SiteConfig, list[str]]:
    write_tree(root, {"site.yaml": text})
    diagnostics = Diagnostics()
    config = load_config(root / "site.yaml", diagnostics)
    return config, [str(warning) for warning in diagnostics.warnings]


def errors_of(root: Path, text: str | bytes) -> list[str]:
    write_tree(root, {"site.yaml": text})
    with pytest.raises(BuildFailed) as failed:
        load_config(root / "site.yaml")
    return [str(error) for error in failed.value.errors]


def test_every_key_is_read(tmp_path: Path) -> None:
    config, warnings = load(tmp_path, """\
title: Fils d'ingénieur
description: Des fils.
author: Moi
base_url: https://example.org/archive
language: en
timezone: America/New_York
per_page: 5
words_per_minute: 250
permalink: /{year}/{month}/{day}/{slug}/
allow_html: true
search: false
content: threads
templates: theme
output: public
""")
    assert warnings == []
    assert config == SiteConfig(
        root=tmp_path.resolve(), title="Fils d'ingénieur", description="Des fils.", author="Moi",
        base_url="https://example.org/archive/", language="en", timezone="America/New_York",
        per_page=5, words_per_minute=250, permalink="/{year}/{month}/{day}/{slug}/",
        allow_html=True, search=False, content_dir=tmp_path.resolve() / "threads",
        templates_dir=tmp_path.resolve() / "theme", output_dir=tmp_path.resolve() / "public")
    assert config.base_path == "/archive/"


def test_defaults_and_a_warning_without_base_url(tmp_path: Path) -> None:
    config, warnings = load(tmp_path, "title: T\n")
    assert (config.language, config.timezone, config.per_page, config.words_per_minute) == (
        "fr", "Europe/Paris", 10, 200)
    assert config.permalink == "/{year}/{month}/{slug}/"
    assert config.allow_html is False
    assert config.content_dir == tmp_path.resolve() / "content"
    assert config.output_dir == tmp_path.resolve() / "output"
    assert config.base_url == DEFAULT_BASE_URL and config.base_path == "/"
    assert warnings == [f"site.yaml: no 'base_url': feeds and canonical links use "
                        f"{DEFAULT_BASE_URL} (set it to the address the site is published at)"]


def test_all_errors_at_once_at_their_lines(tmp_path: Path) -> None:
    assert errors_of(tmp_path, """\
title: T
base_url: javascript:alert(1)
language: de
timezone: Mars/Olympus
per_page: 0
words_per_minute: 1e3
permalink: /{year}/{title}/
allow_html: yes
search: on
content: ""
""") == [
        "site.yaml:2: 'base_url' must be an http(s) URL, not \"javascript:alert(1)\"",
        "site.yaml:3: 'language' must be one of fr, en, not \"de\"",
        "site.yaml:4: 'timezone' is not a known time zone: 'Mars/Olympus' "
        "(use an IANA name like Europe/Paris or America/New_York)",
        "site.yaml:5: 'per_page' must be between 1 and 1000, not 0",
        "site.yaml:6: 'words_per_minute' is not a whole number: \"1e3\" "
        "(write a number between 10 and 2000)",
        "site.yaml:7: 'permalink' must start and end with '/' and use {slug}, "
        "with only {year}, {month}, {day}, {slug}",
        "site.yaml:8: 'allow_html' must be true or false, not \"yes\"",
        "site.yaml:9: 'search' must be true or false, not \"on\"",
        "site.yaml:10: 'content' must name a folder",
    ]


@pytest.mark.parametrize("base_url", ["https://e.org/?q=1", "https://e.org/#top",
                                      "https:///archive/"])
def test_base_url_with_query_fragment_or_no_host(tmp_path: Path, base_url: str) -> None:
    assert errors_of(tmp_path, f"base_url: {base_url}\n") == [
        f"site.yaml:1: 'base_url' must be like https://example.org/ or "
        f"https://example.org/archive/, not {base_url!r}"]


@pytest.mark.parametrize("timezone", ["../../etc/passwd", "/etc/localtime", "Paris"])
def test_timezone_must_be_an_iana_name(tmp_path: Path, timezone: str) -> None:
    assert errors_of(tmp_path, f"timezone: {timezone}\n") == [
        f"site.yaml:1: 'timezone' is not a known time zone: {timezone!r} "
        "(use an IANA name like Europe/Paris or America/New_York)"]


def test_unknown_key_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    _, warnings = load(tmp_path, "base_url: https://e.org/\ntittle: x\n")
    assert warnings == ["site.yaml:2: unknown key 'tittle' (did you mean 'title'?)"]


def test_yaml_problems_are_errors(tmp_path: Path) -> None:
    assert errors_of(tmp_path, "title: x\ntitle: y\n") == [
        "site.yaml:2: duplicate key 'title' (it is already set on line 1)"]
    assert errors_of(tmp_path, "title: 'x\n") == [
        "site.yaml:1: invalid YAML: found unexpected end of stream (a quote is not closed)"]
    assert errors_of(tmp_path, "- a\n") == [
        "site.yaml:1: expected `key: value` lines, found a single value"]
    assert errors_of(tmp_path, "title: [a]\n") == [
        "site.yaml:1: 'title' must be a single value, not a list or mapping"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path / "site.yaml")
    assert [str(e) for e in failed.value.errors] == [
        "site.yaml: not found (run `site-builder init` to start a site)"]


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    config, _ = load(tmp_path, b"\xef\xbb\xbftitle: x\r\nbase_url: https://e.org\r\n")
    assert (config.title, config.base_url) == ("x", "https://e.org/")


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, b"title: Fils d'ing\xe9nieur\n")
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml")
    assert "not UTF-8 text" in errors[0] and "re-encode the file as UTF-8" in errors[0]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, b"base_url: https://e.org/\ntitle: Fils d'ing\xe9nieur\n")
    assert errors == ["site.yaml:2: not UTF-8 text (byte 0xe9) "
                      "(re-encode the file as UTF-8, e.g. iconv -f cp1252 -t utf-8 site.yaml)"]


def test_overrides_win_and_folders_resolve_from_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, _ = load(tmp_path, "base_url: https://e.org/\n")
    monkeypatch.chdir(tmp_path)
    changed = config.with_overrides(output_dir="public", content_dir=None, drafts=True,
                                    base_url="https://e.org/sub")
    assert changed.output_dir == tmp_path.resolve() / "public"
    assert changed.content_dir == config.content_dir
    assert changed.drafts is True
    assert changed.base_url == "https://e.org/sub/" and changed.base_path == "/sub/"


def test_a_bad_base_url_override_is_refused(tmp_path: Path) -> None:
    config, _ = load(tmp_path, "base_url: https://e.org/\n")
    with pytest.raises(FieldError):
        config.with_overrides(base_url="javascript:alert(1)")


def test_display_path(tmp_path: Path) -> None:
    config, _ = load(tmp_path, "base_url: https://e.org/\n")
    assert config.display_path(config.root / "content" / "a.md") == "content/a.md"
    assert config.display_path(Path("/elsewhere/a.md")) == "/elsewhere/a.md"
