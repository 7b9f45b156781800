"""rerun: a build typed again as last time builds from what that one read, and prints the same;
whatever could change what the arguments or site.yaml mean goes through click again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SITE_YAML, site_files, snapshot, thread, write_tree

from site_builder import console, rerun
from site_builder.config import CACHE_FOLDER


class Console:
    """Runs `site-builder ARGS` in this process, as the console script does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                 ) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys
        self.reran: list[bool] = []  # what rerun.rerun answered, each time
        real = rerun.rerun

        def spy(arguments: list[str]) -> bool:
            try:
                answer = real(arguments)
            except SystemExit:  # a build with problems, run from the record
                self.reran.append(True)
                raise
            self.reran.append(answer)
            return answer

        monkeypatch.setattr(rerun, "rerun", spy)

    def __call__(self, *arguments: str) -> tuple[int, str, str]:
        """(exit code, stdout, stderr)"""
        self.monkeypatch.setattr(sys, "argv", ["site-builder", *arguments])
        try:
            console.main()
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, {"site.yaml": SITE_YAML, "content/a.md": thread(title="A")})
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Console:
    return Console(monkeypatch, capsys)


def without_time(text: str) -> str:
    return text.rsplit(" in ", 1)[0]


def test_the_same_command_again_builds_without_click_and_says_the_same(site: Path,
                                                                       run: Console) -> None:
    first = run("build")
    write_tree(site, {"content/b.md": thread(title="B")})
    second = run("build")
    assert run.reran == [False, True]
    assert (first[0], second[0]) == (0, 0)
    assert without_time(first[1]).startswith("Built 1 threads, ")
    assert without_time(second[1]).startswith("Built 2 threads, ")
    assert first[2] == second[2] == ""
    assert "2024/01/b/index.html" in site_files(site / "output")


def test_a_changed_site_yaml_is_read_again(site: Path, run: Console) -> None:
    run("build")
    write_tree(site, {"site.yaml": SITE_YAML.replace("Test archive", "Renamed archive")})
    run("build")
    run("build")
    assert run.reran == [False, False, True]
    assert "Renamed archive" in (site / "output/index.html").read_text(encoding="utf-8")


def test_other_arguments_are_read_by_click(site: Path, run: Console) -> None:
    assert run("build")[0] == 0
    assert run("build", "--quiet") == (0, "", "")
    assert run("build", "--quiet") == (0, "", "")
    assert run.reran == [False, False, True]


def test_warnings_from_site_yaml_are_said_on_every_build(site: Path, run: Console) -> None:
    write_tree(site, {"site.yaml": SITE_YAML.replace("base_url: https://example.org/\n", "")})
    first = run("build")
    write_tree(site, {"content/b.md": thread(title="B")})  # a full build, not the last's word
    second = run("build")
    assert run.reran == [False, True]
    assert first[2] == second[2] != ""
    assert "no 'base_url'" in second[2]


def test_problems_are_reported_the_same_and_the_output_is_kept(site: Path,
                                                              run: Console) -> None:
    run("build")
    before = snapshot(site / "output")
    write_tree(site, {"content/bad.md": thread(date="2025-13-01")})
    (site / CACHE_FOLDER / rerun.NAME).unlink()
    first, second = run("build"), run("build")
    assert run.reran == [False, False, True]
    assert first == second
    assert first[0] == 1 and "content/bad.md:2: 'date' is not a date" in first[2]
    assert snapshot(site / "output") == before


def test_other_code_reads_site_yaml_again(site: Path, run: Console,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    run("build")
    monkeypatch.setattr(rerun, "code_digest", lambda: b"other code")
    run("build")
    assert run.reran == [False, False]


def test_a_damaged_record_is_ignored_and_replaced(site: Path, run: Console) -> None:
    run("build")
    record = site / CACHE_FOLDER / rerun.NAME
    for damage in (b"", b"not marshal", record.read_bytes()[:-9]):
        record.write_bytes(damage)
        assert run("build")[0] == 0
    run("build")
    assert run.reran == [False, False, False, False, True]


def test_only_a_site_in_the_working_folder_and_a_plain_build_are_recorded(
        site: Path, run: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    record = site / CACHE_FOLDER / rerun.NAME
    monkeypatch.chdir(site / "content")
    assert run("build", "--config", "../site.yaml")[0] == 0
    assert not record.exists()
    monkeypatch.chdir(site)
    assert run("build", "--check")[0] == 0
    assert not record.exists()


def test_a_repeated_build_loads_neither_click_nor_yaml(site: Path) -> None:
    """Nor dataclasses (errors.py says why), JSON, shutil, datetime or hashlib (which loads
    OpenSSL; sources.py): each costs a few percent of a build that finds nothing changed."""
    script = ("import sys; sys.argv = ['site-builder', 'build', '--quiet']\n"
              "from site_builder.console import main\n"
              "main()\n"
              "print(sorted({'click', 'yaml', 'jinja2', 'markdown_it', 'dataclasses', 'json',\n"
              "              'shutil', 'datetime', 'hashlib'}\n"
              "             & set(sys.modules)))")
    def loaded() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                              text=True, check=True).stdout.strip()

    subprocess.run([sys.executable, "-c", script], cwd=site, check=False)  # the first build
    assert loaded() == "[]"


def test_a_body_edit_loads_no_worker_machinery(site: Path) -> None:
    """It parses one file and renders a few pages in process: multiprocessing and
    concurrent.futures would be ~15 ms of its imports for nothing."""
    script = ("import sys; sys.argv = ['site-builder', 'build', '--quiet']\n"
              "from site_builder.console import main\n"
              "main()\n"
              "print(sorted({'multiprocessing', 'concurrent.futures'} & set(sys.modules)))")
    page = site / "content/a.md"
    page.write_text(thread(title="A", summary="A summary the edit leaves alone."))
    subprocess.run([sys.executable, "-c", script], cwd=site, check=True, capture_output=True)
    page.write_text(page.read_text().replace("Then more.", "Then more still."))
    edited = subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                            text=True, check=True).stdout
    assert edited.strip() == "[]"


def test_editing_the_prose_of_a_thread_with_code_again_loads_no_pygments(site: Path) -> None:
    """The body-edit build keeps the code blocks it highlighted (markdown.Highlights): the next
    save of the same thread's prose reuses them, and the page is the clean build's. (The
    `pygments` package itself is imported for its version, cache.code_stamp: it is light.)"""
    script = ("import sys; sys.argv = ['site-builder', 'build', '--quiet']\n"
              "from site_builder.console import main\n"
              "main()\n"
              "print('pygments.lexer' in sys.modules)")
    page = site / "content/a.md"
    body = "Some prose. Then more.\n\n```python\nprint('x')\n```\n"
    page.write_text(thread(title="A", summary="A summary the edits leave alone.", body=body))

    def build() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                              text=True, check=True).stdout.strip()

    build()
    loaded = []
    for words in ("still", "and again"):
        page.write_text(page.read_text().replace("Then more", f"Then more {words}"))
        loaded.append(build())
    assert loaded == ["True", "False"]  # the first edit highlights, the second reuses
    edited = site_files(site / "output")
    assert 'class="code"' in edited["2024/01/a/index.html"].decode()
    shutil.rmtree(site / "output")
    shutil.rmtree(site / CACHE_FOLDER)
    build()
    assert site_files(site / "output") == edited
