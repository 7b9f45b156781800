"""`serve` as a command: clear refusals with exit 1, a warning for 0.0.0.0, a clean stop."""

from __future__ import annotations

import socket
import subprocess
import sys
import webbrowser
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.serve import serve_command

SERVE = [sys.executable, "-c", "from site_builder.serve import serve_command; serve_command()"]


def write_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nlanguage: en\n"
                                    "timezone: Europe/London\nsearch: false\n", encoding="utf-8")
    (root / "content/2024-01-02-a.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\nA.\n",
                                                  encoding="utf-8")
    return root / "site.yaml"


def test_a_busy_port_is_named_and_exits_1(tmp_path: Path) -> None:
    config = write_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve_command, ["--config", str(config), "--port", str(port)])
    assert result.exit_code == 1
    assert f"error: port {port} on 127.0.0.1 is already in use" in result.output
    assert "--port" in result.output
    assert not (tmp_path / "output").exists()  # refused before building anything


def test_a_missing_site_yaml_exits_1_with_its_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--config", str(tmp_path / "site.yaml")])
    assert result.exit_code == 1
    assert "site.yaml: not found" in result.output


def test_an_output_folder_that_is_not_ours_is_never_served(tmp_path: Path) -> None:
    config = write_site(tmp_path)
    (tmp_path / "output").mkdir()
    (tmp_path / "output/precious.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(serve_command, ["--config", str(config), "--port", "0"])
    assert result.exit_code == 1
    assert "error: output folder" in result.output
    assert "Serving on" not in result.output
    assert (tmp_path / "output/precious.txt").read_text(encoding="utf-8") == "mine"


def test_all_addresses_warns_then_serves_and_stops_cleanly(tmp_path: Path) -> None:
    config = write_site(tmp_path)
    process = subprocess.Popen([*SERVE, "--config", str(config), "--host", "0.0.0.0",
                                "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        assert process.stderr.readline().startswith("warning: --host 0.0.0.0 makes the preview")
        assert process.stdout.readline().startswith("Built 1 threads")
        assert process.stdout.readline().startswith("Serving on http://127.0.0.1:")
        process.terminate()
        out, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out.strip() == "Stopped."
    assert not list((tmp_path / "output/.site-builder").glob("staging-*"))


def test_open_opens_the_served_url_once_built(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_site(tmp_path)
    opened: list[str] = []

    def fake_open(url: str) -> None:
        opened.append(url)
        raise KeyboardInterrupt  # stop serving, as Ctrl-C would

    monkeypatch.setattr(webbrowser, "open", fake_open)
    result = CliRunner().invoke(serve_command, ["--config", str(config), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1
    assert opened[0].startswith("http://127.0.0.1:")
    assert f"Serving on {opened[0]} " in result.output
    assert (tmp_path / "output/index.html").is_file()
    assert result.output.rstrip().endswith("Stopped.")
