"""The deprecated ``task.item.list`` (scope ``task``), kept for legacy integrations.

Positional, like every ``task.*item.*`` method: ``ORDER``, ``FILTER``, ``PARAMS``,
``SELECT`` in that order, whatever the keys are called. So a filter sent alone is read
as the order, which is why the page warns that filtering without sorting returns all
tasks. ``PARAMS.NAV_PARAMS`` pages the answer (``nPageSize`` at most 50, ``iNumPage``).

Rows are ``CTaskItem`` data, UPPER_SNAKE keys with every number as a string: the fields
the legacy field table marks readable (the ``task.item.*`` overview of the docs), except
``TAGS``, which the list never returns. ``STATUS`` is the status for sorting (``-1``
overdue, ``-2`` not viewed, else the real one) and ``REAL_STATUS`` the real one. The page
shows no example answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from b24tui.emulator.methods._common import fmt_dt, php_int, yn
from b24tui.emulator.methods._legacy import LegacyArgs
from b24tui.emulator.methods._task_query import InvalidSortKey, TaskFilter, sort_tasks
from b24tui.emulator.methods._task_view import is_not_viewed, is_overdue
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.state import Portal, Task

PAGE_SIZE = 50
_NAMES = ("arOrder", "arFilter", "arParams", "arSelect")


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


def _person(portal: Portal, user_id: int, part: str) -> str:
    user = portal.users.get(user_id)
    if user is None:
        return ""
    return {"NAME": user.name, "LAST_NAME": user.last_name, "SECOND_NAME": user.second_name}[part]


def _meta_status(task: Task, user_id: int, now: Any) -> int:
    if is_overdue(task, now):
        return -1
    if task.status in (2, 3) and is_not_viewed(task, user_id):
        return -2
    return task.status


def row(portal: Portal, user_id: int, task: Task) -> dict[str, Any]:
    """``task`` as one ``task.item.list`` row for ``user_id``."""
    now = portal.now()

    def dt(moment: Any) -> str | None:
        return fmt_dt(moment, portal.tz)

    return {
        "ID": str(task.id),
        "TITLE": task.title,
        "DESCRIPTION": task.description,
        "DESCRIPTION_IN_BBCODE": "Y",
        "DECLINE_REASON": None,
        "PRIORITY": str(task.priority),
        "STATUS": str(_meta_status(task, user_id, now)),
        "REAL_STATUS": str(task.status),
        "MULTITASK": yn(task.multitask),
        "RESPONSIBLE_ID": str(task.responsible_id),
        "RESPONSIBLE_NAME": _person(portal, task.responsible_id, "NAME"),
        "RESPONSIBLE_LAST_NAME": _person(portal, task.responsible_id, "LAST_NAME"),
        "RESPONSIBLE_SECOND_NAME": _person(portal, task.responsible_id, "SECOND_NAME"),
        "DATE_START": dt(task.date_start),
        "DURATION_FACT": str(task.time_spent_in_logs // 60) if task.date_start else None,
        "TIME_ESTIMATE": str(task.time_estimate),
        "TIME_SPENT_IN_LOGS": str(task.time_spent_in_logs),
        "REPLICATE": yn(task.replicate),
        "DEADLINE": dt(task.deadline),
        "START_DATE_PLAN": dt(task.start_date_plan),
        "END_DATE_PLAN": dt(task.end_date_plan),
        "CREATED_BY": str(task.created_by),
        "CREATED_BY_NAME": _person(portal, task.created_by, "NAME"),
        "CREATED_BY_LAST_NAME": _person(portal, task.created_by, "LAST_NAME"),
        "CREATED_BY_SECOND_NAME": _person(portal, task.created_by, "SECOND_NAME"),
        "CREATED_DATE": dt(task.created_date),
        "CHANGED_BY": _str(task.changed_by),
        "CHANGED_DATE": dt(task.changed_date),
        "STATUS_CHANGED_BY": _str(task.status_changed_by),
        "STATUS_CHANGED_DATE": dt(task.status_changed_date),
        "CLOSED_BY": _str(task.closed_by),
        "CLOSED_DATE": dt(task.closed_date),
        "GUID": task.guid,
        "MARK": task.mark,
        "VIEWED_DATE": dt(task.changed_date) if user_id in task.viewed_by else None,
        "FAVORITE": yn(portal.is_favorite(user_id, task.id)),
        "ALLOW_CHANGE_DEADLINE": yn(task.allow_change_deadline),
        "ALLOW_TIME_TRACKING": yn(task.allow_time_tracking),
        "MATCH_WORK_TIME": yn(task.match_work_time),
        "TASK_CONTROL": yn(task.task_control),
        "ADD_IN_REPORT": yn(task.add_in_report),
        "PARENT_ID": _str(task.parent_id),
        "DEPENDS_ON": [],
        "GROUP_ID": str(task.group_id),
        "FORUM_TOPIC_ID": _str(task.forum_topic_id),
        "FORUM_ID": "11" if task.forum_topic_id else None,
        "COMMENTS_COUNT": str(task.comments_count),
        "SITE_ID": "s1",
        "SUBORDINATE": "N",
        "FORKED_BY_TEMPLATE_ID": None,
        "DURATION_PLAN": str(task.duration_plan),
        "DURATION_TYPE": task.duration_type,
        "ACCOMPLICES": [str(user) for user in task.accomplices],
        "AUDITORS": [str(user) for user in task.auditors],
    }


@REGISTRY.method("task.item.list", scope="task")
def task_item_list(call: Call) -> Page:
    """``ORDER`` (default ``ID desc``), ``FILTER``, ``PARAMS``, ``SELECT`` → task rows."""
    args = LegacyArgs(call, "ctaskitem", "list", _NAMES, end="<br>")
    order = args.optional_array(0)
    conditions = args.optional_array(1)
    options = args.optional_array(2) or {}
    select = [str(name).upper() for name in (args.optional_array(3) or {}).values()]
    portal = call.portal
    matches = TaskFilter(portal, call.user_id, portal.now(), conditions)
    visible = [
        task
        for task in portal.tasks.values()
        if matches(task) and portal.can_read(call.user_id, task)
    ]
    try:
        tasks = sort_tasks(portal, call.user_id, visible, order)
    except InvalidSortKey as error:
        raise args.wrong_key(0, str(error)) from None
    size, number = PAGE_SIZE, 1
    nav = options.get("NAV_PARAMS")
    if isinstance(nav, dict):
        size = min(max(php_int(nav.get("nPageSize")) or PAGE_SIZE, 1), PAGE_SIZE)
        number = max(php_int(nav.get("iNumPage")) or 1, 1)
    shown = tasks[(number - 1) * size : number * size]
    keep: Callable[[str], bool] = (
        (lambda key: True) if not select or "*" in select else (lambda key: key in select)
    )
    rows = [
        {key: value for key, value in row(portal, call.user_id, task).items() if keep(key)}
        for task in shown
    ]
    return Page(rows, len(tasks))
