"""The saved task views of the dashboard, and the order tasks are listed in.

A view is a question about *my* tasks ("what is overdue?"). Each view says which
``tasks.task.list`` filters fetch a superset of its tasks from the portal (one per role,
since the list method cannot OR across roles) and which of those tasks belong to it,
so the same definition serves the fetch and the local refresh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from b24tui.matching import fold, query_words
from b24tui.models import Task, TaskStatus
from b24tui.text import clean

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
    """Past its deadline and still in work: a task awaiting control (4) is not overdue."""
    return task.is_overdue(now)


@dataclass(frozen=True)
class View:
    """One tab of the dashboard."""

    key: str
    label: str
    short: str
    """A shorter label for middling terminals."""
    tiny: str
    """The shortest label, for 80 columns."""
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
        "Active",
        "Active",
        ("RESPONSIBLE_ID", "ACCOMPLICE"),
        True,
        lambda t, me, now: _doing(t, me) and _open(t),
    ),
    View(
        "in_progress",
        "In progress",
        "Doing",
        "Doing",
        ("RESPONSIBLE_ID",),
        True,
        lambda t, me, now: _responsible(t, me) and t.status is TaskStatus.IN_PROGRESS,
    ),
    View(
        "assigned",
        "Assigned to me",
        "Assigned",
        "Mine",
        ("RESPONSIBLE_ID",),
        True,
        lambda t, me, now: _responsible(t, me) and _open(t),
    ),
    View(
        "created",
        "Created by me",
        "Created",
        "Made",
        ("CREATED_BY",),
        True,
        lambda t, me, now: t.created_by == me and _open(t),
    ),
    View(
        "helping",
        "Helping",
        "Helping",
        "Help",
        ("ACCOMPLICE",),
        True,
        lambda t, me, now: _accomplice(t, me) and _open(t),
    ),
    View(
        "watching",
        "Watching",
        "Watching",
        "Watch",
        ("AUDITOR",),
        True,
        lambda t, me, now: me in t.auditors and _open(t),
    ),
    View(
        "overdue",
        "Overdue",
        "Overdue",
        "Late",
        ("RESPONSIBLE_ID", "ACCOMPLICE"),
        True,
        lambda t, me, now: _doing(t, me) and _overdue(t, now),
    ),
    View(
        "control",
        "Awaiting my control",
        "Control",
        "Check",
        ("CREATED_BY",),
        False,
        lambda t, me, now: t.created_by == me and t.status is TaskStatus.SUPPOSEDLY_COMPLETED,
    ),
    View(
        "all",
        "All",
        "All",
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
        deadline = task.deadline_utc.timestamp() if task.deadline_utc is not None else float("inf")
        return (0 if _overdue(task, now) else 1, deadline, -int(task.priority), task.id)

    return key


SortKey = Callable[[Task], Any]

SORT_COLUMNS: tuple[str, ...] = (
    "id",
    "status",
    "priority",
    "title",
    "deadline",
    "responsible",
    "checklist",
    "flags",
)
"""The task table's columns that can sort it, in the order a key cycles through them."""


@dataclass(frozen=True)
class SortOrder:
    """Sort by one column; ties keep the default order."""

    column: str
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"no sort column {self.column!r}")

    def key(self, me: int) -> SortKey:
        """The sort key of :attr:`column` as user ``me`` sees it (ascending)."""
        keys: dict[str, SortKey] = {
            "id": lambda t: t.id,
            "status": lambda t: int(t.status),
            "priority": lambda t: -int(t.priority),
            "title": lambda t: fold(clean(t.title, single_line=True)),
            "deadline": lambda t: (
                t.deadline is None,
                t.deadline.timestamp() if t.deadline is not None else 0.0,
            ),
            "responsible": lambda t: fold(t.responsible.name if t.responsible else ""),
            "checklist": _checklist_key,
            "flags": lambda t: (not t.is_favorite, me not in t.auditors, not t.is_muted),
        }
        return keys[self.column]


def _checklist_key(task: Task) -> tuple[bool, float]:
    done, total = task.checklist_progress
    return (total == 0, done / total if total else 0.0)


def sort_tasks(tasks: Sequence[Task], order: SortOrder | None, me: int) -> list[Task]:
    """``tasks`` (in the default order) sorted by ``order``; ``None`` keeps them as they are.

    The sort is stable in both directions, so tasks equal in the column keep the default
    order among themselves.
    """
    if order is None:
        return list(tasks)
    return sorted(tasks, key=order.key(me), reverse=order.descending)


_ID_TERM = re.compile(r"^#?(\d+)$")


def matches_query(task: Task, query: str) -> bool:
    """Whether ``task`` matches the filter ``query``, without regard to case or accents.

    Every whitespace-separated term must match: ``#12`` matches task 12 only; ``12``
    matches task 12 or a title or responsible name containing "12"; any other term
    matches the title or the responsible person's name, both folded as
    :func:`~b24tui.matching.fold` does (``zoe`` finds "Zoë", ``елка`` finds "Ёлка").
    """
    return _matches_terms(task, _terms(query))


_Term = tuple[str, int | None, bool]
"""A folded query term, the task id it names (if a number) and whether only the id counts."""


def _terms(query: str) -> list[_Term]:
    terms: list[_Term] = []
    for word in query_words(query):
        number = _ID_TERM.match(word)
        task_id = int(number.group(1)) if number is not None else None
        terms.append((word, task_id, task_id is not None and word.startswith("#")))
    return terms


def _matches_terms(task: Task, terms: Sequence[_Term]) -> bool:
    if not terms:
        return True
    haystack = _haystack(task.title, task.responsible.name if task.responsible else "")
    for word, task_id, id_only in terms:
        if task_id == task.id:
            continue
        if id_only or word not in haystack:
            return False
    return True


@lru_cache(maxsize=32768)
def _haystack(title: str, responsible: str) -> str:
    """The folded title and responsible name, one per line (so no term spans the two).

    Cached by the two strings: the filter runs over every task of the view on each
    keystroke, and a task's title and name rarely change between keystrokes. Text with
    control characters is cleaned first, so a term never matches inside an escape
    sequence; plain text needs no cleaning, since a term has no whitespace to compare.
    """
    return f"{fold(_searchable(title))}\n{fold(_searchable(responsible))}"


def _searchable(text: str) -> str:
    return text if text.isprintable() else clean(text, single_line=True)


def filter_tasks(tasks: Iterable[Task], query: str) -> list[Task]:
    """The tasks matching ``query`` (see :func:`matches_query`), in their order."""
    terms = _terms(query)
    if not terms:
        return list(tasks)
    return [task for task in tasks if _matches_terms(task, terms)]
