"""cli: exit 0 on success, 1 on problems in the site, 2 on usage errors; problems as path:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import SITE_YAML, site_files, snapshot, thread, write_tree

from site_builder.cli import cli
from site_builder.errors import Diagnostics
from site_builder.frontmatter import split_front_matter

SUMMARY = re.compile(r"Built (\d+) threads, (\d+) pages \((\d+) written, (\d+) removed\) "
                     r"in \d+\.\d\d s(, search index \d+\.\d\d s)?")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, {"site.yaml": SITE_YAML, "content/a.md": thread(title="A")})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr


def test_build_prints_one_summary_line(site: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = SUMMARY.fullmatch(lines[0])
    assert match is not None, lines
    assert match.group(1) == "1" and match.group(2) == match.group(3)
    assert result.stderr == ""
    assert "2024/01/a/index.html" in site_files(site / "output")


def test_quiet_prints_nothing(site: Path) -> None:
    result = run("build", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_warnings_go_to_stderr_and_strict_makes_them_errors(site: Path) -> None:
    write_tree(site, {"content/b.md": thread(title="B", tag="[x]")})
    result = run("build")
    assert result.exit_code == 0
    assert result.stderr == "warning: content/b.md:4: unknown key 'tag' (did you mean 'tags'?)\n"
    strict = run("build", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr == ("content/b.md:4: unknown key 'tag' (did you mean 'tags'?)\n"
                             "1 problem; output was not changed.\n")


def test_content_errors_exit_1_with_every_problem_and_output_unchanged(site: Path) -> None:
    assert run("build").exit_code == 0
    before = snapshot(site / "output")
    write_tree(site, {"content/b.md": thread("2024-02-30"),
                      "content/c.md": "---\ndate: 2024-01-05\ntags: \"x, y\"\n---\nC.\n"})
    result = run("build")
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert result.stdout == ""
    assert result.stderr == (
        "content/b.md:2: 'date' is not a date: \"2024-02-30\" "
        "(write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)\n"
        "content/c.md:3: 'tags' must be a list, not \"x, y\" (write tags: [x, y])\n"
        "2 problems; output was not changed.\n")
    assert snapshot(site / "output") == before


def test_config_errors_exit_1(site: Path) -> None:
    write_tree(site, {"site.yaml": "per_page: 0\nlanguage: de\n"})
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == ("site.yaml:1: 'per_page' must be between 1 and 1000, not 0\n"
                             "site.yaml:2: 'language' must be one of fr, en, not \"de\"\n"
                             "2 problems; output was not changed.\n")


def test_a_missing_config_exits_1(site: Path) -> None:
    result = run("build", "--config", "other.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("other.yaml: not found (run `site-builder init` to start a site)\n"
                             "1 problem; output was not changed.\n")


@pytest.mark.parametrize("args", [["build", "--no-such-option"], ["no-such-command"],
                                  ["build", "extra-argument"], ["new"], ["init"]])
def test_usage_errors_exit_2(site: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert not (site / "output").exists()


def test_a_bad_base_url_option_is_a_usage_error(site: Path) -> None:
    result = run("build", "--base-url", "javascript:alert(1)")
    assert_no_traceback(result)
    assert result.exit_code == 2
    assert "base_url" in result.stderr


@pytest.mark.parametrize("output", [".", "content", ".."])
def test_unsafe_output_exits_1_and_deletes_nothing(site: Path, output: str) -> None:
    before = snapshot(site)
    result = run("build", "--output", output)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert result.stderr.startswith("error: output folder ")
    assert snapshot(site) == before


def test_options_override_site_yaml(site: Path) -> None:
    write_tree(site, {"threads/x.md": thread(title="X"),
                      "threads/d.md": thread(title="D", draft="true")})
    result = run("build", "--content", "threads", "--output", "public", "--drafts",
                 "--base-url", "https://example.org/sub")
    assert result.exit_code == 0, result.stderr
    files = site_files(site / "public")
    assert {"2024/01/x/index.html", "2024/01/d/index.html"} <= set(files)
    assert "2024/01/a/index.html" not in files
    assert b"https://example.org/sub/2024/01/x/" in files["2024/01/x/index.html"]


def test_new_writes_a_dated_thread_once(site: Path) -> None:
    result = run("new", "L'économie, c'est…", "--tags", "chine, industrie")
    assert result.exit_code == 0, result.stderr
    (created,) = result.stdout.splitlines()
    assert re.fullmatch(r"content/\d{4}-\d\d-\d\d-l-economie-c-est\.md", created)
    diagnostics = Diagnostics()
    split = split_front_matter((site / created).read_text(), created, diagnostics)
    assert diagnostics.errors == [] and split is not None
    meta = {key: value.data for key, value in split.meta.items()}
    assert meta["title"] == "L'économie, c'est…"
    assert [item.data for item in meta["tags"]] == ["chine", "industrie"]  # type: ignore[union-attr]
    assert meta["date"] == created[8:18]
    again = run("new", "L'économie, c'est…")
    assert again.exit_code == 1
    assert again.stderr == f"Error: {created} already exists\n"
    assert run("build").exit_code == 0


@pytest.mark.parametrize("language", ["fr", "en"])
def test_init_makes_a_site_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       language: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "archive", "--language", language)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Next: cd archive && site-builder build"
    monkeypatch.chdir(tmp_path / "archive")
    built = run("build")
    assert built.exit_code == 0, built.stderr
    assert SUMMARY.fullmatch(built.stdout.strip())
    assert "index.html" in site_files(tmp_path / "archive" / "output")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path / "archive")
    refused = run("init", "archive")
    assert refused.exit_code == 1
    assert refused.stderr == "Error: archive/site.yaml already exists; not touching it\n"
    assert snapshot(tmp_path / "archive") == before


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("site-builder, version ")
