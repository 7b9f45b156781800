"""Who may talk to the preview: pages of this machine, never a DNS-rebinding or foreign page."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


class RequestGuard:
    """Which Host and Origin headers may reach the preview: this machine's names only.

    Bound to a wildcard address, the preview also answers IP-literal hosts (a phone on the LAN
    at http://192.168.1.5:8000/) and the machine's own name; a DNS-rebinding page always shows
    its attacker's host name, which stays refused.
    """

    def __init__(self, host: str, port: int) -> None:
        self.port = port
        self.any_address = host in WILDCARD_HOSTS
        self.names = set(LOOPBACK_NAMES) | {_normal_name(host)}
        if self.any_address:
            machine = socket.gethostname().lower()
            self.names |= {machine, f"{machine}.local"}

    def allows_host(self, header: str | None) -> bool:
        """True for a Host naming this machine; a request without Host is not a browser's."""
        if header is None:
            return True
        return self._allows_name(_host_of(header.strip()))

    def allows_origin(self, origin: str) -> bool:
        """True when the page opening the reload socket was served by this preview."""
        try:
            parts = urlsplit(origin)
            port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or port != self.port:
            return False
        return self._allows_name(_normal_name(parts.hostname or ""))

    def _allows_name(self, name: str | None) -> bool:
        if not name:
            return False
        if name in self.names:
            return True
        if not self.any_address:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True


def is_loopback(host: str) -> bool:
    """True when listening on `host` keeps the preview on this machine."""
    name = _normal_name(host)
    try:
        return name == "localhost" or ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_of(header: str) -> str | None:
    """`[::1]:8000` -> `::1`, `LocalHost:8000` -> `localhost`; None when it is not a host."""
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^\[\]:@/\\\s]+)(?::\d{1,5})?", header)
    return _normal_name(match.group(1)) if match else None


def _normal_name(name: str) -> str:
    return name.strip("[]").rstrip(".").lower()
