"""What can be done to the workday, in one table the strip, the workday screen, the palette
and the command line share; the words for a day's status; and the one workday action under
way in the app.

Headless: no Textual here. Start (``timeman.open``), Pause (``timeman.pause``), Resume
(``timeman.open`` on a paused day) and Finish (``timeman.close``), each offered only from the
statuses that allow it: a paused day is never sent ``timeman.open`` to start, and a closed
day is never sent ``timeman.pause`` (which the portal would take as a resume). The app acts
on the current user: nothing here sends ``USER_ID``.

:class:`WorkdayDesk` runs the app's workday actions one at a time, with the discipline of the
task actions' queue: pending shown at once, one result message each, a second press while
one is under way refused, and a lost answer read back, never sent again.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Final, Literal

from b24tui.actions import READ_ONLY_MESSAGE
from b24tui.api import (
    AccessDenied,
    AuthError,
    B24Client,
    B24Error,
    MethodNotFound,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ScopeError,
)
from b24tui.api.errors import ConnectError
from b24tui.api.read_only import ReadOnlyRefused
from b24tui.clock import Clock
from b24tui.humanize import ShownZone
from b24tui.models import Workday, WorkdaySettings, WorkdayStatus
from b24tui.models.workday import WorkdaySeen, hms
from b24tui.store import PortalStore, StoreChange

__all__ = [
    "WORKDAY_ACTIONS",
    "WORKDAY_ACTIONS_BY_ID",
    "PendingWorkday",
    "WorkdayAction",
    "WorkdayDesk",
    "WorkdayResult",
    "WorkdayResultKind",
    "allowed_workday_actions",
    "moment_text",
    "report_needed",
    "send_workday_action",
    "status_line",
    "time_of_day",
    "workday_error_text",
    "workday_refusal",
    "workday_seen",
]

log = logging.getLogger(__name__)

_OPENED, _PAUSED, _CLOSED, _EXPIRED = (
    WorkdayStatus.OPENED,
    WorkdayStatus.PAUSED,
    WorkdayStatus.CLOSED,
    WorkdayStatus.EXPIRED,
)


@dataclass(frozen=True)
class WorkdayAction:
    """One thing the workday allows: its names, its method and when it is offered."""

    id: str
    """``start``, ``pause``, ``resume``, ``finish``: also the command line's word."""
    palette: str
    """The palette's exact name ("Start workday")."""
    doing: str
    """What the strip says while it is under way ("Pausing…")."""
    done: str
    """The result's words ("Workday paused")."""
    method: str
    """The ``timeman.*`` method it calls."""
    allowed_from: frozenset[WorkdayStatus]
    """The statuses that allow it."""
    takes_time: bool = False
    """Whether it accepts an explicit time (and then a report)."""

    @property
    def in_words(self) -> str:
        """What it is doing, in a sentence ("Pausing the workday")."""
        return f"{self.doing.removesuffix('…')} the workday"


START: Final = WorkdayAction(
    "start", "Start workday", "Starting…", "Workday started", "timeman.open",
    frozenset({_CLOSED}), takes_time=True,
)  # fmt: skip
PAUSE: Final = WorkdayAction(
    "pause", "Pause workday", "Pausing…", "Workday paused", "timeman.pause", frozenset({_OPENED})
)
RESUME: Final = WorkdayAction(
    "resume", "Resume workday", "Resuming…", "Workday resumed", "timeman.open", frozenset({_PAUSED})
)
FINISH: Final = WorkdayAction(
    "finish", "Finish workday", "Finishing…", "Workday finished", "timeman.close",
    frozenset({_OPENED, _PAUSED, _EXPIRED}), takes_time=True,
)  # fmt: skip

WORKDAY_ACTIONS: Final[tuple[WorkdayAction, ...]] = (START, PAUSE, RESUME, FINISH)
"""Every workday action, in the order they are listed."""
WORKDAY_ACTIONS_BY_ID: Final[dict[str, WorkdayAction]] = {a.id: a for a in WORKDAY_ACTIONS}


def allowed_workday_actions(
    day: Workday | None, *, read_only: bool = False
) -> tuple[WorkdayAction, ...]:
    """The actions ``day``'s status allows (none before it is read, none in read-only mode)."""
    if day is None or read_only:
        return ()
    return tuple(action for action in WORKDAY_ACTIONS if day.status in action.allowed_from)


def workday_refusal(action: WorkdayAction, day: Workday | None) -> str | None:
    """Why ``day``'s status does not allow ``action`` (a sentence), or None when it does."""
    if day is None:
        return "The workday has not been read from the portal yet."
    status = day.status
    if status in action.allowed_from:
        return None
    if status is _EXPIRED:
        started = day.started_on()
        on = f" on {started.isoformat()}" if started is not None else ""
        return f"The workday opened{on} was never finished: finish it first."
    reasons = {
        ("start", _OPENED): "The workday is open already.",
        ("start", _PAUSED): "The workday is paused: resume it instead.",
        ("pause", _PAUSED): "The workday is paused already.",
        ("pause", _CLOSED): "The workday is closed: there is nothing to pause.",
        ("resume", _OPENED): "The workday is open: there is nothing to resume.",
        ("resume", _CLOSED): "The workday is closed: start it instead.",
        ("finish", _CLOSED): "The workday is closed already.",
    }
    return reasons.get((action.id, status), f"The workday is {status.label}.")


def report_needed(settings: WorkdaySettings | None, when: datetime | None) -> bool:
    """Whether the portal wants a report: an explicit time on a schedule that is not
    flexible (unknown settings are taken as not flexible)."""
    return when is not None and not (settings is not None and settings.flexible)


def time_of_day(day: Workday | None, action: WorkdayAction, at: time, today: date) -> datetime:
    """``at`` as the moment ``action`` sends: on the day's start date for a finish, on
    ``today`` for a start; in the zone the day started in (the portal's offset for the user)."""
    zone = day.zone if day is not None else None
    on = today
    if action is FINISH and day is not None and day.started_on() is not None:
        on = day.started_on() or today
    return datetime.combine(on, at, tzinfo=zone)


async def send_workday_action(
    client: B24Client, action: WorkdayAction, *, when: datetime | None = None, report: str = ""
) -> Workday:
    """Call ``action``'s method (no ``USER_ID``); the status object it answers with."""
    text = report.strip() or None
    if action is PAUSE:
        return await client.timeman.pause()
    if action is FINISH:
        return await client.timeman.close(when, text)
    return await client.timeman.open(when if action is START else None, text)


def workday_error_text(error: B24Error) -> str:
    """What went wrong with the workday, in a plain sentence."""
    code = (error.code or "").upper()
    if isinstance(error, ReadOnlyRefused):
        return READ_ONLY_MESSAGE
    if isinstance(error, MethodNotFound):
        return "This portal has no workday tracking (its timeman module is not there)."
    if isinstance(error, ScopeError):
        return "The webhook lacks the timeman scope: tick it in the webhook's settings in Bitrix24."
    if isinstance(error, AccessDenied) or (
        isinstance(error, AuthError) and error.code == "INVALID_CREDENTIALS"
    ):
        return "You have no rights to the workday on this portal."
    if isinstance(error, NotFound) or (error.code == "" and "not found" in error.title.lower()):
        return "The portal did not find your user for the workday."
    if code == "WRONG_DATETIME":
        return "The time must be on the workday's own date (today's, to start one)."
    if code == "TIME":
        return "A time can be given only to start a closed day, not to this one."
    if code == "REPORT_REQUIRED":
        return "A report is needed with an explicit time on this schedule."
    return error.title if error.title.endswith(".") else f"{error.title}."


def _not_sent(error: B24Error) -> bool:
    return isinstance(error, RateLimited | ConnectError | ReadOnlyRefused)


def workday_seen(store: PortalStore) -> WorkdaySeen | None:
    """The workday as the store last read it (a start from cache: as of that read)."""
    if store.workday_seen is not None:
        return store.workday_seen
    day = store.workday
    if day is None:
        return None
    return WorkdaySeen.first(day, store.tasks_read_at or store.clock.now())


def status_line(seen: WorkdaySeen, now: datetime, terminal: Clock | None = None) -> str:
    """The day in one line: ``open · started 08:47 · worked 00:43:07 · breaks 00:17:53``;
    with the ``terminal``'s clock, its times name the day's zone where the terminal's
    differs (``started 08:47 UTC+2``)."""
    day = seen.day

    def when(moment: datetime) -> str:
        if terminal is None:
            return _when(day, moment, now)
        return moment_text(day, moment, now, terminal)

    parts = [day.status.label]
    if day.time_start is not None:
        parts.append(f"started {when(day.time_start)}")
    elif day.status is _CLOSED:
        parts.append("no workday started")
    if day.time_finish is not None and day.status is _CLOSED:
        parts.append(f"finished {when(day.time_finish)}")
    worked = seen.worked(now)
    if worked is not None and day.time_start is not None:
        parts.append(f"worked {hms(worked)}")
    if day.time_start is not None:
        parts.append(f"breaks {hms(day.time_leaks)}")
    if day.status is _EXPIRED and day.time_finish_default is not None:
        parts.append(f"never finished: suggested finish {when(day.time_finish_default)}")
    if not day.active:
        parts.append("awaiting confirmation")
    return " · ".join(parts)


def _when(day: Workday, moment: datetime, now: datetime) -> str:
    """``08:47`` today (in the day's zone), ``2026-03-15 08:47`` another day."""
    local = day.local(moment)
    if local.date() == day.local(now).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def moment_text(day: Workday, moment: datetime, now: datetime, terminal: Clock) -> str:
    """``moment`` as :func:`status_line` says it, with the day's zone where the terminal's
    differs then (``08:47 UTC+2``)."""
    mark = ShownZone(day.zone, terminal).mark(moment)
    shown = _when(day, moment, now)
    return f"{shown} {mark}" if mark else shown


# --------------------------------------------------------------------------- the app's desk

Work = Coroutine[Any, Any, None]


class WorkdayResultKind(enum.Enum):
    """How a workday action ended."""

    DONE = "done"
    UNSURE = "unsure"
    """Its answer was lost; the day was read back and is shown as the portal has it."""
    FAILED = "failed"
    """The portal refused, or could not be reached: not done."""


@dataclass(eq=False)
class PendingWorkday:
    """The workday action asked for and not yet ended."""

    action: WorkdayAction
    when: datetime | None = None
    report: str = ""
    finished: asyncio.Future[WorkdayResult] | None = field(default=None, repr=False)
    """Done with the result (for a dialog that waits for it, as the app's toast hears it)."""


@dataclass(frozen=True)
class WorkdayResult:
    """How a :class:`PendingWorkday` ended, and the words that say so."""

    pending: PendingWorkday
    kind: WorkdayResultKind
    day: Workday | None
    error: B24Error | None = None
    at: str = ""
    """When it was done, as a person reads it (``09:30``; ``09:30 UTC+2`` where the
    terminal is in another zone), for a done result."""

    @property
    def action(self) -> WorkdayAction:
        return self.pending.action

    @property
    def severity(self) -> Literal["information", "warning", "error"]:
        if self.kind is WorkdayResultKind.DONE:
            return "information"
        return "warning" if self.kind is WorkdayResultKind.UNSURE else "error"

    @property
    def title(self) -> str:
        """The toast's title ("" when the message says it all)."""
        if self.kind is WorkdayResultKind.UNSURE:
            return f"{self.action.palette}: not sure it was done"
        if self.kind is WorkdayResultKind.FAILED:
            return f"{self.action.palette}: not done"
        return ""

    @property
    def message(self) -> str:
        """Plain text (show it with markup off)."""
        if self.kind is WorkdayResultKind.DONE:
            at = f" at {self.at}" if self.at else ""
            waits = self.day is not None and not self.day.active
            return f"{self.action.done}{at}." + (" It awaits confirmation." if waits else "")
        if self.kind is WorkdayResultKind.UNSURE:
            shown = (
                f"It is {self.day.status.label} on the portal now: check it before trying again."
                if self.day is not None
                else "Refresh to see whether it was done before trying again."
            )
            return f"The portal's answer was lost on the way. {shown}"
        error = self.error
        text = workday_error_text(error) if error is not None else "The portal did not do it."
        if error is not None and _not_sent(error) and not isinstance(error, ReadOnlyRefused):
            text += " It was not sent."
        return text


class WorkdayDesk:
    """The app's workday action under way: one at a time, each ending in one result.

    Like the task actions' queue: the app hands it a way to run work in the background and
    listens for the results; the store tells every screen when one is pending or ended.
    """

    def __init__(self, store: PortalStore) -> None:
        self.store = store
        self.spawn: Callable[[Work], object] = asyncio.ensure_future
        """Runs an action in the background (the app: a worker of its own)."""
        self.on_result: Callable[[WorkdayResult], None] = lambda result: None
        """Hears each result once (the app: a toast)."""
        self.pending: PendingWorkday | None = None
        """The action under way, if one is."""

    def offered(self) -> tuple[WorkdayAction, ...]:
        """The actions to offer now: those the day allows, none while one is under way."""
        if self.pending is not None:
            return ()
        return allowed_workday_actions(self.store.workday, read_only=self.store.client.read_only)

    def under_way(self, action: WorkdayAction) -> str | None:
        """What is under way, said to a person who asked for ``action`` meanwhile (the
        same action again: its result will show; another: it waits), or None."""
        pending = self.pending
        if pending is None:
            return None
        if pending.action is action:
            return f"{pending.action.in_words} is already under way; its result will follow."
        return f"{pending.action.in_words} is under way: wait for its result."

    def submit(
        self, action: WorkdayAction, *, when: datetime | None = None, report: str = ""
    ) -> PendingWorkday | str:
        """Send ``action`` in the background; a sentence instead when it is not sent now
        (read-only, another under way, or the day's status does not allow it)."""
        if self.store.client.read_only:
            return READ_ONLY_MESSAGE
        under_way = self.under_way(action)
        if under_way is not None:
            return under_way
        reason = workday_refusal(action, self.store.workday)
        if reason is not None:
            return reason
        pending = PendingWorkday(action, when, report, asyncio.get_running_loop().create_future())
        self.pending = pending
        self.store.mark_changed(StoreChange(workday=True, pending=True))
        self.spawn(self._run(pending))
        return pending

    async def _run(self, pending: PendingWorkday) -> None:
        try:
            result = await self._send(pending)
        finally:
            self.pending = None
            self.store.mark_changed(StoreChange(workday=True, pending=True))
            if pending.finished is not None and not pending.finished.done():
                if "result" in locals():
                    pending.finished.set_result(result)
                else:  # a defect: the app reports it; a dialog waiting stops waiting
                    pending.finished.cancel()
        self.on_result(result)

    async def _send(self, pending: PendingWorkday) -> WorkdayResult:
        store = self.store
        action = pending.action
        try:
            day = await send_workday_action(
                store.client, action, when=pending.when, report=pending.report
            )
        except OutcomeUnknown as lost:
            log.info("%s: the answer was lost; reading the workday back", action.id)
            try:
                day = await store.client.timeman.status()
            except B24Error:
                return WorkdayResult(pending, WorkdayResultKind.UNSURE, store.workday, lost)
            done = _looks_done(action, day)
            # A pause read back as done is ours: it began about now, not at the last read.
            store.keep_workday(day, paused_here=done and action is PAUSE)
            if not done:
                return WorkdayResult(pending, WorkdayResultKind.UNSURE, day)
            return WorkdayResult(pending, WorkdayResultKind.DONE, day, at=self._at(action, day))
        except B24Error as error:
            log.info("%s failed: %s", action.id, error.title)
            return WorkdayResult(pending, WorkdayResultKind.FAILED, store.workday, error)
        store.keep_workday(day, paused_here=action is PAUSE)
        return WorkdayResult(pending, WorkdayResultKind.DONE, day, at=self._at(action, day))

    def _at(self, action: WorkdayAction, day: Workday) -> str:
        """When ``action`` took effect: the day's start or finish as the portal has it, or
        now for a pause or a resume (the portal keeps no time of them)."""
        clock = self.store.clock
        now = clock.now()
        moment = {START: day.time_start, FINISH: day.time_finish}.get(action) or now
        return moment_text(day, moment, now, clock)


def _looks_done(action: WorkdayAction, day: Workday) -> bool:
    """Whether a day read back after a lost answer is where ``action`` leads."""
    target = {"start": _OPENED, "resume": _OPENED, "pause": _PAUSED, "finish": _CLOSED}
    return day.status is target[action.id]
