"""REST 3.0 ``tasks.task.*`` (``/rest/api/``), scope ``task``.

Values are typed: integer ids, status names (``pending``, ``in_progress``,
``supposedly_completed``, ``completed``, ``deferred``, ``declined``), priority
``low``/``average``/``high``, ISO dates, JSON booleans. ``select`` takes camelCase names
and dotted paths into related objects (``responsible.name``); unknown top-level names are
dropped silently, unknown related fields are an error. Without ``select``, ``get`` answers
the basic field set (no related objects) and ``list`` only ``id``; ``list`` filters on
``id`` alone. ``update`` refuses each row of the seed page's validation table (missing
``id``/``fields``, wrong types, fields that cannot be edited such as ``creatorId``, people
and parents not found, a plan that ends before it starts or lasts too long) and a missing
or inaccessible task with 403 ``ACCESSDENIEDEXCEPTION``; ``add`` refuses its own page's rows.
``add``, ``update`` and ``delete`` write: they honour ``Idempotency-Key``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from b24tui.emulator.errors import V3_PREFIX, V3Error, v3_validation
from b24tui.emulator.methods._access import task_actions, v3_rights
from b24tui.emulator.methods._common import avatar, fmt_dt, parse_dt
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import Portal, Task, User

STATUS_NAMES: dict[int, str] = {
    2: "pending",
    3: "in_progress",
    4: "supposedly_completed",
    5: "completed",
    6: "deferred",
    7: "declined",
}
PRIORITY_NAMES: dict[int, str] = {0: "low", 1: "average", 2: "high"}
SORTABLE: tuple[str, ...] = (
    "id",
    "title",
    "creatorId",
    "created",
    "responsibleId",
    "deadline",
    "startPlan",
    "endPlan",
    "groupId",
    "priority",
    "status",
    "started",
    "estimatedTime",
    "changed",
    "closed",
    "activity",
    "mark",
    "allowsChangeDeadline",
    "allowsTimeTracking",
)
VALIDATION_MESSAGE = "Error during request object validation"
MAX_PLANNED_DURATION = timedelta(seconds=2**31 - 1)
"""The longest planned duration (``endPlan`` after ``startPlan``, or after now without a
start): the pages say only "too long"; a portal keeps the duration in seconds in a 32-bit
column, some 68 years."""


def _access_denied() -> V3Error:
    return V3Error(403, V3_PREFIX + "ACCESSDENIEDEXCEPTION", "Access denied")


def _unknown_field(field: str, entity: str) -> V3Error:
    return V3Error(
        400,
        V3_PREFIX + "UNKNOWNDTOPROPERTYEXCEPTION",
        f"Unknown field `{field}` for entity `{entity}`",
    )


# Shapes --------------------------------------------------------------------------------


class _Dto:
    """Builds v3 objects for one caller."""

    def __init__(self, call: Call) -> None:
        self.portal: Portal = call.portal
        self.user_id = call.user_id

    def dt(self, moment: datetime | None) -> str | None:
        return fmt_dt(moment, self.portal.tz)

    def user(self, user_id: int | None) -> dict[str, Any] | None:
        user: User | None = self.portal.users.get(user_id) if user_id else None
        if user is None:
            return None
        return {
            "id": user.id,
            "name": user.full_name,
            "role": "employee",
            "image": (
                None
                if user.photo is None
                else {"id": user.id * 83, "src": avatar(self.portal, user), "name": "avatar.png"}
            ),
            "gender": {"M": "male", "F": "female"}.get(user.gender, ""),
            "email": user.email,
            "externalAuthId": None,
            "rights": [],
        }

    def group(self, task: Task) -> dict[str, Any] | None:
        group = self.portal.groups.get(task.group_id)
        if group is None:
            return None
        return {
            "id": group.id,
            "name": group.name,
            "image": None,
            "type": "project" if group.id % 2 else "group",
            "isVisible": group.opened,
        }

    def stage(self, task: Task) -> dict[str, Any] | None:
        if not task.stage_id:
            return None
        return {"id": task.stage_id, "title": "In progress", "color": "00C4FB"}

    def chat(self, task: Task) -> dict[str, Any] | None:
        if task.chat_id is None:
            return None
        return {"id": task.chat_id, "entityId": str(task.id), "entityType": "TASKS_TASK"}

    def basic(self, task: Task) -> dict[str, Any]:
        """The basic field set (what ``get`` answers without ``select``)."""
        portal = self.portal
        items = portal.checklist_of(task.id)
        me = self.user_id
        return {
            "id": task.id,
            "title": task.title,
            "description": task.description,
            "deadline": self.dt(task.deadline),
            "needsControl": task.task_control,
            "startPlan": self.dt(task.start_date_plan),
            "endPlan": self.dt(task.end_date_plan),
            "fileIds": None,
            "checklist": [item.id for item in items],
            "epicId": None,
            "storyPoints": None,
            "priority": PRIORITY_NAMES.get(task.priority, "average"),
            "status": STATUS_NAMES.get(task.status, "pending"),
            "statusChanged": self.dt(task.status_changed_date),
            "parentId": task.parent_id,
            "containsChecklist": bool(items),
            "containsSubTasks": any(other.parent_id == task.id for other in portal.tasks.values()),
            "containsRelatedTasks": False,
            "containsGanttLinks": False,
            "containsPlacements": False,
            "containsResults": False,
            "numberOfReminders": 0,
            "chatId": task.chat_id,
            "plannedDuration": task.duration_plan,
            "actualDuration": task.time_spent_in_logs,
            "durationType": task.duration_type,
            "started": self.dt(task.date_start),
            "estimatedTime": task.time_estimate,
            "replicate": task.replicate,
            "changed": self.dt(task.changed_date),
            "closed": self.dt(task.closed_date),
            "activity": self.dt(task.activity_date),
            "guid": task.guid,
            "xmlId": None,
            "exchangeId": None,
            "exchangeModified": None,
            "outlookVersion": task.outlook_version,
            "mark": task.mark or "none",
            "allowsChangeDeadline": task.allow_change_deadline,
            "allowsTimeTracking": task.allow_time_tracking,
            "matchesWorkTime": task.match_work_time,
            "addInReport": task.add_in_report,
            "isMultitask": task.multitask,
            "siteId": "s1",
            "deadlineCount": None,
            "declineReason": None,
            "forumTopicId": task.forum_topic_id,
            "link": f"/company/personal/user/{me}/tasks/task/view/{task.id}/",
            "rights": v3_rights(portal, me, task),
            "archiveLink": None,
            "crmItemIds": list(task.crm),
            "requireResult": task.require_result,
            "matchesSubTasksTime": False,
            "autocompleteSubTasks": False,
            "allowsChangeDatePlan": task_actions(portal, me, task)["edit.plan"],
            "maxDeadlineChangeDate": None,
            "maxDeadlineChanges": None,
            "requireDeadlineChangeReason": False,
            "inFavorite": [me] if portal.is_favorite(me, task.id) else [],
            "inPin": [me] if me in task.pinned_by else [],
            "inGroupPin": [],
            "inMute": [me] if portal.is_muted(me, task.id) else [],
            "dependsOn": [],
            "scenarios": ["default"],
        }

    def extra(self, task: Task) -> dict[str, Any]:
        """Selectable plain fields outside the basic set."""
        return {
            "creatorId": task.created_by,
            "created": self.dt(task.created_date),
            "responsibleId": task.responsible_id,
            "groupId": task.group_id or None,
            "stageId": task.stage_id or None,
            "flowId": None,
            "accomplices": list(task.accomplices),
            "auditors": list(task.auditors),
            "changedById": task.changed_by,
            "statusChangedById": task.status_changed_by,
            "closedById": task.closed_by,
            "forkedByTemplateId": None,
            "emailId": None,
        }

    def relations(self) -> dict[str, tuple[str, Callable[[Task], Any]]]:
        """Related objects by name: (entity name, builder)."""
        return {
            "creator": ("UserDto", lambda t: self.user(t.created_by)),
            "responsible": ("UserDto", lambda t: self.user(t.responsible_id)),
            "changedBy": ("UserDto", lambda t: self.user(t.changed_by)),
            "statusChangedBy": ("UserDto", lambda t: self.user(t.status_changed_by)),
            "closedBy": ("UserDto", lambda t: self.user(t.closed_by)),
            "accomplices": ("UserDto", lambda t: [self.user(u) for u in t.accomplices]),
            "auditors": ("UserDto", lambda t: [self.user(u) for u in t.auditors]),
            "group": ("GroupDto", self.group),
            "stage": ("StageDto", self.stage),
            "chat": ("ChatDto", self.chat),
            "flow": ("FlowDto", lambda t: None),
            "parent": (
                "TaskDto",
                lambda t: (
                    self.basic(self.portal.tasks[t.parent_id])
                    if t.parent_id in self.portal.tasks
                    else None
                ),
            ),
        }


_ENTITY_FIELDS: dict[str, frozenset[str]] = {
    "UserDto": frozenset(
        {"id", "name", "role", "image", "gender", "email", "externalAuthId", "rights"}
    ),
    "GroupDto": frozenset({"id", "name", "image", "type", "isVisible"}),
    "StageDto": frozenset({"id", "title", "color"}),
    "ChatDto": frozenset({"id", "entityId", "entityType"}),
    "FlowDto": frozenset({"id", "name"}),
}


def _pick(value: Any, fields: list[str]) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_pick(item, fields) for item in value]
    return {name: value.get(name) for name in fields}


def shape_task(
    call: Call, task: Task, select: list[str] | None, *, basic_default: bool
) -> dict[str, Any]:
    """``task`` as a v3 object holding the ``select``-ed fields.

    Args:
        basic_default: answer the basic set when ``select`` names no plain field
            (``get``); otherwise only ``id`` (``list``).
    """
    dto = _Dto(call)
    relations = dto.relations()
    basic = dto.basic(task)
    plain_fields = {**basic, **dto.extra(task)}
    plain: list[str] = []
    related: dict[str, list[str] | None] = {}
    for raw in select or []:
        head, _, rest = raw.partition(".")
        if rest:
            if head not in relations:
                raise _unknown_field(head, "TaskDto")
            entity, _ = relations[head]
            allowed = _ENTITY_FIELDS.get(entity, frozenset(basic))
            field = rest.split(".")[0]
            if field not in allowed:
                raise _unknown_field(field, entity)
            current = related.setdefault(head, [])
            if current is not None and field not in current:
                current.append(field)
        elif head in relations and head not in ("accomplices", "auditors"):
            related[head] = None
        elif head in plain_fields:
            plain.append(head)
    if plain:
        answer = {"id": task.id}
        for name in plain:
            answer[name] = plain_fields[name]
    elif basic_default:
        answer = dict(basic)
    else:
        answer = {"id": task.id}
    for name, fields in related.items():
        _, build = relations[name]
        value = build(task)
        answer[name] = value if fields is None else _pick(value, fields)
    return answer


# Parameters ----------------------------------------------------------------------------


def _params(call: Call) -> dict[str, Any]:
    return call.params if isinstance(call.params, dict) else {}


def _type_message(name: str, kind: str, *, updating: bool = False) -> str:
    """A wrong type, worded as each page words it (update's differs from the others')."""
    if updating:
        return f"The field `{name}` requires data type `{kind}` for such a request"
    return f"Field `{name}` requires data type `{kind}` for this request"


def _required_id(call: Call, *, updating: bool = False) -> int:
    params = _params(call)
    if "id" not in params or params["id"] is None:
        raise v3_validation(VALIDATION_MESSAGE, ("id", "Required field `id` is missing"))
    value = params["id"]
    if not isinstance(value, int) or isinstance(value, bool):
        raise v3_validation(
            VALIDATION_MESSAGE, ("id", _type_message("id", "int", updating=updating))
        )
    return value


def _select(call: Call) -> list[str] | None:
    raw = _params(call).get("select")
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise v3_validation(
            VALIDATION_MESSAGE,
            ("select", "Field `select` requires data type `array` for this request"),
        )
    return [str(item) for item in raw]


# Field writing -------------------------------------------------------------------------

_EDITABLE_TYPES: dict[str, str] = {
    "title": "string",
    "description": "string",
    "deadline": "DateTime",
    "startPlan": "DateTime",
    "endPlan": "DateTime",
    "responsibleId": "int",
    "creatorId": "int",
    "accomplices": "array",
    "auditors": "array",
    "priority": "Priority",
    "groupId": "int",
    "parentId": "int",
    "stageId": "int",
    "needsControl": "bool",
    "allowsChangeDeadline": "bool",
    "allowsTimeTracking": "bool",
    "matchesWorkTime": "bool",
    "addInReport": "bool",
    "requireResult": "bool",
    "replicate": "bool",
    "estimatedTime": "int",
    "crmItemIds": "array",
    "mark": "Mark",
}
_READ_ONLY_ON_UPDATE = frozenset({"creatorId"})
_KNOWN_READ_ONLY = frozenset(
    {
        "id",
        "created",
        "changed",
        "closed",
        "started",
        "status",
        "statusChanged",
        "activity",
        "link",
        "rights",
        "guid",
        "chatId",
        "checklist",
        "changedById",
        "statusChangedById",
        "closedById",
        "creator",
        "responsible",
        "group",
        "stage",
        "chat",
        "parent",
        "flow",
        "containsChecklist",
        "containsSubTasks",
        "inFavorite",
        "inMute",
        "inPin",
    }
)


class _Writer:
    """Validates v3 ``fields`` and applies them to a task."""

    def __init__(self, call: Call, *, creating: bool) -> None:
        self.call = call
        self.portal = call.portal
        self.creating = creating
        self.problems: list[tuple[str, str]] = []

    def type_error(self, name: str, kind: str) -> None:
        self.problems.append((name, _type_message(name, kind, updating=not self.creating)))

    def check(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The converted values of ``fields``; problems collected in ``self.problems``."""
        values: dict[str, Any] = {}
        for name, raw in fields.items():
            if not self.creating and (name in _READ_ONLY_ON_UPDATE or name in _KNOWN_READ_ONLY):
                self.problems.append(
                    (
                        name,
                        f"In DTO `TaskDto`, the field `{name}` requires the presence of the "
                        "`Editable` attribute for such a request",
                    )
                )
                continue
            kind = _EDITABLE_TYPES.get(name)
            if kind is None:
                if name in _KNOWN_READ_ONLY:
                    continue
                raise _unknown_field(name, "TaskDto")
            converted = self.convert(name, kind, raw)
            if converted is not _INVALID:
                values[name] = converted
        return values

    def convert(self, name: str, kind: str, raw: Any) -> Any:
        if kind == "string":
            if not isinstance(raw, str):
                self.type_error(name, kind)
                return _INVALID
            return raw
        if kind == "int":
            if raw is None and name in ("groupId", "parentId", "stageId"):
                return None
            if not isinstance(raw, int) or isinstance(raw, bool):
                self.type_error(name, kind)
                return _INVALID
            return raw
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if raw in ("Y", "N"):
                return raw == "Y"
            self.type_error(name, kind)
            return _INVALID
        if kind == "DateTime":
            try:
                return parse_dt(raw, self.portal.tz)
            except ValueError:
                self.type_error(name, kind)
                return _INVALID
        if kind == "array":
            if not isinstance(raw, list):
                self.type_error(name, kind)
                return _INVALID
            return raw
        if kind == "Priority":
            for number, label in PRIORITY_NAMES.items():
                if raw == label:
                    return number
            self.type_error(name, "string")
            return _INVALID
        if kind == "Mark":
            if raw in (None, "none"):
                return None
            if raw in ("P", "N"):
                return raw
            self.type_error(name, "string")
            return _INVALID
        return raw

    def apply(self, task: Task, values: dict[str, Any]) -> None:
        portal = self.portal
        user_id = self.call.user_id
        if "responsibleId" in values and values["responsibleId"] not in portal.users:
            message = (
                'User specified in the "Executor" field not found'
                if self.creating
                else 'The user specified in the "Responsible" field was not found'
            )
            self.problems.append(("responsibleId", message))
        if "creatorId" in values and values["creatorId"] not in portal.users:
            self.problems.append(("creatorId", ""))
        parent = values.get("parentId")
        if parent is not None:
            if not self.creating and parent == task.id:
                self.problems.append(("parentId", "Cannot bind a node to itself"))
            elif parent not in portal.tasks:
                message = (
                    'Task specified in the "Parent Task" field not found'
                    if self.creating
                    else 'The task specified in the "Parent Task" field was not found'
                )
                self.problems.append(("parentId", message))
        start = values.get("startPlan", task.start_date_plan)
        end = values.get("endPlan", task.end_date_plan)
        if start is not None and end is not None and end < start:
            self.problems.append(
                (
                    "endPlan",
                    "The end date specified in the planning is earlier than the start date",
                )
            )
        elif end is not None and end - (start or self.call.now) > MAX_PLANNED_DURATION:
            message = (
                "The planning duration specified is too long"
                if self.creating
                else "The duration of the task specified in the planning is too long"
            )
            self.problems.append(("endPlan", message))
        if self.problems:
            raise v3_validation(VALIDATION_MESSAGE, *self.problems)
        simple = {
            "title": "title",
            "description": "description",
            "deadline": "deadline",
            "startPlan": "start_date_plan",
            "endPlan": "end_date_plan",
            "responsibleId": "responsible_id",
            "creatorId": "created_by",
            "priority": "priority",
            "parentId": "parent_id",
            "needsControl": "task_control",
            "allowsChangeDeadline": "allow_change_deadline",
            "allowsTimeTracking": "allow_time_tracking",
            "matchesWorkTime": "match_work_time",
            "addInReport": "add_in_report",
            "requireResult": "require_result",
            "replicate": "replicate",
            "estimatedTime": "time_estimate",
            "mark": "mark",
        }
        for name, attribute in simple.items():
            if name in values:
                before = getattr(task, attribute)
                setattr(task, attribute, values[name])
                if not self.creating and before != values[name]:
                    history = {
                        "title": "TITLE",
                        "deadline": "DEADLINE",
                        "priority": "PRIORITY",
                        "responsibleId": "RESPONSIBLE_ID",
                        "description": "DESCRIPTION",
                    }
                    if name in history:
                        portal.record(
                            task, history[name], user_id, _text(before), _text(values[name])
                        )
        if "groupId" in values:
            task.group_id = values["groupId"] if values["groupId"] in portal.groups else 0
        if "stageId" in values:
            task.stage_id = values["stageId"] or 0
        for name in ("accomplices", "auditors"):
            if name in values:
                ids = [
                    item for item in values[name] if isinstance(item, int) and item in portal.users
                ]
                setattr(task, name, list(dict.fromkeys(ids)))
        if "crmItemIds" in values:
            task.crm = [str(item) for item in values["crmItemIds"]]


_INVALID = object()


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return str(int(value.timestamp()))
    return str(value)


# Handlers ------------------------------------------------------------------------------


@REGISTRY.method("tasks.task.get", scope="task", api="v3")
def task_get(call: Call) -> dict[str, Any]:
    """``id``, ``select`` → ``{"item": …}``."""
    task_id = _required_id(call)
    select = _select(call)
    task = call.portal.tasks.get(task_id)
    if task is None:
        raise V3Error(
            400, V3_PREFIX + "ENTITYNOTFOUNDEXCEPTION", f"Record with ID = `{task_id}` not found"
        )
    if not call.portal.can_read(call.user_id, task):
        raise _access_denied()
    return {"item": shape_task(call, task, select, basic_default=True)}


_ID_OPERATORS: dict[str, Callable[[int, list[int]], bool]] = {
    "=": lambda task_id, values: task_id in values,
    "in": lambda task_id, values: task_id in values,
    "!=": lambda task_id, values: task_id not in values,
    ">": lambda task_id, values: task_id > values[0],
    ">=": lambda task_id, values: task_id >= values[0],
    "<": lambda task_id, values: task_id < values[0],
    "<=": lambda task_id, values: task_id <= values[0],
    "between": lambda task_id, values: values[0] <= task_id <= values[1],
}
_ONE_VALUE = frozenset({">", ">=", "<", "<="})
"""Operators that compare with one value: a list there does not fit the type."""


def _id_test(check: Callable[[int, list[int]], bool], values: list[int]) -> Callable[[int], bool]:
    return lambda task_id: check(task_id, values)


def _id_type_error() -> V3Error:
    return v3_validation(
        VALIDATION_MESSAGE, ("id", "Field `id` requires data type `int` for this request")
    )


def _id_values(operator: str, value: object) -> list[int]:
    """The ids a condition compares with; a validation error when they do not fit."""
    if operator == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise _id_type_error()
        values = value
    elif isinstance(value, list):
        if operator in _ONE_VALUE:
            raise _id_type_error()
        values = value
    else:
        values = [value]
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in values):
        raise _id_type_error()
    return values


def _filter_ids(raw: object) -> list[Callable[[int], bool]]:
    """``[["id", ">", 10], ["id", 5]]`` → tests on a task id (only ``id`` is filterable).

    ``in`` (or ``=``/``!=`` with a list) takes a list, an empty one matching nothing;
    ``between`` takes ``[low, high]``, both included; the comparisons take one id.
    """
    tests: list[Callable[[int], bool]] = []
    if raw is None:
        return tests
    if not isinstance(raw, list):
        raise v3_validation(
            VALIDATION_MESSAGE,
            ("filter", "Field `filter` requires data type `array` for this request"),
        )
    rows = [raw] if raw and isinstance(raw[0], str) else raw
    for row in rows:
        if not isinstance(row, list) or len(row) not in (2, 3):
            raise v3_validation(VALIDATION_MESSAGE, ("filter", "Invalid filter condition"))
        field = str(row[0])
        operator, value = ("=", row[1]) if len(row) == 2 else (str(row[1]), row[2])
        if field != "id":
            raise v3_validation(
                VALIDATION_MESSAGE,
                (
                    field,
                    f"In DTO `TaskDto`, the `{field}` field requires the `Filterable` attribute "
                    "for such a request",
                ),
            )
        check = _ID_OPERATORS.get(operator)
        if check is None:
            raise V3Error(
                400,
                V3_PREFIX + "UNKNOWNFILTEROPERATOREXCEPTION",
                f"Unknown filter operator `{operator}`",
            )
        tests.append(_id_test(check, _id_values(operator, value)))
    return tests


def _pagination(raw: object) -> tuple[int, int]:
    """``(offset, limit)`` from ``{"page", "limit", "offset"}``."""
    if raw is None:
        return 0, 50
    error = V3Error(
        400,
        V3_PREFIX + "INVALIDPAGINATIONEXCEPTION",
        f"Unable to recognize the pagination parameter `{_json(raw)}`",
    )
    if not isinstance(raw, dict):
        raise error
    numbers: dict[str, int] = {}
    for key in ("page", "limit", "offset"):
        if key in raw:
            value = raw[key]
            if isinstance(value, str) and value.isdigit():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise error
            numbers[key] = value
    limit = numbers.get("limit", 50)
    if limit == 0:
        raise error
    limit = min(limit, 1000)
    if numbers.get("page", 0) >= 1:
        return (numbers["page"] - 1) * limit, limit
    return numbers.get("offset", 0), limit


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@REGISTRY.method("tasks.task.list", scope="task", api="v3")
def task_list(call: Call) -> dict[str, Any]:
    """``select``, ``filter`` (``id`` only), ``order``, ``pagination`` → ``{"items": [...]}``."""
    params = _params(call)
    select = _select(call)
    conditions = _filter_ids(params.get("filter"))
    order = params.get("order") or {"id": "ASC"}
    pairs: list[tuple[str, bool]] = []
    if not isinstance(order, dict):
        raise V3Error(
            400,
            V3_PREFIX + "INVALIDORDEREXCEPTION",
            f"Unable to recognize sorting parameter `{_json(order)}`",
        )
    for key, direction in order.items():
        if key not in SORTABLE or str(direction).upper() not in ("ASC", "DESC"):
            raise V3Error(
                400,
                V3_PREFIX + "INVALIDORDEREXCEPTION",
                f"Unable to recognize sorting parameter `{_json({key: direction})}`",
            )
        pairs.append((key, str(direction).upper() == "DESC"))
    offset, limit = _pagination(params.get("pagination"))
    portal = call.portal
    tasks = [
        task
        for task in portal.tasks.values()
        if portal.can_read(call.user_id, task) and all(test(task.id) for test in conditions)
    ]
    dto = _Dto(call)
    for key, descending in reversed([*pairs, ("id", pairs[0][1] if pairs else False)]):
        tasks.sort(key=_v3_sort_key(dto, key), reverse=descending)
    page = tasks[offset : offset + limit]
    return {"items": [shape_task(call, task, select, basic_default=False) for task in page]}


def _v3_sort_key(dto: _Dto, key: str) -> Callable[[Task], tuple[bool, Any]]:
    def value(task: Task) -> tuple[bool, Any]:
        plain = {
            **dto.extra(task),
            "id": task.id,
            "title": task.title.lower(),
            "deadline": task.deadline,
            "startPlan": task.start_date_plan,
            "endPlan": task.end_date_plan,
            "priority": task.priority,
            "status": task.status,
            "started": task.date_start,
            "estimatedTime": task.time_estimate,
            "changed": task.changed_date,
            "closed": task.closed_date,
            "activity": task.activity_date,
            "created": task.created_date,
            "mark": task.mark or "",
            "allowsChangeDeadline": task.allow_change_deadline,
            "allowsTimeTracking": task.allow_time_tracking,
            "groupId": task.group_id,
        }
        actual = plain.get(key)
        return (actual is not None, 0 if actual is None else actual)

    return value


@REGISTRY.method("tasks.task.add", scope="task", api="v3", writes=True)
def task_add(call: Call) -> dict[str, Any]:
    """``fields`` (``title``, ``creatorId``, ``responsibleId`` required) → ``{"item": …}``."""
    fields = _params(call).get("fields")
    if not isinstance(fields, dict):
        raise v3_validation(VALIDATION_MESSAGE, ("fields", "Required field `fields` is missing"))
    missing = [
        (name, f"Required field `{name}` is missing")
        for name in ("title", "creatorId", "responsibleId")
        if fields.get(name) in (None, "")
    ]
    if missing:
        raise v3_validation(VALIDATION_MESSAGE, *missing)
    writer = _Writer(call, creating=True)
    values = writer.check(fields)
    portal = call.portal
    task = portal.draft_task(call.user_id)
    writer.apply(task, values)
    task.id = portal.next_id("task")
    task.guid = "{" + f"{task.id:08x}-0000-4000-8000-{task.id:012x}" + "}"
    portal.tasks[task.id] = task
    portal.record(task, "NEW", call.user_id)
    return {"item": shape_task(call, task, None, basic_default=True)}


@REGISTRY.method("tasks.task.update", scope="task", api="v3", writes=True)
def task_update(call: Call) -> dict[str, Any]:
    """``id``, ``fields`` (camelCase) → ``{"result": true}``."""
    task_id = _required_id(call, updating=True)
    fields = _params(call).get("fields")
    if fields is None or fields == {} or fields == []:
        raise v3_validation(VALIDATION_MESSAGE, ("fields", "Required field `fields` is missing"))
    if not isinstance(fields, dict):
        raise v3_validation(
            VALIDATION_MESSAGE, ("fields", _type_message("fields", "array", updating=True))
        )
    # The request object (types, editable fields) is checked before the task is looked
    # up; what the values refer to (people, parent, plan) after.
    writer = _Writer(call, creating=False)
    values = writer.check(fields)
    if writer.problems:
        raise v3_validation(VALIDATION_MESSAGE, *writer.problems)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        raise _access_denied()
    actions = task_actions(portal, call.user_id, task)
    if not actions["edit"] and not (set(values) <= {"deadline"} and actions["changeDeadline"]):
        raise _access_denied()
    writer.apply(task, values)
    portal.touch(task, call.user_id)
    return {"result": True}


@REGISTRY.method("tasks.task.delete", scope="task", api="v3", writes=True)
def task_delete(call: Call) -> dict[str, Any]:
    """``id`` → ``{"result": true}``."""
    task_id = _required_id(call)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or not task_actions(portal, call.user_id, task)["remove"]:
        raise _access_denied()
    del portal.tasks[task.id]
    for item in portal.checklist_of(task.id):
        del portal.checklist_items[item.id]
    for ids in (*portal.favorites.values(), *portal.muted.values()):
        ids.discard(task.id)
    return {"result": True}


@REGISTRY.method("tasks.task.access.get", scope="task", api="v3")
def task_access_get(call: Call) -> dict[str, bool]:
    """``id`` → the caller's rights on the task (all false without access)."""
    task_id = _required_id(call)
    task = call.portal.tasks.get(task_id)
    if task is None:
        raise _access_denied()
    return v3_rights(call.portal, call.user_id, task)
