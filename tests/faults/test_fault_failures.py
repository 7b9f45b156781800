"""Issue 7, failures: a failed build changes nothing in output/ and leaves no staging behind.

Already covered elsewhere: a template error in 1 page of 150 and a full disk by RLIMIT_FSIZE
(tests/unit/test_build.py), invalid sites (tests/test_invalid.py). Here: 500 threads, so parsing
and rendering run in worker processes; an internal exception after N staged files; a full disk
(ENOSPC) while staging and while swapping into output/; `--debug` and tracebacks; the errors
of many files in one run, sorted.
"""

from __future__ import annotations

import errno
import os
import pathlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    SITE_YAML,
    build_errors,
    build_site,
    failing_thread_template,
    snapshot,
    thread,
    write_tree,
)

from site_builder import render, transaction
from site_builder.errors import BuildFailed
from site_builder.writer import STATE_DIR

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "templates"
N = 25  # files staged or moved before the simulated fault


def staging_left(output: Path) -> list[str]:
    state = output / STATE_DIR
    return sorted(p.name for p in state.iterdir()
                  if "staging" in p.name or "aside" in p.name or p.suffix == ".tmp")


def many_threads(count: int) -> dict[str, str]:
    return {f"content/t{i:03d}.md": thread(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                           f"Body of thread {i}.", title=f"Thread {i}",
                                           tags=f"[t{i % 5}]")
            for i in range(count)}


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 threads built once: enough pages (> render.PARALLEL_FROM) for worker processes."""
    root = tmp_path_factory.mktemp("big") / "site"
    report = build_site(root, many_threads(500))
    assert report.pages > render.PARALLEL_FROM
    return root


def copy_of(site: Path, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(site, target, symlinks=True)
    return target


def touch_theme(root: Path) -> None:
    """A site template that changes every page, so the next build renders all of them."""
    write_tree(root, {"templates/base.html": (THEME / "base.html").read_text() + "\n<!-- x -->\n"})


def after_n_calls(function: Callable[..., Any], fault: Callable[[], BaseException],
                  n: int = N) -> Callable[..., Any]:
    """`function`, failing with `fault()` from its (n+1)-th call on (per process)."""
    calls = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] > n:
            raise fault()
        return function(*args, **kwargs)

    return wrapped


# --- a template error in 1 page of 500 ----------------------------------------------------------

def test_a_template_error_in_one_page_of_500(big_site: Path, tmp_path: Path) -> None:
    root = copy_of(big_site, tmp_path)
    before = snapshot(root / "output")
    template, line = failing_thread_template("Thread 377")
    errors = build_errors(root, {"templates/thread.html": template})
    assert errors == [f"templates/thread.html:{line}: template error: 'dict object' has no "
                      f"attribute 'no_such_key' (rendering /2024/06/thread-377/)"]
    assert snapshot(root / "output") == before
    assert staging_left(root / "output") == []


# --- an internal exception after N files ---------------------------------------------------------

@pytest.mark.parametrize("size", ["serial", "worker processes"])
def test_an_exception_after_n_files_changes_nothing(
        big_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: str) -> None:
    """A bug in our code keeps its traceback (it is no BuildFailed) and output/ its bytes."""
    if size == "serial":
        root = tmp_path / "small"
        build_site(root, many_threads(20))
    else:
        root = copy_of(big_site, tmp_path)
    before = snapshot(root / "output")
    touch_theme(root)
    # Workers are forked from this process, so they inherit the patch.
    monkeypatch.setattr(render, "stage_bytes", after_n_calls(
        render.stage_bytes, lambda: RuntimeError("simulated bug in the render stage")))
    with pytest.raises(RuntimeError, match="simulated bug in the render stage"):
        build_site(root)
    assert snapshot(root / "output") == before
    assert staging_left(root / "output") == []


# --- a full disk ---------------------------------------------------------------------------------

def disk_full_in_staging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes into the staging folder fail with ENOSPC after N files, as on a full disk."""
    real = pathlib.Path.write_bytes
    calls = [0]

    def write_bytes(self: pathlib.Path, data: bytes) -> int:
        if f"/{STATE_DIR}/staging-" in self.as_posix():
            calls[0] += 1
            if calls[0] > N:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)


def test_a_full_disk_while_staging_changes_nothing(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    build_site(root, many_threads(20))
    before = snapshot(root / "output")
    touch_theme(root)
    disk_full_in_staging(monkeypatch)
    with pytest.raises(BuildFailed) as failed:
        build_site(root)
    (error,) = [str(e) for e in failed.value.errors]
    assert re.fullmatch(rf"output/{STATE_DIR}/staging-[0-9]+/[0-9a-f]+: cannot write: "
                        r"No space left on device \(free some space or fix the folder's "
                        r"permissions\)", error), error
    assert snapshot(root / "output") == before
    assert staging_left(root / "output") == []


def fail_once(function: Callable[..., Any], fails: Callable[..., bool]) -> Callable[..., Any]:
    """`function`, raising ENOSPC on the first call for which `fails(*args)` is true."""
    failed = [False]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not failed[0] and fails(*args):
            failed[0] = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return function(*args, **kwargs)

    return wrapped


@pytest.mark.parametrize("where", ["moving pages", "saving the manifest"])
def test_a_full_disk_while_swapping_into_output_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Every move into output/ is a rename that the build undoes if a later one fails."""
    root = tmp_path / "site"
    build_site(root, many_threads(20))
    before = snapshot(root / "output")
    touch_theme(root)
    calls = [0]

    def fails(_source: object, target: object) -> bool:
        calls[0] += 1
        name = Path(str(target)).name
        return calls[0] > N if where == "moving pages" else name == "manifest.marshal"

    monkeypatch.setattr(transaction.os, "rename", fail_once(os.rename, fails))
    with pytest.raises(BuildFailed):
        build_site(root)
    assert staging_left(root / "output") == []
    assert snapshot(root / "output") == before


# --- tracebacks and --debug ----------------------------------------------------------------------

BUGGY_CLI = """\
import sys
import site_builder.build

def discover(*args, **kwargs):
    raise RuntimeError("simulated bug in site-builder")

site_builder.build.discover = discover
sys.argv[0] = "site-builder"
from site_builder.console import main
main()
"""


def run_buggy_build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BUGGY_CLI, *options, "build"], cwd=root,
                          capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    build_site(tmp_path, {"site.yaml": SITE_YAML, "content/a.md": thread(title="A")})
    write_tree(tmp_path, {"content/b.md": thread(title="B")})  # so the next build is no no-op
    return tmp_path


def test_debug_shows_the_traceback_of_an_internal_error(built_site: Path) -> None:
    before = snapshot(built_site / "output")
    result = run_buggy_build(built_site, "--debug")
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.rstrip().endswith("RuntimeError: simulated bug in site-builder")
    assert snapshot(built_site / "output") == before


def test_without_debug_an_internal_error_is_one_message_without_traceback(
        built_site: Path) -> None:
    before = snapshot(built_site / "output")
    result = run_buggy_build(built_site)
    assert result.returncode != 0
    assert "simulated bug in site-builder" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built_site / "output") == before


# --- every error of a run, sorted ----------------------------------------------------------------

BAD = [  # (file text, line, message) for each kind of bad file
    (thread("2024-02-30"), 2,
     "'date' is not a date: \"2024-02-30\" (write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)"),
    (thread(tweets="-3"), 3, "'tweets' must be between 1 and 100000, not -3"),
    (thread(title="T", tags='"a, b"'), 4, "'tags' must be a list, not \"a, b\" "
                                          "(write tags: [a, b])"),
    (thread(title="T", source="javascript:alert(1)"), 4,
     "'source' must be an http(s) URL, not \"javascript:alert(1)\""),
    ("Just a body.\n", 1,
     "no front-matter (did you forget the `---` line before `date: YYYY-MM-DD`?)"),
    ("---\ndate: 2024-01-05\ntitle: \"open\n---\nB.\n", 3,
     "invalid YAML: found unexpected end of stream (a quote is not closed)"),
]


def test_the_errors_of_many_files_are_all_reported_in_one_run_sorted(tmp_path: Path) -> None:
    """250 files (parsed in worker processes), 30 bad ones in several folders."""
    files: dict[str, str | bytes] = dict(many_threads(220))
    expected = []
    for index in range(30):
        text, line, message = BAD[index % len(BAD)]
        path = f"content/{'zyx'[index % 3]}/bad-{29 - index}.md"
        files[path] = text
        expected.append((path, line, f"{path}:{line}: {message}"))
    cp1252 = "content/a/cp1252.md"
    files[cp1252] = "---\ndate: 2024-01-05\n---\nUn café.\n".encode("cp1252")
    expected.append((cp1252, 4, f"{cp1252}:4: not UTF-8 text (byte 0xe9) (re-encode the file "
                                f"as UTF-8, e.g. iconv -f cp1252 -t utf-8 {cp1252})"))
    assert build_errors(tmp_path, files) == [text for *_, text in sorted(expected)]
    assert not (tmp_path / "output").exists()


def test_parse_errors_and_url_collisions_are_reported_in_one_run(tmp_path: Path) -> None:
    assert build_errors(tmp_path, {"content/a.md": thread(title="Same"),
                                   "content/b.md": thread(title="Same"),
                                   "content/c.md": thread("2024-02-30")}) == [
        "content/b.md:1: same URL /2024/01/same/ as content/a.md "
        "(give one of them another 'slug' or 'title')",
        "content/c.md:2: 'date' is not a date: \"2024-02-30\" "
        "(write YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)"]
