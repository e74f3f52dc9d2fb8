"""The one live picture of my portal, shared by every screen: headless, no Textual.

:class:`PortalStore` owns what the app knows of the portal: who I am, the tasks I take part
in (and any task opened), the users seen, the workday, the checklists of the tasks opened,
when each was last read, and whether the portal answers. Every read and write goes through
it; screens read from it and are told what changed, by id (:class:`StoreChange`), so an
action on one screen shows on every screen that shows that task, with no second fetch.

A refresh (:meth:`PortalStore.refresh`) is one batched request while it fits: every role's
task list through shared chained pages, with the workday and the open task (in full, with
its checklist) riding along. Between two refreshes it computes what changed for me
(:func:`changes_between`): a task newly mine, a status that moved, a deadline that passed.

The first load of a large portal takes several requests: it begins with a small one (the
first rows show at once, and the portal counts my tasks), and each request's tasks are
kept and told as they land (:attr:`PortalStore.loading` says how far it has come), so the
screens fill while the rest is read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Any

from b24tui.actions import TaskAction
from b24tui.api import (
    AccessDenied,
    ActionNotAllowed,
    AuthError,
    B24Client,
    B24Error,
    BadResponse,
    NotFound,
    OutcomeUnknown,
    PacingPolicy,
    RateLimited,
    ScopeError,
    TransportError,
)
from b24tui.api.resources._base import Query
from b24tui.api.resources.tasks import FULL_FIELDS, ROW_FIELDS, ListsProgress
from b24tui.bbcode import mentioned_user_ids
from b24tui.clock import Clock
from b24tui.models import ChecklistItem, Task, User, Workday, WorkdaySettings
from b24tui.models.workday import WorkdaySeen
from b24tui.views import VIEWS_BY_KEY

__all__ = [
    "Cause",
    "Health",
    "LoadProgress",
    "PortalStore",
    "StoreChange",
    "StoreSnapshot",
    "TaskEvent",
    "TaskEventKind",
    "cause_of",
    "changes_between",
]

log = logging.getLogger(__name__)

MAX_MENTIONS = 20
"""Users mentioned in a description whose names are looked up (the rest keep the tag's)."""
MAX_FULL = 256
"""Tasks kept in full (description and all) besides those open; past it the least recently
read in full go back to their list row, and are read again when shown."""
FIRST_PAGES = 8
"""List pages in the first request of the first load (two a role, 400 rows at most): a small
answer that comes back soon, so a large portal's first rows show at once; the requests
after it carry the 50 pages a batch holds."""
WHOLE_READ_PAGES = 10
"""List pages in each request of a whole read after the first load (500 rows at most).
Its answer is decoded in one go, on the event loop: 25 pages (1,250 rows, some 2 MB)
took 25 ms (p90; up to 58) on 2 cores, 10 pages 10 ms. No one waits for this read: for
7,300 tasks it takes 15 requests instead of 6, once every ten refreshes."""
FULL_PASS_EVERY = 10
"""Every this many refreshes, one reads all my tasks (the others, what changed)."""
CHANGED_MARGIN = timedelta(minutes=2)
"""How far before the latest change a refresh of what changed reads from."""
IDLE_AFTER = 30 * 60.0
"""Seconds without a key or a click after which the person is away: refreshes slow down."""
IDLE_SLOWER = 5
"""How many times the interval a refresh waits while the person is away."""
LIMITS_SLOWER = 2
"""How many times the interval it waits while the portal's limits slow calls down."""
FIRST_RETRY = 5.0
"""Seconds before the first retry of a refresh that failed; doubled after each failure up
to the refresh interval."""


# --------------------------------------------------------------------------- health


class Cause(Enum):
    """Why the portal could not be read, in the terms a person acts on."""

    OFFLINE = "offline"
    """No answer at all: the network, DNS, TLS, or a timeout."""
    PORTAL = "portal"
    """The portal answered with an error of its own (5xx, an HTML page, a cut-short body)."""
    REFUSED = "refused"
    """The webhook or token was refused: only ``b24tui login`` mends it."""
    SCOPE = "scope"
    """The webhook lacks a scope the app needs."""
    LIMITS = "limits"
    """The portal's request limits refused the call."""
    OTHER = "other"
    """Any other refusal."""

    @property
    def retries(self) -> bool:
        """Whether trying again later can help without the person doing anything."""
        return self not in (Cause.REFUSED, Cause.SCOPE)

    @property
    def badge(self) -> str:
        """The header's word for it."""
        return {
            Cause.OFFLINE: "OFFLINE",
            Cause.PORTAL: "portal error",
            Cause.REFUSED: "webhook refused",
            Cause.SCOPE: "missing scope",
            Cause.LIMITS: "limits",
            Cause.OTHER: "stale",
        }[self]

    @property
    def words(self) -> str:
        """What happened, in a sentence a person reads in the table's place."""
        return {
            Cause.OFFLINE: "No answer from the portal: the network, its name, TLS, or a timeout.",
            Cause.PORTAL: "The portal answered, but with an error of its own.",
            Cause.REFUSED: "The portal refused the webhook (or token) b24tui signs in with.",
            Cause.SCOPE: "The webhook lacks a permission b24tui needs.",
            Cause.LIMITS: "The portal's request limits held the call back.",
            Cause.OTHER: "The portal refused the request.",
        }[self]


def cause_of(error: BaseException) -> Cause:
    """The :class:`Cause` behind ``error``."""
    if isinstance(error, BadResponse):  # the server answered, badly: not offline
        return Cause.PORTAL
    if isinstance(error, TransportError):
        return Cause.OFFLINE
    if isinstance(error, ScopeError):
        return Cause.SCOPE
    if isinstance(error, AuthError):
        return Cause.REFUSED
    if isinstance(error, RateLimited):
        return Cause.LIMITS
    if isinstance(error, B24Error) and (error.http_status or 0) >= 500:
        return Cause.PORTAL
    return Cause.OTHER


@dataclass(frozen=True)
class Health:
    """Whether the portal answers the store's refreshes."""

    error: B24Error | None = None
    """The last refresh's error; ``None`` when it succeeded (or none ran yet)."""
    failures: int = 0
    """Refreshes failed in a row."""
    since: datetime | None = None
    """When the current run of failures began."""
    retry_at: datetime | None = None
    """When the store will try again by itself; ``None`` with an error: not at all."""

    @property
    def ok(self) -> bool:
        """Whether the last refresh succeeded (or none has failed yet)."""
        return self.error is None

    @property
    def cause(self) -> Cause | None:
        """Why it fails, or ``None`` when it does not."""
        return cause_of(self.error) if self.error is not None else None


# --------------------------------------------------------------------------- changes


class TaskEventKind(Enum):
    """What happened to a task between two refreshes, as notifications name it."""

    ASSIGNED = "assigned"
    """The task became mine to do (responsible or accomplice): new, or handed to me."""
    APPEARED = "appeared"
    """A task I take part in otherwise (creator, auditor) appeared."""
    STATUS = "status"
    """Its status changed."""
    DEADLINE_PASSED = "deadline_passed"
    """Its deadline passed while it was open and mine to do."""
    LEFT = "left"
    """It is no longer among my tasks (deleted, or I was taken off it)."""


@dataclass(frozen=True)
class TaskEvent:
    """One change of one task between two refreshes."""

    kind: TaskEventKind
    task_id: int
    before: Task | None
    after: Task | None


def _doing(task: Task, me: int) -> bool:
    return task.responsible_id == me or me in task.accomplices


def changes_between(
    before: Mapping[int, Task],
    after: Mapping[int, Task],
    me: int,
    then: datetime,
    now: datetime,
) -> tuple[TaskEvent, ...]:
    """What changed for user ``me`` from ``before`` (read at ``then``) to ``after`` (``now``).

    Tasks are compared by id; the events come in id order, each task's in the order
    assigned/appeared, status, deadline passed.
    """
    events: list[TaskEvent] = []
    for task_id in sorted(before.keys() | after.keys()):
        old, new = before.get(task_id), after.get(task_id)
        if new is None:
            events.append(TaskEvent(TaskEventKind.LEFT, task_id, old, None))
            continue
        if old is None:
            kind = TaskEventKind.ASSIGNED if _doing(new, me) else TaskEventKind.APPEARED
            events.append(TaskEvent(kind, task_id, None, new))
            continue
        if _doing(new, me) and not _doing(old, me):
            events.append(TaskEvent(TaskEventKind.ASSIGNED, task_id, old, new))
        if new.status != old.status:
            events.append(TaskEvent(TaskEventKind.STATUS, task_id, old, new))
        deadline = new.deadline
        if (
            deadline is not None
            and then < deadline <= now
            and new.status.is_in_work
            and _doing(new, me)
            and (old.deadline is None or old.deadline == deadline)
        ):
            events.append(TaskEvent(TaskEventKind.DEADLINE_PASSED, task_id, old, new))
    return tuple(events)


def _events_since(
    before: Mapping[int, Task],
    after: Mapping[int, Task],
    touched: Collection[int],
    me: int,
    then: datetime,
    now: datetime,
) -> tuple[TaskEvent, ...]:
    """:func:`changes_between` the tasks ``me`` takes part in, for ``after`` that differs
    from ``before`` only in the records of ``touched``: those are compared in full; any
    other can only have passed its deadline. A refresh that changed 3 tasks of 7,000
    compares 3 (comparing them all took 15 ms of the refresh, on the event loop)."""
    mine_before: dict[int, Task] = {}
    mine_after: dict[int, Task] = {}
    for task_id in touched:
        old, new = before.get(task_id), after.get(task_id)
        if old is not None and _takes_part(old, me):
            mine_before[task_id] = old
        if new is not None and _takes_part(new, me):
            mine_after[task_id] = new
    for task_id, task in after.items():
        deadline = task.deadline_utc
        if (
            deadline is not None
            and then < deadline <= now
            and task_id not in touched
            and _takes_part(task, me)
        ):
            mine_before[task_id] = mine_after[task_id] = task
    return changes_between(mine_before, mine_after, me, then, now)


@dataclass(frozen=True)
class StoreChange:
    """What one store update changed: listeners repaint only what they show of it."""

    tasks: frozenset[int] = frozenset()
    """Tasks whose record changed, appeared or left (see :attr:`removed`)."""
    removed: frozenset[int] = frozenset()
    """Tasks the store no longer has (gone from my lists, deleted, or not visible)."""
    me: bool = False
    users: frozenset[int] = frozenset()
    workday: bool = False
    checklists: frozenset[int] = frozenset()
    """Tasks whose checklist items were read."""
    health: bool = False
    """Whether the portal's health (or a refresh's start or end) changed."""
    refreshed: bool = False
    """A whole refresh of my task lists landed."""
    events: tuple[TaskEvent, ...] = ()
    """What changed for me since the previous refresh (empty after the first)."""
    pending: bool = False
    """The actions pending on :attr:`tasks` changed (queued, sent, ended)."""
    loading: bool = False
    """A part of the first load landed: :attr:`tasks` were read, more are to come
    (:attr:`PortalStore.loading` says how far it has come)."""


@dataclass(frozen=True)
class LoadProgress:
    """How far the first load of my task lists has come."""

    read: int
    """My tasks read so far."""
    total: int | None
    """How many there are, as the portal counted them; ``None`` when it did not say."""

    @property
    def label(self) -> str:
        """The header's words for it: ``loading 2,500 of 7,000…``."""
        if self.total is None:
            return f"loading {self.read:,}…"
        return f"loading {self.read:,} of {max(self.total, self.read):,}…"


@dataclass(frozen=True)
class StoreSnapshot:
    """Everything the store knows, as plain models: what a cache writes and reads back."""

    me: User | None
    tasks: Mapping[int, Task]
    full: frozenset[int]
    users: Mapping[int, User]
    workday: Workday | None
    checklists: Mapping[int, tuple[ChecklistItem, ...]]
    tasks_read_at: datetime | None
    task_read_at: Mapping[int, datetime]


@dataclass(frozen=True)
class ActionOutcome:
    """How an action ended: the task as the portal has it now, and whether we know it ran."""

    task: Task
    certain: bool = True
    """``False`` when the portal's answer was lost: the task was read back instead."""


Listener = Callable[[StoreChange], None]


@dataclass
class _State:
    me: User | None = None
    tasks: dict[int, Task] = field(default_factory=dict)
    full: set[int] = field(default_factory=set)
    users: dict[int, User] = field(default_factory=dict)
    workday: Workday | None = None
    checklists: dict[int, tuple[ChecklistItem, ...]] = field(default_factory=dict)
    tasks_read_at: datetime | None = None
    task_read_at: dict[int, datetime] = field(default_factory=dict)


class PortalStore:
    """The single owner of what the app knows of the portal (see the module docstring).

    Args:
        client: the portal client every read and write goes through.
        clock: the clock reads are stamped with.
        refresh_interval: seconds between refreshes; a failing portal is retried sooner
            (from :data:`FIRST_RETRY`, doubling) but never less often than this.
    """

    def __init__(self, client: B24Client, clock: Clock, *, refresh_interval: float = 60.0):
        self.client = client
        self.clock = clock
        self.refresh_interval = refresh_interval
        self._state = _State()
        self._health = Health()
        self._listeners: list[Listener] = []
        self._me_call: asyncio.Future[User] | None = None
        self._full_order: dict[int, None] = {}
        """Tasks read in full, least recently first (bounded by :data:`MAX_FULL`)."""
        self._opened: dict[int, int] = {}
        """Task id → how many screens show it; the latest opened rides along a refresh."""
        self._reads = 0
        """Reads begun so far: each read of the portal is numbered when it begins."""
        self._read_began: dict[int, int] = {}
        """Task id → the number of the read its kept record came from. An answer from a
        read that began earlier (a refresh under way while an action landed) is older than
        the kept record and does not replace it."""
        self._checklist_began: dict[int, int] = {}
        """Task id → the number of the read (or change) its kept checklist came from: a
        checklist read before a change was kept does not replace it."""
        self.refreshing = False
        """Whether a refresh is under way."""
        self._partial_reads: int | None = None
        """Refreshes of only what changed since the last whole read of this run (``None``:
        none has landed yet)."""
        self.from_cache = False
        """Whether what is known came from the snapshot cache and no refresh has landed
        since (the screens mark it stale)."""
        self._loading: LoadProgress | None = None
        self.last_closed: int | None = None
        """The task whose screen the person left last (back on the list, its row is
        chosen); set by that screen as it goes."""
        self.refresh_began: datetime | None = None
        """When the refresh under way (or the last one) began."""
        self.workday_error: B24Error | None = None
        """Why the workday could not be read, if it could not."""
        self.workday_seen: WorkdaySeen | None = None
        """My workday as last read, with its worked time as of its pause."""
        self._workday_began = 0
        """The read number the kept workday came from (an action's answer takes one)."""
        self.schedule: WorkdaySettings | None = None
        """My workday's rules (``timeman.settings``), read along the first refresh of a
        day (they rarely change, and only the minimum's notice needs them)."""
        self._schedule_read_on: date | None = None

    # --- what is known ------------------------------------------------------------------

    @property
    def me(self) -> User | None:
        """The signed-in user, once read."""
        return self._state.me

    @property
    def tasks(self) -> Mapping[int, Task]:
        """Every task known: mine, and any opened, by id (read-only)."""
        return MappingProxyType(self._state.tasks)

    def task(self, task_id: int) -> Task | None:
        """The task as last read, or ``None``."""
        return self._state.tasks.get(task_id)

    def is_full(self, task_id: int) -> bool:
        """Whether the task was read in full (description and all), not as a list row."""
        return task_id in self._state.full

    @property
    def users(self) -> Mapping[int, User]:
        """The users seen, by id (read-only)."""
        return MappingProxyType(self._state.users)

    @property
    def workday(self) -> Workday | None:
        """My workday as last read."""
        return self._state.workday

    def checklist(self, task_id: int) -> tuple[ChecklistItem, ...] | None:
        """The task's checklist items as last read, or ``None`` when never read."""
        return self._state.checklists.get(task_id)

    async def load_checklist(self, task_id: int) -> tuple[ChecklistItem, ...]:
        """Read every item of the task's checklists (``getlist``) and keep them; returns
        the items kept (a change kept while the read was under way is newer, and stays).

        Raises:
            B24Error: they could not be read.
        """
        began = self._begin_read()
        items = await self.client.checklist.items(task_id)
        if self._checklist_began.get(task_id, 0) > began:
            return self._state.checklists.get(task_id, items)
        self._keep_checklist(task_id, items, began)
        return items

    def keep_checklist(self, task_id: int, items: tuple[ChecklistItem, ...]) -> None:
        """Show ``items`` as the task's checklist on every screen (a change made on it,
        shown at once): the task's record follows, so its done/total does too, and a read
        that began before is older and does not replace them."""
        self._keep_checklist(task_id, items, self._begin_read())

    def _keep_checklist(self, task_id: int, items: tuple[ChecklistItem, ...], began: int) -> None:
        state = self._state
        self._checklist_began[task_id] = began
        state.checklists[task_id] = items
        task = state.tasks.get(task_id)
        if task is not None:
            state.tasks[task_id] = replace(task, checklist=items, contains_checklist=bool(items))
        self._emit(StoreChange(tasks=frozenset({task_id}), checklists=frozenset({task_id})))

    @property
    def tasks_read_at(self) -> datetime | None:
        """When my task lists were last read."""
        return self._state.tasks_read_at

    def task_read_at(self, task_id: int) -> datetime | None:
        """When the task was last read (by a refresh or on its own)."""
        return self._state.task_read_at.get(task_id)

    @property
    def health(self) -> Health:
        """Whether the portal answers."""
        return self._health

    @property
    def loaded(self) -> bool:
        """Whether my task lists have been read once."""
        return self._state.tasks_read_at is not None

    @property
    def loading(self) -> LoadProgress | None:
        """How far the first load has come, while a part of it is in and the rest is not."""
        return self._loading

    def snapshot(self) -> StoreSnapshot:
        """Everything known, as plain frozen models (for a cache on disk)."""
        state = self._state
        return StoreSnapshot(
            me=state.me,
            tasks=dict(state.tasks),
            full=frozenset(state.full),
            users=dict(state.users),
            workday=state.workday,
            checklists=dict(state.checklists),
            tasks_read_at=state.tasks_read_at,
            task_read_at=dict(state.task_read_at),
        )

    def restore(self, snapshot: StoreSnapshot) -> None:
        """Know what ``snapshot`` knew (a start from cache), and tell the listeners."""
        self._state = _State(
            me=snapshot.me,
            tasks=dict(snapshot.tasks),
            full=set(snapshot.full),
            users=dict(snapshot.users),
            workday=snapshot.workday,
            checklists=dict(snapshot.checklists),
            tasks_read_at=snapshot.tasks_read_at,
            task_read_at=dict(snapshot.task_read_at),
        )
        self._full_order = dict.fromkeys(snapshot.full)
        self._read_began = {}
        self.from_cache = True
        if snapshot.workday is not None and snapshot.tasks_read_at is not None:
            self.workday_seen = WorkdaySeen.first(snapshot.workday, snapshot.tasks_read_at)
        self._emit(
            StoreChange(
                tasks=frozenset(snapshot.tasks),
                me=True,
                users=frozenset(snapshot.users),
                workday=True,
                checklists=frozenset(snapshot.checklists),
                refreshed=True,
            )
        )

    def my_tasks(self) -> list[Task]:
        """The tasks I take part in (responsible, accomplice, creator, auditor), in the order
        they were first read; none before I am known."""
        me = self._state.me
        if me is None:
            return []
        return [task for task in self._state.tasks.values() if _takes_part(task, me.id)]

    def missing_people(self, task: Task) -> set[int]:
        """The users ``task`` names whom the store has not seen yet."""
        return _people_ids(task) - self._state.users.keys()

    def people(self, task: Task) -> dict[int, User]:
        """The users ``task`` names (and mentions) that the store has seen."""
        users = self._state.users
        return {user_id: users[user_id] for user_id in _people_ids(task) if user_id in users}

    # --- listening ----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def mark_changed(self, change: StoreChange) -> None:
        """Tell the listeners of a change made beside the store (the action queue's)."""
        self._emit(change)

    def _emit(self, change: StoreChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    # --- which tasks are open -----------------------------------------------------------

    def open_task(self, task_id: int) -> None:
        """A screen shows ``task_id``: keep it known, and read it (with its checklist)
        along with every refresh while it is the latest opened."""
        self._opened[task_id] = self._opened.pop(task_id, 0) + 1

    def close_task(self, task_id: int) -> None:
        """A screen no longer shows ``task_id``."""
        count = self._opened.pop(task_id, 0) - 1
        if count > 0:
            self._opened[task_id] = count

    @property
    def focused_task_id(self) -> int | None:
        """The task opened last (and still open), which rides along a refresh."""
        return next(reversed(self._opened), None) if self._opened else None

    # --- reading ------------------------------------------------------------------------

    async def current_user(self) -> User:
        """Who I am: asked of the portal once a session, however many callers wait."""
        if self._state.me is not None:
            return self._state.me
        if self._me_call is None:
            self._me_call = asyncio.ensure_future(self.client.users.current())
        call = self._me_call
        try:
            me = await asyncio.shield(call)
        except B24Error:
            if self._me_call is call:
                self._me_call = None  # the next caller asks again
            raise
        if self._state.me is None:
            self._state.me = me
            self._state.users[me.id] = me
            self._emit(StoreChange(me=True, users=frozenset({me.id})))
        return me

    async def refresh(self) -> StoreChange:
        """Read my task lists, the workday and the open task in one request while it fits.

        Raises:
            B24Error: the portal could not be read (also recorded in :attr:`health`).
        """
        self.refreshing = True
        self.refresh_began = self.clock.now()
        began = self._begin_read()
        self._emit(StoreChange(health=True))
        try:
            me = await self.current_user()
            riders: dict[str, Query[Any]] = {"workday": self.client.timeman.status_query()}
            today = self.clock.now().date()
            if self._schedule_read_on != today:
                riders["schedule"] = self.client.timeman.settings_query()
            open_id = self.focused_task_id
            if open_id is not None:
                riders["open"] = self.client.tasks.get_query(open_id, FULL_FIELDS)
                riders["checklist"] = self.client.checklist.items_query(open_id)
            filters = VIEWS_BY_KEY["all"].filters(me.id)
            since = self._changed_since()
            if since is not None:  # only what changed: a page each, not the thousands
                changed = [{**each, ">CHANGED_DATE": since} for each in filters]
                read = await self.client.tasks.read_lists(
                    changed, ROW_FIELDS, riders=riders, expected=[0] * len(changed)
                )
            elif self.loaded:
                read = await self.client.tasks.read_lists(
                    filters,
                    ROW_FIELDS,
                    riders=riders,
                    expected=self._expected(filters, me.id),
                    same=self._same_as_kept,
                    pages_per_request=WHOLE_READ_PAGES,
                )
            else:
                seen: set[int] = set()
                read = await self.client.tasks.read_lists(
                    filters,
                    ROW_FIELDS,
                    riders=riders,
                    count={"MEMBER": me.id},  # any role: every task the lists hold, once
                    first_pages=FIRST_PAGES,
                    on_read=lambda part: self._partly_read(part, seen, began),
                )
        except B24Error as error:
            self.refreshing, self._loading = False, None
            self._failed(error)
            raise
        except BaseException:
            self.refreshing, self._loading = False, None
            raise
        self.refreshing, self._loading = False, None
        return self._refreshed(me, read.tasks, read.riders, open_id, began, complete=since is None)

    def _same_as_kept(self, task: Task) -> Task:
        """The kept copy of ``task`` when it is equal: a whole read (every tenth refresh)
        of 10,000 unchanged tasks otherwise built 10,000 new ones beside them, and the
        process kept the 40 MB that took."""
        kept = self._state.tasks.get(task.id)
        if kept is None or kept is task:  # the read's own parse already chose the kept one
            return task
        return kept if kept == task else task

    def _expected(self, filters: Sequence[Mapping[str, Any]], me: int) -> list[int | None]:
        """How many of the tasks known each role filter holds (``None`` for a filter of
        any other shape): the pages a whole read asks for first."""
        tasks = self._state.tasks.values()
        expected: list[int | None] = []
        for each in filters:
            role = next(iter(each)) if len(each) == 1 else None
            holds = _ROLE_FILTERS.get(role) if role is not None else None
            expected.append(None if holds is None else sum(holds(t, me) for t in tasks))
        return expected

    @property
    def next_refresh_is_whole(self) -> bool:
        """Whether the next refresh reads every task of mine, not only what changed."""
        return self._changed_since() is None

    def _changed_since(self) -> str | None:
        """The moment a refresh may read from (only the tasks changed since), or ``None``
        when it reads everything: until one whole read of this run has landed (a start
        from cache does not count), then every :data:`FULL_PASS_EVERY` refreshes, which
        notice tasks deleted or no longer mine (their changes no longer match my filters).

        The portal's own clock: the latest change it reported, less a margin for changes
        made in the same moments as the read.
        """
        if self._partial_reads is None or self._partial_reads + 1 >= FULL_PASS_EVERY:
            return None
        latest = max(
            (task.changed_date for task in self._state.tasks.values() if task.changed_date),
            default=None,
        )
        if latest is None:
            return None
        return (latest - CHANGED_MARGIN).isoformat(timespec="seconds")

    def _partly_read(self, part: ListsProgress, seen: set[int], began: int) -> None:
        """Keep what one request of the first load read, and tell the listeners."""
        now = self.clock.now()
        changed: set[int] = set()
        for tasks in part.tasks:
            for task in tasks:
                seen.add(task.id)
                if self._keep_read(task, began, now):
                    changed.add(task.id)
        self._loading = LoadProgress(len(seen), part.total)
        self._emit(StoreChange(tasks=frozenset(changed), loading=True))

    def _begin_read(self) -> int:
        self._reads += 1
        return self._reads

    def _is_newer(self, task_id: int, began: int) -> bool:
        """Whether the kept record of ``task_id`` came from a read that began after
        ``began`` (so an answer to ``began`` is older than what is kept)."""
        return self._read_began.get(task_id, 0) > began

    def _refreshed(
        self,
        me: User,
        lists: Iterable[Iterable[Task]],
        riders: Mapping[str, object],
        open_id: int | None,
        began: int,
        *,
        complete: bool = True,
    ) -> StoreChange:
        """Keep what a refresh read; ``complete``: every task of mine (those not read are
        no longer mine), else only those changed since the last."""
        state = self._state
        now = self.clock.now()
        mine: dict[int, Task] = {task.id: task for tasks in lists for task in tasks}
        kept_open = set(self._opened)
        changed: set[int] = set()
        removed: set[int] = set()
        checklists: set[int] = set()
        before = dict(state.tasks)  # a copy of the references: what changes is then compared
        opened = riders.get("open")
        if isinstance(opened, Task):
            mine[opened.id] = opened
        for task_id, task in mine.items():
            in_full = isinstance(opened, Task) and task_id == opened.id
            if self._keep_read(task, began, now, full=in_full):
                changed.add(task_id)
        self._partial_reads = 0 if complete else (self._partial_reads or 0) + 1
        for task_id in list(state.tasks) if complete else ():
            if task_id in mine or self._is_newer(task_id, began):
                continue
            if task_id in kept_open and not (
                open_id == task_id and isinstance(opened, NotFound | AccessDenied)
            ):
                continue
            self._forget(task_id)
            removed.add(task_id)
        items = riders.get("checklist")
        if (
            open_id is not None
            and isinstance(items, tuple)
            and self._checklist_began.get(open_id, 0) <= began
        ):
            self._checklist_began[open_id] = began
            state.checklists[open_id] = items
            checklists.add(open_id)
        if "schedule" in riders:  # a refusal (no timeman scope) is not asked again today
            self._schedule_read_on = now.date()
            schedule = riders["schedule"]
            if isinstance(schedule, WorkdaySettings):
                self.schedule = schedule
        workday = riders.get("workday")
        workday_changed = False
        if isinstance(workday, Workday) and began > self._workday_began:
            workday_changed = workday != state.workday or self.workday_error is not None
            self._see_workday(workday)
        elif isinstance(workday, B24Error):
            workday_changed = self.workday_error is None
            self.workday_error = workday
        then = state.tasks_read_at
        events = (
            ()
            if then is None
            else _events_since(before, state.tasks, changed | removed, me.id, then, now)
        )
        state.tasks_read_at = now
        self._health = Health()
        self.from_cache = False
        change = StoreChange(
            tasks=frozenset(changed | removed),
            removed=frozenset(removed),
            workday=workday_changed,
            checklists=frozenset(checklists),
            health=True,
            refreshed=True,
            events=events,
        )
        self._emit(change)
        return change

    def _keep_read(self, task: Task, began: int, now: datetime, *, full: bool = False) -> bool:
        """Keep ``task`` as read by refresh number ``began`` (``full``: with its
        description); returns whether the kept record changed.

        A record read since that refresh began (an action's read-back) stays, and a full
        record as new as the row keeps its description.
        """
        task_id = task.id
        if self._is_newer(task_id, began):
            return False
        self._read_began[task_id] = began
        state = self._state
        old = state.tasks.get(task_id)
        kept_checklist = state.checklists.get(task_id)
        if kept_checklist is not None and self._checklist_began.get(task_id, 0) > began:
            # The checklist changed since this read began: the row's is older.
            task = replace(task, checklist=kept_checklist)
        if full:
            self._keep_full(task_id)
        elif task_id in state.full and old is not None and old.changed_date == task.changed_date:
            task = old
        else:
            state.full.discard(task_id)
            self._full_order.pop(task_id, None)
        task = self._same_as_kept(task)
        state.tasks[task_id] = task
        state.task_read_at[task_id] = now
        return task is not old

    def _failed(self, error: B24Error) -> None:
        now = self.clock.now()
        failures = self._health.failures + 1
        retry_at = None
        if cause_of(error).retries:
            delay = min(self.refresh_interval, FIRST_RETRY * 2 ** (failures - 1))
            retry_at = now + timedelta(seconds=delay)
        self._health = Health(
            error=error,
            failures=failures,
            since=self._health.since or now,
            retry_at=retry_at,
        )
        log.info("refresh failed (%s): %s", cause_of(error).value, error.title)
        self._emit(StoreChange(health=True))

    def next_refresh_in(self, *, idle: bool = False) -> float | None:
        """Seconds until the next refresh should run; ``None``: only when asked (``r``).

        The interval, longer while the person is away (``idle``: no key for
        :data:`IDLE_AFTER`) and while the portal's limits slow calls down (a method
        parked, or near its operating budget): the budget is shared with their browser.
        """
        health = self._health
        if health.ok:
            delay = self.refresh_interval * (IDLE_SLOWER if idle else 1)
            policy = self.client.policy
            near = isinstance(policy, PacingPolicy) and bool(policy.state().near_budget)
            if near or policy.waiting() is not None:
                delay *= LIMITS_SLOWER
            return delay
        if health.retry_at is None:
            return None
        return max(0.0, (health.retry_at - self.clock.now()).total_seconds())

    async def load_task(self, task_id: int) -> Task:
        """Read the task in full, and the people it names that are not known yet.

        Raises:
            NotFound: the task does not exist or I cannot see it (it is forgotten).
            B24Error: it could not be read.
        """
        began = self._begin_read()
        try:
            task = await self.client.tasks.get(task_id, FULL_FIELDS)
        except (NotFound, AccessDenied):
            if not self._is_newer(task_id, began) and self._forget(task_id):
                self._emit(StoreChange(tasks=frozenset({task_id}), removed=frozenset({task_id})))
            raise
        missing = self.missing_people(task)
        users: tuple[User, ...] = ()
        if missing:
            users = await self.client.users.get_many(missing)
        return self._put(task, began, full=True, users=users)

    async def load_people(self, task: Task) -> None:
        """Read the users ``task`` names that are not known yet (one call)."""
        missing = self.missing_people(task)
        if missing:
            self.remember_users(await self.client.users.get_many(missing))

    def _put(self, task: Task, began: int, *, full: bool, users: Iterable[User] = ()) -> Task:
        """Keep ``task`` as read by read number ``began``, unless a later read's record is
        kept already; returns the record kept (the newer one in that case)."""
        state = self._state
        for user in users:
            state.users[user.id] = user
        if self._is_newer(task.id, began):
            kept = state.tasks.get(task.id)
            if users:
                self._emit(StoreChange(users=frozenset(user.id for user in users)))
            return kept if kept is not None else task
        kept_checklist = state.checklists.get(task.id)
        if kept_checklist is not None and self._checklist_began.get(task.id, 0) > began:
            task = replace(task, checklist=kept_checklist)  # changed since this read began
        self._read_began[task.id] = began
        state.tasks[task.id] = task
        state.task_read_at[task.id] = self.clock.now()
        if full:
            self._keep_full(task.id)
        else:
            state.full.discard(task.id)
            self._full_order.pop(task.id, None)
        seen = {user.id for user in users}
        self._emit(StoreChange(tasks=frozenset({task.id}), users=frozenset(seen)))
        return task

    def _keep_full(self, task_id: int) -> None:
        """Mark ``task_id`` read in full; past :data:`MAX_FULL` (not counting the open
        tasks) the least recent full record drops its description and becomes a row."""
        state = self._state
        state.full.add(task_id)
        order = self._full_order
        order.pop(task_id, None)
        order[task_id] = None
        closed = [i for i in order if i not in self._opened]
        for old_id in closed[: max(0, len(closed) - MAX_FULL)]:
            del order[old_id]
            state.full.discard(old_id)
            task = state.tasks.get(old_id)
            if task is not None:
                state.tasks[old_id] = replace(task, description="")

    def _forget(self, task_id: int) -> bool:
        state = self._state
        known = state.tasks.pop(task_id, None) is not None
        state.full.discard(task_id)
        self._full_order.pop(task_id, None)
        state.task_read_at.pop(task_id, None)
        state.checklists.pop(task_id, None)
        self._checklist_began.pop(task_id, None)
        self._read_began.pop(task_id, None)
        return known

    # --- writing ------------------------------------------------------------------------

    async def act(
        self,
        action: TaskAction,
        task: Task,
        *,
        answered: Callable[[], None] | None = None,
        **args: Any,
    ) -> ActionOutcome:
        """Run ``action`` on ``task``, then read the task back and keep it.

        ``answered`` is called once the portal has answered the action (or its answer was
        lost), before the read-back.

        Returns:
            The task as the portal has it; ``certain=False`` when the answer was lost and
            the task was read back instead (the action is never sent twice).

        Raises:
            ActionNotAllowed: the portal refused (the task is read back first, so the
                screens show what is allowed now).
            B24Error: the action or the read failed.
        """
        try:
            await action.run(self.client, task, **args)
        except OutcomeUnknown:
            if answered is not None:
                answered()
            return ActionOutcome(await self._read_back(task.id), certain=False)
        except ActionNotAllowed:
            if answered is not None:
                answered()
            await self._read_back(task.id)
            raise
        if answered is not None:
            answered()
        return ActionOutcome(await self._read_back(task.id))

    async def save_task(self, write: Callable[[], Awaitable[Task]]) -> Task:
        """Run ``write`` (the task form's save: an update or an add, which answers with the
        task read in full) and keep the task it answers: every screen shows it.

        Raises:
            B24Error: the write failed (nothing is kept).
        """
        began = self._begin_read()
        task = await write()
        return self._put(task, began, full=True)

    async def _read_back(self, task_id: int) -> Task:
        began = self._begin_read()
        try:
            task = await self.client.tasks.get(task_id, FULL_FIELDS)
        except (NotFound, AccessDenied):
            if self._forget(task_id):
                self._emit(StoreChange(tasks=frozenset({task_id}), removed=frozenset({task_id})))
            raise
        return self._put(task, began, full=True)

    def keep_workday(self, workday: Workday, *, paused_here: bool = False) -> None:
        """Keep the workday an action answered with (``paused_here``: our own pause), newer
        than any read begun before it, and tell the listeners."""
        self._workday_began = self._begin_read()
        self._see_workday(workday, paused_here=paused_here)
        self._emit(StoreChange(workday=True))

    def _see_workday(self, workday: Workday, *, paused_here: bool = False) -> None:
        now = self.clock.now()
        seen = self.workday_seen
        self.workday_seen = (
            WorkdaySeen.first(workday, now)
            if seen is None
            else seen.then(workday, now, paused_here=paused_here)
        )
        self._state.workday, self.workday_error = workday, None

    def remember_users(self, users: Iterable[User]) -> None:
        """Keep users read elsewhere (the person picker's list)."""
        seen = frozenset(user.id for user in users)
        for user in users:
            self._state.users[user.id] = user
        if seen:
            self._emit(StoreChange(users=seen))


_ROLE_FILTERS: dict[str, Callable[[Task, int], bool]] = {
    "RESPONSIBLE_ID": lambda task, me: task.responsible_id == me,
    "ACCOMPLICE": lambda task, me: me in task.accomplices,
    "AUDITOR": lambda task, me: me in task.auditors,
    "CREATED_BY": lambda task, me: task.created_by == me,
}
"""The tasks each role filter of the lists holds, as the store can tell them."""


def _takes_part(task: Task, me: int) -> bool:
    return _doing(task, me) or task.created_by == me or me in task.auditors


def _people_ids(task: Task) -> set[int]:
    ids = {task.created_by, task.responsible_id, *task.accomplices, *task.auditors}
    if task.changed_by:
        ids.add(task.changed_by)
    ids.update(sorted(mentioned_user_ids(task.description))[:MAX_MENTIONS])
    ids.discard(0)
    return ids
