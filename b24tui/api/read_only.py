"""Read-only mode's guard: the methods known to only read, and the error for the rest.

The list is explicit on purpose. :func:`~b24tui.api.policy.is_read_method` guesses by a
method's name (``….get``, ``….list``) to decide what may be retried; a guard that must
never let a write through cannot guess, so anything not named here is refused, and a
method the app starts to read with has to be added here first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from b24tui.api.errors import B24Error
from b24tui.api.policy import batch_methods

__all__ = ["READ_METHODS", "ReadOnlyRefused", "is_known_read"]

READ_METHODS: frozenset[str] = frozenset(
    {
        # the credential itself
        "profile",
        "scope",
        "methods",
        "method.get",
        "app.info",
        # people
        "user.current",
        "user.get",
        # tasks
        "tasks.task.list",
        "tasks.task.get",
        "tasks.task.getaccess",
        "tasks.task.getfields",
        "tasks.task.history.list",
        "tasks.task.counters.get",
        # checklists
        "task.checklistitem.get",
        "task.checklistitem.getlist",
        "task.checklistitem.getmanifest",
        "task.checklistitem.isactionallowed",
        # the workday
        "timeman.status",
        "timeman.settings",
    }
)
"""Every method read-only mode sends: each only reads (lower case, as compared)."""


def is_known_read(method: str, params: Any = None) -> bool:
    """Whether ``method`` is known to only read; a ``batch`` when each of its commands is.

    A batch whose commands cannot be read from ``params`` is not known to read.
    """
    name = method.strip().lower()
    if name == "batch":
        methods = batch_methods(params)
        return bool(methods) and all(m.lower() in READ_METHODS for m in methods or ())
    return name in READ_METHODS


class ReadOnlyRefused(B24Error):
    """A write asked for in read-only mode: refused before anything was sent."""

    default_title: ClassVar[str] = "Read-only: nothing is changed on the portal"
    default_hint: ClassVar[str] = (
        "This run is read-only (--read-only, or read_only = true in the profile's config)."
    )
