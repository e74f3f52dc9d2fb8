"""The emulated portal over HTTP: a raw ASGI 3 application.

URL forms (REFERENCE §1.1)::

    /rest/<user>/<code>/<method>[.json]     v1, incoming webhook
    /rest/api/<user>/<code>/<method>        v3, incoming webhook
    /rest/<method>[.json]                   v1, OAuth (``auth=<token>`` in query or body)
    /rest/api/<method>                      v3, OAuth

Plus two helpers for tests and benchmarks: ``GET /_emulator/stats`` (request counters)
and ``POST /_emulator/clock`` with ``{"advance": seconds}`` or ``{"to": "<iso>"}``.
Plain ``http://`` is accepted: the emulator is only served on loopback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import b24tui.emulator.methods  # noqa: F401  (registers every handler)
from b24tui.emulator.dispatch import (
    Dispatcher,
    Identity,
    LimitMode,
    Outcome,
    RequestInfo,
    error_body,
)
from b24tui.emulator.errors import RestError, V3Error
from b24tui.emulator.journal import Journal
from b24tui.emulator.params import Params, media_type, parse_v1, parse_v3
from b24tui.emulator.registry import REGISTRY, ApiGeneration, Registry

if TYPE_CHECKING:
    from b24tui.emulator.state import Portal

__all__ = ["ASGIApp", "EmulatorApp", "Route", "parse_route"]

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_METHOD = r"([A-Za-z0-9_.]+?)(?:\.json)?"
_ROUTES: tuple[tuple[re.Pattern[str], ApiGeneration, bool], ...] = (
    (re.compile(rf"^/rest/api/(\d+)/([^/]+)/{_METHOD}/?$"), "v3", True),
    (re.compile(rf"^/rest/api/{_METHOD}/?$"), "v3", False),
    (re.compile(rf"^/rest/(\d+)/([^/]+)/{_METHOD}/?$"), "v1", True),
    (re.compile(rf"^/rest/{_METHOD}/?$"), "v1", False),
)
_JSON = [(b"content-type", b"application/json; charset=utf-8")]
_INTERNAL_ERROR = {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"}


@dataclass(frozen=True)
class Route:
    """Where a REST request is going: generation, method and the webhook, if any."""

    api: ApiGeneration
    method: str
    user_id: int | None = None
    code: str | None = None

    def __repr__(self) -> str:
        return f"Route(api={self.api!r}, method={self.method!r}, user_id={self.user_id})"


def parse_route(path: str) -> Route | None:
    """Read a ``/rest/...`` path; ``None`` when it is not a REST call."""
    for pattern, api, webhook in _ROUTES:
        match = pattern.match(path)
        if match is None:
            continue
        if webhook:
            return Route(api, match.group(3).lower(), int(match.group(1)), match.group(2))
        return Route(api, match.group(1).lower())
    return None


@dataclass(frozen=True)
class HttpResponse:
    """A complete answer: status and a JSON-able body."""

    status: int
    body: Any

    def encoded(self) -> bytes:
        """The body as UTF-8 JSON, non-ASCII kept as is."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


def envelope(outcome: Outcome) -> dict[str, Any]:
    """A successful answer: ``result``, ``total``/``next`` for lists, ``time``."""
    body: dict[str, Any] = {"result": outcome.result}
    if outcome.total is not None:
        body["total"] = outcome.total
    if outcome.next is not None:
        body["next"] = outcome.next
    body["time"] = outcome.time
    return body


class EmulatorApp:
    """A stateful Bitrix24 portal as an ASGI 3 application.

    Args:
        portal: the state every method works on.
        registry: the method table (the full portal's by default).
        limits: rate limits; only ``"off"`` exists until Foundation II.
        journal_size: how many calls the journal keeps.
        delay_ms: an artificial delay before each REST answer, to feel a slow portal.
    """

    def __init__(
        self,
        portal: Portal,
        *,
        registry: Registry = REGISTRY,
        limits: LimitMode = "off",
        journal_size: int = 2000,
        delay_ms: int = 0,
    ) -> None:
        if limits != "off":
            raise ValueError(f"rate limits {limits!r} are not available yet")
        if delay_ms < 0:
            raise ValueError("delay_ms cannot be negative")
        self.portal = portal
        self.registry = registry
        self.journal = Journal(journal_size)
        """Every call answered, newest last, and the counters behind ``/_emulator/stats``."""
        self.delay_ms = delay_ms
        self.dispatcher = Dispatcher(portal, registry, self.journal, limits=limits)

    def __repr__(self) -> str:
        return f"EmulatorApp(domain={self.portal.domain!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"unsupported ASGI scope type {scope['type']!r}")
        body = await _read_body(receive)
        headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
        content_type = headers.get("content-type", b"").decode("latin-1")
        response = self.handle(
            scope["method"], scope["path"], scope.get("query_string", b""), content_type, body
        )
        if self.delay_ms and scope["path"].startswith("/rest/"):
            await asyncio.sleep(self.delay_ms / 1000)
        try:
            payload = response.encoded()
        except (TypeError, ValueError):
            route = parse_route(scope["path"])
            logger.exception("the answer of %s is not JSON", route.method if route else "?")
            response = HttpResponse(500, _INTERNAL_ERROR)
            payload = response.encoded()
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [*_JSON, (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def handle(
        self, http_method: str, path: str, query: bytes, content_type: str, body: bytes
    ) -> HttpResponse:
        """Answer one request synchronously (the ASGI entry point's core)."""
        http_method = http_method.upper()
        if path.startswith("/_emulator/"):
            return self._control(http_method, path, body)
        route = parse_route(path)
        if route is None:
            if path.startswith("/rest/"):
                return HttpResponse(
                    404,
                    error_body(RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"), "v1"),
                )
            return HttpResponse(404, {"error": "NOT_FOUND", "error_description": "Not found"})
        request = RequestInfo(http_method, media_type(content_type))
        params: Params = {}
        identity: Identity | None = None
        try:
            if route.user_id is not None and route.code is not None:
                identity = self._webhook(route.user_id, route.code)
            if route.api == "v3":
                params, token = parse_v3(http_method, query, body)
            else:
                params, token = parse_v1(query, content_type, body)
            if identity is None:
                identity = self._oauth(token)
        except (RestError, V3Error) as error:
            user_id = identity.user_id if identity is not None else None
            self.dispatcher.record(user_id, route.api, route.method, params, request, error)
            logger.info("%s %s -> %s %s", route.api, route.method, error.status, error.code)
            return HttpResponse(error.status, error_body(error, route.api))
        outcome = self.dispatcher.call(identity, route.api, route.method, params, request)
        logger.info("%s %s -> %s", route.api, route.method, outcome.status)
        if outcome.error is not None:
            return HttpResponse(outcome.status, error_body(outcome.error, route.api))
        return HttpResponse(200, envelope(outcome))

    def _webhook(self, user_id: int, code: str) -> Identity:
        webhook = self.portal.credentials.find_webhook(user_id, code)
        if webhook is None:
            raise RestError(401, "NO_AUTH_FOUND", "Wrong authorization data")
        return Identity(webhook.user_id, webhook.scopes, "webhook", webhook)

    def _oauth(self, token: str | None) -> Identity:
        access = self.portal.credentials.find_token(token) if token else None
        if access is None:
            raise RestError(401, "NO_AUTH_FOUND", "Wrong authorization data")
        if access.expires_at <= self.portal.now():
            raise RestError(401, "expired_token", "The access token provided has expired")
        return Identity(access.user_id, access.scopes, "oauth", access)

    def _control(self, http_method: str, path: str, body: bytes) -> HttpResponse:
        """The ``/_emulator/`` helpers: counters and the portal clock."""
        if path == "/_emulator/stats" and http_method == "GET":
            return HttpResponse(200, self.journal.stats())
        if path == "/_emulator/clock" and http_method == "GET":
            return HttpResponse(200, {"now": self.portal.now().isoformat()})
        if path == "/_emulator/clock" and http_method == "POST":
            try:
                self._move_clock(body)
            except ValueError as error:
                return HttpResponse(
                    400, {"error": "BAD_CLOCK_REQUEST", "error_description": str(error)}
                )
            return HttpResponse(200, {"now": self.portal.now().isoformat()})
        return HttpResponse(404, {"error": "NOT_FOUND", "error_description": "Not found"})

    def _move_clock(self, body: bytes) -> None:
        """Apply ``{"advance": seconds}`` or ``{"to": iso}``; ``ValueError`` if impossible."""
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise ValueError("body must be JSON") from None
        clock = self.portal.clock
        advance: Callable[[float], None] | None = getattr(clock, "advance", None)
        jump: Callable[[datetime], None] | None = getattr(clock, "set", None)
        if advance is None or jump is None:
            raise ValueError("this portal's clock cannot be moved")
        if not isinstance(request, dict):
            raise ValueError('expected {"advance": seconds} or {"to": iso}')
        if "advance" in request and isinstance(request["advance"], int | float):
            advance(float(request["advance"]))
        elif "to" in request and isinstance(request["to"], str):
            moment = datetime.fromisoformat(request["to"])
            if moment.tzinfo is None:
                raise ValueError("the moment needs a timezone offset")
            jump(moment)
        else:
            raise ValueError('expected {"advance": seconds} or {"to": iso}')


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
