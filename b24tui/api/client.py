"""The Bitrix24 REST client: one long-lived ``httpx.AsyncClient`` and typed resources.

Every call is a JSON POST. Answers are decoded and errors translated in one place
(:mod:`b24tui.api.errors`); pacing and retries are left to a policy object
(:mod:`b24tui.api.policy`; :class:`~b24tui.api.pacing.PacingPolicy` paces by the portal's
limits). Whatever the policy says, a write is sent again only when the portal said it did
not run it (rate limits) or no connection was made; a write whose answer was lost raises
:class:`~b24tui.api.errors.OutcomeUnknown`. The one exception is a REST 3.0 write sent with
an ``Idempotency-Key``: the portal answers its repeat from a store and never applies it
twice, so when its answer is lost the client sends it again with the same key, as often and
as late as the policy's :meth:`~b24tui.api.policy.ReplayAwarePolicy.replay_delay` says.
Redirects are not followed: a moved portal is reported as
:class:`~b24tui.api.errors.PortalMoved`. Nothing logged or raised contains the webhook code
or a token. A read-only client sends only the methods :mod:`b24tui.api.read_only` names as
reads and refuses the rest before anything is sent.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import ssl
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from contextvars import Context, ContextVar
from datetime import date, datetime
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

from b24tui import __version__
from b24tui.api.batch import Batch, BatchResult, Params
from b24tui.api.endpoint import ApiGeneration, Endpoint, OAuthToken, TokenRefresher, redact
from b24tui.api.errors import (
    B24Error,
    BadResponse,
    ConnectError,
    ConnectionDropped,
    MethodNotFound,
    OutcomeUnknown,
    RateLimited,
    RequestTimeout,
    ScopeError,
    TokenExpired,
    decode_answer,
    translate_transport,
)
from b24tui.api.generations import ApiGenerations
from b24tui.api.policy import (
    BatchAwarePolicy,
    NoPolicy,
    ReplayAwarePolicy,
    RequestPolicy,
    is_read_method,
    is_repeatable_call,
)
from b24tui.api.read_only import ReadOnlyRefused, is_known_read
from b24tui.api.resources import (
    ChecklistResource,
    SystemResource,
    TasksResource,
    TimemanResource,
    UsersResource,
)
from b24tui.api.response import Response

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

Phase = Literal["waiting", "sending"]

call_progress: ContextVar[Callable[[Phase], None] | None] = ContextVar(
    "call_progress", default=None
)
"""Told, within the context that sets it, where each call stands: ``"waiting"`` while
nothing of it can have reached the portal (held by pacing, or between retries after an
answer that says it did not run), ``"sending"`` once it may have. A queue of actions uses
it to cancel only what was never sent."""

HttpTimeout: TypeAlias = "float | tuple[float, float, float, float] | httpx.Timeout"
"""Seconds for the whole request, or (connect, read, write, wait for a pooled connection),
or an ``httpx.Timeout``: what ``httpx`` takes as ``timeout``. The defaults are tuples, so
that httpx (some 40 ms with what it loads) is imported by the first call, not at start."""

DEFAULT_TIMEOUT: HttpTimeout = (10.0, 65.0, 65.0, 65.0)
"""The cloud ends a request after 60 s; wait a little longer than that for the answer
(and 10 s to connect)."""

ApiChoice = Literal["v1", "v3", "auto"]


Answer = TypeVar("Answer")


async def _apart(exchange: Coroutine[Any, Any, Answer]) -> Answer:
    """Await ``exchange`` (an HTTP request) in a task of its own, in an empty context.

    httpx's timeouts are timers of the event loop; once the answer is in, they are
    cancelled, but a cancelled timer stays in the loop's schedule until it would have
    fired (65 s for a read), and holds the context it was made in. Made in the caller's
    context, that held the Textual worker the call ran in, and the screen that started
    it: a closed task's screen stayed alive for a minute after it was gone. Cancelling
    the caller cancels the exchange and waits for it to end, as before.
    """
    task = asyncio.create_task(exchange, context=Context())
    try:
        return await task
    except asyncio.CancelledError:
        task.cancel()
        await asyncio.wait({task})  # its own clean-up, as when it ran in the caller
        if not task.cancelled():
            task.exception()  # seen: an error it ended with is the caller's no more
        raise


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot send a {type(value).__name__} to the portal")


def _cut_short(body: bytes) -> bool:
    """Whether ``body`` is the start of a JSON document that ends too early."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return True
    return False


IDEMPOTENCY_HEADER = "Idempotency-Key"
"""The REST 3.0 request header that makes a write safe to repeat (``rest-v3.md``)."""

KEYED_HINT = "Saving the same change again is safe: the portal applies it only once."
"""What a person can do after a keyed REST 3.0 write's answer was lost for good."""


def _outcome_unknown(error: B24Error, *, keyed: bool = False) -> OutcomeUnknown:
    """The error for a write whose answer was lost (keeps ``error``'s details)."""
    return OutcomeUnknown(
        hint=KEYED_HINT if keyed else None,
        http_status=error.http_status,
        method=error.method,
        api=error.api,
        description=f"{error.title}: {error.description}".rstrip(": "),
    )


class _RedactingFilter(logging.Filter):
    """Masks webhook codes and ``auth=`` values in httpx's own request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = redact(message)
        record.args = None
        return True


_HTTPX_FILTER = _RedactingFilter()


def _guard_httpx_logging() -> None:
    """Install the redacting filter on the ``httpx`` logger (once, on first client)."""
    logger = logging.getLogger("httpx")
    if _HTTPX_FILTER not in logger.filters:
        logger.addFilter(_HTTPX_FILTER)


def trusted_roots() -> ssl.SSLContext:
    """The root certificates a portal's certificate is checked against, as httpx picks them:
    the bundle ``SSL_CERT_FILE`` or the directory ``SSL_CERT_DIR`` names, else certifi's.

    One context serves every client of the process: building one reads the whole bundle
    (some 50 ms), which each client (a login, doctor, a test) otherwise paid again.
    """
    return _trusted_roots(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _trusted_roots(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    if cert_file:
        return ssl.create_default_context(cafile=cert_file)
    if cert_dir:
        return ssl.create_default_context(capath=cert_dir)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class B24Client:
    """An async Bitrix24 REST client for one portal and one credential.

    Use it as an async context manager (or call :meth:`aclose`)::

        async with B24Client(Webhook.parse(url)) as client:
            tasks = await client.tasks.list(filter={"RESPONSIBLE_ID": 1})

    Args:
        endpoint: a :class:`~b24tui.api.endpoint.Webhook` or
            :class:`~b24tui.api.endpoint.OAuthToken`.
        transport: an httpx transport (tests, the in-process emulator); default: the network.
        timeout: see :data:`HttpTimeout`.
        user_agent: the ``User-Agent`` header.
        policy: pacing and retries (default :class:`~b24tui.api.policy.NoPolicy`, which
            never waits or retries; :class:`~b24tui.api.pacing.PacingPolicy` paces by the
            portal's limits).
        token_refresher: renews an expired OAuth token once per call.
        ca_file: an extra CA bundle to trust (the emulator's ``--tls`` certificate).
        sleep: the coroutine used to wait between retries (tests pass a fake).
        read_only: send only the methods known to read; any other raises
            :class:`~b24tui.api.read_only.ReadOnlyRefused` before it is sent.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: HttpTimeout = DEFAULT_TIMEOUT,
        user_agent: str = f"b24tui/{__version__}",
        policy: RequestPolicy | None = None,
        token_refresher: TokenRefresher | None = None,
        ca_file: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        read_only: bool = False,
    ) -> None:
        self._endpoint = endpoint
        self._read_only = read_only
        self._policy: RequestPolicy = policy or NoPolicy()
        self._token_refresher = token_refresher
        self._refresh_lock = asyncio.Lock()
        self._refresh_failure: tuple[Endpoint, B24Error] | None = None
        self._sleep = sleep
        self.generations = ApiGenerations()
        """Which API generation each portal answers task writes on (learned, per host)."""
        self._transport = transport
        self._timeout = timeout
        self._user_agent = user_agent
        self._extra_roots = ssl.create_default_context(cafile=ca_file) if ca_file else None
        self._pool: httpx.AsyncClient | None = None
        """The connection pool, made by the first call: reading the root certificates and
        building the pool take some 25 ms, which a start from the snapshot cache would
        otherwise spend before its first paint."""
        self._closed = False
        self.tasks = TasksResource(self)
        """Tasks: list, get, add, update, status actions, watch/mute/favourite, history."""
        self.checklist = ChecklistResource(self)
        """A task's checklist items (``task.checklistitem.*``)."""
        self.timeman = TimemanResource(self)
        """The current user's workday (``timeman.*``)."""
        self.users = UsersResource(self)
        """Users: the current one and several by id."""
        self.system = SystemResource(self)
        """The credential itself: profile, scopes, method availability."""

    @property
    def endpoint(self) -> Endpoint:
        """Where and as whom calls go (a refreshed token replaces it)."""
        return self._endpoint

    @property
    def read_only(self) -> bool:
        """Whether only reads are sent (``--read-only``, a profile's ``read_only``)."""
        return self._read_only

    @property
    def policy(self) -> RequestPolicy:
        """The pacing and retry policy (its ``state()`` feeds the UI when it has one)."""
        return self._policy

    @property
    def host(self) -> str:
        """The portal's host (``acme.bitrix24.com``, ``127.0.0.1:8080``)."""
        return self._endpoint.host

    @property
    def portal(self) -> str:
        """The portal's host, for headers and messages (never contains a secret)."""
        return self._endpoint.host

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has run."""
        return self._closed

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool (made on first use)."""
        if self._closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        if self._pool is None:
            import httpx

            verify: ssl.SSLContext | bool = True  # a transport handed in does its own checks
            if self._extra_roots is not None:
                verify = self._extra_roots
            elif self._transport is None:
                verify = trusted_roots()
            _guard_httpx_logging()
            self._pool = httpx.AsyncClient(
                transport=self._transport,
                timeout=self._timeout,
                follow_redirects=False,
                verify=verify,
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "User-Agent": self._user_agent,
                },
            )
        return self._pool

    async def __aenter__(self) -> B24Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        self._closed = True
        if self._pool is not None:
            await self._pool.aclose()

    def __repr__(self) -> str:
        return f"B24Client({self._endpoint!r})"

    # --- calls -------------------------------------------------------------------------

    async def call(
        self, method: str, params: Params | None = None, *, api: ApiChoice = "v1"
    ) -> Response:
        """Call ``method`` and return its :class:`~b24tui.api.response.Response`.

        ``params`` is a mapping of named parameters or a sequence for positional (legacy)
        methods, sent as a root JSON array. ``api="auto"`` tries REST 3.0 first where the
        portal has it (see :meth:`call_either`) with the same parameters.

        Raises:
            B24Error: any failure, translated (see :mod:`b24tui.api.errors`).
        """
        if api == "auto":
            return await self.call_either(method, v3=params, v1=params)
        return await self._call(method, params, api)

    async def call_either(
        self,
        method: str,
        *,
        v3: Params | None,
        v1: Params | None,
        idempotency_key: str | None = None,
    ) -> Response:
        """Call ``method`` on REST 3.0 if the portal has it there, else on the classic API.

        The first call per portal tries v3; ``ERROR_METHOD_NOT_FOUND``, a missing scope or
        a 404 page there mean "no v3": the client falls back to v1 and remembers it for the
        portal, so later calls go straight to the generation that works. The two generations
        take different parameters, hence one set per generation. ``Response.api`` says which
        one answered.

        ``idempotency_key`` (a write's, 1 to 255 printable ASCII characters) is sent as the
        ``Idempotency-Key`` header of the REST 3.0 call only; the classic API has no such
        thing. With it, a REST 3.0 write whose answer is lost is sent again with the same
        key (the portal answers the repeat from its store), and an answer replayed by the
        portal is an ordinary success. A write whose answer stays lost raises
        :class:`~b24tui.api.errors.OutcomeUnknown`; its ``api`` says which generation.
        """
        host = self._endpoint.host
        if self.generations.known(host) != "v1":
            try:
                response = await self._call(method, v3, "v3", idempotency_key=idempotency_key)
            except (MethodNotFound, ScopeError) as error:
                self.generations.remember(host, "v1", reason=f"{method} on v3: {error.title}")
            except BadResponse as error:
                if error.http_status != 404:
                    raise
                self.generations.remember(host, "v1", reason=f"{method} on v3: HTTP 404")
            else:
                self.generations.remember(host, "v3", reason=f"{method} answered on v3")
                return response
        return await self._call(method, v1, "v1")

    async def batch(self, batch: Batch) -> BatchResult:
        """Run ``batch`` in one request; per-command errors are in the result, not raised.

        Raises:
            B24Error: the batch as a whole failed (transport, auth, limits).
        """
        if not batch.commands:
            return BatchResult((), {}, {}, {}, {}, {})
        log.debug(
            "batch of %d: %s", len(batch.commands), ", ".join(c.method for c in batch.commands)
        )
        aware = self._policy if isinstance(self._policy, BatchAwarePolicy) else None
        if aware is not None:
            await aware.before_batch([command.method for command in batch.commands])
        response = await self._call("batch", batch.params(), "v1")
        result = BatchResult.from_result(batch, response.result, secrets=self._endpoint.secrets())
        if aware is not None:
            aware.after_batch(result)
        else:
            for command in batch.commands:
                self._policy.after_call(command.method, result.times.get(command.id))
        return result

    async def _call(
        self,
        method: str,
        params: Params | None,
        api: ApiGeneration,
        *,
        idempotency_key: str | None = None,
    ) -> Response:
        """One call with the policy's pacing and retries and one token refresh.

        A call that is not safe to repeat (a write) is retried only after an error that
        says it did not run: a rate limit, or no connection at all; a REST 3.0 write with
        an ``idempotency_key`` also after its answer was lost, with the same key. In
        read-only mode a call not known to read is refused here, the one way to the portal.
        """
        if self._read_only and not is_known_read(method, params):
            log.info("read-only: %s refused, nothing sent", method)
            raise ReadOnlyRefused(method=method, api=api)
        attempt = 0
        refreshed = False
        repeatable = is_repeatable_call(method, params)
        write = not is_read_method(method)
        key = idempotency_key if api == "v3" and write else None
        may_have_landed = False  # whether an earlier try of this write may have been applied
        progress = call_progress.get()
        while True:
            if progress is not None and not may_have_landed:
                progress("waiting")
            await self._policy.before_call(method)
            if progress is not None:
                progress("sending")
            endpoint = self._endpoint
            try:
                response = await self._send(
                    endpoint, method, params, api, repeatable=repeatable, idempotency_key=key
                )
            except TokenExpired:
                if refreshed or not await self._refresh(endpoint):
                    raise
                refreshed = True
                continue
            except OutcomeUnknown as lost:
                if key is None:
                    raise
                # The portal keeps a keyed write's answer: the repeat gets it, or runs the
                # write if the first try never arrived. Either way it is applied once.
                attempt += 1
                delay = self._replay_delay(lost, method, attempt)
                if delay is None:
                    raise _outcome_unknown(lost, keyed=True) from None
                may_have_landed = True
                log.info("%s: answer lost (%s); sending again with its key", method, lost.title)
                await self._sleep(delay)
                continue
            except B24Error as error:
                if not repeatable and not isinstance(error, RateLimited | ConnectError):
                    raise
                attempt += 1
                delay = self._policy.retry_delay(error, method=method, attempt=attempt)
                if delay is None:
                    if may_have_landed:
                        # A repeat failed, but an earlier try's answer was lost: the change
                        # may be on the portal. Saying "failed" would be a guess.
                        raise _outcome_unknown(error, keyed=key is not None) from None
                    raise
                if write and not isinstance(error, RateLimited | ConnectError):
                    may_have_landed = True
                log.info("%s failed (%s); retry %d in %.1f s", method, error.title, attempt, delay)
                await self._sleep(delay)
                continue
            self._policy.after_call(method, response.time)
            return response

    def _replay_delay(self, lost: OutcomeUnknown, method: str, attempt: int) -> float | None:
        """When to send a keyed write again after its answer was lost; ``None``: never
        (the policy does not repeat keyed writes, or gives up)."""
        if not isinstance(self._policy, ReplayAwarePolicy):
            return None
        return self._policy.replay_delay(lost, method=method, attempt=attempt)

    async def _refresh(self, expired: Endpoint) -> bool:
        """Renew an expired OAuth token; ``False`` when there is nothing to renew with."""
        if self._token_refresher is None or not isinstance(expired, OAuthToken):
            return False
        async with self._refresh_lock:
            failed = self._refresh_failure
            if failed is not None and failed[0] is expired:
                # Callers that waited for a refresh that failed get its error: asking the
                # token server once per waiting call could get the app blocked.
                raise failed[1]
            if self._endpoint is expired:
                log.info("access token for %s expired; refreshing", expired.host)
                try:
                    self._endpoint = await self._token_refresher(expired)
                except B24Error as error:
                    self._refresh_failure = (expired, error)
                    raise
        return True

    def _request_parts(
        self, endpoint: Endpoint, params: Params | None, api: ApiGeneration
    ) -> tuple[bytes, dict[str, str]]:
        """The JSON body and the query parameters of a call."""
        auth = endpoint.auth_params()
        body: Any
        query: dict[str, str] = {}
        if params is None:
            body = dict(auth)
        elif isinstance(params, Mapping):
            body = {**params, **auth}
        elif isinstance(params, Sequence) and not isinstance(params, str | bytes):
            body = list(params)
            query = dict(auth)
        else:
            raise TypeError("params must be a mapping or a sequence")
        encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_json_default)
        return encoded.encode("utf-8"), query

    async def _send(
        self,
        endpoint: Endpoint,
        method: str,
        params: Params | None,
        api: ApiGeneration,
        *,
        repeatable: bool = True,
        idempotency_key: str | None = None,
    ) -> Response:
        """POST one call and decode the answer (no retries).

        When the call is not ``repeatable`` and its answer was lost after sending (a
        timeout, a dropped connection, a cut-short body), raise
        :class:`~b24tui.api.errors.OutcomeUnknown` instead of the transport error.
        ``idempotency_key`` is sent as the ``Idempotency-Key`` header.
        """
        url = endpoint.method_url(method, api)
        secrets = endpoint.secrets()
        shown_url = redact(url, secrets)
        content, query = self._request_parts(endpoint, params, api)
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key is not None else None
        import httpx  # with the first call, not at start (see HttpTimeout)

        started = time.monotonic()
        try:
            answer = await _apart(
                self._http.post(url, content=content, params=query or None, headers=headers)
            )
        except httpx.HTTPError as exc:
            error = translate_transport(exc, method, api, secrets=secrets)
            log.warning(
                "POST %s failed after %.0f ms: %s",
                shown_url,
                (time.monotonic() - started) * 1000,
                error.description,
            )
            sent = not isinstance(exc, httpx.PoolTimeout | httpx.ConnectTimeout)
            if not repeatable and sent and isinstance(error, RequestTimeout | ConnectionDropped):
                raise _outcome_unknown(error) from None
            raise error from None
        log.debug(
            "POST %s -> %d (%d bytes) in %.0f ms",
            shown_url,
            answer.status_code,
            len(answer.content),
            (time.monotonic() - started) * 1000,
        )
        try:
            envelope = decode_answer(
                answer.status_code,
                answer.content,
                answer.headers.get("content-type"),
                method,
                api,
                location=answer.headers.get("location"),
                secrets=secrets,
            )
        except B24Error as error:
            log.info("POST %s: %r", shown_url, error)
            if not repeatable and isinstance(error, BadResponse) and _cut_short(answer.content):
                raise _outcome_unknown(error) from None
            raise
        if answer.headers.get("idempotent-replayed") == "true":
            log.info("POST %s: the portal replayed its stored answer", shown_url)
        return Response.from_envelope(envelope, method=method, api=api)
