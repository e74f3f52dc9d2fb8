"""The seam for pacing and retries: a policy object the client consults around each call.

The client asks the policy before sending (``before_call``: wait for the request bucket or a
method's operating budget), tells it what it learned after (``after_call``: the ``time``
block), and asks whether and when to repeat a failed call (``retry_delay``). A policy that
also implements :class:`BatchAwarePolicy` hears about the commands inside a ``batch``.
:class:`NoPolicy` never waits and never retries, and is the client's default: a bare
``B24Client`` sends every call at once and hands every failure to its caller. The app and
``doctor`` pass :class:`~b24tui.api.pacing.PacingPolicy`, which paces by the portal's limits
and retries what may safely be repeated.

Whether a call may be repeated at all is decided here too (:func:`is_repeatable_call`): the
client never re-sends a write whose outcome is unknown, whatever the policy says, except a
REST 3.0 write that carries an ``Idempotency-Key``: the portal answers its repeat from a
store and never applies it twice, and a :class:`ReplayAwarePolicy` says when to repeat it.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from b24tui.api.errors import B24Error
from b24tui.api.response import CallTime

if TYPE_CHECKING:
    from b24tui.api.batch import BatchResult


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


# Actions that only set a state, so that a second identical call leaves the portal exactly
# as the first did and answers the same way. Repeating one after a lost answer is safe:
# - tasks.task.mute / unmute: set the caller's "muted" flag to a value;
# - tasks.task.favorite.add / favorite.remove: put the task in or out of a set;
# - tasks.task.startwatch / stopwatch: put the caller in or out of the auditors.
# Status transitions (start, pause, complete, defer, renew, approve…) are NOT here: a
# repeat after one that was applied is refused ("action not allowed"), which would tell the
# person the change failed when it succeeded. Nor are add/update/delete, timeman.open/
# pause/close (transitions again), or anything that adds a record. Nor is any
# task.checklistitem.* write, complete and renew included though their page calls them
# idempotent: a checklist is shared, and a tick re-sent seconds later would undo whatever
# someone else did to the item meanwhile. A lost answer there surfaces as OutcomeUnknown
# and the checklist queue reads the checklist back instead.
_IDEMPOTENT_ACTIONS: frozenset[str] = frozenset(
    {
        "tasks.task.mute",
        "tasks.task.unmute",
        "tasks.task.favorite.add",
        "tasks.task.favorite.remove",
        "tasks.task.startwatch",
        "tasks.task.stopwatch",
    }
)


def is_idempotent_method(method: str) -> bool:
    """Whether repeating a call of ``method`` cannot change the outcome: a read, or an
    action that only sets a state (mute, favourite, watch)."""
    return is_read_method(method) or method.lower() in _IDEMPOTENT_ACTIONS


def batch_methods(params: Any) -> tuple[str, ...] | None:
    """The methods of a ``batch`` call's ``cmd`` (``None`` when they cannot be read)."""
    if not isinstance(params, Mapping):
        return None
    commands = params.get("cmd")
    values: Sequence[Any]
    if isinstance(commands, Mapping):
        values = list(commands.values())
    elif isinstance(commands, list | tuple):
        values = commands
    else:
        return None
    methods: list[str] = []
    for command in values:
        if not isinstance(command, str):
            return None
        methods.append(urllib.parse.unquote(command.partition("?")[0]).strip())
    return tuple(methods)


def is_repeatable_call(method: str, params: Any = None) -> bool:
    """Whether this call may be sent again after an answer was lost.

    A ``batch`` is repeatable only when every command in it is (all reads, or idempotent
    actions); any other method by :func:`is_idempotent_method`.
    """
    if method.lower() == "batch":
        methods = batch_methods(params)
        return bool(methods) and all(is_idempotent_method(m) for m in methods or ())
    return is_idempotent_method(method)


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

    def waiting(self) -> str | None:
        """What calls wait for now, in a few words for a status line (``"waiting for
        user.current (portal limit), 42 s"``), or ``None`` when nothing waits."""
        ...


@runtime_checkable
class BatchAwarePolicy(Protocol):
    """A policy that paces the commands inside a ``batch`` by their own methods."""

    async def before_batch(self, methods: Sequence[str]) -> None:
        """Wait, if needed, until none of ``methods`` is held back (the batch itself is
        paced by :meth:`RequestPolicy.before_call`)."""
        ...

    def after_batch(self, result: BatchResult) -> None:
        """Learn from each command's ``result_time`` and errors (the outer call is not
        counted against any method's budget)."""
        ...


@runtime_checkable
class ReplayAwarePolicy(Protocol):
    """A policy that also paces the repeat of a REST 3.0 write sent with an
    ``Idempotency-Key``: the portal answers such a repeat from its store instead of
    running it again, so it is as safe to repeat as a read."""

    def replay_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Seconds to wait before sending the keyed write again after its answer was lost
        (``error``), or ``None`` to give up; ``attempt`` counts the failures so far."""
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

    def replay_delay(self, error: B24Error, *, method: str, attempt: int) -> float | None:
        """Never repeats a keyed write either."""
        return None

    def waiting(self) -> str | None:
        """Nothing ever waits."""
        return None
