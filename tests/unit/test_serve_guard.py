"""Which Host and Origin headers reach the preview."""

from __future__ import annotations

import pytest

from site_builder.serve_guard import RequestGuard, is_loopback


@pytest.mark.parametrize("header", [None, "localhost", "localhost:8000", "127.0.0.1:8000",
                                    "[::1]:8000", "[::1]", "LocalHost:8000", "localhost."])
def test_this_machines_names_are_allowed(header: str | None) -> None:
    assert RequestGuard("127.0.0.1", 8000).allows_host(header)


@pytest.mark.parametrize("header", ["evil.example", "evil.example:8000", "localhost.evil.example",
                                    "127.0.0.1.nip.io", "192.168.1.5:8000", "", " ", "[::1",
                                    "user@localhost", "localhost:8000:1", "local host",
                                    "0.0.0.0:8000"])
def test_other_hosts_are_refused(header: str) -> None:
    assert not RequestGuard("127.0.0.1", 8000).allows_host(header)


def test_the_configured_host_is_allowed() -> None:
    guard = RequestGuard("preview.lan", 8000)
    assert guard.allows_host("preview.lan:8000")
    assert guard.allows_host("PREVIEW.LAN")
    assert not guard.allows_host("192.168.1.5")


def test_on_all_addresses_ip_literals_pass_and_names_do_not() -> None:
    guard = RequestGuard("0.0.0.0", 8000)
    assert guard.allows_host("192.168.1.5:8000")
    assert guard.allows_host("[fe80::1]:8000")
    assert not guard.allows_host("evil.example:8000")
    assert not guard.allows_host("192.168.1.5.nip.io:8000")


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8000", "http://localhost:8000",
                                    "http://[::1]:8000", "https://localhost:8000"])
def test_origins_of_the_previews_own_pages_are_allowed(origin: str) -> None:
    assert RequestGuard("127.0.0.1", 8000).allows_origin(origin)


@pytest.mark.parametrize("origin", ["http://evil.example", "http://evil.example:8000",
                                    "http://127.0.0.1:9000", "http://127.0.0.1", "null",
                                    "file://", "ws://127.0.0.1:8000", "http://[::1:8000",
                                    "http://127.0.0.1:99999", ""])
def test_other_origins_are_refused(origin: str) -> None:
    assert not RequestGuard("127.0.0.1", 8000).allows_origin(origin)


def test_port_80_origins_have_no_port() -> None:
    assert RequestGuard("127.0.0.1", 80).allows_origin("http://localhost")


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True),
                                                ("::1", True), ("127.0.0.2", True),
                                                ("0.0.0.0", False), ("::", False), ("", False),
                                                ("192.168.1.5", False), ("example.org", False)])
def test_only_loopback_hosts_stay_on_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
