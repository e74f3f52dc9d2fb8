"""Classic (v1) ``tasks.task.*`` methods, scope ``task``.

Parameter names, answers and error codes follow each method's doc page. Where a page
lists no error for a missing id, the portal's "wrong task id" (code ``0``) is used: a
missing value is not an integer either. Permissions come from
:mod:`b24tui.emulator.methods._access`; the shapes from ``_task_view``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._access import task_actions
from b24tui.emulator.methods._common import (
    as_list,
    camel_to_upper,
    fmt_dt,
    named,
    parse_dt,
    php_bool,
    php_int,
)
from b24tui.emulator.methods._task_query import (
    InvalidSortKey,
    TaskFilter,
    id_ceiling,
    id_floor,
    id_order,
    sort_tasks,
)
from b24tui.emulator.methods._task_view import View, is_overdue, normalize_select, task_v1
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.state import Portal, Task

PAGE_SIZE = 50
_CTASKITEM = "CTaskItem All parameters in the constructor must have real class type"
_NOT_ALLOWED = "Action on the task is not allowed"


def _error(code: str, description: str) -> RestError:
    return RestError(400, code, description)


def _core(description: str) -> RestError:
    """An ``ERROR_CORE`` answer; the portal ends these descriptions with ``<br>``."""
    return RestError(400, "ERROR_CORE", description + "<br>")


def _task_id(
    call: Call, name: str = "taskId", *, missing: RestError | None = None, wrong: str = ""
) -> int:
    """The integer id parameter ``name``; ``missing`` when absent (default: wrong id)."""
    params = named(call)
    wrong_id = _error("0", wrong or "wrong task id")
    if params.get(name) is None:
        raise missing or wrong_id
    task_id = php_int(params[name])
    if task_id is None:
        raise wrong_id
    return task_id


def _view(call: Call) -> View:
    return View(call.portal, call.user_id, call.portal.now())


def _full(call: Call, task: Task) -> dict[str, Any]:
    """``{"task": …}``: the answer of get-like and action methods."""
    return {"task": task_v1(_view(call), task)}


# Reading -------------------------------------------------------------------------------


@REGISTRY.method("tasks.task.get", scope="task")
def task_get(call: Call) -> Any:
    """``taskId``, ``select`` → ``{"task": …}``; ``[]`` when missing or not accessible."""
    params = named(call)
    task_id = _task_id(call, missing=_error("100", _CTASKITEM + " (internal error)"))
    select: set[str] | None = None
    if "select" in params:
        raw = as_list(params["select"])
        if not raw:
            raise _error(
                "100",
                "Invalid value {} to match with parameter {select}. Should be value of type "
                "array. (internal error)",
            )
        select = normalize_select(raw)
    task = call.portal.visible_task(call.user_id, task_id)
    if task is None:
        return []
    return {"task": task_v1(_view(call), task, select)}


@REGISTRY.method("tasks.task.list", scope="task")
def task_list(call: Call) -> Page:
    """``order``, ``filter``, ``select``, ``params``, ``start`` → ``{"tasks": [...]}`` paged."""
    params = named(call)
    portal = call.portal
    view = _view(call)
    matches = TaskFilter(portal, call.user_id, view.now, params.get("filter"))
    raw_select = as_list(params.get("select"))
    select = normalize_select(raw_select) if raw_select else None
    extras = params.get("params") if isinstance(params.get("params"), dict) else None
    start = php_int(params.get("start", 0))
    descending = id_order(params.get("order"))
    if start == -1 and descending is not None:
        # Uncounted and in ID order: the first page's rows, not a sort of every task.
        rows = _first_rows(call, matches, descending, params.get("filter"))
        tasks = [task_v1(view, task, select, for_get=False, params=extras) for task in rows]
        return Page({"tasks": tasks}, 0, None)
    visible = (
        []
        if matches.matches_nothing
        else [
            task
            for task in portal.tasks.values()
            if matches(task) and portal.can_read(call.user_id, task)
        ]
    )
    try:
        ordered = sort_tasks(portal, call.user_id, visible, params.get("order"))
    except InvalidSortKey:
        raise _error("0", "Invalid sorting key (internal error)") from None
    if start == -1:
        rows = ordered[:PAGE_SIZE]
        tasks = [task_v1(view, task, select, for_get=False, params=extras) for task in rows]
        return Page({"tasks": tasks}, 0, None)
    offset = max(start or 0, 0)
    rows = ordered[offset : offset + PAGE_SIZE]
    tasks = [task_v1(view, task, select, for_get=False, params=extras) for task in rows]
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < len(ordered) else None
    return Page({"tasks": tasks}, len(ordered), following)


def _first_rows(
    call: Call, matches: TaskFilter, descending: bool, raw_filter: object
) -> list[Task]:
    """The first :data:`PAGE_SIZE` tasks the caller may read that ``matches``, in ID order:
    what the sorted list would start with, found by walking the IDs (from the filter's
    ``>ID`` up, or its ``<ID`` down) and stopping at a page.

    A chain of ``>ID`` pages over a big table costs a portal about the rows it returns;
    sorting every task for each page made the emulator slower than its own cost model.
    """
    portal = call.portal
    if matches.matches_nothing:
        return []
    ids = sorted(portal.tasks)
    if descending:
        ceiling = id_ceiling(raw_filter)
        below = ids[: bisect_right(ids, ceiling)] if ceiling is not None else ids
        walk: Iterable[int] = reversed(below)
    else:
        floor = id_floor(raw_filter)
        walk = ids[bisect_left(ids, floor) :] if floor is not None else ids
    rows: list[Task] = []
    for task_id in walk:
        task = portal.tasks[task_id]
        if matches(task) and portal.can_read(call.user_id, task):
            rows.append(task)
            if len(rows) == PAGE_SIZE:
                break
    return rows


# Writing -------------------------------------------------------------------------------

_ADD_MESSAGES = {
    "responsible_missing": "Responsible person not specified",
    "responsible_unknown": 'User specified in the "Responsible" field not found',
    "status": "Incorrect status",
    "parent": 'Task specified in the "Parent Task" field not found',
    "plan": "The end date in scheduling is earlier than the start date",
}
_UPDATE_MESSAGES = {
    "responsible_missing": "Responsible person not specified",
    "responsible_unknown": 'The user specified in the "Responsible" field was not found',
    "status": "Invalid status",
    "parent": 'The task specified in the "Parent Task" field was not found',
    "plan": "The end date specified in the scheduling is earlier than the start date",
}
_DATE_FIELDS = {
    "DEADLINE": "deadline",
    "START_DATE_PLAN": "start_date_plan",
    "END_DATE_PLAN": "end_date_plan",
}
_FLAG_FIELDS = {
    "TASK_CONTROL": "task_control",
    "ALLOW_CHANGE_DEADLINE": "allow_change_deadline",
    "ALLOW_TIME_TRACKING": "allow_time_tracking",
    "MATCH_WORK_TIME": "match_work_time",
    "ADD_IN_REPORT": "add_in_report",
    "REPLICATE": "replicate",
}


def _user_ids(portal: Portal, value: object) -> list[int]:
    ids: list[int] = []
    for raw in as_list(value) or ([] if value in (None, "") else [value]):
        user_id = php_int(raw)
        if user_id is not None and user_id in portal.users and user_id not in ids:
            ids.append(user_id)
    return ids


def _apply_fields(
    call: Call, task: Task, fields: dict[str, Any], messages: dict[str, str]
) -> list[tuple[str, object, object]]:
    """Validate and apply v1 UPPER ``fields`` to ``task``; return the history changes."""
    portal = call.portal
    upper = {str(key).upper(): value for key, value in fields.items()}
    changes: list[tuple[str, object, object]] = []

    def change(name: str, before: object, after: object) -> None:
        if before != after:
            changes.append((name, before, after))

    if "TITLE" in upper:
        title = str(upper["TITLE"] or "").strip()
        if not title:
            raise _core("Task title is not specified")
        change("TITLE", task.title, title)
        task.title = title
    if "DESCRIPTION" in upper:
        description = str(upper["DESCRIPTION"] or "")
        change("DESCRIPTION", task.description, description)
        task.description = description
    if "RESPONSIBLE_ID" in upper:
        responsible = php_int(upper["RESPONSIBLE_ID"])
        if responsible is None or responsible == 0:
            raise _core(messages["responsible_missing"])
        if responsible not in portal.users:
            raise _core(messages["responsible_unknown"])
        change("RESPONSIBLE_ID", task.responsible_id, responsible)
        task.responsible_id = responsible
    if "CREATED_BY" in upper:
        creator = php_int(upper["CREATED_BY"])
        if creator is not None and creator in portal.users:
            change("CREATED_BY", task.created_by, creator)
            task.created_by = creator
    if "STATUS" in upper:
        status = php_int(upper["STATUS"])
        if status not in (2, 3, 4, 5, 6):
            raise _core(messages["status"])
        change("STATUS", task.status, status)
        _set_status(call, task, status)
    if "PRIORITY" in upper:
        priority = php_int(upper["PRIORITY"])
        if priority in (0, 1, 2):
            change("PRIORITY", task.priority, priority)
            task.priority = priority
    if "PARENT_ID" in upper:
        parent = php_int(upper["PARENT_ID"]) or None
        if parent is not None:
            if parent == task.id:
                raise _core("Cannot bind the node to itself")
            if parent not in portal.tasks:
                raise _core(messages["parent"])
            ancestor: int | None = parent
            while ancestor is not None:
                if ancestor == task.id:
                    raise _core("Creating cyclic links in tasks is prohibited")
                ancestor = portal.tasks[ancestor].parent_id if ancestor in portal.tasks else None
        change("PARENT_ID", task.parent_id, parent)
        task.parent_id = parent
    if "GROUP_ID" in upper:
        group = php_int(upper["GROUP_ID"]) or 0
        group = group if group in portal.groups else 0
        change("GROUP_ID", task.group_id, group)
        task.group_id = group
    for name, attribute in _DATE_FIELDS.items():
        if name in upper:
            try:
                moment = parse_dt(upper[name], portal.tz)
            except ValueError:
                raise _core(f"Incorrect date in the field {name}") from None
            before = getattr(task, attribute)
            change(name, _timestamp(before), _timestamp(moment))
            setattr(task, attribute, moment)
    if task.start_date_plan and task.end_date_plan and task.end_date_plan < task.start_date_plan:
        raise _core(messages["plan"])
    for name, attribute in _FLAG_FIELDS.items():
        if name in upper:
            flag = php_bool(upper[name])
            change(name, "Y" if getattr(task, attribute) else "N", "Y" if flag else "N")
            setattr(task, attribute, flag)
    if "ACCOMPLICES" in upper:
        accomplices = _user_ids(portal, upper["ACCOMPLICES"])
        change("ACCOMPLICES", ",".join(map(str, task.accomplices)), ",".join(map(str, accomplices)))
        task.accomplices = accomplices
    if "AUDITORS" in upper:
        auditors = _user_ids(portal, upper["AUDITORS"])
        change("AUDITORS", ",".join(map(str, task.auditors)), ",".join(map(str, auditors)))
        task.auditors = auditors
    if "TIME_ESTIMATE" in upper:
        task.time_estimate = php_int(upper["TIME_ESTIMATE"]) or 0
    if "MARK" in upper:
        mark = str(upper["MARK"] or "").upper()
        task.mark = mark if mark in ("P", "N") else None
    if "TAGS" in upper:
        task.tags = [str(tag) for tag in as_list(upper["TAGS"]) or []]
    if "UF_CRM_TASK" in upper:
        task.crm = [str(item) for item in as_list(upper["UF_CRM_TASK"]) or []]
    if "UF_TASK_WEBDAV_FILES" in upper:
        files = portal.attachments_from(upper["UF_TASK_WEBDAV_FILES"], task.files)
        if files is None:
            raise _core("File not found")
        task.files = files
    return changes


def _timestamp(moment: object) -> str:
    return str(int(moment.timestamp())) if hasattr(moment, "timestamp") else ""


def _set_status(call: Call, task: Task, status: int) -> None:
    now = call.portal.now()
    task.status = status
    task.status_changed_by = call.user_id
    task.status_changed_date = now
    if status == 3 and task.date_start is None:
        task.date_start = now
    if status == 5:
        task.closed_by = call.user_id
        task.closed_date = now
    elif status in (2, 3, 6):
        task.closed_by = None
        task.closed_date = None


def _fields_param(call: Call) -> dict[str, Any]:
    fields = named(call).get("fields")
    if not isinstance(fields, dict) or not fields:
        raise _error("100", "Could not find value for parameter {fields} (internal error)")
    return fields


@REGISTRY.method("tasks.task.add", scope="task")
def task_add(call: Call) -> Any:
    """``fields`` (UPPER; ``TITLE`` and ``RESPONSIBLE_ID`` required) → ``{"task": …}``."""
    fields = _fields_param(call)
    portal = call.portal
    upper = {str(key).upper(): value for key, value in fields.items()}
    if not str(upper.get("TITLE") or "").strip():
        raise _core("Task title is not specified")
    if php_int(upper.get("RESPONSIBLE_ID")) in (None, 0):
        raise _core(_ADD_MESSAGES["responsible_missing"])
    task = portal.draft_task(call.user_id)
    if "STATUS" in upper:
        status = php_int(upper["STATUS"])
        if status not in (2, 3, 4, 5, 6):
            raise _core(_ADD_MESSAGES["status"])
    _apply_fields(call, task, fields, _ADD_MESSAGES)
    task.id = portal.next_id("task")
    task.guid = "{" + f"{task.id:08x}-0000-4000-8000-{task.id:012x}" + "}"
    portal.tasks[task.id] = task
    portal.record(task, "NEW", call.user_id)
    return _full(call, task)


def _editable(call: Call, task: Task, fields: dict[str, Any]) -> bool:
    actions = task_actions(call.portal, call.user_id, task)
    if actions["edit"]:
        return True
    keys = {str(key).upper() for key in fields}
    return keys <= {"DEADLINE"} and actions["changeDeadline"]


@REGISTRY.method("tasks.task.update", scope="task")
def task_update(call: Call) -> Any:
    """``taskId``, ``fields`` (UPPER) → ``{"task": …}`` after the change."""
    task_id = _task_id(call, missing=_error("100", _CTASKITEM + " (internal error)"))
    fields = _fields_param(call)
    task = call.portal.visible_task(call.user_id, task_id)
    if task is None or not _editable(call, task, fields):
        raise _error("0", _NOT_ALLOWED + " (internal error)")
    for name, before, after in _apply_fields(call, task, fields, _UPDATE_MESSAGES):
        call.portal.record(task, name, call.user_id, before, after)
    call.portal.touch(task, call.user_id)
    return _full(call, task)


@REGISTRY.method("tasks.task.delete", scope="task")
def task_delete(call: Call) -> Any:
    """``taskId`` → ``{"task": true}``."""
    task_id = _task_id(call, missing=_error("100", _CTASKITEM))
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or not task_actions(portal, call.user_id, task)["remove"]:
        raise _error("1048582", "No access to delete the task")
    del portal.tasks[task.id]
    for item_id in [item.id for item in portal.checklist_of(task.id)]:
        del portal.checklist_items[item_id]
    portal.history = [entry for entry in portal.history if entry.task_id != task.id]
    for ids in (*portal.favorites.values(), *portal.muted.values()):
        ids.discard(task.id)
    return {"task": True}


# Status changes ------------------------------------------------------------------------


def _status_method(
    name: str,
    action: str,
    code: str,
    transition: Callable[[Call, Task], int],
    missing_code: str | None = None,
) -> None:
    """Register ``tasks.task.<name>``: check ``action``, apply ``transition``."""

    def handler(call: Call) -> Any:
        missing = _error("100", _CTASKITEM) if missing_code else None
        task_id = _task_id(call, missing=missing)
        portal = call.portal
        task = portal.visible_task(call.user_id, task_id)
        if task is None or not task_actions(portal, call.user_id, task)[action]:
            raise _error(code, _NOT_ALLOWED)
        before = task.status
        after = transition(call, task)
        if after != before:
            _set_status(call, task, after)
            portal.record(task, "STATUS", call.user_id, before, after)
        portal.touch(task, call.user_id)
        return _full(call, task)

    handler.__name__ = f"task_{name}"
    handler.__doc__ = f'``taskId`` → ``{{"task": …}}`` after ``{name}``.'
    REGISTRY.method(f"tasks.task.{name}", scope="task")(handler)


def _complete(call: Call, task: Task) -> int:
    if task.task_control and call.user_id != task.created_by:
        return 4
    return 5


_status_method("start", "start", "0", lambda call, task: 3)
_status_method("pause", "pause", "1048582", lambda call, task: 2)
_status_method("complete", "complete", "0", _complete)
_status_method("defer", "defer", "1048582", lambda call, task: 6)
_status_method("renew", "renew", "1048582", lambda call, task: 2)
_status_method("approve", "approve", "1048582", lambda call, task: 5, missing_code="100")
_status_method("disapprove", "disapprove", "1048582", lambda call, task: 2, missing_code="100")


@REGISTRY.method("tasks.task.delegate", scope="task")
def task_delegate(call: Call) -> Any:
    """``taskId``, ``userId`` → ``{"task": …}`` with the new responsible person."""
    params = named(call)
    task_id = _task_id(call, missing=_error("100", _CTASKITEM))
    if params.get("userId") is None:
        raise _error("100", "Could not find value for parameter {userId}")
    new_responsible = php_int(params["userId"])
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or not task_actions(portal, call.user_id, task)["delegate"]:
        raise _error("0", _NOT_ALLOWED)
    if new_responsible is None or new_responsible not in portal.users:
        raise _core(_UPDATE_MESSAGES["responsible_unknown"])
    before = task.responsible_id
    if new_responsible != before:
        task.responsible_id = new_responsible
        task.accomplices = [user for user in task.accomplices if user != new_responsible]
        if before not in task.auditors:
            task.auditors.append(before)
        portal.record(task, "RESPONSIBLE_ID", call.user_id, before, new_responsible)
        portal.touch(task, call.user_id)
    return _full(call, task)


# Per-user actions ----------------------------------------------------------------------


def _watch(call: Call, watching: bool) -> Any:
    task_id = _task_id(call)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        raise _error("1048584", "a:0:{}")
    before = ",".join(map(str, task.auditors))
    if watching and call.user_id not in task.auditors:
        task.auditors.append(call.user_id)
    elif not watching and call.user_id in task.auditors:
        task.auditors.remove(call.user_id)
    after = ",".join(map(str, task.auditors))
    if before != after:
        portal.record(task, "AUDITORS", call.user_id, before, after)
    return _full(call, task)


@REGISTRY.method("tasks.task.startwatch", scope="task")
def task_startwatch(call: Call) -> Any:
    """``taskId`` → ``{"task": …}`` with the caller among the auditors."""
    return _watch(call, True)


@REGISTRY.method("tasks.task.stopwatch", scope="task")
def task_stopwatch(call: Call) -> Any:
    """``taskId`` → ``{"task": …}`` with the caller no longer an auditor."""
    return _watch(call, False)


def _mute(call: Call, muted: bool) -> Any:
    task_id = _task_id(call, "id")
    task = call.portal.visible_task(call.user_id, task_id)
    if task is None:
        return []
    mine = call.portal.muted.setdefault(call.user_id, set())
    if muted:
        mine.add(task.id)
    else:
        mine.discard(task.id)
    return _full(call, task)


@REGISTRY.method("tasks.task.mute", scope="task")
def task_mute(call: Call) -> Any:
    """**``id``** → ``{"task": …, "isMuted": "Y"}``; ``[]`` when missing or not accessible."""
    return _mute(call, True)


@REGISTRY.method("tasks.task.unmute", scope="task")
def task_unmute(call: Call) -> Any:
    """**``id``** → ``{"task": …, "isMuted": "N"}``; ``[]`` when missing or not accessible."""
    return _mute(call, False)


def _favorite(call: Call, add: bool) -> bool:
    task_id = _task_id(call, missing=_error("100", _CTASKITEM))
    task = call.portal.visible_task(call.user_id, task_id)
    if task is None:
        raise _error("1", "Task not found or not accessible")
    mine = call.portal.favorites.setdefault(call.user_id, set())
    if add:
        mine.add(task.id)
    else:
        mine.discard(task.id)
    return True


@REGISTRY.method("tasks.task.favorite.add", scope="task")
def task_favorite_add(call: Call) -> bool:
    """``taskId`` → ``true``: the task joins the caller's favourites."""
    return _favorite(call, True)


@REGISTRY.method("tasks.task.favorite.remove", scope="task")
def task_favorite_remove(call: Call) -> bool:
    """``taskId`` → ``true``: the task leaves the caller's favourites."""
    return _favorite(call, False)


# Access, history, counters -------------------------------------------------------------


@REGISTRY.method("tasks.task.getaccess", scope="task")
def task_getaccess(call: Call) -> Any:
    """``taskId``, ``users`` → ``{"allowedActions": {userId: {UPPER: bool}}}``."""
    params = named(call)
    task_id = _task_id(call, missing=_error("100", _CTASKITEM))
    users: list[Any] = [call.user_id]
    if "users" in params:
        given = as_list(params["users"])
        if not given:  # ``{}`` and ``[]`` alike: PHP decodes both as the same empty array
            raise _error(
                "100",
                "Invalid value {} to match with parameter {users}. Should be value of type array.",
            )
        users = given
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        return {"allowedActions": []}
    allowed: dict[str, dict[str, bool]] = {}
    for raw in users:
        user_id = php_int(raw)
        if user_id is None:
            continue
        actions = task_actions(portal, user_id, task)
        allowed[str(user_id)] = {camel_to_upper(key): value for key, value in actions.items()}
    return {"allowedActions": allowed}


@REGISTRY.method("tasks.task.history.list", scope="task")
def task_history_list(call: Call) -> Any:
    """``taskId``, ``filter`` ``{"FIELD": …}``, ``order`` → ``{"list": [...]}``."""
    params = named(call)
    task_id = _task_id(
        call,
        missing=_error("100", _CTASKITEM + " (internal error)"),
        wrong="wrong task id (internal error)",
    )
    portal = call.portal
    task = portal.tasks.get(task_id)
    if task is None:
        return {"list": []}
    if not portal.can_read(call.user_id, task):
        raise _error("0", "Access denied. (internal error)")
    entries = [entry for entry in portal.history if entry.task_id == task.id]
    wanted = params.get("filter")
    if isinstance(wanted, dict):
        for key, value in wanted.items():
            if str(key).upper() == "FIELD":
                fields = {str(item).upper() for item in as_list(value) or [value]}
                entries = [entry for entry in entries if entry.field in fields]
    order = params.get("order")
    ascending = False
    if isinstance(order, dict):
        for key, direction in order.items():
            if str(key).lower() in ("createddate", "created_date", "id"):
                ascending = str(direction).lower() == "asc"
    entries.sort(key=lambda entry: (entry.created, entry.id), reverse=not ascending)
    rows = []
    for entry in entries:
        user = portal.users.get(entry.user_id)
        rows.append(
            {
                "id": entry.id,
                "createdDate": fmt_dt(entry.created, portal.tz),
                "field": entry.field,
                "value": {"from": entry.value_from, "to": entry.value_to},
                "user": {
                    "id": entry.user_id,
                    "name": user.name if user else "",
                    "lastName": user.last_name if user else "",
                    "secondName": user.second_name if user else "",
                    "login": user.login if user else "",
                },
            }
        )
    return {"list": rows}


_COUNTER_ROLES: dict[str, Callable[[Task, int], bool]] = {
    "view_all": lambda task, user: user in task.members(),
    "view_role_responsible": lambda task, user: task.responsible_id == user,
    "view_role_accomplice": lambda task, user: user in task.accomplices,
    "view_role_auditor": lambda task, user: user in task.auditors,
    "view_role_originator": lambda task, user: (
        task.created_by == user and task.responsible_id != user
    ),
}


@REGISTRY.method("tasks.task.counters.get", scope="task")
def task_counters_get(call: Call) -> Page:
    """``userId``, ``groupId``, ``type`` → ``{"expired": …, "new_comments": …}``."""
    params = named(call)
    portal = call.portal
    user_id = call.user_id
    if params.get("userId") not in (None, ""):
        given = php_int(params["userId"])
        if given is None:
            raise _error(
                "0",
                f"Invalid value {params['userId']} to match with parameter {{userId}}. "
                "Should be value of type int.",
            )
        user_id = given
    group_id = php_int(params.get("groupId") or 0) or 0
    if group_id and group_id not in portal.groups:
        raise _error("0", "Group not found or access denied. (internal error)")
    if user_id not in portal.users or (
        user_id != call.user_id and not portal.is_admin(call.user_id)
    ):
        return Page([], 1)
    in_role = _COUNTER_ROLES.get(str(params.get("type") or "view_all"), _COUNTER_ROLES["view_all"])
    now = portal.now()
    expired = 0
    new_comments = 0
    for task in portal.tasks.values():
        if group_id and task.group_id != group_id:
            continue
        if not in_role(task, user_id) or portal.is_muted(user_id, task.id):
            continue
        if is_overdue(task, now) and user_id in (task.responsible_id, *task.accomplices):
            expired += 1
        new_comments += task.new_comments_count
    return Page(
        {
            "expired": {"counter": expired, "code": 6291456},
            "new_comments": {"counter": new_comments, "code": 12582912},
        },
        1,
    )
