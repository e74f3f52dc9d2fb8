"""Pacing and retries that keep the client inside the portal's limits (REFERENCE §1.7).

:class:`PacingPolicy` is the :class:`~b24tui.api.policy.RequestPolicy` the app and ``doctor``
give the client (a bare client sends at once and never retries):

* **Request bucket mirror.** The portal counts requests in a leaky bucket (cloud: burst 50,
  drains 2 a second; Enterprise: 250 and 5). The policy keeps its own copy and, before each
  HTTP request, takes a place in it, waiting when it is full (a tenth is kept in reserve:
  the portal counts a request a moment later than it was sent, and other apps calling
  from the same address share the bucket). A ``batch`` is one request.
* **Operating time per method.** Each answer's ``time`` block (and each batch command's
  ``result_time``) says how many seconds the method has run over the last ten minutes.
  Near the budget (480 s) calls of that method are spaced out; a method refused with
  ``OPERATION_TIME_LIMIT`` is *parked* until its ``operating_reset_at``: its callers wait,
  every other method keeps going.
* **Retries by error code**, never by HTTP status alone: ``QUERY_LIMIT_EXCEEDED`` → capped
  exponential backoff with full jitter, and the mirror bucket is taken as full;
  ``OPERATION_TIME_LIMIT`` → wait for the method's reset; ``OVERLOAD_LIMIT`` → never (only
  support lifts it); server errors, timeouts and dropped connections → a few tries, only
  for calls that may be repeated (reads and idempotent actions; any call when no
  connection was made; the client has already
  turned a write with an unknown outcome into
  :class:`~b24tui.api.errors.OutcomeUnknown`); anything else → no retry.

The clock and the sleep are injected, so tests run on a fake clock and never wait. The
state (:meth:`PacingPolicy.state`) is there for the status bar and ``doctor``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Literal

from b24tui.api.errors import (
    B24Error,
    ConnectError,
    OperationTimeLimit,
    OutcomeUnknown,
    Overloaded,
    RateLimited,
    ServerError,
    TransportError,
)
from b24tui.api.policy import is_idempotent_method
from b24tui.api.response import CallTime

if TYPE_CHECKING:
    from b24tui.api.batch import BatchResult

__all__ = [
    "PLANS",
    "Backoff",
    "PacingPolicy",
    "PacingState",
    "Plan",
    "PlanLimits",
]

log = logging.getLogger(__name__)

Plan = Literal["cloud", "enterprise"]
"""The portal's plan, which sets the request bucket's size and drain rate."""


@dataclass(frozen=True)
class PlanLimits:
    """The limits of one plan (REFERENCE §1.7)."""

    burst: int
    """Requests the bucket holds before the portal refuses (``X``)."""
    drain_per_s: float
    """Requests the bucket drains per second (``Y``)."""
    operating_budget_s: float = 480.0
    """Seconds one method may run per ten minutes (not published; the docs' example)."""

    def __post_init__(self) -> None:
        if self.burst < 1 or self.drain_per_s <= 0 or self.operating_budget_s <= 0:
            raise ValueError("limits must be positive")


PLANS: Mapping[Plan, PlanLimits] = MappingProxyType(
    {"cloud": PlanLimits(50, 2.0), "enterprise": PlanLimits(250, 5.0)}
)
"""Every plan but Enterprise: burst 50, drain 2/s; Enterprise: 250 and 5/s."""


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with full jitter: a random wait in
    ``[0, min(cap, base * 2 ** (attempt - 1))]``."""

    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """The wait before retry number ``attempt`` (1 for the first)."""
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return rng.uniform(0.0, ceiling)


@dataclass(frozen=True)
class PacingState:
    """What the pacing is doing now, for the UI and ``doctor``."""

    bucket_level: float
    """Requests in the mirror bucket (the portal refuses above :attr:`bucket_burst`; the
    policy waits a little before that)."""
    bucket_burst: int
    waiting: Mapping[str, int]
    """Method → how many calls of it are waiting now (``"*"``: waiting for the bucket)."""
    parked: Mapping[str, float]
    """Method → seconds until it may run again (refused with ``OPERATION_TIME_LIMIT``)."""
    near_budget: Mapping[str, float]
    """Method → share of its operating budget used (only those being slowed)."""
    last_backoff: float | None
    """Seconds of the most recent retry wait, if there was one."""
    last_reason: str | None
    """Why the most recent wait or retry happened, for logs and ``doctor``."""

    @property
    def slowing(self) -> bool:
        """Whether calls are being held back right now."""
        return bool(self.waiting or self.parked)

    @property
    def message(self) -> str | None:
        """A short line for a status bar while calls are held back, else ``None``."""
        if self.parked:
            method, seconds = max(self.parked.items(), key=lambda item: (item[1], item[0]))
            others = len(self.parked) - 1
            more = f" and {others} more" if others else ""
            return f"waiting for {method}{more} (portal limit), {math.ceil(seconds)} s"
        if self.slowing:
            return "slowing down for the portal's limits"
        return None


@dataclass
class _Usage:
    """What the last answer said about one method's operating time."""

    operating: float
    valid_until: float
    """Local time after which the figure is stale (its oldest minute has dropped out)."""


@dataclass
class _Counters:
    waiting: dict[str, int] = field(default_factory=dict)

    def enter(self, key: str) -> None:
        self.waiting[key] = self.waiting.get(key, 0) + 1

    def leave(self, key: str) -> None:
        left = self.waiting.get(key, 0) - 1
        if left > 0:
            self.waiting[key] = left
        else:
            self.waiting.pop(key, None)


class PacingPolicy:
    """The client's pacing and retry policy (see the module docstring).

    Args:
        plan: ``"cloud"`` (every plan but Enterprise) or ``"enterprise"``.
        limits: explicit limits instead of the plan's.
        clock: seconds on a steady clock (default :func:`time.monotonic`).
        wall: unix time, to place the portal's times before an answer showed its clock.
        sleep: the coroutine that waits (tests pass one that moves a fake clock).
        seed: seeds the jitter, for reproducible tests.
        rate_backoff: the waits after ``QUERY_LIMIT_EXCEEDED`` (0.5 s doubling, cap 30 s).
        fault_backoff: the waits after server and network faults (0.5 s doubling, cap 8 s).
        max_rate_retries: retries after ``QUERY_LIMIT_EXCEEDED`` before giving up.
        max_fault_retries: retries of a repeatable call after a fault.
        max_park_retries: retries after ``OPERATION_TIME_LIMIT``.
        max_park_wait: the longest wait for a method's reset before reporting the error.
        on_change: called with the new :class:`PacingState` when calls start or stop
            being held back, and on every retry.
    """

    HEADROOM: ClassVar[float] = 0.1
    """Share of the bucket left unused (cloud: 5 of 50). The portal counts a request
    when it arrives, the mirror when it is sent, so the portal's level runs a little
    ahead; requests of other apps from the same address share the bucket, too."""
    SLOW_FRACTION: ClassVar[float] = 0.8
    """Share of a method's operating budget above which its calls are spaced out."""
    SLOW_DELAY_MAX: ClassVar[float] = 5.0
    """The longest pause between calls of a method close to its budget, in seconds."""
    DEFAULT_PARK: ClassVar[float] = 60.0
    """How long to park a method when the portal did not say when it resets."""
    WINDOW: ClassVar[float] = 600.0
    """The portal's operating window: no reset is further away than this."""
    PARK_MARGIN: ClassVar[float] = 1.0
    """Seconds past the reported reset before a parked method goes again: the clocks of
    client and portal are matched only as well as the answers' ``time`` blocks allow."""

    def __init__(
        self,
        plan: Plan = "cloud",
        *,
        limits: PlanLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        seed: int | None = None,
        rate_backoff: Backoff = Backoff(0.5, 30.0),
        fault_backoff: Backoff = Backoff(0.5, 8.0),
        max_rate_retries: int = 6,
        max_fault_retries: int = 3,
        max_park_retries: int = 2,
        max_park_wait: float = 600.0,
        on_change: Callable[[PacingState], None] | None = None,
    ) -> None:
        if plan not in PLANS:
            raise ValueError(f"unknown plan {plan!r}: use 'cloud' or 'enterprise'")
        self.limits = limits or PLANS[plan]
        """The limits this policy paces by."""
        self.on_change = on_change
        """Called with the new state when calls start or stop being held back."""
        self._clock = clock
        self._wall = wall
        self._sleep = sleep
        self._rng = random.Random(seed)
        self._rate_backoff = rate_backoff
        self._fault_backoff = fault_backoff
        self._max_rate_retries = max_rate_retries
        self._max_fault_retries = max_fault_retries
        self._max_park_retries = max_park_retries
        self._max_park_wait = max_park_wait
        self._ceiling = float(self.limits.burst - round(self.limits.burst * self.HEADROOM))
        self._level = 0.0
        self._level_at = clock()
        self._usage: dict[str, _Usage] = {}
        self._parked: dict[str, float] = {}
        self._counters = _Counters()
        self._skew: float | None = None
        self._last_backoff: float | None = None
        self._last_reason: str | None = None

    def __repr__(self) -> str:
        return f"PacingPolicy(burst={self.limits.burst}, drain_per_s={self.limits.drain_per_s:g})"

    # --- state -------------------------------------------------------------------------

    def state(self) -> PacingState:
        """A snapshot of the bucket, the waiting and parked methods, the last backoff."""
        now = self._clock()
        parked = {m: until - now for m, until in self._parked.items() if until > now}
        near = {
            m: usage.operating / self.limits.operating_budget_s
            for m, usage in self._usage.items()
            if usage.valid_until > now
            and usage.operating >= self.SLOW_FRACTION * self.limits.operating_budget_s
        }
        return PacingState(
            bucket_level=self._drained(now),
            bucket_burst=self.limits.burst,
            waiting=MappingProxyType(dict(self._counters.waiting)),
            parked=MappingProxyType(parked),
            near_budget=MappingProxyType(near),
            last_backoff=self._last_backoff,
            last_reason=self._last_reason,
        )

    def waiting(self) -> str | None:
        """What calls wait for now, in a few words (see :attr:`PacingState.message`)."""
        return self.state().message

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change(self.state())

    # --- the bucket --------------------------------------------------------------------

    def _drained(self, now: float) -> float:
        elapsed = max(0.0, now - self._level_at)
        return max(0.0, self._level - elapsed * self.limits.drain_per_s)

    async def _take_token(self) -> None:
        """Take a place in the mirror bucket, waiting while it is full.

        The place is reserved before waiting (no ``await`` in between), so concurrent
        callers queue behind each other instead of all waking at once.
        """
        now = self._clock()
        self._level = self._drained(now) + 1.0
        self._level_at = now
        wait = (self._level - self._ceiling) / self.limits.drain_per_s
        if wait > 0:
            self._last_reason = "request bucket full"
            await self._wait("*", wait)

    def _fill_bucket(self) -> None:
        """The portal said the bucket is full: mirror that, so the next requests are spaced
        at the drain rate."""
        now = self._clock()
        self._level = max(self._drained(now), self._ceiling)
        self._level_at = now

    async def _wait(self, key: str, seconds: float) -> None:
        self._counters.enter(key)
        self._notify()
        try:
            await self._sleep(seconds)
        finally:
            self._counters.leave(key)
            self._notify()

    # --- operating time ----------------------------------------------------------------

    def _local(self, portal_time: float | None) -> float | None:
        """A portal unix time on the local clock (by the offset the answers showed)."""
        if portal_time is None:
            return None
        skew = self._skew if self._skew is not None else self._wall() - self._clock()
        return portal_time - skew

    def _learn_skew(self, call_time: CallTime | None) -> None:
        if call_time is None:
            return
        stamp = call_time.finish if call_time.finish is not None else call_time.start
        if stamp is not None:
            self._skew = stamp - self._clock()

    def _learn(self, method: str, call_time: CallTime | None) -> None:
        if call_time is None or call_time.operating is None:
            return
        now = self._clock()
        reset = self._local(call_time.operating_reset_at)
        valid_until = reset if reset is not None and now < reset <= now + self.WINDOW else None
        self._usage[method] = _Usage(
            operating=call_time.operating,
            valid_until=valid_until if valid_until is not None else now + self.DEFAULT_PARK,
        )

    def _slow_delay(self, method: str, now: float) -> tuple[float, str | None]:
        """How long to hold a call of ``method`` back because of its operating time."""
        usage = self._usage.get(method)
        if usage is None or usage.valid_until <= now:
            return 0.0, None
        budget = self.limits.operating_budget_s
        share = usage.operating / budget
        if share >= 1.0:
            return usage.valid_until - now, f"{method} used its operating time"
        if share < self.SLOW_FRACTION:
            return 0.0, None
        fraction = (share - self.SLOW_FRACTION) / (1.0 - self.SLOW_FRACTION)
        delay = min(usage.valid_until - now, self.SLOW_DELAY_MAX * fraction)
        return delay, f"{method} is near its operating time limit ({share:.0%})"

    def _park(self, method: str, reset_at: float | None) -> float:
        """Hold ``method`` back until its budget resets; the local time it may run again."""
        now = self._clock()
        until = self._local(reset_at)
        if until is not None:
            until += self.PARK_MARGIN
        if until is None or not now < until <= now + self.WINDOW + self.PARK_MARGIN:
            usage = self._usage.get(method)
            known = usage.valid_until if usage is not None and usage.valid_until > now else None
            until = known if known is not None else now + self.DEFAULT_PARK
        self._parked[method] = max(until, self._parked.get(method, 0.0))
        self._usage.pop(method, None)
        return self._parked[method]

    async def _wait_for_method(self, method: str) -> None:
        while True:
            now = self._clock()
            until = self._parked.get(method)
            if until is not None and until > now:
                self._last_reason = f"{method} paused until its operating time resets"
                await self._wait(method, until - now)
                continue
            if until is not None:
                del self._parked[method]
            delay, reason = self._slow_delay(method, now)
            if delay > 0:
                self._last_reason = reason
                log.info("holding %s back %.1f s: %s", method, delay, reason)
                await self._wait(method, delay)
            return

    # --- the RequestPolicy protocol ----------------------------------------------------

    async def before_call(self, method: str) -> None:
        """Wait while ``method`` is parked or near its budget, then for the bucket."""
        name = method.lower()
        if name != "batch":
            await self._wait_for_method(name)
        await self._take_token()

    def after_call(self, method: str, time: CallTime | None) -> None:
        """Learn the clock offset and ``method``'s operating time (not for ``batch``)."""
        self._learn_skew(time)
        name = method.lower()
        if name != "batch":
            self._learn(name, time)

    async def before_batch(self, methods: Sequence[str]) -> None:
        """Wait until none of a batch's command methods is parked or near its budget."""
        for name in dict.fromkeys(m.lower() for m in methods):
            await self._wait_for_method(name)

    def after_batch(self, result: BatchResult) -> None:
        """Learn each command's operating time; park a command refused for time."""
        methods = {command.id: command.method.lower() for command in result.commands}
        for command_id, call_time in result.times.items():
            method = methods.get(command_id)
            if method is not None:
                self._learn(method, call_time)
        for command_id, error in result.errors.items():
            method = methods.get(command_id)
            if method is not None and isinstance(error, OperationTimeLimit):
                self._park(method, error.operating_reset_at)
                self._notify()

    def retry_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Seconds to wait before repeating a failed call, or ``None`` to give up.

        Decided by the error's code (its class), never by the HTTP status alone. A
        ``batch`` reaches this only when the client found every command repeatable.
        """
        name = method.lower()
        delay = self._decide(error, name, attempt)
        if delay is not None:
            self._last_backoff = delay
            log.info("%s: retry %d after %.2f s (%s)", method, attempt, delay, self._last_reason)
            self._notify()
        return delay

    def replay_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Seconds to wait before repeating a keyed REST 3.0 write whose answer was lost
        (the portal replays it rather than run it twice), with the backoff and the number
        of tries of any call that is safe to repeat; ``None`` to give up."""
        if attempt > self._max_fault_retries:
            return None
        delay = self._fault_backoff.delay(attempt, self._rng)
        self._last_backoff = delay
        self._last_reason = f"{error.title} (repeating a write the portal applies once)"
        log.info("%s: repeat %d after %.2f s (%s)", method, attempt, delay, self._last_reason)
        self._notify()
        return delay

    def _decide(self, error: B24Error, method: str, attempt: int) -> float | None:
        if isinstance(error, OperationTimeLimit):
            until = self._park(method, error.operating_reset_at)
            wait = until - self._clock()
            self._last_reason = f"{method} used its operating time"
            if attempt > self._max_park_retries or wait - self.PARK_MARGIN > self._max_park_wait:
                return None
            return 0.0  # before_call waits for the park to end
        if isinstance(error, RateLimited):
            self._fill_bucket()
            self._last_reason = "the portal asked to slow down (QUERY_LIMIT_EXCEEDED)"
            if attempt > self._max_rate_retries:
                return None
            return self._rate_backoff.delay(attempt, self._rng)
        if isinstance(error, Overloaded | OutcomeUnknown):
            return None
        transient = isinstance(error, TransportError | ServerError) and error.retryable
        if not transient:
            return None
        # No connection means nothing was sent: safe to repeat even a write. Otherwise
        # only calls that may run twice (a batch gets here only when all its commands may).
        sent = not isinstance(error, ConnectError)
        if sent and method != "batch" and not is_idempotent_method(method):
            return None
        if attempt > self._max_fault_retries:
            return None
        self._last_reason = f"{error.title} (retrying a call that is safe to repeat)"
        return self._fault_backoff.delay(attempt, self._rng)
