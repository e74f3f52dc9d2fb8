"""The saved task views of the dashboard, and the order tasks are listed in.

A view is a question about *my* tasks ("what is overdue?"). Each view says which
``tasks.task.list`` filters fetch a superset of its tasks from the portal (one per role,
since the list method cannot OR across roles) and which of those tasks belong to it,
so the same definition serves the fetch and the local refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from b24tui.models import Task, TaskStatus

CLOSED = (TaskStatus.COMPLETED, TaskStatus.DEFERRED)
"""Statuses no longer asking for work (PRODUCT.md: "open" means neither of these)."""

Filter = dict[str, Any]


def _open(task: Task) -> bool:
    return task.status not in CLOSED


def _responsible(task: Task, me: int) -> bool:
    return task.responsible_id == me


def _accomplice(task: Task, me: int) -> bool:
    return me in task.accomplices


def _doing(task: Task, me: int) -> bool:
    return _responsible(task, me) or _accomplice(task, me)


def _overdue(task: Task, now: datetime) -> bool:
    return task.deadline is not None and task.deadline < now and _open(task)


@dataclass(frozen=True)
class View:
    """One tab of the dashboard."""

    key: str
    label: str
    roles: tuple[str, ...]
    """Filter keys of ``tasks.task.list`` naming my role (``RESPONSIBLE_ID``, ...)."""
    open_only: bool
    predicate: Callable[[Task, int, datetime], bool]

    def filters(self, me: int) -> list[Filter]:
        """The ``tasks.task.list`` filters whose union holds every task of this view."""
        extra: Filter = {"!STATUS": [int(status) for status in CLOSED]} if self.open_only else {}
        return [{role: me, **extra} for role in self.roles]

    def matches(self, task: Task, me: int, now: datetime) -> bool:
        """Whether ``task`` belongs to this view for user ``me`` at ``now``."""
        return self.predicate(task, me, now)

    def select(self, tasks: Iterable[Task], me: int, now: datetime) -> list[Task]:
        """This view's tasks among ``tasks``, in the default order."""
        return sorted((t for t in tasks if self.matches(t, me, now)), key=order_key(now))


VIEWS: tuple[View, ...] = (
    View(
        "active",
        "Active",
        ("RESPONSIBLE_ID", "ACCOMPLICE"),
        True,
        lambda t, me, now: _doing(t, me) and _open(t),
    ),
    View(
        "in_progress",
        "In progress",
        ("RESPONSIBLE_ID",),
        True,
        lambda t, me, now: _responsible(t, me) and t.status is TaskStatus.IN_PROGRESS,
    ),
    View(
        "assigned",
        "Assigned to me",
        ("RESPONSIBLE_ID",),
        True,
        lambda t, me, now: _responsible(t, me) and _open(t),
    ),
    View(
        "created",
        "Created by me",
        ("CREATED_BY",),
        True,
        lambda t, me, now: t.created_by == me and _open(t),
    ),
    View(
        "helping",
        "Helping",
        ("ACCOMPLICE",),
        True,
        lambda t, me, now: _accomplice(t, me) and _open(t),
    ),
    View(
        "watching",
        "Watching",
        ("AUDITOR",),
        True,
        lambda t, me, now: me in t.auditors and _open(t),
    ),
    View(
        "overdue",
        "Overdue",
        ("RESPONSIBLE_ID", "ACCOMPLICE"),
        True,
        lambda t, me, now: _doing(t, me) and _overdue(t, now),
    ),
    View(
        "control",
        "Awaiting my control",
        ("CREATED_BY",),
        False,
        lambda t, me, now: t.created_by == me and t.status is TaskStatus.SUPPOSEDLY_COMPLETED,
    ),
    View(
        "all",
        "All",
        ("RESPONSIBLE_ID", "ACCOMPLICE", "AUDITOR", "CREATED_BY"),
        False,
        lambda t, me, now: _doing(t, me) or me in t.auditors or t.created_by == me,
    ),
)
"""The views in tab order; the first is the default."""

VIEWS_BY_KEY: dict[str, View] = {view.key: view for view in VIEWS}


def order_key(now: datetime) -> Callable[[Task], tuple[int, float, int, int]]:
    """The default order: overdue first, then deadline (none last), priority high→low, id."""

    def key(task: Task) -> tuple[int, float, int, int]:
        deadline = task.deadline.timestamp() if task.deadline is not None else float("inf")
        return (0 if _overdue(task, now) else 1, deadline, -int(task.priority), task.id)

    return key
