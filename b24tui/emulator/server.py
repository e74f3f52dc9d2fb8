"""Serving the emulated portal over real HTTP on 127.0.0.1 with uvicorn.

:func:`serve_in_thread` is for tests and benchmarks (a background thread, a free port);
:func:`serve` blocks, for ``b24tui emulator``. Both bind to loopback only: the emulator
has test-only endpoints, so it must never face a network. Both speak plain HTTP, or
HTTPS with a :class:`~b24tui.emulator.tls.TlsMaterial` (a throwaway CA).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from b24tui.emulator.app import ASGIApp, Receive, Scope, Send
from b24tui.emulator.tls import TlsMaterial

HOST = "127.0.0.1"
"""The only address the emulator listens on."""
LISTEN_BACKLOG = 128
"""Connections the kernel queues while the server is still starting."""
START_TIMEOUT = 10.0
"""Seconds :func:`serve_in_thread` waits for the server to listen before giving up."""


@dataclass(frozen=True)
class RunningEmulator:
    """A served emulator: where it listens and the app behind it."""

    app: ASGIApp
    port: int
    tls: TlsMaterial | None = None
    """The certificate files when served over HTTPS."""

    @property
    def scheme(self) -> str:
        """``https`` with TLS, else ``http``."""
        return "https" if self.tls is not None else "http"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` or ``https://…`` (no trailing slash)."""
        return f"{self.scheme}://{HOST}:{self.port}"


def bind(port: int = 0) -> socket.socket:
    """A listening-ready TCP socket on 127.0.0.1 (``port=0`` picks a free port).

    The protocol is given explicitly: asyncio turns Nagle's algorithm off only on sockets
    whose ``proto`` says TCP, and with it on every answer waits ~40 ms for a delayed ACK.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    return sock


class AppSlot:
    """An ASGI app forwarding to whichever app is plugged in (an :class:`EmulatorApp`).

    One server can then outlive many portals: a test session serves one slot and plugs
    each test's fresh app into it, instead of starting a server per test.
    """

    def __init__(self, app: ASGIApp | None = None) -> None:
        self.app: ASGIApp | None = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.app
        if app is None:
            if scope["type"] != "http":
                return
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)


def _server(
    app: ASGIApp, sock: socket.socket, *, log_level: str, tls: TlsMaterial | None = None
) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=HOST,
        port=sock.getsockname()[1],
        lifespan="off",
        log_config=None,
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=2,
        ssl_certfile=str(tls.cert_file) if tls is not None else None,
        ssl_keyfile=str(tls.key_file) if tls is not None else None,
    )
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(
    app: ASGIApp, port: int = 0, *, tls: TlsMaterial | None = None
) -> Iterator[RunningEmulator]:
    """Serve ``app`` on 127.0.0.1 from a background thread for the ``with`` block.

    Returns once the server listens; stops it and joins the thread on exit. With ``tls``
    it serves HTTPS.
    """
    sock = bind(port)
    server = _server(app, sock, log_level="warning", tls=tls)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="b24tui-emulator", daemon=True
    )
    thread.start()
    try:
        _wait_started(server, thread)
        yield RunningEmulator(app, sock.getsockname()[1], tls)
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)
        sock.close()


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    """Poll ``server.started`` in short steps, bounded by :data:`START_TIMEOUT`."""
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the emulator server stopped while starting")
        if time.monotonic() > deadline:
            raise TimeoutError("the emulator server did not start listening")
        time.sleep(0.002)


def serve(
    app: ASGIApp,
    port: int = 0,
    *,
    on_ready: Callable[[int], None] | None = None,
    log_level: str = "info",
    tls: TlsMaterial | None = None,
) -> None:
    """Serve ``app`` on 127.0.0.1 until interrupted (Ctrl+C or SIGTERM).

    ``on_ready(port)`` runs once the port is bound, before requests are accepted, so a
    caller can announce the URL. With ``tls`` it serves HTTPS. The socket listens before
    ``on_ready`` runs: a client that connects at once waits in the backlog, not refused.
    """
    sock = bind(port)
    try:
        server = _server(app, sock, log_level=log_level, tls=tls)
        sock.listen(LISTEN_BACKLOG)
        if on_ready is not None:
            on_ready(sock.getsockname()[1])
        server.run(sockets=[sock])
    finally:
        sock.close()
