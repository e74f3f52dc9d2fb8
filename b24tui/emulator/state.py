"""The emulated portal's state: people, projects, tasks, checklists, history and workdays.

Everything a handler reads or changes lives in one :class:`Portal`. Values are kept as
Python types (ints, datetimes, bools); the method modules turn them into the documented
wire shapes (strings for numbers, ``"Y"``/``"N"``, camelCase or UPPER_SNAKE keys).
Per-user state (mute, favourite) is kept beside the tasks, keyed by user id.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from b24tui.clock import Clock
from b24tui.emulator.credentials import Credentials

PORTAL_TZ = timezone(timedelta(hours=2))
"""The emulated portal's timezone: a fixed offset, so seeded data never moves with DST."""


@dataclass
class User:
    """A portal employee."""

    id: int
    name: str
    last_name: str
    email: str
    work_position: str = ""
    gender: str = ""
    """``"M"``, ``"F"`` or ``""``."""
    second_name: str = ""
    admin: bool = False
    active: bool = True
    departments: list[int] = field(default_factory=lambda: [1])
    date_register: datetime | None = None
    last_login: datetime | None = None
    is_online: bool = False
    time_zone: str = ""
    photo: str | None = None
    """A link to the avatar, or ``None`` when the person has not uploaded one."""
    personal_city: str = ""
    personal_www: str = ""
    personal_mobile: str = ""
    work_phone: str = ""
    birthday: date | None = None
    profile_changed: datetime | None = None
    """When the profile was last saved (``TIMESTAMP_X``)."""

    @property
    def full_name(self) -> str:
        """``Name Last-name``, as tasks show people."""
        return f"{self.name} {self.last_name}".strip()

    @property
    def login(self) -> str:
        """The login, which on a cloud portal is the e-mail address."""
        return self.email


@dataclass
class Group:
    """A workgroup or project that tasks can belong to."""

    id: int
    name: str
    opened: bool = True
    """An opened group's tasks are visible to its members only; closed ones likewise,
    but a closed group cannot be joined freely (kept for the ``group`` object)."""
    member_ids: set[int] = field(default_factory=set)
    image: str = "/bitrix/images/socialnetwork/workgroup/folder.png"


@dataclass
class Task:
    """A task as the portal stores it (one row of ``b_tasks`` plus its members)."""

    id: int
    title: str
    created_by: int
    responsible_id: int
    created_date: datetime
    description: str = ""
    status: int = 2
    """Real status: 2 pending, 3 in progress, 4 awaiting control, 5 completed, 6 deferred."""
    priority: int = 1
    """0 low, 1 average, 2 high."""
    mark: str | None = None
    """``"P"``, ``"N"`` or ``None``."""
    accomplices: list[int] = field(default_factory=list)
    auditors: list[int] = field(default_factory=list)
    group_id: int = 0
    parent_id: int | None = None
    stage_id: int = 0
    deadline: datetime | None = None
    start_date_plan: datetime | None = None
    end_date_plan: datetime | None = None
    date_start: datetime | None = None
    """When work on it was last started."""
    changed_date: datetime | None = None
    changed_by: int | None = None
    status_changed_date: datetime | None = None
    status_changed_by: int | None = None
    closed_date: datetime | None = None
    closed_by: int | None = None
    activity_date: datetime | None = None
    task_control: bool = False
    allow_change_deadline: bool = False
    allow_time_tracking: bool = False
    match_work_time: bool = False
    add_in_report: bool = False
    multitask: bool = False
    replicate: bool = False
    require_result: bool = False
    time_estimate: int = 0
    time_spent_in_logs: int = 0
    duration_plan: int = 0
    duration_type: str = "days"
    comments_count: int = 0
    new_comments_count: int = 0
    chat_id: int | None = None
    forum_topic_id: int | None = None
    outlook_version: int = 1
    guid: str = ""
    tags: list[str] = field(default_factory=list)
    crm: list[str] = field(default_factory=list)
    """``UF_CRM_TASK`` bindings such as ``D_12``."""
    files: list[int] = field(default_factory=list)
    """``UF_TASK_WEBDAV_FILES``: ids of the :class:`Attachment` objects of the task."""
    viewed_by: set[int] = field(default_factory=set)
    """People who have opened the task (the rest see it as not viewed)."""
    pinned_by: set[int] = field(default_factory=set)

    def members(self) -> set[int]:
        """Everyone with a role in the task."""
        return {self.created_by, self.responsible_id, *self.accomplices, *self.auditors}


@dataclass
class ChecklistItem:
    """A checklist, item or sub-item: ``parent_id == 0`` makes it a checklist."""

    id: int
    task_id: int
    parent_id: int
    title: str
    created_by: int
    sort_index: int = 0
    is_complete: bool = False
    is_important: bool = False
    toggled_by: int | None = None
    toggled_date: datetime | None = None
    members: dict[int, str] = field(default_factory=dict)
    """User id to ``"A"`` (participant) or ``"U"`` (observer)."""


@dataclass
class Attachment:
    """A Drive file attached to a task or a comment (the portal's "attached object").

    The emulator has no Drive: any file id sent as ``n123`` is taken as an existing file
    and gets a fresh attachment id, as the portal gives one per place the file is attached.
    """

    id: int
    file_id: int
    name: str
    size: int


@dataclass
class Comment:
    """A comment in a task's discussion (``task.commentitem.*``)."""

    id: int
    task_id: int
    author_id: int
    post_date: datetime
    message: str
    """The text as written, BBCode included."""
    files: list[int] = field(default_factory=list)
    """Ids of the :class:`Attachment` objects (``UF_FORUM_MESSAGE_DOC``)."""


@dataclass
class ElapsedItem:
    """One record of time spent on a task (``task.elapseditem.*``)."""

    id: int
    task_id: int
    user_id: int
    seconds: int
    created_date: datetime
    """When the work began (a record entered later may be dated in the past)."""
    date_start: datetime
    date_stop: datetime
    comment_text: str = ""
    source: int = 2
    """1 undefined, 2 entered by hand, 3 counted by the task's timer."""


@dataclass
class HistoryEntry:
    """One change in a task's history (``tasks.task.history.list``)."""

    id: int
    task_id: int
    created: datetime
    field: str
    user_id: int
    value_from: str | None = None
    value_to: str | None = None


@dataclass
class Pause:
    """A break within a workday; ``end`` is ``None`` while it lasts."""

    start: datetime
    end: datetime | None = None


@dataclass
class Workday:
    """One workday of one person, as ``timeman.*`` keep it.

    ``time_start`` carries the timezone the day was opened in; ``TZ_OFFSET`` and the
    close time are expressed in it.
    """

    user_id: int
    time_start: datetime
    time_finish: datetime | None = None
    pauses: list[Pause] = field(default_factory=list)
    active: bool = True
    """``False`` while a change awaits the supervisor's confirmation."""
    ip_open: str = ""
    ip_close: str = ""
    lat_open: float = 0.0
    lon_open: float = 0.0
    lat_close: float = 0.0
    lon_close: float = 0.0
    extra_leaks: timedelta = timedelta()
    """Breaks that are not pauses: the gap between a close and a reopen."""
    report: str = ""

    @property
    def paused(self) -> bool:
        """Whether a break is going on."""
        return bool(self.pauses) and self.pauses[-1].end is None

    @property
    def closed(self) -> bool:
        """Whether the day has been closed."""
        return self.time_finish is not None

    def leaks(self, now: datetime) -> timedelta:
        """Total break time up to ``now`` (an open pause counts up to ``now``)."""
        total = self.extra_leaks
        for pause in self.pauses:
            end = pause.end or now
            if end > pause.start:
                total += end - pause.start
        return total

    def duration(self) -> timedelta:
        """Worked time of a closed day (break time excluded); zero while open."""
        if self.time_finish is None:
            return timedelta()
        worked = self.time_finish - self.time_start - self.leaks(self.time_finish)
        return max(worked, timedelta())


@dataclass
class TimemanSettings:
    """A person's work-time settings (``timeman.settings``)."""

    enabled: bool = True
    flexible: bool = False
    max_start: str = "09:15:00"
    min_finish: str = "17:45:00"
    min_duration: str = "08:00:00"
    allowed_delta: str = "00:15:00"


class Portal:
    """A whole emulated Bitrix24 portal: the state every method handler works on."""

    def __init__(
        self,
        clock: Clock,
        *,
        tz: tzinfo = PORTAL_TZ,
        domain: str = "demo.bitrix24.example",
        credentials: Credentials | None = None,
        v3_enabled: bool = True,
    ) -> None:
        self.clock: Clock = clock
        """Where the portal learns what time it is."""
        self.tz: tzinfo = tz
        """The portal's timezone (a fixed offset); dates in answers are written in it."""
        self.domain: str = domain
        self.credentials: Credentials = credentials or Credentials()
        self.v3_enabled: bool = v3_enabled
        """``False`` for a portal without REST 3.0 (``/rest/api/`` answers not found)."""
        self.users: dict[int, User] = {}
        self.groups: dict[int, Group] = {}
        self.tasks: dict[int, Task] = {}
        self.checklist_items: dict[int, ChecklistItem] = {}
        self.history: list[HistoryEntry] = []
        self.attachments: dict[int, Attachment] = {}
        self.comments: dict[int, Comment] = {}
        self.elapsed: dict[int, ElapsedItem] = {}
        """Time spent records by id; a task's ``time_spent_in_logs`` is their sum."""
        self.workdays: dict[int, Workday] = {}
        """Each person's latest workday."""
        self.timeman_settings: dict[int, TimemanSettings] = {}
        self.favorites: dict[int, set[int]] = {}
        """User id to the ids of the tasks in their favourites."""
        self.muted: dict[int, set[int]] = {}
        """User id to the ids of the tasks they muted."""
        self._ids: dict[str, Iterator[int]] = {}

    def now(self) -> datetime:
        """The clock's current moment in the portal's timezone."""
        return self.clock.now().astimezone(self.tz)

    def today(self) -> date:
        """The current calendar date in the portal's timezone."""
        return self.now().date()

    def start_ids(self, kind: str, first: int) -> None:
        """Make the next id handed out for ``kind`` be ``first``."""
        self._ids[kind] = itertools.count(first)

    def next_id(self, kind: str) -> int:
        """A fresh id for a new ``task``, ``checklist``, ``history`` entry, …"""
        if kind not in self._ids:
            self._ids[kind] = itertools.count(1)
        return next(self._ids[kind])

    def draft_task(self, creator_id: int) -> Task:
        """A new task created by ``creator_id`` now, not yet stored (``id`` 0).

        Both API generations' ``tasks.task.add`` start from it and fill in the fields.
        """
        now = self.now()
        return Task(
            id=0,
            title="",
            created_by=creator_id,
            responsible_id=creator_id,
            created_date=now,
            changed_date=now,
            changed_by=creator_id,
            status_changed_date=now,
            status_changed_by=creator_id,
            activity_date=now,
            viewed_by={creator_id},
            guid="{" + f"{0:08x}-0000-4000-8000-{len(self.tasks):012x}" + "}",
        )

    # People and visibility ------------------------------------------------------------

    def is_admin(self, user_id: int) -> bool:
        """Whether ``user_id`` is a portal administrator."""
        user = self.users.get(user_id)
        return user is not None and user.admin

    def can_read(self, user_id: int, task: Task) -> bool:
        """Whether ``user_id`` sees ``task``: any role in it, admin, or its group's member."""
        if (
            user_id == task.responsible_id
            or user_id == task.created_by
            or user_id in task.accomplices
            or user_id in task.auditors
            or self.is_admin(user_id)
        ):
            return True
        group = self.groups.get(task.group_id)
        return group is not None and user_id in group.member_ids

    def visible_task(self, user_id: int, task_id: int) -> Task | None:
        """The task if it exists and ``user_id`` may see it."""
        task = self.tasks.get(task_id)
        if task is None or not self.can_read(user_id, task):
            return None
        return task

    def is_favorite(self, user_id: int, task_id: int) -> bool:
        """Whether the task is in ``user_id``'s favourites."""
        return task_id in self.favorites.get(user_id, set())

    def is_muted(self, user_id: int, task_id: int) -> bool:
        """Whether ``user_id`` muted the task."""
        return task_id in self.muted.get(user_id, set())

    # Attachments ------------------------------------------------------------------------

    def attach(self, file_id: int) -> Attachment:
        """A new attachment of Drive file ``file_id`` (a name and size made up from it)."""
        attachment = Attachment(
            id=self.next_id("attachment"),
            file_id=file_id,
            name=f"file-{file_id}.pdf",
            size=1024 + file_id * 7919 % 2_000_000,
        )
        self.attachments[attachment.id] = attachment
        return attachment

    def attachments_from(self, value: object, kept: list[int]) -> list[int] | None:
        """Attachment ids for a ``UF_*`` file field as sent: ``"n123"`` attaches Drive file
        123 anew, a bare number keeps the attachment of that id when it is in ``kept``.

        ``None`` when an entry names no file (the portal's "File not found").
        """
        if isinstance(value, dict):
            value = list(value.values())
        values = value if isinstance(value, list) else [] if value in (None, "", False) else [value]
        found: list[int] = []
        for raw in values:
            text = str(raw).strip()
            if text[:1].lower() == "n" and text[1:].isdigit() and int(text[1:]) > 0:
                found.append(self.attach(int(text[1:])).id)
            elif text.isdigit() and int(text) in kept:
                found.append(int(text))
            else:
                return None
        return found

    # Comments and time spent -----------------------------------------------------------

    def comments_of(self, task_id: int) -> list[Comment]:
        """The task's comments, oldest first."""
        return sorted(
            (comment for comment in self.comments.values() if comment.task_id == task_id),
            key=lambda comment: comment.id,
        )

    def elapsed_of(self, task_id: int) -> list[ElapsedItem]:
        """The task's time spent records, oldest first."""
        return sorted(
            (item for item in self.elapsed.values() if item.task_id == task_id),
            key=lambda item: item.id,
        )

    def recount_time_spent(self, task: Task) -> None:
        """Set ``task.time_spent_in_logs`` to the sum of its time spent records."""
        task.time_spent_in_logs = sum(item.seconds for item in self.elapsed_of(task.id))

    # Checklists and history ------------------------------------------------------------

    def checklist_of(self, task_id: int) -> list[ChecklistItem]:
        """The task's checklist rows (checklists, items and sub-items) by id."""
        return sorted(
            (item for item in self.checklist_items.values() if item.task_id == task_id),
            key=lambda item: item.id,
        )

    def record(
        self,
        task: Task,
        field_name: str,
        user_id: int,
        value_from: object = None,
        value_to: object = None,
        *,
        when: datetime | None = None,
    ) -> HistoryEntry:
        """Append a history entry for a change of ``field_name`` on ``task``."""
        entry = HistoryEntry(
            id=self.next_id("history"),
            task_id=task.id,
            created=when or self.now(),
            field=field_name,
            user_id=user_id,
            value_from=None if value_from is None else str(value_from),
            value_to=None if value_to is None else str(value_to),
        )
        self.history.append(entry)
        return entry

    def touch(self, task: Task, user_id: int) -> None:
        """Mark ``task`` as changed now by ``user_id``."""
        now = self.now()
        task.changed_date = now
        task.changed_by = user_id
        task.activity_date = now
