"""Tasks and checklist items in the classic (v1) wire shape.

``select`` takes UPPER_SNAKE names (``RESPONSIBLE_ID``; camelCase such as ``subStatus`` is
accepted too) and the answer uses camelCase keys (``responsibleId``) with numbers as
strings and flags as ``"Y"``/``"N"``, exactly like the seed pages' example responses.

What comes back without ``select``:

- ``tasks.task.get`` and every method answering ``{"task": …}``: all fields except the
  ``UF_*`` ones, plus ``group``, ``creator``, ``responsible``, ``accomplicesData``,
  ``auditorsData``, ``newCommentsCount``, ``action``, ``checklist``, ``checkListTree`` and
  ``checkListCanAdd``.
- ``tasks.task.list``: the stored record fields only (no ``action``, no checklist), with
  the ``creator``/``responsible``/… objects that belong to the selected id fields.

With ``select`` the answer holds ``id`` plus the selected fields, and the objects that go
with them: ``creator`` with ``CREATED_BY``, ``responsible`` with ``RESPONSIBLE_ID``,
``accomplicesData`` with ``ACCOMPLICES``, ``auditorsData`` with ``AUDITORS``,
``descriptionInBbcode`` with ``DESCRIPTION``, ``group`` with ``GROUP_ID``, ``checkListTree``
with ``CHECKLIST``. ``get`` always adds ``favorite``, ``group`` and ``action``; ``list`` adds
``action`` only when ``ACTION`` (or ``*``) is selected. Selecting one of ``UF_CRM_TASK``,
``UF_TASK_WEBDAV_FILES``, ``UF_MAIL_MESSAGE`` returns all three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from b24tui.emulator.methods._access import checklist_actions, task_actions
from b24tui.emulator.methods._common import (
    avatar,
    camel_to_upper,
    fmt_dt,
    user_brief,
    yn,
)
from b24tui.emulator.state import ChecklistItem, Portal, Task


@dataclass(frozen=True)
class View:
    """Who is looking at a task, and when."""

    portal: Portal
    user_id: int
    now: datetime

    def dt(self, moment: datetime | None) -> str | None:
        return fmt_dt(moment, self.portal.tz)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


def is_overdue(task: Task, now: datetime) -> bool:
    """Deadline passed while the task is still pending or in progress."""
    return task.deadline is not None and task.deadline < now and task.status in (2, 3)


def is_almost_overdue(task: Task, now: datetime) -> bool:
    """Deadline within the next day while the task is still pending or in progress."""
    return (
        task.deadline is not None
        and now <= task.deadline < now + timedelta(days=1)
        and task.status in (2, 3)
    )


def is_not_viewed(task: Task, user_id: int) -> bool:
    """The task was given to ``user_id`` (who did not create it) and they never opened it."""
    return (
        user_id not in task.viewed_by
        and user_id != task.created_by
        and (user_id == task.responsible_id or user_id in task.accomplices)
    )


def sub_status(task: Task, user_id: int, now: datetime) -> int:
    """The ``subStatus``: the real status, or -1 overdue, -2 not viewed, -3 almost overdue."""
    if is_overdue(task, now):
        return -1
    if task.status in (2, 3) and is_not_viewed(task, user_id):
        return -2
    if is_almost_overdue(task, now):
        return -3
    return task.status


FieldGetter = Callable[[View, Task], Any]

_RECORD_FIELDS: tuple[tuple[str, FieldGetter], ...] = (
    ("ID", lambda v, t: str(t.id)),
    ("PARENT_ID", lambda v, t: _str(t.parent_id)),
    ("TITLE", lambda v, t: t.title),
    ("DESCRIPTION", lambda v, t: t.description),
    ("CHAT_ID", lambda v, t: _str(t.chat_id)),
    ("MARK", lambda v, t: t.mark),
    ("PRIORITY", lambda v, t: str(t.priority)),
    ("MULTITASK", lambda v, t: yn(t.multitask)),
    ("NOT_VIEWED", lambda v, t: yn(is_not_viewed(t, v.user_id))),
    ("REPLICATE", lambda v, t: yn(t.replicate)),
    ("STAGE_ID", lambda v, t: str(t.stage_id)),
    ("SPRINT_ID", lambda v, t: None),
    ("BACKLOG_ID", lambda v, t: None),
    ("CREATED_BY", lambda v, t: str(t.created_by)),
    ("CREATED_DATE", lambda v, t: v.dt(t.created_date)),
    ("RESPONSIBLE_ID", lambda v, t: str(t.responsible_id)),
    ("CHANGED_BY", lambda v, t: _str(t.changed_by)),
    ("CHANGED_DATE", lambda v, t: v.dt(t.changed_date)),
    ("STATUS_CHANGED_BY", lambda v, t: _str(t.status_changed_by)),
    ("CLOSED_BY", lambda v, t: _str(t.closed_by)),
    ("CLOSED_DATE", lambda v, t: v.dt(t.closed_date)),
    ("ACTIVITY_DATE", lambda v, t: v.dt(t.activity_date)),
    ("DATE_START", lambda v, t: v.dt(t.date_start)),
    ("DEADLINE", lambda v, t: v.dt(t.deadline)),
    ("START_DATE_PLAN", lambda v, t: v.dt(t.start_date_plan)),
    ("END_DATE_PLAN", lambda v, t: v.dt(t.end_date_plan)),
    ("GUID", lambda v, t: t.guid),
    ("XML_ID", lambda v, t: None),
    ("COMMENTS_COUNT", lambda v, t: str(t.comments_count)),
    ("SERVICE_COMMENTS_COUNT", lambda v, t: str(t.comments_count // 2)),
    ("ALLOW_CHANGE_DEADLINE", lambda v, t: yn(t.allow_change_deadline)),
    ("ALLOW_TIME_TRACKING", lambda v, t: yn(t.allow_time_tracking)),
    ("TASK_CONTROL", lambda v, t: yn(t.task_control)),
    ("ADD_IN_REPORT", lambda v, t: yn(t.add_in_report)),
    ("FORKED_BY_TEMPLATE_ID", lambda v, t: None),
    ("TIME_ESTIMATE", lambda v, t: str(t.time_estimate)),
    ("TIME_SPENT_IN_LOGS", lambda v, t: str(t.time_spent_in_logs)),
    ("MATCH_WORK_TIME", lambda v, t: yn(t.match_work_time)),
    ("FORUM_TOPIC_ID", lambda v, t: _str(t.forum_topic_id)),
    ("FORUM_ID", lambda v, t: "11" if t.forum_topic_id else None),
    ("SITE_ID", lambda v, t: "s1"),
    ("SUBORDINATE", lambda v, t: "N"),
    ("EXCHANGE_MODIFIED", lambda v, t: None),
    ("EXCHANGE_ID", lambda v, t: None),
    ("OUTLOOK_VERSION", lambda v, t: str(t.outlook_version)),
    ("VIEWED_DATE", lambda v, t: v.dt(t.changed_date) if v.user_id in t.viewed_by else None),
    ("SORTING", lambda v, t: None),
    ("DURATION_FACT", lambda v, t: str(t.time_spent_in_logs // 60) if t.date_start else None),
    ("IS_MUTED", lambda v, t: yn(v.portal.is_muted(v.user_id, t.id))),
    ("IS_PINNED", lambda v, t: yn(v.user_id in t.pinned_by)),
    ("IS_PINNED_IN_GROUP", lambda v, t: "N"),
    ("FLOW_ID", lambda v, t: None),
    ("DESCRIPTION_IN_BBCODE", lambda v, t: "Y"),
    ("STATUS", lambda v, t: str(t.status)),
    ("STATUS_CHANGED_DATE", lambda v, t: v.dt(t.status_changed_date)),
    ("DURATION_PLAN", lambda v, t: str(t.duration_plan)),
    ("DURATION_TYPE", lambda v, t: t.duration_type),
    ("FAVORITE", lambda v, t: yn(v.portal.is_favorite(v.user_id, t.id))),
    ("GROUP_ID", lambda v, t: str(t.group_id)),
    ("AUDITORS", lambda v, t: [str(user) for user in t.auditors]),
    ("ACCOMPLICES", lambda v, t: [str(user) for user in t.accomplices]),
)
"""Fields stored in the task record, in the portal's order."""

_COMPUTED_FIELDS: tuple[str, ...] = ("CHECKLIST", "SUB_STATUS", "TAGS", "COUNTERS", "ACTION")
_UF_FIELDS: tuple[str, ...] = ("UF_CRM_TASK", "UF_TASK_WEBDAV_FILES", "UF_MAIL_MESSAGE")
RECORD_NAMES: frozenset[str] = frozenset(name for name, _ in _RECORD_FIELDS)
KNOWN_SELECT: frozenset[str] = RECORD_NAMES | set(_COMPUTED_FIELDS) | set(_UF_FIELDS)
_ALIASES = {"REAL_STATUS": "STATUS", "RESPONSIBLE": "RESPONSIBLE_ID", "CREATOR": "CREATED_BY"}


def _camel(upper: str) -> str:
    head, *rest = upper.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def normalize_select(select: Iterable[object]) -> set[str]:
    """UPPER_SNAKE names of a ``select`` list (camelCase names are converted)."""
    names: set[str] = set()
    for raw in select:
        if not isinstance(raw, str):
            continue
        name = raw.strip()
        upper = "*" if name == "*" else camel_to_upper(name)
        names.add(_ALIASES.get(upper, upper))
    return names


def task_v1(
    view: View,
    task: Task,
    select: set[str] | None = None,
    *,
    for_get: bool = True,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``task`` as a v1 camelCase object for ``view.user_id``.

    Args:
        select: normalized UPPER names, or ``None`` for the default set.
        for_get: ``True`` for ``get`` and action answers, ``False`` for ``list`` rows.
        params: ``tasks.task.list``'s ``params`` (``WITH_TIMER_INFO`` …).
    """
    everything = select is None or "*" in select
    if select is None:
        wanted = set(RECORD_NAMES) | ({"CHECKLIST", "ACTION"} if for_get else set())
    elif "*" in select:
        wanted = set(RECORD_NAMES) | {"CHECKLIST", "ACTION"} | select
    else:
        wanted = set(select) | {"ID"}
    if for_get:
        wanted |= {"FAVORITE", "ACTION"}
    if wanted & set(_UF_FIELDS):
        wanted |= set(_UF_FIELDS)
    if "DESCRIPTION" in wanted:
        wanted.add("DESCRIPTION_IN_BBCODE")

    answer: dict[str, Any] = {}
    for name, getter in _RECORD_FIELDS:
        if name in wanted:
            answer[_camel(name)] = getter(view, task)
    portal = view.portal
    if "UF_CRM_TASK" in wanted:
        # The fields page types both as arrays, so an empty one is []. A real portal is
        # known to send false for an empty multiple user field; b24tui's models read both.
        answer["ufCrmTask"] = list(task.crm)
        answer["ufTaskWebdavFiles"] = list(task.files)
        answer["ufMailMessage"] = None
    if "CHECKLIST" in wanted:
        answer["checklist"] = checklist_camel(view, task)
    if "GROUP_ID" in wanted or for_get:
        answer["group"] = group_object(portal, task.group_id)
    if "CREATED_BY" in wanted:
        answer["creator"] = user_brief(portal, task.created_by)
    if "RESPONSIBLE_ID" in wanted:
        answer["responsible"] = user_brief(portal, task.responsible_id)
    if "ACCOMPLICES" in wanted:
        answer["accomplicesData"] = _people(portal, task.accomplices)
    if "AUDITORS" in wanted:
        answer["auditorsData"] = _people(portal, task.auditors)
    if everything and for_get:
        answer["newCommentsCount"] = task.new_comments_count
    if "SUB_STATUS" in wanted:
        answer["subStatus"] = str(sub_status(task, view.user_id, view.now))
    if "TAGS" in wanted:
        answer["tags"] = {
            str(index + 1): {"id": index + 1, "title": tag} for index, tag in enumerate(task.tags)
        } or []
    if "COUNTERS" in wanted:
        answer["counter"] = counter_object(view, task)
    if "ACTION" in wanted:
        answer["action"] = task_actions(portal, view.user_id, task)
    if "CHECKLIST" in wanted:
        answer["checkListTree"] = checklist_tree(view, task)
        answer["checkListCanAdd"] = task_actions(portal, view.user_id, task)["checklist.add"]
    extras = params or {}
    if _flag(extras.get("WITH_RESULT_INFO")):
        answer["taskRequireResult"] = yn(task.require_result)
        answer["taskHasOpenResult"] = "N"
        answer["taskHasResult"] = "N"
    if _flag(extras.get("WITH_TIMER_INFO")):
        answer["timeElapsed"] = None
        answer["timerIsRunningForCurrentUser"] = "N"
    if _flag(extras.get("WITH_PARSED_DESCRIPTION")):
        answer["parsedDescription"] = task.description
    return answer


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("y", "true", "1")
    return bool(value)


def _people(portal: Portal, user_ids: list[int]) -> dict[str, dict[str, str]] | list[Any]:
    """``accomplicesData``/``auditorsData``: keyed by id, ``[]`` when nobody."""
    return {str(user_id): user_brief(portal, user_id) for user_id in user_ids} or []


def group_object(portal: Portal, group_id: int) -> dict[str, Any] | list[Any]:
    """The ``group`` object of a v1 task, ``[]`` when the task has none."""
    group = portal.groups.get(group_id)
    if group is None:
        return []
    return {
        "id": str(group.id),
        "name": group.name,
        "opened": group.opened,
        "membersCount": len(group.member_ids),
        "image": group.image,
        "additionalData": [],
    }


def counter_object(view: View, task: Task) -> dict[str, Any]:
    """The ``counter`` object a list row carries when ``COUNTERS`` is selected."""
    muted = view.portal.is_muted(view.user_id, task.id)
    expired = int(is_overdue(task, view.now) and view.user_id == task.responsible_id)
    new_comments = task.new_comments_count
    counters = {
        "expired": 0 if muted else expired,
        "newComments": 0 if muted else new_comments,
        "projectExpired": 0,
        "projectNewComments": 0,
        "mutedExpired": expired if muted else 0,
        "mutedNewComments": new_comments if muted else 0,
    }
    value = counters["expired"] + counters["newComments"]
    color = "gray" if muted or value == 0 else ("danger" if counters["expired"] else "success")
    return {"counters": counters, "color": color, "value": value}


# Checklists -----------------------------------------------------------------------------


def sorted_children(items: list[ChecklistItem], parent_id: int) -> list[ChecklistItem]:
    """Items under ``parent_id`` in display order (sort index, then id)."""
    return sorted(
        (item for item in items if item.parent_id == parent_id),
        key=lambda item: (item.sort_index, item.id),
    )


def checklist_camel(view: View, task: Task) -> dict[str, Any] | list[Any]:
    """The ``checklist`` object of a v1 task: items keyed by id, ``[]`` when none."""
    action = checklist_actions(view.portal, view.user_id, task)
    items = view.portal.checklist_of(task.id)
    ordered: list[ChecklistItem] = []

    def walk(parent_id: int) -> None:
        for item in sorted_children(items, parent_id):
            ordered.append(item)
            walk(item.id)

    walk(0)
    return {
        str(item.id): {
            "id": str(item.id),
            "taskId": str(item.task_id),
            "createdBy": str(item.created_by),
            "parentId": item.parent_id if item.parent_id == 0 else str(item.parent_id),
            "title": item.title,
            "sortIndex": str(item.sort_index),
            "isComplete": yn(item.is_complete),
            "isImportant": yn(item.is_important),
            "toggledBy": _str(item.toggled_by),
            "toggledDate": view.dt(item.toggled_date),
            "ufChecklistFiles": False,
            "members": _members_camel(view.portal, item),
            "attachments": [],
            "entityId": str(item.task_id),
            "action": dict(action),
        }
        for item in ordered
    } or []


def _members_camel(portal: Portal, item: ChecklistItem) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = []
    for user_id, kind in item.members.items():
        user = portal.users.get(user_id)
        members.append(
            {
                "id": user_id,
                "type": kind,
                "name": user.full_name if user else "",
                "image": avatar(portal, user) if user else "",
                "isCollaber": False,
            }
        )
    return members


def members_upper(portal: Portal, item: ChecklistItem) -> list[dict[str, Any]]:
    """``MEMBERS`` of a legacy checklist row."""
    members: list[dict[str, Any]] = []
    for user_id, kind in item.members.items():
        user = portal.users.get(user_id)
        members.append(
            {
                "ID": str(user_id),
                "TYPE": kind,
                "NAME": user.full_name if user else "",
                "PERSONAL_PHOTO": str(user_id * 83) if user and user.photo else None,
                "PERSONAL_GENDER": user.gender if user else "",
                "IMAGE": avatar(portal, user) if user else "",
                "IS_COLLABER": False,
            }
        )
    return members


def checklist_tree(view: View, task: Task) -> dict[str, Any]:
    """The ``checkListTree``: a root node whose descendants are the checklists."""
    items = view.portal.checklist_of(task.id)
    action = checklist_actions(view.portal, view.user_id, task)
    counter = iter(range(1, 1_000_000))

    def node(item: ChecklistItem, display: str) -> dict[str, Any]:
        node_id = next(counter)
        children = sorted_children(items, item.id)
        descendants = []
        for index, child in enumerate(children, start=1):
            child_display = str(index) if item.parent_id == 0 else f"{display}.{index}"
            descendants.append(node(child, child_display))
        return {
            "nodeId": node_id,
            "fields": {
                "id": item.id,
                "copiedId": None,
                "entityId": item.task_id,
                "userId": view.user_id,
                "createdBy": item.created_by,
                "parentId": item.parent_id,
                "title": item.title,
                "sortIndex": item.sort_index,
                "displaySortIndex": display,
                "isComplete": item.is_complete,
                "isImportant": item.is_important,
                "completedCount": sum(1 for child in children if child.is_complete),
                "members": _members_camel(view.portal, item),
                "attachments": [],
                "nodeId": None,
            },
            "action": dict(action),
            "descendants": descendants,
        }

    roots = sorted_children(items, 0)
    return {
        "nodeId": 0,
        "fields": {
            "id": None,
            "copiedId": None,
            "entityId": None,
            "userId": view.user_id,
            "createdBy": None,
            "parentId": None,
            "title": "",
            "sortIndex": None,
            "displaySortIndex": "",
            "isComplete": False,
            "isImportant": False,
            "completedCount": sum(1 for root in roots if root.is_complete),
            "members": [],
            "attachments": [],
            "nodeId": None,
        },
        "action": [],
        "descendants": [node(root, "") for root in roots],
    }
