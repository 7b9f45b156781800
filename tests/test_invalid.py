"""Invalid sites: each must fail with exactly its expected errors and leave output/ as it was.

`tests/invalid/<case>/` holds a site and `expected-errors.txt`, the exact `path:line: message`
lines, sorted, in the order the command prints them. Before the failing build, a valid site is
built into the case's output/, so the test can check that a failure changes none of its bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SITE_YAML, copy_site, snapshot, thread, write_tree

from site_builder.build import build
from site_builder.cli import cli
from site_builder.config import load_config
from site_builder.errors import Diagnostics
from site_builder.writer import STATE_DIR

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(path for path in INVALID.iterdir() if (path / "expected-errors.txt").is_file())


def build_previous_output(output: Path, tmp_path: Path) -> None:
    """A valid site built into `output`, as the last good build would have left it."""
    baseline = write_tree(tmp_path / "baseline", {
        "site.yaml": SITE_YAML + f"output: {output}\n",
        "content/a.md": thread("2023-05-01", "A good thread.", title="Good", tags="[ok]"),
        "content/b.md": thread("2023-06-01", "Another.", title="Also good")})
    build(load_config(baseline / "site.yaml"), Diagnostics())
    write_tree(output, {"CNAME": "example.org\n", ".nojekyll": ""})


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_invalid_site(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site(case, tmp_path / "site")
    output = site / "output"
    build_previous_output(output, tmp_path)
    before = snapshot(output)
    expected = (case / "expected-errors.txt").read_text(encoding="utf-8").splitlines()
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(cli, ["build", "--config", str(site / "site.yaml")])

    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 1
    *errors, summary = result.stderr.splitlines()
    assert errors == expected
    assert summary == f"{len(expected)} problem{'s' if len(expected) > 1 else ''}; " \
                      "output was not changed."
    assert snapshot(output) == before
    assert not [p for p in (output / STATE_DIR).iterdir() if "staging" in p.name]
    assert "pwned" not in {p.name for p in tmp_path.rglob("*")}
