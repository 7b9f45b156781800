"""The preview server over raw HTTP: traversal, Host and Origin refused; builds and reloads."""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder.build import BuildReport, build
from site_builder.config import SiteConfig, load_config
from site_builder.errors import Diagnostics
from site_builder.serve import POLL_SECONDS, PreviewServer

THREAD = """---
title: {title}
date: 2024-01-02
tags: [essai]
---
{body}
"""


def write_site(root: Path, base_url: str = "https://example.org/", body: str = "First.") -> Path:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"title: Test site\nbase_url: {base_url}\nlanguage: en\n"
                                    "timezone: Europe/London\nsearch: false\n", encoding="utf-8")
    write_thread(root, body)
    return root / "site.yaml"


def write_thread(root: Path, body: str, title: str = "Hello world") -> None:
    path = root / "content/2024-01-02-hello.md"
    path.write_text(THREAD.format(title=title, body=body), encoding="utf-8")
    stat = path.stat()  # a fresh mtime even when two writes share a clock tick
    os.utime(path, ns=(stat.st_atime_ns, time.time_ns()))


@contextlib.contextmanager
def running(root: Path, build_site: Callable[[SiteConfig, Diagnostics], BuildReport] = build,
            host: str = "127.0.0.1") -> Iterator[tuple[PreviewServer, list[str]]]:
    """A preview on a free port, on its own thread and IOLoop, stopped afterwards."""
    config_path = root / "site.yaml"
    lines: list[str] = []
    server = PreviewServer(config_path, load_config(config_path), host, 0,
                           say=lambda line, _: lines.append(line), build_site=build_site,
                           poll_seconds=POLL_SECONDS)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"on_ready": ready.set},
                              daemon=True)
    thread.start()
    assert ready.wait(60), lines
    try:
        yield server, lines
    finally:
        server.stop()
        thread.join(10)


def request(server: PreviewServer, path: str, host: str | None = None,
            headers: dict[str, str] | None = None,
            method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send `path` exactly as written (no normalisation), with the given Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def wait_until_idle(server: PreviewServer, seconds: float = 1.0) -> None:
    """Until no build has started for `seconds` (the debounce needs about 0.1 s)."""
    last, since = server.rebuilder.builds, time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.05)
        if server.rebuilder.builds != last:
            last, since = server.rebuilder.builds, time.monotonic()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("site")).parent


@pytest.fixture(scope="module")
def served(shared_site: Path) -> Iterator[PreviewServer]:
    """One server for the tests that only read (or add files beside the build in output/)."""
    with running(shared_site) as (server, _):
        yield server


# --- What is served ----------------------------------------------------------------------


def test_pages_are_served_fresh_with_the_reload_hook(served: PreviewServer) -> None:
    status, headers, body = request(served, "/2024/01/hello-world/")
    assert status == 200
    assert b"/livereload.js?host=" in body
    assert headers["Cache-Control"] == "no-store"
    assert "Etag" not in headers
    status, headers, body = request(served, "/static/style.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b"livereload" not in body


def test_livereload_js_is_served_at_the_root(served: PreviewServer) -> None:
    status, _, body = request(served, "/livereload.js")
    assert status == 200
    assert b"LiveReload" in body


def test_a_missing_page_gets_the_sites_404_page(served: PreviewServer) -> None:
    status, _, body = request(served, "/no/such/page/")
    assert status == 404
    assert body.startswith(b"<!doctype html>")
    assert b"/livereload.js" in body


def test_a_folder_without_slash_is_redirected_to_it(served: PreviewServer) -> None:
    status, headers, _ = request(served, "/2024")
    assert status == 301
    assert headers["Location"] == "/2024/"


def test_head_requests_get_headers_only(served: PreviewServer) -> None:
    status, headers, body = request(served, "/", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) > 0


# --- Only files under output/ --------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/../site.yaml",
    "/%2e%2e/site.yaml",
    "/%2E%2E%2Fsite.yaml",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/static/../../site.yaml",
    "/static/%2e%2e/%2e%2e/site.yaml",
    "/..\\site.yaml",
    "/%5c..%5csite.yaml",
    "/static\\..\\..\\site.yaml",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/static//..//..//site.yaml",
    "/./site.yaml",
])
def test_paths_leaving_output_are_refused(served: PreviewServer, path: str) -> None:
    status, _, body = request(served, path)
    assert status in (403, 404), (path, status)
    assert b"Test site" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/.site-builder/manifest.marshal", "/%2esite-builder/changes.txt",
                                  "/.git/config", "/%00", "/index.html%00.css"])
def test_hidden_build_state_and_odd_names_are_not_found(served: PreviewServer,
                                                        shared_site: Path, path: str) -> None:
    (shared_site / "output/.git").mkdir(exist_ok=True)
    (shared_site / "output/.git/config").write_text("secret", encoding="utf-8")
    status, _, body = request(served, path)
    assert status == 404
    assert b"outputs" not in body and b"secret" not in body


def test_symlinks_pointing_outside_output_are_refused(served: PreviewServer, shared_site: Path,
                                                      tmp_path_factory: pytest.TempPathFactory
                                                      ) -> None:
    site = shared_site
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (site / "output/leak.txt").symlink_to(outside / "secret.txt")
    (site / "output/leakdir").symlink_to(outside, target_is_directory=True)
    (site / "output/site.yaml").symlink_to(site / "site.yaml")
    (site / "output/inside.css").symlink_to(site / "output/static/style.css")
    for path in ("/leak.txt", "/leakdir/secret.txt", "/site.yaml"):
        status, _, body = request(served, path)
        assert status in (403, 404), path
        assert b"secret" not in body and b"Test site" not in body
    assert request(served, "/inside.css")[0] == 200


# --- Host and Origin -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:{port}", "localhost:{port}",
                                  "LOCALHOST:{port}", "[::1]:{port}", "localhost."])
def test_local_host_names_are_served(served: PreviewServer, host: str) -> None:
    assert request(served, "/", host=host.format(port=served.port))[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example",
                                  "127.0.0.1.nip.io:{port}", "EVIL.example.", "192.168.1.5:{port}",
                                  "[::2]:{port}", "127.0.0.2"])
@pytest.mark.parametrize("path", ["/", "/static/style.css", "/livereload.js", "/livereload",
                                  "/../site.yaml", "/no/such/page/"])
def test_foreign_host_headers_get_403(served: PreviewServer, host: str, path: str) -> None:
    status, _, body = request(served, path, host=host.format(port=served.port))
    assert status == 403
    assert b"Test site" not in body


@pytest.mark.parametrize("host", ["", "localhost@evil.example", "localhost:{port}, evil.example",
                                  "localhost:{port}/x", "localhost:99999999"])
def test_malformed_host_headers_are_refused(served: PreviewServer, host: str) -> None:
    status, _, body = request(served, "/", host=host.format(port=served.port))
    assert status in (400, 403)  # tornado itself answers 400 to some of these
    assert b"Test site" not in body


def websocket_handshake(port: int, origin: str | None, host: str | None = None,
                        extra: str = "") -> tuple[str, socket.socket]:
    """Open /livereload by hand; returns the status line and the socket."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = ["GET /livereload HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}",
             "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
             "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    if extra:
        lines.append(extra)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return head.split(b"\r\n", 1)[0].decode(), sock


def send_text(sock: socket.socket, text: str) -> None:
    data, mask = text.encode(), os.urandom(4)
    header = bytes([0x81, 0x80 | len(data)]) if len(data) < 126 else \
        bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(data))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def receive_text(sock: socket.socket) -> str:
    def exactly(count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = sock.recv(count - len(data))
            assert chunk, "socket closed"
            data += chunk
        return data

    _, second = exactly(2)
    length = second & 0x7F
    if length == 126:
        length = struct.unpack(">H", exactly(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", exactly(8))[0]
    return exactly(length).decode()


@pytest.mark.parametrize("origin", [None, "http://127.0.0.1:{port}", "http://localhost:{port}",
                                    "http://[::1]:{port}"])
def test_the_reload_socket_accepts_the_previews_own_pages(served: PreviewServer,
                                                          origin: str | None) -> None:
    status, sock = websocket_handshake(served.port, origin and origin.format(port=served.port))
    sock.close()
    assert " 101 " in status


@pytest.mark.parametrize("origin", ["http://evil.example", "https://evil.example:{port}",
                                    "http://127.0.0.1:1", "http://localhost", "null",
                                    "http://127.0.0.1.nip.io:{port}", "file://", "not a url"])
@pytest.mark.parametrize("fetch_site", ["", "Sec-Fetch-Site: cross-site",
                                        "Sec-Fetch-Site: same-site"])
def test_the_reload_socket_rejects_foreign_origins(served: PreviewServer, origin: str,
                                                   fetch_site: str) -> None:
    status, sock = websocket_handshake(served.port, origin.format(port=served.port),
                                       extra=fetch_site)
    sock.close()
    assert " 403 " in status


def test_a_dns_rebinding_page_cannot_open_the_reload_socket(served: PreviewServer) -> None:
    host = f"evil.example:{served.port}"
    status, sock = websocket_handshake(served.port, f"http://{host}", host=host,
                                       extra="Sec-Fetch-Site: same-origin")
    sock.close()
    assert " 403 " in status


def test_on_all_addresses_ip_hosts_are_served_and_names_still_refused(site: Path) -> None:
    with running(site, host="0.0.0.0") as (server, _):
        assert request(server, "/", host=f"192.168.1.5:{server.port}")[0] == 200
        assert request(server, "/", host=f"evil.example:{server.port}")[0] == 403


# --- Builds, the error page, reloads -------------------------------------------------------


def connect_browser(server: PreviewServer) -> socket.socket:
    """A page's reload socket after livereload.js's handshake (hello, then info)."""
    status, sock = websocket_handshake(server.port, f"http://127.0.0.1:{server.port}")
    assert " 101 " in status
    send_text(sock, json.dumps({"command": "hello",
                                "protocols": ["http://livereload.com/protocols/official-7"]}))
    assert json.loads(receive_text(sock))["command"] == "hello"
    send_text(sock, json.dumps({"command": "info", "url": "http://127.0.0.1/"}))
    wait_for(lambda: len(server.state.browsers) == 1)
    return sock


def test_an_edit_rebuilds_then_reloads_the_page(site: Path) -> None:
    with running(site) as (server, lines):
        sock = connect_browser(server)
        write_thread(site, "Second version of the text.")
        assert json.loads(receive_text(sock))["command"] == "reload"
        assert b"Second version" in request(server, "/2024/01/hello-world/")[2]
        assert any(line.startswith("content/2024-01-02-hello.md changed: ") for line in lines)
        sock.close()


def test_a_broken_edit_shows_the_error_page_and_the_fix_brings_the_page_back(site: Path) -> None:
    with running(site) as (server, lines):
        sock = connect_browser(server)
        path = site / "content/2024-01-02-hello.md"
        path.write_text("---\ntitle: <b>Broken</b>\ndate: [not a date\n---\nBody.\n",
                        encoding="utf-8")
        assert json.loads(receive_text(sock))["command"] == "reload"
        status, _, body = request(server, "/2024/01/hello-world/")
        assert status == 500
        page = body.decode()
        assert "content/2024-01-02-hello.md:3: " in page
        assert "<b>Broken" not in page
        assert "/livereload.js" in page
        assert request(server, "/static/style.css")[0] == 200  # assets: the last good build
        assert any(line.startswith("content/2024-01-02-hello.md:3: ") for line in lines)
        write_thread(site, "Fixed text.")
        assert json.loads(receive_text(sock))["command"] == "reload"
        status, _, body = request(server, "/2024/01/hello-world/")
        assert status == 200
        assert b"Fixed text." in body
        sock.close()


def test_a_save_that_changes_nothing_does_not_reload(site: Path) -> None:
    with running(site) as (server, _):
        sock = connect_browser(server)
        path = site / "content/2024-01-02-hello.md"
        os.utime(path, ns=(time.time_ns(), time.time_ns()))
        wait_for(lambda: server.rebuilder.builds == 2)
        sock.settimeout(1.0)  # the build is done well within this: a reload would be here
        with pytest.raises(TimeoutError):
            receive_text(sock)
        sock.close()


def test_fifty_saves_in_a_second_give_at_most_two_builds_and_the_last_text(site: Path) -> None:
    with running(site) as (server, _):
        before = server.rebuilder.builds
        for i in range(50):
            write_thread(site, f"Version {i} of the text.")
            time.sleep(0.02)
        wait_until_idle(server)
        assert server.rebuilder.builds - before <= 2
        assert b"Version 49 of the text." in request(server, "/2024/01/hello-world/")[2]


def test_a_vim_save_gives_exactly_one_build(site: Path) -> None:
    with running(site) as (server, _):
        before = server.rebuilder.builds
        path = site / "content/2024-01-02-hello.md"
        (site / "content/4913").write_text("", encoding="utf-8")
        (site / "content/4913").unlink()
        path.rename(site / "content/2024-01-02-hello.md~")
        write_thread(site, "Saved by vim.")
        (site / "content/2024-01-02-hello.md~").unlink()
        (site / "content/.2024-01-02-hello.md.swp").write_text("swap", encoding="utf-8")
        wait_for(lambda: server.rebuilder.builds > before)
        wait_until_idle(server)
        assert server.rebuilder.builds - before == 1
        assert b"Saved by vim." in request(server, "/2024/01/hello-world/")[2]


def test_a_request_during_a_build_gets_the_finished_build(site: Path) -> None:
    """A build that swaps files in two steps, 0.5 s apart: no request may see the first step."""
    first_build = threading.Event()

    def slow_two_step_build(config: SiteConfig, diagnostics: Diagnostics) -> BuildReport:
        if not first_build.is_set():
            first_build.set()
            return build(config, diagnostics)
        (config.output_dir / "index.html").write_text("<p>half</p>", encoding="utf-8")
        time.sleep(0.5)
        (config.output_dir / "index.html").write_text("<p>whole</p>", encoding="utf-8")
        return BuildReport(written=["index.html"])

    with running(site, build_site=slow_two_step_build) as (server, _):
        write_thread(site, "Trigger.")
        wait_for(lambda: (site / "output/index.html").read_text(encoding="utf-8")
                 == "<p>half</p>")
        body = request(server, "/")[2]
        assert body.startswith(b"<p>whole</p>")


def test_a_crashing_build_keeps_the_server_up(site: Path) -> None:
    calls: list[int] = []

    def flaky(config: SiteConfig, diagnostics: Diagnostics) -> BuildReport:
        calls.append(1)
        if len(calls) == 2:
            raise FileNotFoundError(2, "No such file or directory", "content/gone.md")
        return build(config, diagnostics)

    with running(site, build_site=flaky) as (server, _):
        write_thread(site, "Crash now.")
        wait_for(lambda: bool(server.state.problems))
        status, _, body = request(server, "/")
        assert status == 500
        assert b"internal error: FileNotFoundError" in body
        write_thread(site, "Recovered.")
        wait_for(lambda: not server.state.problems)
        assert b"Recovered." in request(server, "/2024/01/hello-world/")[2]


# --- A site under a sub-path -------------------------------------------------------------


def test_a_sub_path_site_is_served_at_its_path(tmp_path: Path) -> None:
    write_site(tmp_path, base_url="https://example.org/archive/")
    with running(tmp_path) as (server, _):
        assert server.url.endswith("/archive/")
        for path in ("/", "/archive"):
            status, headers, _ = request(server, path)
            assert (status, headers["Location"]) == (302, "/archive/")
        status, _, body = request(server, "/archive/2024/01/hello-world/")
        assert status == 200
        assert b"/livereload.js" in body
        assert request(server, "/archive/static/style.css")[0] == 200
        assert request(server, "/livereload.js")[0] == 200
        assert request(server, "/2024/01/hello-world/")[0] == 404
        assert request(server, "/archive/../site.yaml")[0] == 403
