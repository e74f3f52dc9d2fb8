"""Tasks: the task object of ``tasks.task.*`` (v1 camelCase and v3) and what comes with it.

Parsed once here from both generations of the API: `Task.from_v1` reads the camelCase
answers of ``tasks.task.get/list/add/update`` and of the action methods (UPPER keys are
accepted too), `Task.from_v3` reads REST 3.0 items. `TaskChanges` goes the other way: the
fields of an edit, rendered for either generation.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar, Final, Self

from b24tui.models._coerce import (
    ModelError,
    brief,
    first_key,
    require_id,
    require_mapping,
    to_bool,
    to_datetime,
    to_id_tuple,
    to_int,
    to_list,
    to_mapping,
    to_str,
    to_timestamp,
)
from b24tui.models.checklist import ChecklistItem

__all__ = [
    "UNSET",
    "HistoryEntry",
    "Mark",
    "Person",
    "Priority",
    "Task",
    "TaskAccess",
    "TaskActions",
    "TaskChanges",
    "TaskCounters",
    "TaskGroup",
    "TaskRole",
    "TaskStatus",
    "Unset",
]


# --------------------------------------------------------------------------- enumerations


class TaskStatus(enum.IntEnum):
    """A task's status: the v1 numbers, with the v3 names and a label for people.

    ``1`` (new) and ``7`` (declined) come only from old portals and v3 (``declined``);
    current v1 answers use 2 to 6.
    """

    NEW = 1
    PENDING = 2
    IN_PROGRESS = 3
    SUPPOSEDLY_COMPLETED = 4
    COMPLETED = 5
    DEFERRED = 6
    DECLINED = 7

    @property
    def v3_name(self) -> str:
        """The REST 3.0 spelling: ``pending``, ``in_progress``, ``supposedly_completed``..."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """A short label for people: "Pending", "In progress", "In review"...

        One word for one thing on every screen, short enough for the task table's status
        column at 80 columns ("Awaiting control" is not; the portal itself says "Awaiting
        Review").
        """
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Whether the task still asks for work: every status but completed and deferred.

        This is the dashboard's "Active" rule (status not 5 or 6); declined counts as open
        because the portal still lists it until someone closes it.
        """
        return self not in (TaskStatus.COMPLETED, TaskStatus.DEFERRED)

    @property
    def is_in_work(self) -> bool:
        """Whether the responsible person still has it to do: open, and not awaiting the
        creator's control (4), which the portal's counters never count as overdue."""
        return self.is_open and self is not TaskStatus.SUPPOSEDLY_COMPLETED

    @classmethod
    def from_v3(cls, name: str) -> TaskStatus:
        """The status for a v3 name (``in_progress``); case and dashes are forgiven.

        Raises:
            ModelError: The name is not a known status.
        """
        key = name.strip().lower().replace("-", "_")
        try:
            return cls[key.upper()]
        except KeyError:
            raise ModelError("status", f"unknown status {brief(name)}") from None

    @classmethod
    def from_api(cls, value: object, field: str = "status") -> TaskStatus:
        """The status from either generation: ``"3"``, ``3`` or ``"in_progress"``.

        Raises:
            ModelError: The value is not a known status.
        """
        if isinstance(value, str) and value.strip() and not value.strip().lstrip("-").isdigit():
            return cls.from_v3(value)
        number = to_int(value, field)
        if number is None:
            raise ModelError(field, "is missing")
        try:
            return cls(number)
        except ValueError:
            raise ModelError(field, f"unknown status {brief(value)}") from None


_STATUS_LABELS: Final[Mapping[TaskStatus, str]] = {
    TaskStatus.NEW: "New",
    TaskStatus.PENDING: "Pending",
    TaskStatus.IN_PROGRESS: "In progress",
    TaskStatus.SUPPOSEDLY_COMPLETED: "In review",
    TaskStatus.COMPLETED: "Completed",
    TaskStatus.DEFERRED: "Deferred",
    TaskStatus.DECLINED: "Declined",
}


class Priority(enum.IntEnum):
    """A task's priority: v1 ``0``/``1``/``2``, v3 ``low``/``average``/``high``."""

    LOW = 0
    AVERAGE = 1
    HIGH = 2

    @property
    def v3_name(self) -> str:
        """The REST 3.0 spelling: ``low``, ``average`` or ``high``."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """A label for people: "Low", "Medium" or "High"."""
        return ("Low", "Medium", "High")[self.value]

    @classmethod
    def from_v3(cls, name: str) -> Priority:
        """The priority for a v3 name; ``medium`` and ``normal`` mean average.

        Raises:
            ModelError: The name is not a known priority.
        """
        key = name.strip().lower()
        key = {"medium": "average", "normal": "average"}.get(key, key)
        try:
            return cls[key.upper()]
        except KeyError:
            raise ModelError("priority", f"unknown priority {brief(name)}") from None

    @classmethod
    def from_api(cls, value: object, field: str = "priority") -> Priority:
        """The priority from either generation: ``"2"``, ``2`` or ``"high"``.

        Raises:
            ModelError: The value is not a known priority.
        """
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            return cls.from_v3(value)
        number = to_int(value, field)
        if number is None:
            raise ModelError(field, "is missing")
        try:
            return cls(number)
        except ValueError:
            raise ModelError(field, f"unknown priority {brief(value)}") from None


class Mark(enum.Enum):
    """The creator's mark on a task: v1 ``N``/``P``/null, v3 ``negative``/``positive``/``none``."""

    NONE = "none"
    NEGATIVE = "N"
    POSITIVE = "P"

    @property
    def label(self) -> str:
        """A label for people: "", "Negative" or "Positive"."""
        return {"none": "", "N": "Negative", "P": "Positive"}[self.value]

    @property
    def v1_value(self) -> str | None:
        """The v1 spelling: ``"N"``, ``"P"`` or None."""
        return None if self is Mark.NONE else self.value

    @property
    def v3_name(self) -> str:
        """The v3 spelling: ``none``, ``negative`` or ``positive``."""
        return self.name.lower()

    @classmethod
    def from_api(cls, value: object, field: str = "mark") -> Mark:
        """The mark from ``"N"``, ``"P"``, ``None``, ``""``, ``"none"``, ``"negative"``...

        Raises:
            ModelError: The value is not a known mark.
        """
        if value is None or value == "" or value == []:
            return cls.NONE
        if isinstance(value, str):
            key = value.strip().lower()
            found = {
                "none": cls.NONE,
                "n": cls.NEGATIVE,
                "negative": cls.NEGATIVE,
                "p": cls.POSITIVE,
                "positive": cls.POSITIVE,
            }.get(key)
            if found is not None:
                return found
        raise ModelError(field, f"unknown mark {brief(value)}")


class TaskRole(enum.StrEnum):
    """The part a user plays in a task."""

    RESPONSIBLE = "responsible"
    ACCOMPLICE = "accomplice"
    CREATOR = "creator"
    AUDITOR = "auditor"


# --------------------------------------------------------------------------- people


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named in a task: creator, responsible, accomplice, auditor, author.

    Attributes:
        id: The user id (0 when the answer did not say, as v3 without ``id`` in select).
        name: The display name as the portal formats it ("Victoria Adams").
        work_position: The job title, "" when unknown.
        link: The profile path on the portal (``/company/personal/user/503/``).
        icon: The avatar URL or path.
    """

    id: int
    name: str
    work_position: str = ""
    link: str = ""
    icon: str = ""
    email: str = ""

    @property
    def display_name(self) -> str:
        """The name, or "User #id" when the portal sent none."""
        return self.name.strip() or self.email or f"User #{self.id}"

    @classmethod
    def from_v1(cls, data: object, *, fallback_id: int | None = None) -> Person | None:
        """A person from a v1 ``creator``/``responsible``/``accomplicesData`` entry.

        Returns None for ``[]``, null and entries with neither an id nor a name.
        """
        if not isinstance(data, Mapping) or not data:
            return None
        person_id = to_int(first_key(data, "id", "ID"), "id") or fallback_id or 0
        name = to_str(first_key(data, "name", "NAME"), "name")
        last_name = to_str(first_key(data, "lastName", "LAST_NAME"), "lastName")
        if last_name and last_name not in name:
            name = f"{name} {last_name}".strip()
        if not person_id and not name:
            return None
        image = first_key(data, "icon", "image", "IMAGE", "PERSONAL_PHOTO")
        if isinstance(image, Mapping):
            image = first_key(image, "file", "src", "url")
        return cls(
            id=person_id,
            name=name,
            work_position=to_str(first_key(data, "workPosition", "WORK_POSITION"), "workPosition"),
            link=to_str(first_key(data, "link", "LINK"), "link"),
            icon=image if isinstance(image, str) else "",
            email=to_str(first_key(data, "email", "EMAIL", "login"), "email"),
        )

    @classmethod
    def from_v3(cls, data: object, *, fallback_id: int | None = None) -> Person | None:
        """A person from a v3 user object (``id``, ``name``, ``email``, ``image``...)."""
        return cls.from_v1(data, fallback_id=fallback_id)

    def to_v1(self) -> dict[str, str]:
        """This person as a v1 ``creator``/``responsible`` entry (`from_v1` reads it back)."""
        entry = {
            "id": str(self.id),
            "name": self.name,
            "link": self.link,
            "icon": self.icon,
            "workPosition": self.work_position,
        }
        if self.email:
            entry["email"] = self.email
        return entry


@dataclass(frozen=True, slots=True)
class TaskGroup:
    """The workgroup or project a task belongs to."""

    id: int
    name: str

    @classmethod
    def from_api(cls, data: object, *, fallback_id: int | None = None) -> TaskGroup | None:
        """A group from a v1 ``group`` object or a v3 ``group``; None for ``[]``/null."""
        if not isinstance(data, Mapping) or not data:
            return None
        group_id = to_int(first_key(data, "id", "ID"), "group.id") or fallback_id or 0
        name = to_str(first_key(data, "name", "NAME"), "group.name")
        if not group_id and not name:
            return None
        return cls(id=group_id, name=name)


# --------------------------------------------------------------------------- permissions

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

_ACTION_ALIASES: Final[Mapping[str, str]] = {
    # v1 `action` / getaccess spellings that say the same as a canonical name
    "add_favorite": "favorite_add",
    "delete_favorite": "favorite_delete",
    "checklist_add_items": "checklist_add",
    # v3 `rights` spellings
    "deadline": "change_deadline",
    "elapsed_time": "elapsedtime_add",
    "date_plan": "edit_plan",
    "mark": "rate",
}


@functools.lru_cache(maxsize=512)
def _normalize_action(name: str) -> str:
    """One spelling for an action name: ``checklist.add``, ``CHECKLIST.ADD``,
    ``checklistAdd`` and ``checklist_add`` all become ``checklist_add`` (the few names
    there are, remembered: every task row brings the same thirty)."""
    snake = _CAMEL_BOUNDARY.sub("_", name.strip()).replace(".", "_").replace("-", "_")
    return snake.lower()


@dataclass(frozen=True, slots=True)
class TaskActions:
    """What the current user may do with a task, in one vocabulary for every source.

    Canonical names: ``start``, ``pause``, ``complete``, ``approve``, ``disapprove``,
    ``defer``, ``renew``, ``delegate``, ``edit``, ``remove``, ``change_deadline``,
    ``checklist_add``, ``checklist_reorder``, ``favorite_add``, ``favorite_delete``,
    ``rate``, ``take``, ``create``, ``edit_plan``, ``edit_originator``,
    ``elapsedtime_add``. Unknown keys are kept (normalized to snake_case); a name the
    source did not mention is not allowed.

    Attributes:
        allowed: The normalized names the source marked true.
        known: Every normalized name the source mentioned.
    """

    allowed: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()

    VOCABULARY: ClassVar[tuple[str, ...]] = (
        "start",
        "pause",
        "complete",
        "approve",
        "disapprove",
        "defer",
        "renew",
        "delegate",
        "edit",
        "remove",
        "change_deadline",
        "checklist_add",
        "checklist_reorder",
        "favorite_add",
        "favorite_delete",
        "rate",
        "take",
        "create",
        "edit_plan",
        "edit_originator",
        "elapsedtime_add",
    )
    """The canonical action names the UI asks about."""

    def to_v1(self) -> dict[str, bool]:
        """The map as a v1 ``action`` object, normalized names (`from_v1` reads it back)."""
        return {name: name in self.allowed for name in sorted(self.known)}

    def allows(self, name: str) -> bool:
        """Whether the action is allowed; any spelling of the name works, unknown → False."""
        key = _normalize_action(name)
        return key in self.allowed or _ACTION_ALIASES.get(key, key) in self.allowed

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.allows(name)

    @classmethod
    def _from_flags(cls, flags: Mapping[str, Any], *, v3: bool = False) -> TaskActions:
        """The rights ``flags`` give; the same flags give the same (shared) object, since
        thousands of rows carry a handful of different maps."""
        try:
            key = (v3, tuple(flags.items()))
            return _shared_actions(key)
        except TypeError:  # a value that cannot be hashed: read it as it is
            return cls._read_flags(flags, v3=v3)

    @classmethod
    def _read_flags(cls, flags: Mapping[str, Any], *, v3: bool = False) -> TaskActions:
        explicit: dict[str, bool] = {}
        aliased: dict[str, bool] = {}
        for raw_key, raw_value in flags.items():
            key = _normalize_action(str(raw_key))
            try:
                value = to_bool(raw_value, str(raw_key))
            except ModelError:
                value = False
            canonical = _ACTION_ALIASES.get(key)
            explicit[key] = value
            if canonical is not None and canonical != key:
                aliased[canonical] = aliased.get(canonical, False) or value
        if v3 and "favorite" in explicit:
            # v3 has one `favorite` right covering both directions.
            aliased.setdefault("favorite_add", explicit["favorite"])
            aliased.setdefault("favorite_delete", explicit["favorite"])
        merged = {**aliased, **explicit}
        return cls(
            allowed=frozenset(key for key, value in merged.items() if value),
            known=frozenset(merged),
        )

    @classmethod
    def from_v1(cls, data: object) -> TaskActions:
        """From the task object's camelCase ``action`` map (``checklist.add``, ``changeDeadline``).

        ``[]`` or null gives an object that allows nothing.
        """
        return cls._from_flags(to_mapping(data, "action"))

    @classmethod
    def from_getaccess(cls, data: object) -> TaskActions:
        """From one user's UPPER map in ``tasks.task.getaccess`` (``COMPLETE``, ``EDIT.PLAN``)."""
        return cls._from_flags(to_mapping(data, "allowedActions"))

    @classmethod
    def from_v3_rights(cls, data: object) -> TaskActions:
        """From a v3 ``rights`` map (``complete``, ``favorite``, ``checklistAdd``, ``deadline``)."""
        return cls._from_flags(to_mapping(data, "rights"), v3=True)


@functools.lru_cache(maxsize=256)
def _shared_actions(key: tuple[bool, tuple[tuple[str, Any], ...]]) -> TaskActions:
    v3, items = key
    return TaskActions._read_flags(dict(items), v3=v3)


@dataclass(frozen=True, slots=True)
class TaskAccess:
    """``tasks.task.getaccess``: the allowed actions per user id.

    ``"allowedActions": []`` means the caller has no access to the task at all.
    """

    by_user: Mapping[int, TaskActions] = field(default_factory=dict, hash=False)

    @property
    def has_access(self) -> bool:
        """Whether the portal answered with any user's actions (``[]`` means no access)."""
        return bool(self.by_user)

    def for_user(self, user_id: int) -> TaskActions:
        """The actions for `user_id`; an allow-nothing object for users not in the answer."""
        return self.by_user.get(user_id, TaskActions())

    @classmethod
    def from_api(cls, result: object) -> TaskAccess:
        """From the method's ``result`` (``{"allowedActions": {...}}``) or the inner map."""
        data = to_mapping(result, "result")
        if "allowedActions" in data:
            data = to_mapping(data["allowedActions"], "allowedActions")
        by_user: dict[int, TaskActions] = {}
        for raw_id, flags in data.items():
            user_id = to_int(raw_id, "allowedActions")
            if user_id:
                by_user[user_id] = TaskActions.from_getaccess(flags)
        return cls(by_user=by_user)


# --------------------------------------------------------------------------- the task


@dataclass(frozen=True, slots=True)
class Task:
    """A Bitrix24 task, as both API generations describe it.

    Ids that a task always has (`created_by`, `responsible_id`) are 0 when the answer left
    them out (a ``select`` without them); ids that may be absent (`parent_id`, `group_id`)
    are None for "none" (the portal's ``null``/``"0"``). A missing ``status`` reads as
    pending and a missing ``priority`` as average, the portal's defaults.
    """

    id: int
    title: str = ""
    description: str = ""
    description_in_bbcode: bool = True
    status: TaskStatus = TaskStatus.PENDING
    sub_status: int | None = None
    priority: Priority = Priority.AVERAGE
    mark: Mark = Mark.NONE
    parent_id: int | None = None
    group_id: int | None = None
    group: TaskGroup | None = None
    created_by: int = 0
    creator: Person | None = None
    responsible_id: int = 0
    responsible: Person | None = None
    accomplices: tuple[int, ...] = ()
    auditors: tuple[int, ...] = ()
    people: Mapping[int, Person] = field(default_factory=dict, hash=False)
    deadline: datetime | None = None
    start_date_plan: datetime | None = None
    end_date_plan: datetime | None = None
    created_date: datetime | None = None
    changed_date: datetime | None = None
    changed_by: int | None = None
    status_changed_date: datetime | None = None
    closed_date: datetime | None = None
    date_start: datetime | None = None
    time_estimate: int = 0
    time_spent: int = 0
    comments_count: int = 0
    is_muted: bool = False
    is_favorite: bool = False
    is_pinned: bool = False
    task_control: bool = False
    not_viewed: bool = False
    allow_change_deadline: bool = False
    allow_time_tracking: bool = False
    actions: TaskActions | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    contains_checklist: bool = False
    chat_id: int | None = None
    link: str = ""
    deadline_utc: datetime | None = field(default=None, init=False, compare=False, repr=False)
    """:attr:`deadline` on UTC's clock, for comparing with the clock's moments (UTC too).

    Moments of two zones compare some twenty times slower than two of one zone, and each
    deadline the portal sends comes with a zone of its own: the view and count loops over
    7,000 tasks spent most of their time there.
    """

    def __post_init__(self) -> None:
        if self.deadline is not None:
            object.__setattr__(self, "deadline_utc", self.deadline.astimezone(UTC))

    # ----------------------------------------------------------------- helpers

    @property
    def is_open(self) -> bool:
        """Whether the task is neither completed nor deferred (the "Active" rule)."""
        return self.status.is_open

    def is_overdue(self, now: datetime) -> bool:
        """Whether the task is still in work (open, not awaiting control) and its deadline
        is before `now` (an aware datetime; fastest in UTC, as the clock gives it)."""
        deadline = self.deadline_utc
        return deadline is not None and deadline < now and self.status.is_in_work

    def roles_of(self, user_id: int) -> frozenset[TaskRole]:
        """Every part `user_id` plays in the task (empty when none)."""
        roles: set[TaskRole] = set()
        if user_id and user_id == self.responsible_id:
            roles.add(TaskRole.RESPONSIBLE)
        if user_id in self.accomplices:
            roles.add(TaskRole.ACCOMPLICE)
        if user_id and user_id == self.created_by:
            roles.add(TaskRole.CREATOR)
        if user_id in self.auditors:
            roles.add(TaskRole.AUDITOR)
        return frozenset(roles)

    def role_of(self, user_id: int) -> TaskRole | None:
        """The main part `user_id` plays: responsible, accomplice, creator, then auditor."""
        roles = self.roles_of(user_id)
        for role in TaskRole:
            if role in roles:
                return role
        return None

    def person(self, user_id: int) -> Person:
        """The person with `user_id` as the task names them ("User #id" if it does not)."""
        if self.responsible is not None and self.responsible.id == user_id:
            return self.responsible
        if self.creator is not None and self.creator.id == user_id:
            return self.creator
        return self.people.get(user_id) or Person(id=user_id, name="")

    @property
    def accomplice_people(self) -> tuple[Person, ...]:
        """The accomplices as people, in the task's order."""
        return tuple(self.person(user_id) for user_id in self.accomplices)

    @property
    def auditor_people(self) -> tuple[Person, ...]:
        """The auditors as people, in the task's order."""
        return tuple(self.person(user_id) for user_id in self.auditors)

    @property
    def checklist_progress(self) -> tuple[int, int]:
        """(done, total) over the checklist's items, not counting the checklists themselves."""
        items = [item for item in self.checklist if not item.is_root]
        return sum(1 for item in items if item.is_complete), len(items)

    def allows(self, action: str) -> bool:
        """Whether the task's permission map allows `action` (False when there is no map)."""
        return self.actions is not None and self.actions.allows(action)

    # ----------------------------------------------------------------- writing

    def to_v1(self) -> dict[str, Any]:
        """This task as a v1 camelCase object, as ``tasks.task.get`` answers it.

        Numbers become strings and flags ``"Y"``/``"N"``, as the portal sends them, and
        ``Task.from_v1(task.to_v1()) == task``: the form to keep in a snapshot cache.
        """

        def flag(value: bool) -> str:
            return "Y" if value else "N"

        def moment(value: datetime | None) -> str | None:
            return None if value is None else to_timestamp(value)

        def optional_id(value: int | None) -> str | None:
            return None if value is None else str(value)

        def people_of(user_ids: tuple[int, ...]) -> dict[str, dict[str, str]] | list[Any]:
            found = {str(uid): self.people[uid].to_v1() for uid in user_ids if uid in self.people}
            return found or []

        data: dict[str, Any] = {
            "id": str(self.id),
            "title": self.title,
            "description": self.description,
            "descriptionInBbcode": flag(self.description_in_bbcode),
            "status": str(int(self.status)),
            "subStatus": optional_id(self.sub_status),
            "priority": str(int(self.priority)),
            "mark": self.mark.v1_value,
            "parentId": optional_id(self.parent_id),
            "groupId": str(self.group_id or 0),
            "group": (
                {"id": str(self.group.id), "name": self.group.name}
                if self.group is not None
                else []
            ),
            "createdBy": str(self.created_by),
            "creator": self.creator.to_v1() if self.creator is not None else [],
            "responsibleId": str(self.responsible_id),
            "responsible": self.responsible.to_v1() if self.responsible is not None else [],
            "accomplices": [str(uid) for uid in self.accomplices],
            "auditors": [str(uid) for uid in self.auditors],
            "accomplicesData": people_of(self.accomplices),
            "auditorsData": people_of(self.auditors),
            "deadline": moment(self.deadline),
            "startDatePlan": moment(self.start_date_plan),
            "endDatePlan": moment(self.end_date_plan),
            "createdDate": moment(self.created_date),
            "changedDate": moment(self.changed_date),
            "changedBy": optional_id(self.changed_by),
            "statusChangedDate": moment(self.status_changed_date),
            "closedDate": moment(self.closed_date),
            "dateStart": moment(self.date_start),
            "timeEstimate": str(self.time_estimate),
            "timeSpentInLogs": str(self.time_spent),
            "commentsCount": str(self.comments_count),
            "isMuted": flag(self.is_muted),
            "favorite": flag(self.is_favorite),
            "isPinned": flag(self.is_pinned),
            "taskControl": flag(self.task_control),
            "notViewed": flag(self.not_viewed),
            "allowChangeDeadline": flag(self.allow_change_deadline),
            "allowTimeTracking": flag(self.allow_time_tracking),
            "checklist": {str(item.id): item.to_v1() for item in self.checklist} or [],
            "chatId": optional_id(self.chat_id),
        }
        if self.actions is not None:
            data["action"] = self.actions.to_v1()
        if self.contains_checklist and not self.checklist:
            data["containsChecklist"] = True
        if self.link:
            data["link"] = self.link
        return data

    # ----------------------------------------------------------------- parsing

    @classmethod
    def from_v1(cls, data: object) -> Task:
        """From a v1 task object (camelCase; UPPER_SNAKE keys are read too).

        Accepts the object itself or a ``result`` wrapper ``{"task": {...}}``.

        Raises:
            ModelError: The task has no usable id, or a field has an impossible value.
        """
        raw = require_mapping(data, "task")
        if "task" in raw and isinstance(raw["task"], Mapping):
            raw = raw["task"]
        task_id = require_id(raw, "id", "ID")

        def get(camel: str, upper: str) -> Any:
            return first_key(raw, camel, upper)

        people: dict[int, Person] = {}
        for key_camel, key_upper in (
            ("accomplicesData", "ACCOMPLICES_DATA"),
            ("auditorsData", "AUDITORS_DATA"),
        ):
            entries = get(key_camel, key_upper)
            if isinstance(entries, Mapping):
                pairs = list(entries.items())
            else:
                pairs = [(None, entry) for entry in to_list(entries, key_camel)]
            for raw_id, entry in pairs:
                person = Person.from_v1(entry, fallback_id=to_int(raw_id, key_camel))
                if person is not None and person.id:
                    people[person.id] = person

        created_by = to_int(get("createdBy", "CREATED_BY"), "createdBy") or 0
        responsible_id = to_int(get("responsibleId", "RESPONSIBLE_ID"), "responsibleId") or 0
        creator = Person.from_v1(get("creator", "CREATOR"), fallback_id=created_by)
        responsible = Person.from_v1(get("responsible", "RESPONSIBLE"), fallback_id=responsible_id)
        for person in (creator, responsible):
            if person is not None and person.id:
                people.setdefault(person.id, person)
        if not created_by and creator is not None:
            created_by = creator.id
        if not responsible_id and responsible is not None:
            responsible_id = responsible.id

        group_id = to_int(get("groupId", "GROUP_ID"), "groupId") or None
        group = TaskGroup.from_api(get("group", "GROUP"), fallback_id=group_id)
        if group_id is None and group is not None and group.id:
            group_id = group.id

        raw_actions = get("action", "ACTION")
        checklist_raw = get("checklist", "CHECKLIST")
        checklist = tuple(
            sorted(
                (
                    ChecklistItem.from_api(entry, task_id=task_id)
                    for entry in to_list(checklist_raw, "checklist")
                    if isinstance(entry, Mapping)
                ),
                key=lambda item: (item.parent_id, item.sort_index, item.id),
            )
        )
        if not checklist:
            # tasks.task.list sends the nested checkListTree (select CHECKLIST) instead.
            checklist = ChecklistItem.many_from_tree(
                get("checkListTree", "CHECK_LIST_TREE"), task_id=task_id
            )
        status_raw = get("status", "STATUS")
        if status_raw in (None, ""):
            status_raw = get("realStatus", "REAL_STATUS")
        priority_raw = get("priority", "PRIORITY")
        return cls(
            id=task_id,
            title=to_str(get("title", "TITLE"), "title"),
            description=to_str(get("description", "DESCRIPTION"), "description"),
            description_in_bbcode=to_bool(
                get("descriptionInBbcode", "DESCRIPTION_IN_BBCODE"),
                "descriptionInBbcode",
                default=True,
            ),
            status=(
                TaskStatus.PENDING
                if status_raw in (None, "")
                else TaskStatus.from_api(status_raw, "status")
            ),
            sub_status=to_int(get("subStatus", "SUB_STATUS"), "subStatus"),
            priority=(
                Priority.AVERAGE
                if priority_raw in (None, "")
                else Priority.from_api(priority_raw, "priority")
            ),
            mark=Mark.from_api(get("mark", "MARK")),
            parent_id=to_int(get("parentId", "PARENT_ID"), "parentId") or None,
            group_id=group_id,
            group=group,
            created_by=created_by,
            creator=creator,
            responsible_id=responsible_id,
            responsible=responsible,
            accomplices=to_id_tuple(get("accomplices", "ACCOMPLICES"), "accomplices"),
            auditors=to_id_tuple(get("auditors", "AUDITORS"), "auditors"),
            people=people,
            deadline=to_datetime(get("deadline", "DEADLINE"), "deadline"),
            start_date_plan=to_datetime(get("startDatePlan", "START_DATE_PLAN"), "startDatePlan"),
            end_date_plan=to_datetime(get("endDatePlan", "END_DATE_PLAN"), "endDatePlan"),
            created_date=to_datetime(get("createdDate", "CREATED_DATE"), "createdDate"),
            changed_date=to_datetime(get("changedDate", "CHANGED_DATE"), "changedDate"),
            changed_by=to_int(get("changedBy", "CHANGED_BY"), "changedBy") or None,
            status_changed_date=to_datetime(
                get("statusChangedDate", "STATUS_CHANGED_DATE"), "statusChangedDate"
            ),
            closed_date=to_datetime(get("closedDate", "CLOSED_DATE"), "closedDate"),
            date_start=to_datetime(get("dateStart", "DATE_START"), "dateStart"),
            time_estimate=to_int(get("timeEstimate", "TIME_ESTIMATE"), "timeEstimate") or 0,
            time_spent=to_int(get("timeSpentInLogs", "TIME_SPENT_IN_LOGS"), "timeSpentInLogs") or 0,
            comments_count=to_int(get("commentsCount", "COMMENTS_COUNT"), "commentsCount") or 0,
            is_muted=to_bool(get("isMuted", "IS_MUTED"), "isMuted"),
            is_favorite=to_bool(get("favorite", "FAVORITE"), "favorite"),
            is_pinned=to_bool(get("isPinned", "IS_PINNED"), "isPinned"),
            task_control=to_bool(get("taskControl", "TASK_CONTROL"), "taskControl"),
            not_viewed=to_bool(get("notViewed", "NOT_VIEWED"), "notViewed"),
            allow_change_deadline=to_bool(
                get("allowChangeDeadline", "ALLOW_CHANGE_DEADLINE"), "allowChangeDeadline"
            ),
            allow_time_tracking=to_bool(
                get("allowTimeTracking", "ALLOW_TIME_TRACKING"), "allowTimeTracking"
            ),
            actions=None if raw_actions is None else TaskActions.from_v1(raw_actions),
            checklist=checklist,
            contains_checklist=bool(checklist)
            or to_bool(get("containsChecklist", "CONTAINS_CHECKLIST"), "containsChecklist"),
            chat_id=to_int(get("chatId", "CHAT_ID"), "chatId") or None,
            link=to_str(get("link", "LINK"), "link"),
        )

    @classmethod
    def from_v3(cls, data: object, *, current_user_id: int | None = None) -> Task:
        """From a REST 3.0 task item (ints, ``"in_progress"``, ``"high"``, nested objects).

        Accepts the item itself or a ``result`` wrapper ``{"item": {...}}``. The per-user
        lists ``inFavorite`` and ``inMute`` become `is_favorite`/`is_muted` for
        `current_user_id` when it is given.

        Raises:
            ModelError: The task has no usable id, or a field has an impossible value.
        """
        raw = require_mapping(data, "item")
        if "item" in raw and isinstance(raw["item"], Mapping):
            raw = raw["item"]
        task_id = require_id(raw, "id")

        def nested_id(key: str, obj_key: str) -> int | None:
            value = to_int(raw.get(key), key)
            if value is None and isinstance(raw.get(obj_key), Mapping):
                value = to_int(raw[obj_key].get("id"), f"{obj_key}.id")
            return value

        created_by = nested_id("creatorId", "creator") or 0
        responsible_id = nested_id("responsibleId", "responsible") or 0
        creator = Person.from_v3(raw.get("creator"), fallback_id=created_by)
        responsible = Person.from_v3(raw.get("responsible"), fallback_id=responsible_id)
        people: dict[int, Person] = {}
        for key in ("accomplices", "auditors"):
            for entry in to_list(raw.get(key), key):
                if isinstance(entry, Mapping):
                    person = Person.from_v3(entry)
                    if person is not None and person.id:
                        people[person.id] = person
        for person in (creator, responsible):
            if person is not None and person.id:
                people.setdefault(person.id, person)

        group_id = nested_id("groupId", "group") or None
        group = TaskGroup.from_api(raw.get("group"), fallback_id=group_id)
        status_raw = raw.get("status")
        priority_raw = raw.get("priority")
        rights = raw.get("rights")
        favorites = to_id_tuple(raw.get("inFavorite"), "inFavorite")
        mutes = to_id_tuple(raw.get("inMute"), "inMute")
        pins = to_id_tuple(raw.get("inPin"), "inPin")
        checklist_raw = raw.get("checklist")
        chat_id = nested_id("chatId", "chat")
        elapsed = raw.get("elapsedTime")
        time_spent = 0
        for entry in to_list(elapsed, "elapsedTime"):
            if isinstance(entry, Mapping):
                time_spent += to_int(entry.get("seconds"), "elapsedTime.seconds") or 0
        return cls(
            id=task_id,
            title=to_str(raw.get("title"), "title"),
            description=to_str(raw.get("description"), "description"),
            status=(
                TaskStatus.PENDING
                if status_raw in (None, "")
                else TaskStatus.from_api(status_raw, "status")
            ),
            priority=(
                Priority.AVERAGE
                if priority_raw in (None, "")
                else Priority.from_api(priority_raw, "priority")
            ),
            mark=Mark.from_api(raw.get("mark")),
            parent_id=nested_id("parentId", "parent") or None,
            group_id=group_id,
            group=group,
            created_by=created_by,
            creator=creator,
            responsible_id=responsible_id,
            responsible=responsible,
            accomplices=to_id_tuple(raw.get("accomplices"), "accomplices"),
            auditors=to_id_tuple(raw.get("auditors"), "auditors"),
            people=people,
            deadline=to_datetime(raw.get("deadline"), "deadline"),
            start_date_plan=to_datetime(raw.get("startPlan"), "startPlan"),
            end_date_plan=to_datetime(raw.get("endPlan"), "endPlan"),
            created_date=to_datetime(raw.get("created"), "created"),
            changed_date=to_datetime(raw.get("changed"), "changed"),
            changed_by=nested_id("changedById", "changedBy") or None,
            status_changed_date=to_datetime(raw.get("statusChanged"), "statusChanged"),
            closed_date=to_datetime(raw.get("closed"), "closed"),
            date_start=to_datetime(raw.get("started"), "started"),
            time_estimate=to_int(raw.get("estimatedTime"), "estimatedTime") or 0,
            time_spent=time_spent,
            is_muted=current_user_id is not None and current_user_id in mutes,
            is_favorite=current_user_id is not None and current_user_id in favorites,
            is_pinned=current_user_id is not None and current_user_id in pins,
            task_control=to_bool(raw.get("needsControl"), "needsControl"),
            allow_change_deadline=to_bool(raw.get("allowsChangeDeadline"), "allowsChangeDeadline"),
            allow_time_tracking=to_bool(raw.get("allowsTimeTracking"), "allowsTimeTracking"),
            actions=None if rights is None else TaskActions.from_v3_rights(rights),
            checklist=(),
            contains_checklist=to_bool(raw.get("containsChecklist"), "containsChecklist")
            or bool(to_list(checklist_raw, "checklist")),
            chat_id=chat_id,
            link=to_str(raw.get("link"), "link"),
        )


# --------------------------------------------------------------------------- edits


class Unset(enum.Enum):
    """The type of `UNSET`: "this field is not part of the edit"."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET
"""Marks a `TaskChanges` field as not sent (None would mean "clear it")."""


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """The fields of a task edit; only the fields set (not `UNSET`) are sent.

    ``None`` on a date clears it (v1 sends ``""``, v3 ``null``). ``start_date_plan`` and
    ``end_date_plan`` belong together on write; `between` sets both when either changed.
    """

    title: str | Unset = UNSET
    description: str | Unset = UNSET
    deadline: datetime | Unset | None = UNSET
    priority: Priority | Unset = UNSET
    responsible_id: int | Unset = UNSET
    accomplices: tuple[int, ...] | Unset = UNSET
    auditors: tuple[int, ...] | Unset = UNSET
    start_date_plan: datetime | Unset | None = UNSET
    end_date_plan: datetime | Unset | None = UNSET
    group_id: int | Unset | None = UNSET

    _V1_NAMES: ClassVar[Mapping[str, str]] = {
        "title": "TITLE",
        "description": "DESCRIPTION",
        "deadline": "DEADLINE",
        "priority": "PRIORITY",
        "responsible_id": "RESPONSIBLE_ID",
        "accomplices": "ACCOMPLICES",
        "auditors": "AUDITORS",
        "start_date_plan": "START_DATE_PLAN",
        "end_date_plan": "END_DATE_PLAN",
        "group_id": "GROUP_ID",
    }
    _V3_NAMES: ClassVar[Mapping[str, str]] = {
        "title": "title",
        "description": "description",
        "deadline": "deadline",
        "priority": "priority",
        "responsible_id": "responsibleId",
        "accomplices": "accomplices",
        "auditors": "auditors",
        "start_date_plan": "startPlan",
        "end_date_plan": "endPlan",
        "group_id": "groupId",
    }
    _DATES: ClassVar[frozenset[str]] = frozenset({"deadline", "start_date_plan", "end_date_plan"})

    @property
    def changed_fields(self) -> tuple[str, ...]:
        """The names of the fields that are set, in declaration order."""
        return tuple(name for name in self._V1_NAMES if getattr(self, name) is not UNSET)

    @property
    def is_empty(self) -> bool:
        """Whether nothing is set (there is nothing to send)."""
        return not self.changed_fields

    def __bool__(self) -> bool:
        return not self.is_empty

    def to_v1_fields(self) -> dict[str, Any]:
        """The ``fields`` of ``tasks.task.update``/``add``: UPPER names, ISO dates with offset."""
        fields: dict[str, Any] = {}
        for name in self.changed_fields:
            value = getattr(self, name)
            if name in self._DATES:
                fields[self._V1_NAMES[name]] = "" if value is None else to_timestamp(value)
            elif name == "priority":
                fields["PRIORITY"] = int(value)
            elif name in ("accomplices", "auditors"):
                fields[self._V1_NAMES[name]] = list(value)
            elif name == "group_id":
                fields["GROUP_ID"] = value or 0
            else:
                fields[self._V1_NAMES[name]] = value
        return fields

    def to_v3_fields(self) -> dict[str, Any]:
        """The ``fields`` of v3 ``tasks.task.update``/``add``: camelCase, ``"high"`` priorities."""
        fields: dict[str, Any] = {}
        for name in self.changed_fields:
            value = getattr(self, name)
            if name in self._DATES:
                fields[self._V3_NAMES[name]] = None if value is None else to_timestamp(value)
            elif name == "priority":
                fields["priority"] = value.v3_name
            elif name in ("accomplices", "auditors"):
                fields[self._V3_NAMES[name]] = list(value)
            else:
                fields[self._V3_NAMES[name]] = value
        return fields

    @classmethod
    def from_v1_fields(cls, fields: Mapping[str, Any], *, assume_tz: tzinfo = UTC) -> TaskChanges:
        """Read the UPPER ``fields`` of a v1 request (unknown names are ignored).

        Dates without an offset (``"2025-12-31T23:59:59"``) are taken in `assume_tz`.

        Raises:
            ModelError: A known field has an impossible value.
        """
        by_v1 = {v1: name for name, v1 in cls._V1_NAMES.items()}
        upper = {str(key).upper(): value for key, value in fields.items()}
        return cls._from_named(
            {by_v1[key]: value for key, value in upper.items() if key in by_v1}, assume_tz
        )

    @classmethod
    def from_v3_fields(cls, fields: Mapping[str, Any], *, assume_tz: tzinfo = UTC) -> TaskChanges:
        """Read the camelCase ``fields`` of a v3 request (unknown names are ignored).

        Dates without an offset are taken in `assume_tz`.

        Raises:
            ModelError: A known field has an impossible value.
        """
        by_v3 = {v3: name for name, v3 in cls._V3_NAMES.items()}
        return cls._from_named(
            {by_v3[key]: value for key, value in fields.items() if key in by_v3}, assume_tz
        )

    @classmethod
    def _from_named(cls, named: Mapping[str, Any], assume_tz: tzinfo) -> TaskChanges:
        values: dict[str, Any] = {}
        for name, raw in named.items():
            v1_name = cls._V1_NAMES[name]
            if name in cls._DATES:
                values[name] = to_datetime(raw, v1_name, assume_tz=assume_tz)
            elif name == "priority":
                values[name] = Priority.from_api(raw, v1_name)
            elif name in ("accomplices", "auditors"):
                values[name] = to_id_tuple(raw, v1_name)
            elif name == "responsible_id":
                number = to_int(raw, v1_name)
                if not number:
                    raise ModelError(v1_name, f"expected a user id, got {brief(raw)}")
                values[name] = number
            elif name == "group_id":
                values[name] = to_int(raw, v1_name) or None
            else:
                values[name] = to_str(raw, v1_name)
        return cls(**values)

    @classmethod
    def between(cls, before: Task, after: Task) -> TaskChanges:
        """The edit that turns `before` into `after`: only the fields that differ.

        Accomplices and auditors compare as sets (order on the portal is not meaningful).
        """
        values: dict[str, Any] = {}
        for name in ("title", "description", "priority", "responsible_id", "group_id"):
            if getattr(before, name) != getattr(after, name):
                values[name] = getattr(after, name)
        for name in ("accomplices", "auditors"):
            if set(getattr(before, name)) != set(getattr(after, name)):
                values[name] = tuple(getattr(after, name))
        if before.deadline != after.deadline:
            values["deadline"] = after.deadline
        if (before.start_date_plan, before.end_date_plan) != (
            after.start_date_plan,
            after.end_date_plan,
        ):
            values["start_date_plan"] = after.start_date_plan
            values["end_date_plan"] = after.end_date_plan
        return cls(**values)

    def unmet_by(self, task: Task) -> tuple[str, ...]:
        """The fields set here whose values `task` does not hold, in declaration order.

        What reading a task back tells about an edit whose answer was lost: empty when the
        portal has every value sent. Dates compare to the second (the portal keeps no
        less), people as sets, titles without surrounding spaces (the portal trims them),
        descriptions with any line ending, no project as ``None`` or 0.
        """
        unmet: list[str] = []
        for name in self.changed_fields:
            wanted, held = getattr(self, name), getattr(task, name)
            if name in self._DATES:
                same = _to_the_second(wanted) == _to_the_second(held)
            elif name in ("accomplices", "auditors"):
                same = set(wanted) == set(held)
            elif name == "title":
                same = wanted.strip() == held.strip()
            elif name == "description":
                same = _one_line_ending(wanted) == _one_line_ending(held)
            elif name == "group_id":
                same = (wanted or None) == (held or None)
            else:
                same = wanted == held
            if not same:
                unmet.append(name)
        return tuple(unmet)

    def apply_to(self, task: Task) -> Task:
        """`task` with these changes applied (for optimistic display before the portal answers)."""
        from dataclasses import replace

        values = {name: getattr(self, name) for name in self.changed_fields}
        if "group_id" in values and values["group_id"] != task.group_id:
            values["group"] = None
        return replace(task, **values)

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.changed_fields)
        return f"TaskChanges({parts})"


def _to_the_second(moment: datetime | None) -> datetime | None:
    """`moment` without its fraction of a second, a naive one taken as UTC (as sent)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0)


def _one_line_ending(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- history, counters


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of ``tasks.task.history.list``: who changed which field when.

    Attributes:
        field: The event name (``TITLE``, ``STATUS``, ``COMMENT``, ``CHECKLIST_ITEM_CREATE``...).
        value_from: The old value as text, None when the portal sent none.
        value_to: The new value as text, None when the portal sent none.
    """

    id: int
    created_date: datetime | None
    field: str
    value_from: str | None
    value_to: str | None
    user: Person | None

    @classmethod
    def from_api(cls, data: object) -> HistoryEntry:
        """From one entry of the method's ``list``.

        Raises:
            ModelError: The entry has no id.
        """
        raw = require_mapping(data, "list")
        value = to_mapping(raw.get("value"), "value")

        def text(item: object) -> str | None:
            return None if item is None else to_str(item, "value")

        return cls(
            id=require_id(raw, "id", "ID"),
            created_date=to_datetime(first_key(raw, "createdDate", "CREATED_DATE"), "createdDate"),
            field=to_str(first_key(raw, "field", "FIELD"), "field"),
            value_from=text(value.get("from")),
            value_to=text(value.get("to")),
            user=Person.from_v1(raw.get("user")),
        )

    @classmethod
    def many_from_api(cls, result: object) -> tuple[HistoryEntry, ...]:
        """Every entry of the method's ``result`` (``{"list": [...]}``; ``[]`` gives none)."""
        if isinstance(result, Mapping):
            result = result.get("list")
        return tuple(cls.from_api(entry) for entry in to_list(result, "list"))


@dataclass(frozen=True, slots=True)
class TaskCounters:
    """``tasks.task.counters.get``: named counters for a user (``[]`` → no counters).

    Attributes:
        counts: Every counter the portal sent, by name (``expired``, ``new_comments``...).
    """

    counts: Mapping[str, int] = field(default_factory=dict, hash=False)

    @property
    def expired(self) -> int:
        """How many tasks are overdue."""
        return self.counts.get("expired", 0)

    @property
    def new_comments(self) -> int:
        """How many comments are unread."""
        return self.counts.get("new_comments", 0)

    @property
    def is_empty(self) -> bool:
        """Whether the portal sent no counters (no such user, or no right to see them)."""
        return not self.counts

    def get(self, name: str) -> int:
        """The counter `name`, 0 when the portal did not send it."""
        return self.counts.get(name, 0)

    @classmethod
    def from_api(cls, result: object) -> Self:
        """From the method's ``result``; ``[]`` and null give empty counters."""
        counts: dict[str, int] = {}
        for name, entry in to_mapping(result, "result").items():
            raw = entry.get("counter") if isinstance(entry, Mapping) else entry
            counts[str(name)] = to_int(raw, str(name)) or 0
        return cls(counts=counts)
