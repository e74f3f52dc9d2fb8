"""The emulated portal over HTTP: a raw ASGI 3 application.

URL forms (REFERENCE §1.1)::

    /rest/<user>/<code>/<method>[.json]     v1, incoming webhook
    /rest/api/<user>/<code>/<method>        v3, incoming webhook
    /rest/<method>[.json]                   v1, OAuth (``auth=<token>`` in query or body)
    /rest/api/<method>                      v3, OAuth

Every REST request passes, in order: the overload switch (503 ``OVERLOAD_LIMIT``, see
:meth:`EmulatorApp.block_rest`), the request bucket (503 ``QUERY_LIMIT_EXCEEDED``, when
limits are on), the faults that refuse a request before it runs, then authentication and
the dispatcher (which enforces the operating budget, 429 ``OPERATION_TIME_LIMIT``). The
faults ``truncated``, ``timeout`` and ``drop`` act on the answer after the call ran. A REST 3.0
write with an ``Idempotency-Key`` is checked against the answers kept for replay before it runs
(:mod:`b24tui.emulator.idempotency`), and its successful answer is kept after. With
``latency="realistic"`` the computed answer is held back for the request's modelled server
time plus a round trip, without blocking other requests (:mod:`b24tui.emulator.latency`).

Helpers for tests and benchmarks, never on a real portal:

* ``GET /_emulator/stats``: the journal's counters (see :meth:`Journal.stats`), plus
  ``limits`` (the settings in force or ``null``), ``rest_blocked``, ``latency`` (its
  mode and round trip) and ``server_time`` (the modelled seconds of every call so far and
  the seconds the emulator spent computing REST answers).
* ``GET``/``POST /_emulator/clock``: read or move the portal clock with
  ``{"advance": seconds}`` or ``{"to": "<iso>"}``.
* ``POST /_emulator/faults``: ``{"kind": "drop", "method": "tasks.task.start",
  "count": 1}`` forces faults (:meth:`Faults.inject`); ``{"clear": true}`` forgets them.
* ``POST /_emulator/overload``: ``{"blocked": true}`` switches REST off, ``false`` on.

Plain ``http://`` is accepted: the emulator is only served on loopback.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast, get_args

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
from b24tui.emulator.faults import BEFORE_RUN, DroppedConnection, FaultKind, Faults
from b24tui.emulator.idempotency import (
    KEY_HEADER,
    REPLAYED_HEADER,
    IdempotencyStore,
    KeyScope,
    body_fingerprint,
    checked_key,
)
from b24tui.emulator.journal import Journal
from b24tui.emulator.latency import Latency, LatencyMode, latency_for
from b24tui.emulator.limits import (
    LimitSettings,
    RequestBucket,
    operation_time_limit,
    overload_limit,
    query_limit_exceeded,
    settings_for,
)
from b24tui.emulator.params import Params, media_type, parse_v1, parse_v3
from b24tui.emulator.registry import REGISTRY, ApiGeneration, Registry
from b24tui.emulator.timing import OperatingMeter, time_block

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
_JSON = b"application/json; charset=utf-8"
_HTML = b"text/html"
_INTERNAL_ERROR = {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"}
_BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


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
    """A complete answer: status and a JSON-able body (or raw bytes of another type)."""

    status: int
    body: Any
    fault: FaultKind | None = None
    """An injected fault still to apply while sending (``truncated``/``timeout``/``drop``)."""
    content_type: bytes = _JSON
    raw: bytes | None = None
    """The body as sent, when it is not JSON (the ``html`` fault's page)."""
    server_time: float = 0.0
    """Seconds of modelled execution of the calls the request ran (realistic latency)."""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    """Headers beyond ``content-type`` and ``content-length`` (``Idempotency-Key``…)."""

    def encoded(self) -> bytes:
        """The body as UTF-8 JSON, non-ASCII kept as is (or the raw bytes)."""
        if self.raw is not None:
            return self.raw
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
        limits: rate limits: ``"off"``, ``"cloud"`` (50 burst, 2/s), ``"enterprise"``
            (250, 5/s), or custom :class:`LimitSettings` (tests lower the operating budget).
        faults: which REST requests fail on purpose; none when not given.
        journal_size: how many calls the journal keeps.
        delay_ms: an artificial delay before each REST answer, to feel a slow portal.
        latency: ``"instant"`` (answers as fast as Python gives them) or ``"realistic"``
            (each request takes its modelled server time plus a network round trip), or
            a :class:`Latency` with its own round trip and sleep.
    """

    def __init__(
        self,
        portal: Portal,
        *,
        registry: Registry = REGISTRY,
        limits: LimitMode | LimitSettings = "off",
        faults: Faults | None = None,
        journal_size: int = 2000,
        delay_ms: int = 0,
        latency: LatencyMode | Latency = "instant",
    ) -> None:
        if delay_ms < 0:
            raise ValueError("delay_ms cannot be negative")
        self.portal = portal
        self.registry = registry
        self.journal = Journal(journal_size)
        """Every call answered, newest last, and the counters behind ``/_emulator/stats``."""
        self.delay_ms = delay_ms
        self.latency = latency_for(latency)
        """How long REST answers take (see :mod:`b24tui.emulator.latency`)."""
        self.computed_s = 0.0
        """Seconds spent computing REST answers so far, on the portal clock's monotonic
        time: against ``dispatcher.modelled``, whether the model or the emulator's own
        work set the pace of realistic answers."""
        self.faults: Faults = faults if faults is not None else Faults()
        """The faults injected into REST requests (rate 0 unless given or forced)."""
        self.rest_blocked = False
        """Whether every REST call is refused with 503 ``OVERLOAD_LIMIT``."""
        self.bucket: RequestBucket | None = None
        """The request bucket, ``None`` with limits off."""
        self.idempotency = IdempotencyStore()
        """The successful REST 3.0 writes kept for replay by their ``Idempotency-Key``."""
        self.dispatcher = Dispatcher(portal, registry, self.journal, meter=OperatingMeter())
        self._held: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._held_lock = threading.Lock()
        self.set_limits(limits)

    def __repr__(self) -> str:
        return f"EmulatorApp(domain={self.portal.domain!r})"

    @property
    def limit_settings(self) -> LimitSettings | None:
        """The limits in force; ``None`` when they are off."""
        return self.dispatcher.settings

    def set_limits(self, limits: LimitMode | LimitSettings | None) -> None:
        """Put other limits in force (``"off"`` or ``None`` lifts them).

        The request bucket starts empty; the operating time already spent is kept.
        """
        settings = settings_for(limits)
        self.dispatcher.settings = settings
        self.bucket = RequestBucket(settings) if settings is not None else None

    def block_rest(self, blocked: bool = True) -> None:
        """Switch REST off (every call answers 503 ``OVERLOAD_LIMIT``) or back on."""
        self.rest_blocked = blocked

    @property
    def held(self) -> int:
        """How many answers a ``timeout`` fault is holding back now."""
        with self._held_lock:
            return len(self._held)

    def release_held(self) -> int:
        """Send every answer a ``timeout`` fault is holding back; returns how many.

        Safe to call from any thread (a test's, while the app is served from another).
        """
        with self._held_lock:
            held = list(self._held)
        for loop, event in held:
            loop.call_soon_threadsafe(event.set)
        return len(held)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"unsupported ASGI scope type {scope['type']!r}")
        body = await read_body(receive)
        headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
        content_type = headers.get("content-type", b"").decode("latin-1")
        client = scope.get("client")
        computing_since = self.portal.clock.monotonic()
        response = self.handle(
            scope["method"],
            scope["path"],
            scope.get("query_string", b""),
            content_type,
            body,
            client=str(client[0]) if client else None,
            idempotency_key=headers.get(KEY_HEADER),
        )
        if scope["path"].startswith("/rest/"):
            computed_in = self.portal.clock.monotonic() - computing_since
            self.computed_s += computed_in
            await self._held_back(response, computed_in)
        try:
            payload = response.encoded()
        except (TypeError, ValueError):
            route = parse_route(scope["path"])
            logger.exception("the answer of %s is not JSON", route.method if route else "?")
            response = HttpResponse(500, _INTERNAL_ERROR, fault=response.fault)
            payload = response.encoded()
        if response.fault == "timeout" and not await self._hold(receive):
            return  # the client hung up while the answer was held back
        if response.fault == "truncated":
            payload = payload[: len(payload) // 2]
        start = {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (b"content-type", response.content_type),
                (b"content-length", str(len(payload)).encode()),
                *response.headers,
            ],
        }
        await send(start)
        if response.fault == "drop":
            if "spec_version" in scope.get("asgi", {}):
                # A real server (uvicorn) closes the connection when the app returns
                # before the promised body: the client sees the connection cut.
                logger.info("dropping the connection after the answer's headers")
                return
            raise DroppedConnection("the emulated portal dropped the connection")
        await send({"type": "http.response.body", "body": payload})

    async def _held_back(self, response: HttpResponse, computed_in: float) -> None:
        """Wait before a REST answer: the ``delay_ms`` and, in realistic mode, the
        request's server time (less the time its answer took) and the round trip.

        The answer is already computed, so the portal has changed in arrival order; the
        wait never blocks the event loop, so other requests are served meanwhile.
        """
        seconds = self.delay_ms / 1000 + self.latency.hold_for(response.server_time, computed_in)
        if seconds > 0:
            await self.latency.sleep(seconds)

    async def _hold(self, receive: Receive) -> bool:
        """Hold an answer back until released (``True``) or the client hangs up
        (``False``); after :attr:`Faults.hold_s` it is sent anyway."""
        released = asyncio.Event()
        entry = (asyncio.get_running_loop(), released)
        with self._held_lock:
            self._held.add(entry)
        release = asyncio.ensure_future(released.wait())
        hangup = asyncio.ensure_future(_disconnected(receive))
        try:
            done, _ = await asyncio.wait(
                {release, hangup}, timeout=self.faults.hold_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            release.cancel()
            hangup.cancel()
            with self._held_lock:
                self._held.discard(entry)
        return hangup not in done

    def handle(
        self,
        http_method: str,
        path: str,
        query: bytes,
        content_type: str,
        body: bytes,
        *,
        client: str | None = None,
        idempotency_key: bytes | None = None,
    ) -> HttpResponse:
        """Answer one request synchronously (the ASGI entry point's core).

        ``client`` is the caller's IP: the request bucket is kept per portal and IP;
        ``idempotency_key`` the raw ``Idempotency-Key`` header, if sent. The answer carries
        the modelled execution time of the calls it ran.
        """
        modelled_before = self.dispatcher.modelled
        response = self._answer(
            http_method,
            path,
            query,
            content_type,
            body,
            client=client,
            idempotency_key=idempotency_key,
        )
        server_time = self.dispatcher.modelled - modelled_before
        return dataclasses.replace(response, server_time=server_time) if server_time else response

    def _answer(
        self,
        http_method: str,
        path: str,
        query: bytes,
        content_type: str,
        body: bytes,
        *,
        client: str | None = None,
        idempotency_key: bytes | None = None,
    ) -> HttpResponse:
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
        refusal = self._refusal(client)
        if refusal is not None:
            seen = _params_or_nothing(route, http_method, query, content_type, body)
            self.dispatcher.record(
                None, route.api, route.method, seen, request, refusal, refused=True
            )
            logger.info("%s %s -> %s %s", route.api, route.method, refusal.status, refusal.code)
            return HttpResponse(refusal.status, error_body(refusal, route.api))
        fault = self.faults.pick(route.method)
        if fault is not None:
            logger.info("%s %s: injecting fault %s", route.api, route.method, fault)
        if fault in BEFORE_RUN:
            seen = _params_or_nothing(route, http_method, query, content_type, body)
            return self._refused_by_fault(fault, route, seen, request)
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
            self.dispatcher.record(
                user_id, route.api, route.method, params, request, error, fault=fault
            )
            logger.info("%s %s -> %s %s", route.api, route.method, error.status, error.code)
            return HttpResponse(error.status, error_body(error, route.api), fault=fault)
        keyed: _Keyed | None = None
        if idempotency_key is not None and self._honours_key(route):
            try:
                keyed = _Keyed.of(identity, route.method, params, idempotency_key)
                stored = self.idempotency.replay(keyed.scope, keyed.fingerprint, self.portal.now())
            except V3Error as error:
                self.dispatcher.record(
                    identity.user_id, route.api, route.method, params, request, error, fault=fault
                )
                logger.info("%s %s -> %s %s", route.api, route.method, error.status, error.code)
                return HttpResponse(error.status, error_body(error, route.api), fault=fault)
            if stored is not None:
                self.dispatcher.record(
                    identity.user_id,
                    route.api,
                    route.method,
                    params,
                    request,
                    Outcome({}, stored.body.get("result")),
                    fault=fault,
                    replayed=True,
                )
                logger.info("%s %s -> %s (replayed)", route.api, route.method, stored.status)
                headers = (*keyed.echoed, (REPLAYED_HEADER, b"true"))
                body = copy.deepcopy(stored.body)
                return HttpResponse(stored.status, body, fault=fault, headers=headers)
        outcome = self.dispatcher.call(
            identity, route.api, route.method, params, request, fault=fault
        )
        logger.info("%s %s -> %s", route.api, route.method, outcome.status)
        echoed = keyed.echoed if keyed is not None else ()
        if outcome.error is not None:
            answer = error_body(outcome.error, route.api)
            if outcome.error.code == "OPERATION_TIME_LIMIT":
                answer["time"] = outcome.time
            return HttpResponse(outcome.status, answer, fault=fault, headers=echoed)
        answer = envelope(outcome)
        if keyed is not None:
            now = self.portal.now()
            self.idempotency.keep(keyed.scope, keyed.fingerprint, 200, copy.deepcopy(answer), now)
        return HttpResponse(200, answer, fault=fault, headers=echoed)

    def _honours_key(self, route: Route) -> bool:
        """Whether ``Idempotency-Key`` counts here: a REST 3.0 method that writes (the
        classic API and reads ignore it)."""
        if route.api != "v3":
            return False
        method = self.dispatcher.find("v3", route.method)
        return method is not None and method.writes

    def _refusal(self, client: str | None) -> RestError | None:
        """The portal-wide refusal of a REST request: overload switch, then the bucket."""
        if self.rest_blocked:
            return overload_limit()
        if self.bucket is not None and not self.bucket.admit(
            client or "-", self.portal.now().timestamp()
        ):
            return query_limit_exceeded()
        return None

    def _refused_by_fault(
        self, fault: FaultKind, route: Route, params: Params, request: RequestInfo
    ) -> HttpResponse:
        """The answer of a fault that refuses the request before its method runs."""
        if fault == "html":
            error = RestError(502, "BAD_GATEWAY", "502 Bad Gateway")
            response = HttpResponse(
                502, None, fault=None, content_type=_HTML, raw=_BAD_GATEWAY_PAGE
            )
        else:
            if fault == "503":
                error = query_limit_exceeded()
            elif fault == "429":
                error = operation_time_limit()
            else:
                error = RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
            answer = error_body(error, route.api)
            if fault == "429":
                answer["time"] = self._exhausted_time()
            response = HttpResponse(error.status, answer)
        self.dispatcher.record(None, route.api, route.method, params, request, error, fault=fault)
        return response

    def _exhausted_time(self) -> dict[str, Any]:
        """A plausible ``time`` block of a method whose operating budget is spent."""
        now = self.portal.now()
        settings = self.limit_settings
        budget = settings.operating_budget_s if settings is not None else 480.0
        return time_block(
            now,
            now,
            self.portal.tz,
            processing=0.0,
            operating=round(budget * 1.01, 6),
            operating_reset_at=int(
                (now + timedelta(seconds=OperatingMeter.WINDOW / 2)).timestamp()
            ),
        )

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
            settings = self.limit_settings
            stats = self.journal.stats()
            stats["limits"] = dataclasses.asdict(settings) if settings is not None else None
            stats["rest_blocked"] = self.rest_blocked
            stats["latency"] = self.latency.describe()
            stats["server_time"] = {
                "modelled_s": round(self.dispatcher.modelled, 6),
                "computed_s": round(self.computed_s, 6),
            }
            return HttpResponse(200, stats)
        if path == "/_emulator/faults" and http_method == "POST":
            return self._control_faults(body)
        if path == "/_emulator/overload" and http_method == "POST":
            request = _json_object(body)
            if request is None or not isinstance(request.get("blocked"), bool):
                return _bad_control('expected {"blocked": true|false}')
            self.block_rest(request["blocked"])
            return HttpResponse(200, {"rest_blocked": self.rest_blocked})
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

    def _control_faults(self, body: bytes) -> HttpResponse:
        """``POST /_emulator/faults``: force faults, or forget the forced ones."""
        request = _json_object(body)
        if request is not None and request.get("clear") is True:
            self.faults.clear()
            return HttpResponse(200, {"pending": self.faults.pending})
        kind = request.get("kind") if request is not None else None
        method = request.get("method") if request is not None else None
        count = request.get("count", 1) if request is not None else None
        if (
            kind not in get_args(FaultKind)
            or not (method is None or isinstance(method, str))
            or not isinstance(count, int)
            or isinstance(count, bool)
            or count < 1
        ):
            return _bad_control(
                'expected {"kind": "503|429|500|html|truncated|timeout|drop", '
                '"method": name (optional), "count": n (optional)} or {"clear": true}'
            )
        self.faults.inject(cast(FaultKind, kind), method=method, count=count)
        return HttpResponse(200, {"pending": self.faults.pending})

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


@dataclass(frozen=True)
class _Keyed:
    """A REST 3.0 write sent with a valid ``Idempotency-Key``."""

    scope: KeyScope
    fingerprint: str
    raw: bytes

    @classmethod
    def of(cls, identity: Identity, method: str, params: Params, raw: bytes) -> _Keyed:
        """The call's key, where it is unique; 400 (``V3Error``) when the key is invalid."""
        key = checked_key(raw)
        scope = (identity.credential, identity.user_id, method, key)
        return cls(scope, body_fingerprint(params), raw)

    @property
    def echoed(self) -> tuple[tuple[bytes, bytes], ...]:
        """The answer's header naming the key, as the portal sends it back."""
        return ((KEY_HEADER.encode(), self.raw),)


def _params_or_nothing(
    route: Route, http_method: str, query: bytes, content_type: str, body: bytes
) -> Params:
    """A refused request's parameters for the journal; ``{}`` when they do not parse."""
    try:
        if route.api == "v3":
            return parse_v3(http_method, query, body)[0]
        return parse_v1(query, content_type, body)[0]
    except (RestError, V3Error):
        return {}


def _json_object(body: bytes) -> dict[str, Any] | None:
    """A control request's JSON object, ``None`` when it is not one."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return None
    return request if isinstance(request, dict) else None


def _bad_control(message: str) -> HttpResponse:
    return HttpResponse(400, {"error": "BAD_CONTROL_REQUEST", "error_description": message})


async def _disconnected(receive: Receive) -> None:
    """Return once the client hangs up (the request body has been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def read_body(receive: Receive) -> bytes:
    """The whole body of an ASGI HTTP request (empty when the client hung up first)."""
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
