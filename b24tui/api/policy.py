"""The seam for pacing and retries: a policy object the client consults around each call.

The client asks the policy before sending (``before_call``: wait for the request bucket or a
method's operating budget), tells it what it learned after (``after_call``: the ``time``
block), and asks whether and when to repeat a failed call (``retry_delay``). The default
:class:`NoPolicy` never waits and never retries; the pacing and backoff policy plugs in here.
"""

from __future__ import annotations

from typing import Protocol

from b24tui.api.errors import B24Error
from b24tui.api.response import CallTime

_READ_SUFFIXES: tuple[str, ...] = (
    ".get",
    ".list",
    ".getlist",
    ".getaccess",
    ".getfields",
    ".getmanifest",
    ".isactionallowed",
    ".status",
    ".settings",
    ".current",
)
_READ_METHODS: frozenset[str] = frozenset({"profile", "scope", "methods", "method.get", "app.info"})


def is_read_method(method: str) -> bool:
    """Whether calling ``method`` twice is harmless (it only reads).

    Writes are never repeated blindly: a write that timed out may have been applied.
    ``batch`` counts as a write because its commands may be.
    """
    name = method.lower()
    return name in _READ_METHODS or name.endswith(_READ_SUFFIXES)


class RequestPolicy(Protocol):
    """Pacing and retry decisions for :class:`~b24tui.api.client.B24Client`."""

    async def before_call(self, method: str) -> None:
        """Wait, if needed, until ``method`` may be sent."""
        ...

    def after_call(self, method: str, time: CallTime | None) -> None:
        """Learn from a successful call's ``time`` block."""
        ...

    def retry_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Seconds to wait before repeating the call, or ``None`` to give up.

        ``attempt`` counts the failures so far (1 after the first).
        """
        ...


class NoPolicy:
    """Send at once, never retry: every failure reaches the caller."""

    async def before_call(self, method: str) -> None:
        """Never waits."""

    def after_call(self, method: str, time: CallTime | None) -> None:
        """Remembers nothing."""

    def retry_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Never retries."""
        return None
