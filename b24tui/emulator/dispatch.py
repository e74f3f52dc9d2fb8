"""From an authenticated caller and a method name to an answer: the path every call takes.

Direct HTTP calls and batch sub-commands both go through :meth:`Dispatcher.call`: find
the method (404 ``ERROR_METHOD_NOT_FOUND``), refuse non-batchable methods inside a batch
(405), check the scope (403), refuse a method whose operating budget is spent (429
``OPERATION_TIME_LIMIT``, when limits are on), run the handler, charge its modelled
execution time and journal it. Handlers that dispatch further (``batch``) or describe the
portal (``scope``, ``methods``) read the :class:`DispatchContext` of the call they run in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from b24tui.emulator.errors import V3_PREFIX, RestError, V3Error, method_not_found
from b24tui.emulator.journal import Journal
from b24tui.emulator.limits import (
    LIMIT_CODES,
    LimitMode,
    LimitSettings,
    operation_time_limit,
    settings_for,
)
from b24tui.emulator.params import Params
from b24tui.emulator.registry import ApiGeneration, Call, Method, Page, Registry
from b24tui.emulator.timing import OperatingMeter, cost_of, time_block

if TYPE_CHECKING:
    from b24tui.emulator.state import Portal

logger = logging.getLogger(__name__)

__all__ = [
    "SCOPE_ALTERNATIVES",
    "TABLE_SIZES",
    "DispatchContext",
    "Dispatcher",
    "Identity",
    "LimitMode",
    "Outcome",
    "RequestInfo",
    "current_context",
    "error_body",
    "insufficient_scope",
    "not_found",
]

TABLE_SIZES: dict[str, Callable[[Portal], int]] = {
    "tasks.task.list": lambda portal: len(portal.tasks),
    "user.get": lambda portal: len(portal.users),
}
"""The table a list method counts for ``total`` (the cost model's ``table_rows``);
other list methods count their matches."""

SCOPE_ALTERNATIVES: dict[str, frozenset[str]] = {
    "user": frozenset({"user_basic", "user_brief"}),
}
"""Scopes that also satisfy a method's scope (``user.current`` accepts ``user_basic``)."""

ApiFailure = RestError | V3Error


@dataclass(frozen=True)
class Identity:
    """The caller behind a request, resolved once from its webhook or access token."""

    user_id: int
    scopes: frozenset[str]
    kind: Literal["webhook", "oauth"]
    credential: Hashable = field(repr=False)
    """The webhook or token itself: the operating meter's key. Never rendered."""

    def grants(self, scope: str) -> bool:
        """Whether a method needing ``scope`` may run (``basic`` is always granted)."""
        if scope == "basic" or scope in self.scopes:
            return True
        return bool(SCOPE_ALTERNATIVES.get(scope, frozenset()) & self.scopes)


@dataclass(frozen=True)
class RequestInfo:
    """How the HTTP request carrying a call was sent (journaled with every call)."""

    http_method: str
    content_type: str


@dataclass(frozen=True)
class Outcome:
    """A call's answer: ``result`` (+ ``total``/``next`` of a list) or an ``error``."""

    time: dict[str, Any]
    result: Any = None
    total: int | None = None
    next: int | None = None
    error: ApiFailure | None = None

    @property
    def status(self) -> int:
        """The HTTP status the call answers with on its own."""
        return self.error.status if self.error is not None else 200


SubCall = Callable[[str, Params], Outcome]
"""Runs one batch sub-command: ``(method name, params) -> Outcome``."""


@dataclass(frozen=True)
class DispatchContext:
    """What a running handler may learn about the call beyond :class:`Call`."""

    registry: Registry
    identity: Identity
    api: ApiGeneration
    sub_call: SubCall
    """Dispatch a sub-command as the same caller, through the same checks, journaled."""


_CONTEXT: ContextVar[DispatchContext] = ContextVar("b24tui_emulator_dispatch")


def current_context() -> DispatchContext:
    """The context of the handler running now; ``RuntimeError`` outside a dispatch."""
    try:
        return _CONTEXT.get()
    except LookupError:
        raise RuntimeError("no emulator call is being dispatched") from None


@contextmanager
def _entered(context: DispatchContext) -> Iterator[None]:
    token = _CONTEXT.set(context)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def insufficient_scope(api: ApiGeneration) -> ApiFailure:
    """The documented 403 for a missing scope, in the path's generation."""
    if api == "v3":
        return V3Error(
            403,
            V3_PREFIX + "INSUFFICIENTSCOPEEXCEPTION",
            "The webhook or application does not have the required scope",
        )
    return RestError(
        403,
        "insufficient_scope",
        "The request requires higher privileges than provided by the webhook token",
    )


def not_found(api: ApiGeneration, name: str) -> ApiFailure:
    """``ERROR_METHOD_NOT_FOUND`` (404) in the path's generation."""
    error = method_not_found(name)
    return V3Error(404, error.code, error.description) if api == "v3" else error


def error_body(error: ApiFailure, api: ApiGeneration) -> dict[str, Any]:
    """An error in the path's shape: flat at v1, ``{"error": {...}}`` at v3."""
    if api == "v3":
        if isinstance(error, V3Error):
            return error.body()
        return {"error": {"code": error.code, "message": error.description}}
    if isinstance(error, RestError):
        return error.body()
    return {"error": error.code, "error_description": error.message}


class Dispatcher:
    """Runs calls against one portal and method table, journaling each one."""

    def __init__(
        self,
        portal: Portal,
        registry: Registry,
        journal: Journal,
        *,
        meter: OperatingMeter | None = None,
        limits: LimitMode | LimitSettings | None = "off",
    ) -> None:
        self.portal = portal
        self.registry = registry
        self.journal = journal
        self.meter = meter or OperatingMeter()
        self.settings: LimitSettings | None = settings_for(limits)
        """The limits in force (``None``: off); the operating budget is read from here."""
        self.modelled = 0.0
        """Seconds of modelled execution of every call run so far (batch commands included):
        how much of it one request took is that request's server time."""

    def find(self, api: ApiGeneration, name: str) -> Method | None:
        """The method at this path, honouring a portal without REST 3.0."""
        if api == "v3" and not self.portal.v3_enabled:
            return None
        return self.registry.find(api, name)

    def call(
        self,
        identity: Identity,
        api: ApiGeneration,
        name: str,
        params: Params,
        request: RequestInfo,
        *,
        via_batch: bool = False,
        fault: str | None = None,
    ) -> Outcome:
        """Run one call as ``identity`` and journal it; never raises API errors.

        ``fault`` names the injected fault the request's answer will suffer after the call
        ran (``"drop"``, ``"timeout"``, ``"truncated"``), journaled with it.
        """
        start = self.portal.now()
        name = name.lower()
        ran = False
        try:
            method = self._checked(identity, api, name, via_batch)
            self._admit(identity, method, start.timestamp())
            context = DispatchContext(
                self.registry,
                identity,
                api,
                lambda sub_name, sub_params: self.call(
                    identity, api, sub_name, sub_params, request, via_batch=True
                ),
            )
            call = Call(self.portal, identity.user_id, identity.scopes, api, params, start)
            ran = True
            with _entered(context):
                answer = method.handler(call)
        except (RestError, V3Error) as error:
            outcome = Outcome(self._time(start, name, identity), error=error)
        except Exception:
            logger.exception("emulated method %s failed", name)
            crash = RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
            outcome = Outcome(self._time(start, name, identity), error=crash)
        else:
            outcome = self._success(identity, name, start, answer, params)
        refused = not ran and outcome.error is not None and outcome.error.code in LIMIT_CODES
        self.record(
            identity.user_id,
            api,
            name,
            params,
            request,
            outcome,
            via_batch=via_batch,
            ran=ran,
            refused=refused,
            fault=fault,
        )
        return outcome

    def _checked(
        self, identity: Identity, api: ApiGeneration, name: str, via_batch: bool
    ) -> Method:
        method = self.find(api, name)
        if method is None:
            raise not_found(api, name)
        if via_batch and not method.batchable:
            raise RestError(
                405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage"
            )
        if not identity.grants(method.scope):
            raise insufficient_scope(api)
        return method

    def _admit(self, identity: Identity, method: Method, now: float) -> None:
        """Refuse a call whose method has spent its operating budget (429).

        The budget is per caller credential and method; the outer ``batch`` is never
        refused here (its sub-commands are, each against its own method). With limits
        off every call is admitted. The request bucket is the HTTP layer's business.
        """
        if self.settings is None or method.name == "batch":
            return
        operating, _ = self.meter.operating(identity.credential, method.name, now)
        if operating > self.settings.operating_budget_s:
            raise operation_time_limit()

    def _success(
        self, identity: Identity, name: str, start: datetime, answer: Any, params: Params
    ) -> Outcome:
        if isinstance(answer, Page):
            result, total, next_start = answer.result, answer.total, answer.next
        else:
            result, total, next_start = answer, None, None
        # The outer batch is not charged; each sub-command is, against its own method.
        counted = self._counted_rows(name, answer, params)
        processing = 0.0 if name == "batch" else cost_of(result, counted_rows=counted)
        if processing:
            self.meter.charge(identity.credential, name, start.timestamp(), processing)
            self.modelled += processing
        return Outcome(self._time(start, name, identity, processing), result, total, next_start)

    def _counted_rows(self, name: str, answer: Any, params: Params) -> int | None:
        """The table size a list call counted for ``total``; ``None`` if it did not count
        (not a list, or ``start=-1``)."""
        if not isinstance(answer, Page):
            return None
        start = params.get("start") if isinstance(params, dict) else None
        if str(start).strip() == "-1":
            return None
        size = TABLE_SIZES.get(name)
        return size(self.portal) if size is not None else answer.total

    def _time(
        self, start: datetime, name: str, identity: Identity, processing: float = 0.0
    ) -> dict[str, Any]:
        operating, reset_at = self.meter.operating(identity.credential, name, start.timestamp())
        if reset_at is None:
            # Nothing counted yet (the outer batch, a first refused call): the portal
            # still sends when a basket opened now would expire (the docs' examples
            # with operating 0 show start + 600).
            reset_at = int(start.timestamp() + OperatingMeter.WINDOW)
        return time_block(
            start,
            self.portal.now(),
            self.portal.tz,
            processing=processing,
            operating=operating,
            operating_reset_at=reset_at,
        )

    def record(
        self,
        user_id: int | None,
        api: ApiGeneration,
        name: str,
        params: Params,
        request: RequestInfo,
        outcome: Outcome | ApiFailure,
        *,
        via_batch: bool = False,
        ran: bool = False,
        refused: bool = False,
        fault: str | None = None,
        replayed: bool = False,
    ) -> None:
        """Journal a call (or a request refused before it became one: ``ran=False``; or
        one answered from the ``Idempotency-Key`` store: ``replayed=True``)."""
        error = outcome.error if isinstance(outcome, Outcome) else outcome
        self.journal.record(
            method=name.lower(),
            api=api,
            params=params,
            http_method=request.http_method,
            content_type=request.content_type,
            via_batch=via_batch,
            status=error.status if error is not None else 200,
            error=error.code if error is not None else None,
            user_id=user_id,
            ran=ran,
            refused=refused,
            fault=fault,
            replayed=replayed,
        )
