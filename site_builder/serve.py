"""`site-builder serve`: build, serve output/ on this machine, rebuild and reload on every save.

livereload's Server supplies `watch()`, its websocket protocol and livereload.js; its `serve()`
is not used because it reloads browsers whether or not anything was built (and drops reloads
closer than 3 s apart), starts its own 800 ms watcher that reports one file per poll, and gives
no way to report a busy port. Here one poller feeds one debounced builder on the IOLoop thread,
and browsers reload only when a build changed what they show.
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click
from livereload import Server
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from site_builder.build import build
from site_builder.config import CONFIG_NAME, SiteConfig, load_config
from site_builder.errors import BuildFailed, Diagnostics
from site_builder.serve_guard import WILDCARD_HOSTS, RequestGuard, is_loopback
from site_builder.serve_http import PreviewState, make_application
from site_builder.serve_rebuild import BuildSite, Debouncer, Rebuilder, Say
from site_builder.serve_watch import SiteWatcher
from site_builder.writer import UnsafeOutput

POLL_SECONDS = 0.1  # how often sources are checked; a save shows about 0.15 s + build later


class PortUnavailable(Exception):
    """The preview cannot listen where asked; the message names the host and port."""


class PreviewServer(Server):
    """livereload's Server for one site: watched sources, one builder, output/ served safely."""

    def __init__(self, config_path: Path, config: SiteConfig, host: str = "127.0.0.1",
                 port: int = 8000, drafts: bool = False, say: Say | None = None,
                 build_site: BuildSite = build, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__(watcher=SiteWatcher(config.root,
                                             excluded=[config.output_dir, config.cache_dir]))
        for source in (config.content_dir, config.templates_dir, config_path):
            self.watch(str(source))  # never output/ or the caches: no rebuild loops
        self.sockets = bind_port(host, port)
        self.host = host
        self.port = self.sockets[0].getsockname()[1]
        self.poll_seconds = poll_seconds
        self.state = PreviewState(config.output_dir, config.base_path)
        self.guard = RequestGuard(host, self.port)
        self.debouncer = Debouncer()
        self.rebuilder = Rebuilder(config_path, config, self.state, say or _silent,
                                   drafts=drafts, build_site=build_site)
        self.loop: IOLoop | None = None

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in WILDCARD_HOSTS else self.host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{self.port}{self.state.base_path}"

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        """Build once, then serve and rebuild until stop() (or Ctrl-C) on this thread's loop."""
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = IOLoop.current()
        http = HTTPServer(make_application(self.state, self.guard))
        try:
            http.add_sockets(self.sockets)
            self.watcher.scan()  # before building, so saves made during the first build count
            self.rebuilder.rebuild()
            self.loop.call_later(self.poll_seconds, self.poll)
            if on_ready is not None:
                self.loop.add_callback(on_ready)
            self.loop.start()
        finally:
            http.stop()
            for browser in list(self.state.browsers):
                browser.close()
            self.loop.close(all_fds=True)
            asyncio.set_event_loop(None)

    def poll(self) -> None:
        """One look at the sources, a build once saves have settled, then the next look."""
        began = time.perf_counter()
        changes = self.watcher.scan()
        spent = time.perf_counter() - began
        due = self.debouncer.observe(changes, time.monotonic())
        if due is not None:
            self.rebuilder.rebuild(due)
        if self.loop is not None:
            # A big site takes longer to look at: while idle, look less often, so watching
            # costs at most about a tenth of a core (1,000 files: ~5 ms a look). Once a save
            # is seen, look again soon, so the build is not delayed by that economy.
            idle = not self.debouncer.pending
            delay = max(self.poll_seconds, 10 * spent) if idle else self.poll_seconds
            self.loop.call_later(delay, self.poll)

    def stop(self) -> None:
        """Stop serving; safe to call from any thread."""
        if self.loop is not None:
            self.loop.add_callback(self.loop.stop)


def bind_port(host: str, port: int) -> list[socket.socket]:
    """Listen now, before the first build, so a busy port is reported at once."""
    try:
        return bind_sockets(port, address=host or None)
    except OSError as error:
        where = f"port {port} on {host or 'all addresses'}"
        if error.errno == errno.EADDRINUSE:
            raise PortUnavailable(f"{where} is already in use (another `site-builder serve`?); "
                                  "stop it or choose another port with --port") from None
        if error.errno == errno.EACCES:
            raise PortUnavailable(f"not allowed to listen on {where}; "
                                  "choose a port above 1023 with --port") from None
        raise PortUnavailable(f"cannot listen on {where}: {error.strerror or error}") from None


def _silent(line: str, is_problem: bool) -> None:
    pass


@click.command("serve")
@click.option("--config", "config_path", default=CONFIG_NAME, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The site's configuration file.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to your whole network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--drafts", is_flag=True, help="Include threads with `draft: true`.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve_command(config_path: Path, host: str, port: int, drafts: bool,
                  open_browser: bool) -> None:
    """Build the site, serve it on this machine, and rebuild and reload on every save."""

    def say(line: str, is_problem: bool) -> None:
        click.echo(line, err=is_problem)

    try:
        config = load_config(config_path, Diagnostics()).with_overrides(drafts=drafts or None)
    except BuildFailed as error:
        for problem in error.errors:
            click.echo(str(problem), err=True)
        sys.exit(1)
    if not is_loopback(host):
        click.echo(f"warning: --host {host or '(all)'} makes the preview (and drafts, with "
                   "--drafts) reachable from other machines on your network", err=True)
    try:
        server = PreviewServer(config_path, config, host, port, drafts, say)
    except PortUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)

    def ready() -> None:
        click.echo(f"Serving on {server.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(server.url)

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        server.serve_forever(on_ready=ready)
    except UnsafeOutput as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops like Ctrl-C, so a build in progress leaves no staging folder behind."""
    raise KeyboardInterrupt
