"""Deterministic output: the same site gives the same bytes, wherever and however it is built."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_site, site_files, snapshot

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path for path in GOLDEN.iterdir() if (path / "site.yaml").is_file())


def build_in_subprocess(site: Path, **env: str) -> None:
    """A real `site-builder build`, in a process of its own with the given environment."""
    subprocess.run([sys.executable, "-c", "from site_builder.cli import cli; cli()", "build",
                    "--quiet", "--config", str(site / "site.yaml")],
                   env={**os.environ, **env}, cwd=site, check=True)


def leaks_in(output: Path, site: Path) -> dict[str, list[str]]:
    """Files of output/ (the state folder too) that name a local path or the user's home."""
    user = getpass.getuser()
    leaks = [str(site), str(site.parent), str(REPO), str(Path.home()), sys.prefix,
             f"/home/{user}", f"/Users/{user}", f"/{user}/", "site-packages", "file://"]
    found = {}
    for rel, data in snapshot(output).items():
        text = data.decode("utf-8", errors="replace")
        if hits := [leak for leak in leaks if leak in text]:
            found[rel] = hits
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_two_builds_from_two_checkouts_are_byte_identical(case: Path, tmp_path: Path) -> None:
    first = copy_site(case, tmp_path / "a" / "site")
    second = copy_site(case, tmp_path / "b" / "somewhere" / "much" / "deeper" / "checkout")
    build_in_subprocess(first, PYTHONHASHSEED="1", TZ="America/Los_Angeles", LANG="C")
    build_in_subprocess(second, PYTHONHASHSEED="2", TZ="Pacific/Kiritimati",
                        LANG="fr_FR.UTF-8", LC_ALL="")
    assert site_files(first / "output") == site_files(second / "output")
    assert leaks_in(first / "output", first) == {}
    assert leaks_in(second / "output", second) == {}
    # and once more from scratch in the same place
    for generated in (second / "output", second / ".site-builder-cache"):
        shutil.rmtree(generated)
    build_in_subprocess(second, PYTHONHASHSEED="3")
    assert site_files(second / "output") == site_files(first / "output")
