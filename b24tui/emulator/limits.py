"""The portal's rate limits: the request bucket and the per-method operating budget.

Bitrix24 cloud refuses REST requests in two ways (REFERENCE §1.7, ``limits.md``):

* **Request intensity**, a leaky bucket per portal and caller IP: every HTTP request adds
  one, the level drains by ``drain_per_s`` each second, and a request that would lift it
  above ``burst`` is refused with 503 ``QUERY_LIMIT_EXCEEDED``. A ``batch`` is one request.
  A refused request does not add to the level.
* **Operating time**, per method and caller credential: once a method's accumulated
  execution time over the last ten minutes exceeds ``operating_budget_s``, its next call
  is refused with 429 ``OPERATION_TIME_LIMIT`` until the oldest basket expires.

Both run on the **portal clock**, so tests move time with the portal's ``FrozenClock`` or
``POST /_emulator/clock`` and never sleep.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Final, Literal

from b24tui.emulator.errors import RestError

__all__ = [
    "LIMITS",
    "LIMIT_CODES",
    "LimitMode",
    "LimitSettings",
    "RequestBucket",
    "operation_time_limit",
    "overload_limit",
    "query_limit_exceeded",
    "settings_for",
]

LimitMode = Literal["off", "cloud", "enterprise"]
"""Named limit presets: none, a cloud plan's, the Enterprise plan's."""


@dataclass(frozen=True)
class LimitSettings:
    """One plan's limits."""

    burst: int
    """The bucket level above which requests are refused (``X`` in the docs)."""
    drain_per_s: float
    """How much the bucket drains per second of portal time (``Y`` in the docs)."""
    operating_budget_s: float = 480.0
    """Seconds of execution one method may accumulate per caller over ten minutes.

    The cloud value is not published; the docs' example uses 480 s. Tests lower it
    (``LimitSettings(50, 2, operating_budget_s=0.05)``) to reach it in a few calls."""

    def __post_init__(self) -> None:
        if self.burst < 1:
            raise ValueError("burst must be at least 1")
        if self.drain_per_s <= 0:
            raise ValueError("drain_per_s must be positive")
        if self.operating_budget_s <= 0:
            raise ValueError("operating_budget_s must be positive")


LIMITS: dict[LimitMode, LimitSettings | None] = {
    "off": None,
    "cloud": LimitSettings(burst=50, drain_per_s=2.0),
    "enterprise": LimitSettings(burst=250, drain_per_s=5.0),
}
"""The settings behind each mode; ``off`` has none."""


def settings_for(limits: LimitMode | LimitSettings | None) -> LimitSettings | None:
    """The settings a mode names (``ValueError`` for an unknown one), or ``limits`` itself."""
    if limits is None or isinstance(limits, LimitSettings):
        return limits
    if limits not in LIMITS:
        raise ValueError(f"unknown rate-limit mode {limits!r}; expected one of {sorted(LIMITS)}")
    return LIMITS[limits]


@dataclass
class _Level:
    value: float
    at: float


class RequestBucket:
    """A leaky bucket per caller key (the caller's IP) on one portal.

    Args:
        settings: the burst and drain rate.

    The caller passes the portal clock's unix time to every method; a clock that went
    backwards drains nothing.
    """

    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        self._levels: dict[Hashable, _Level] = {}

    def __repr__(self) -> str:
        return (
            f"RequestBucket(burst={self.settings.burst}, "
            f"drain_per_s={self.settings.drain_per_s}, callers={len(self._levels)})"
        )

    def level(self, key: Hashable, now: float) -> float:
        """The bucket's level for ``key`` at unix time ``now``, drained up to then."""
        state = self._levels.get(key)
        if state is None:
            return 0.0
        elapsed = max(now - state.at, 0.0)
        state.value = max(state.value - elapsed * self.settings.drain_per_s, 0.0)
        state.at = max(state.at, now)
        return state.value

    def admit(self, key: Hashable, now: float) -> bool:
        """Count one request of ``key``; ``False`` (and nothing counted) when it would
        lift the level above the burst."""
        current = self.level(key, now)
        if current + 1 > self.settings.burst:
            return False
        state = self._levels.setdefault(key, _Level(0.0, now))
        state.value = current + 1
        return True

    def retry_after(self, key: Hashable, now: float) -> float:
        """Seconds of portal time until ``key`` may send one more request."""
        excess = self.level(key, now) + 1 - self.settings.burst
        return max(excess / self.settings.drain_per_s, 0.0)

    def reset(self) -> None:
        """Empty the bucket for every caller."""
        self._levels.clear()


LIMIT_CODES: Final[frozenset[str]] = frozenset(
    {"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT"}
)
"""The error codes of the portal's refusals."""


def query_limit_exceeded() -> RestError:
    """503: the request bucket is full."""
    return RestError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")


def operation_time_limit() -> RestError:
    """429: the method's operating budget is spent for this caller."""
    return RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")


def overload_limit() -> RestError:
    """503: REST is switched off for this portal (blocked for overload)."""
    return RestError(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload.")
