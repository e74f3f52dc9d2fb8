"""What the app tells the person unasked: the changes of the portal they care about.

A refresh of the store compares my tasks before and after it (:class:`~b24tui.store.TaskEvent`);
of those, five kinds are worth a word: a task newly mine to do, one of mine sent back for
rework, one I created now awaiting my control, a deadline of mine passing, and the workday
reaching its minimum. Each kind can be turned off in the config.

Nothing is said twice: every notice has a key (the kind, the task, the moment of the change)
and the keys said are kept, in the snapshot cache too, so a restart from it says only what
is new. Nothing is said of a change the person made (in this app, whose writes the store
keeps before the next refresh compares, or anywhere else: the task's ``changed_by`` is me),
nor of a task they muted.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from b24tui.humanize import ShownZone
from b24tui.models import Task, TaskStatus, WorkdaySettings, WorkdayStatus
from b24tui.models.workday import WorkdaySeen, hms
from b24tui.store import TaskEvent, TaskEventKind
from b24tui.text import clean

__all__ = [
    "KEPT_KEYS",
    "NOTICE_SECONDS",
    "SUMMARY_AFTER",
    "Announcer",
    "Notice",
    "NoticeKind",
    "desktop_sequence",
    "notice_for",
    "summary",
    "workday_notice",
]

KEPT_KEYS = 500
"""How many keys of notices said are kept (the oldest go first)."""

SUMMARY_AFTER = 3
"""More notices than this at once (a return from a long absence) come as one summary."""

NOTICE_SECONDS = 10.0
"""How long a notice's toast stays (longer than a reply to a key: nobody was waiting)."""


class NoticeKind(enum.StrEnum):
    """The kinds of notice, by their config key (``[notifications]``)."""

    ASSIGNED = "assigned"
    SENT_BACK = "sent_back"
    AWAITING_CONTROL = "awaiting_control"
    DEADLINE_PASSED = "deadline_passed"
    WORKDAY_MINIMUM = "workday_minimum"

    @property
    def heading(self) -> str:
        """The toast's title."""
        return _TITLES[self]


_TITLES = {
    NoticeKind.ASSIGNED: "New task for you",
    NoticeKind.SENT_BACK: "Sent back for rework",
    NoticeKind.AWAITING_CONTROL: "Awaiting your control",
    NoticeKind.DEADLINE_PASSED: "Deadline passed",
    NoticeKind.WORKDAY_MINIMUM: "Workday minimum reached",
}


@dataclass(frozen=True)
class Notice:
    """One thing to tell: a toast's title and words (plain text, never markup)."""

    kind: NoticeKind
    key: str
    """What makes it the same notice again (kind, subject, moment)."""
    message: str
    task_id: int | None = None

    @property
    def title(self) -> str:
        """The toast's title."""
        return self.kind.heading


def _moment(when: datetime | None) -> str:
    return when.isoformat() if when is not None else "-"


def _quoted(task: Task) -> str:
    return f"#{task.id} “{clean(task.title, single_line=True)}”"


def _by(task: Task, user_id: int) -> str:
    name = clean(task.person(user_id).display_name, single_line=True) if user_id else ""
    return f" by {name}" if name else ""


def _zone_mark(zone: ShownZone, moment: datetime) -> str:
    mark = zone.mark(moment)
    return f" ({mark})" if mark else ""


def notice_for(event: TaskEvent, me: int, zone: ShownZone) -> Notice | None:
    """The notice ``event`` is worth for user ``me``, if any."""
    task, old = event.after, event.before
    if task is None or task.is_muted:
        return None
    changed = _moment(task.changed_date)
    by_me = task.changed_by == me
    kind = event.kind
    if kind is TaskEventKind.ASSIGNED and not by_me and not (old is None and task.created_by == me):
        return Notice(
            NoticeKind.ASSIGNED,
            f"assigned:{task.id}:{changed}",
            f"{_quoted(task)}{_by(task, task.created_by)}",
            task.id,
        )
    if kind is TaskEventKind.STATUS and old is not None and not by_me:
        mine_to_do = task.responsible_id == me or me in task.accomplices
        if (
            mine_to_do
            and old.status in (TaskStatus.SUPPOSEDLY_COMPLETED, TaskStatus.COMPLETED)
            and task.status.is_in_work
        ):
            return Notice(
                NoticeKind.SENT_BACK,
                f"sent_back:{task.id}:{changed}",
                f"{_quoted(task)} was sent back{_by(task, task.changed_by or task.created_by)}",
                task.id,
            )
        if (
            task.created_by == me
            and task.responsible_id != me
            and task.status is TaskStatus.SUPPOSEDLY_COMPLETED
        ):
            return Notice(
                NoticeKind.AWAITING_CONTROL,
                f"awaiting_control:{task.id}:{changed}",
                f"{_quoted(task)} is done{_by(task, task.responsible_id)}: "
                "approve it or send it back (ctrl+p)",
                task.id,
            )
    if kind is TaskEventKind.DEADLINE_PASSED and task.deadline is not None:
        due = zone.at(task.deadline)
        return Notice(
            NoticeKind.DEADLINE_PASSED,
            f"deadline_passed:{task.id}:{_moment(task.deadline)}",
            f"{_quoted(task)} was due {due:%H:%M}{_zone_mark(zone, task.deadline)}",
            task.id,
        )
    return None


def workday_notice(
    seen: WorkdaySeen | None, settings: WorkdaySettings | None, now: datetime
) -> Notice | None:
    """The notice that today's worked time has reached the schedule's minimum, if it has."""
    if seen is None or settings is None or settings.min_duration is None:
        return None
    day = seen.day
    if day.status is not WorkdayStatus.OPENED or day.time_start is None:
        return None
    worked = seen.worked(now)
    minimum = settings.min_duration
    if worked is None or minimum <= timedelta(0) or worked < minimum:
        return None
    return Notice(
        NoticeKind.WORKDAY_MINIMUM,
        f"workday_minimum:{day.time_start.isoformat()}",
        f"Worked {hms(worked)} today: the minimum of {hms(minimum)} is reached",
    )


class Announcer:
    """Turns the store's events into notices: the kinds turned on, each once.

    Args:
        enabled: the kinds to announce.
        said: keys of notices said before (from the cache), oldest first.
    """

    def __init__(self, enabled: Iterable[NoticeKind], said: Iterable[str] = ()) -> None:
        self.enabled = frozenset(enabled)
        self._said: OrderedDict[str, None] = OrderedDict.fromkeys(said)
        self._trim()

    @property
    def said(self) -> tuple[str, ...]:
        """The keys of the notices said, oldest first (for the cache)."""
        return tuple(self._said)

    def remember(self, said: Iterable[str]) -> None:
        """Count ``said`` (keys from the cache) as said, before what was said here."""
        self._said = OrderedDict.fromkeys([*said, *self._said])
        self._trim()

    def take(self, notices: Iterable[Notice | None]) -> list[Notice]:
        """Of ``notices``, those turned on and not said before; they count as said now."""
        fresh: list[Notice] = []
        for notice in notices:
            if notice is None or notice.kind not in self.enabled or notice.key in self._said:
                continue
            self._said[notice.key] = None
            fresh.append(notice)
        self._trim()
        return fresh

    def of_events(self, events: Sequence[TaskEvent], me: int, zone: ShownZone) -> list[Notice]:
        """The notices a refresh's ``events`` bring (see :meth:`take`)."""
        return self.take(notice_for(event, me, zone) for event in events)

    def _trim(self) -> None:
        while len(self._said) > KEPT_KEYS:
            self._said.popitem(last=False)


def summary(notices: Sequence[Notice]) -> str:
    """One line for many notices at once: ``3 new tasks for you, 2 deadlines passed``."""
    counts: dict[NoticeKind, int] = {}
    for notice in notices:
        counts[notice.kind] = counts.get(notice.kind, 0) + 1
    return ", ".join(_counted(kind, count) for kind, count in counts.items())


def _counted(kind: NoticeKind, count: int) -> str:
    many = count != 1
    if kind is NoticeKind.ASSIGNED:
        return f"{count} new task{'s' if many else ''} for you"
    if kind is NoticeKind.SENT_BACK:
        return f"{count} sent back for rework"
    if kind is NoticeKind.AWAITING_CONTROL:
        return f"{count} awaiting your control"
    if kind is NoticeKind.DEADLINE_PASSED:
        return f"{count} deadline{'s' if many else ''} passed"
    return "the workday's minimum reached"


def desktop_sequence(kind: str, title: str, message: str) -> str:
    """The terminal sequence for a desktop notification: ``osc9`` (iTerm2, Windows
    Terminal, kitty, foot…) or ``osc777`` (VTE terminals, urxvt); control characters and
    the separators of the sequence are taken out of the text."""

    def safe(text: str) -> str:
        return clean(text, single_line=True).replace(";", ",")

    if kind == "osc777":
        return f"\x1b]777;notify;{safe(title)};{safe(message)}\x1b\\"
    return f"\x1b]9;{safe(title)}: {safe(message)}\x1b\\"
