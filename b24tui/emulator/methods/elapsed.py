"""Legacy ``task.elapseditem.*`` methods, scope ``task``: time spent on a task.

Positional, like every ``task.*item.*`` method (:mod:`._legacy`). ``getlist`` may leave
the task out: when its first argument is an object it is the order, and the records of
every task the caller may read are listed (the page's own example does this).

Who may do what (``task.elapseditem.isactionallowed``'s actions 1-3):

- **add** (1): whoever may work on the task (its creator, responsible person or
  participants, or an administrator), as the task's ``elapsedtime.add`` action says;
  for another person (``USER_ID``) only an administrator, since the page is silent;
- **modify** (2) and **remove** (3): the record's own person, or an administrator.

The task's ``TIME_SPENT_IN_LOGS`` is the sum of its records' seconds after each change,
and each change is in its history as ``TIME_SPENT_IN_LOGS``. Errors are ``ERROR_CORE``
with the bare words the pages show (``ACTION_NOT_ALLOWED``, ``Task not found``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._access import task_actions
from b24tui.emulator.methods._common import fmt_dt, parse_dt, php_int
from b24tui.emulator.methods._legacy import LegacyArgs, matches, ordered, split_prefix
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.state import ElapsedItem, Portal, Task

PAGE_SIZE = 50
_PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "add": ("taskId", "arFields"),
    "update": ("taskId", "itemId", "arFields"),
    "delete": ("taskId", "itemId"),
    "get": ("taskId", "itemId"),
    "getlist": ("taskId", "arOrder", "arFilter", "arSelect", "arParams"),
    "isactionallowed": ("taskId", "itemId", "actionId"),
}
WRITABLE = ("SECONDS", "COMMENT_TEXT", "USER_ID", "CREATED_DATE")
"""``ARFIELDS`` keys taken; ``CREATED_DATE`` dates a record of work done days ago."""
READABLE = (
    "ID",
    "TASK_ID",
    "USER_ID",
    "COMMENT_TEXT",
    "SECONDS",
    "MINUTES",
    "SOURCE",
    "CREATED_DATE",
    "DATE_START",
    "DATE_STOP",
)
_ACTIONS = {1: "add", 2: "modify", 3: "remove"}


def _args(call: Call, method: str) -> LegacyArgs:
    return LegacyArgs(call, "ctaskelapseditem", method, _PARAM_NAMES[method], end="")


def _core(text: str) -> RestError:
    return RestError(400, "ERROR_CORE", text)


def _row(portal: Portal, item: ElapsedItem) -> dict[str, Any]:
    """A record as ``get``/``getlist`` answer it: every value a string."""
    return {
        "ID": str(item.id),
        "TASK_ID": str(item.task_id),
        "USER_ID": str(item.user_id),
        "COMMENT_TEXT": item.comment_text,
        "SECONDS": str(item.seconds),
        "MINUTES": str(item.seconds // 60),
        "SOURCE": str(item.source),
        "CREATED_DATE": fmt_dt(item.created_date, portal.tz),
        "DATE_START": fmt_dt(item.date_start, portal.tz),
        "DATE_STOP": fmt_dt(item.date_stop, portal.tz),
    }


def allowed(
    portal: Portal, user_id: int, task: Task, action: str, item: ElapsedItem | None
) -> bool:
    """Whether ``user_id`` may ``add``, ``modify`` or ``remove`` (``item``) on ``task``."""
    if not portal.can_read(user_id, task):
        return False
    if action == "add":
        return task_actions(portal, user_id, task)["elapsedtime.add"]
    return item is not None and (item.user_id == user_id or portal.is_admin(user_id))


def _task(call: Call, task_id: int) -> Task:
    task = call.portal.tasks.get(task_id)
    if task is None:
        raise _core("Task not found")
    if not call.portal.can_read(call.user_id, task):
        raise _core("ACCESS_DENIED")
    return task


def _item(portal: Portal, task: Task, item_id: int) -> ElapsedItem | None:
    item = portal.elapsed.get(item_id)
    return item if item is not None and item.task_id == task.id else None


def _fields(args: LegacyArgs, index: int) -> dict[str, Any]:
    fields = args.array(index)
    for key in fields:
        if str(key).upper() not in WRITABLE:
            raise args.wrong_key(index, str(key))
    return {str(key).upper(): value for key, value in fields.items()}


def _required(args: LegacyArgs, index: int, fields: dict[str, Any]) -> tuple[int, str]:
    """``SECONDS`` and ``COMMENT_TEXT``, both required by the add and update pages."""
    for name in ("SECONDS", "COMMENT_TEXT"):
        if name not in fields:
            raise args.error(
                256,
                f"Param #{index} ({args.names[index]}) for method "
                f'{args.php_class}::{args.method}() must contain key "{name}".',
            )
    seconds = php_int(fields["SECONDS"])
    if seconds is None or seconds < 0:
        raise args.wrong_type(index, "array")
    return seconds, str(fields["COMMENT_TEXT"] or "")


def _changed(call: Call, task: Task) -> None:
    before = task.time_spent_in_logs
    call.portal.recount_time_spent(task)
    if task.time_spent_in_logs != before:
        call.portal.record(
            task, "TIME_SPENT_IN_LOGS", call.user_id, before, task.time_spent_in_logs
        )


@REGISTRY.method("task.elapseditem.add", scope="task")
def elapsed_add(call: Call) -> int:
    """``TASKID``, ``ARFIELDS`` (``SECONDS``, ``COMMENT_TEXT``; ``USER_ID``) → the new id."""
    args = _args(call, "add")
    task = _task(call, args.integer(0))
    fields = _fields(args, 1)
    portal = call.portal
    user_id = php_int(fields.get("USER_ID")) or call.user_id
    if not allowed(portal, call.user_id, task, "add", None) or (
        user_id != call.user_id and not portal.is_admin(call.user_id)
    ):
        raise _core("ACTION_NOT_ALLOWED")
    if user_id not in portal.users:
        raise _core("ACTION_NOT_ALLOWED")
    seconds, comment_text = _required(args, 1, fields)
    now = portal.now()
    try:
        began = parse_dt(fields.get("CREATED_DATE"), portal.tz) or now
    except ValueError:
        raise _core("ACTION_NOT_ALLOWED") from None
    item = ElapsedItem(
        id=portal.next_id("elapsed"),
        task_id=task.id,
        user_id=user_id,
        seconds=seconds,
        created_date=began,
        date_start=now,
        date_stop=now,
        comment_text=comment_text,
    )
    portal.elapsed[item.id] = item
    _changed(call, task)
    return item.id


@REGISTRY.method("task.elapseditem.update", scope="task")
def elapsed_update(call: Call) -> None:
    """``TASKID``, ``ITEMID``, ``ARFIELDS`` → ``null``; one's own record (or as admin)."""
    args = _args(call, "update")
    args.check_all()
    task = _task(call, args.integer(0))
    item = _item(call.portal, task, args.integer(1))
    fields = _fields(args, 2)
    portal = call.portal
    if not allowed(portal, call.user_id, task, "modify", item) or item is None:
        raise _core("ACTION_NOT_ALLOWED")
    seconds, comment_text = _required(args, 2, fields)
    user_id = item.user_id
    if "USER_ID" in fields:
        user_id = php_int(fields["USER_ID"]) or 0
        if user_id not in portal.users or (
            user_id != item.user_id and not portal.is_admin(call.user_id)
        ):
            raise _core("ACTION_NOT_ALLOWED")
    began = item.created_date
    if "CREATED_DATE" in fields:
        try:
            began = parse_dt(fields["CREATED_DATE"], portal.tz) or began
        except ValueError:
            raise _core("ACTION_NOT_ALLOWED") from None
    item.user_id, item.seconds, item.comment_text, item.created_date = (
        user_id,
        seconds,
        comment_text,
        began,
    )
    _changed(call, task)


@REGISTRY.method("task.elapseditem.delete", scope="task")
def elapsed_delete(call: Call) -> None:
    """``TASKID``, ``ITEMID`` → ``null``; one's own record (or as admin)."""
    args = _args(call, "delete")
    args.check_all()
    task = _task(call, args.integer(0))
    item = _item(call.portal, task, args.integer(1))
    if not allowed(call.portal, call.user_id, task, "remove", item) or item is None:
        raise _core("ACTION_NOT_ALLOWED")
    del call.portal.elapsed[item.id]
    _changed(call, task)


@REGISTRY.method("task.elapseditem.get", scope="task")
def elapsed_get(call: Call) -> dict[str, Any]:
    """``TASKID``, ``ITEMID`` → the record.

    The page's example wraps it in an array; its Returned Data table says ``object``,
    which is what is sent (the replay lists the difference).
    """
    args = _args(call, "get")
    args.check_all()
    task = _task(call, args.integer(0))
    item = _item(call.portal, task, args.integer(1))
    if item is None:
        raise _core("ACTION_NOT_ALLOWED")
    return _row(call.portal, item)


_SORTABLE: dict[str, Callable[[ElapsedItem], Any]] = {
    "ID": lambda item: item.id,
    "USER_ID": lambda item: item.user_id,
    "MINUTES": lambda item: item.seconds // 60,
    "SECONDS": lambda item: item.seconds,
    "CREATED_DATE": lambda item: item.created_date,
    "DATE_START": lambda item: item.date_start,
    "DATE_STOP": lambda item: item.date_stop,
}
_FILTERABLE: dict[str, Callable[[ElapsedItem], Any]] = {
    "ID": lambda item: item.id,
    "USER_ID": lambda item: item.user_id,
    "CREATED_DATE": lambda item: item.created_date,
}


@REGISTRY.method("task.elapseditem.getlist", scope="task")
def elapsed_getlist(call: Call) -> Page:
    """``[TASKID,] ORDER, FILTER, SELECT, PARAMS`` → records, ``total`` beside them.

    ``PARAMS.NAV_PARAMS`` pages them: ``nPageSize`` (at most 50) and ``iNumPage``.
    """
    args = _args(call, "getlist")
    portal = call.portal
    task: Task | None = None
    if args.values and not isinstance(args.values[0], dict | list):
        task = _task(call, args.integer(0))
    else:
        args.values.insert(0, None)  # no task: the rest keep their places
    order = args.optional_array(1) or {"ID": "asc"}
    conditions = args.optional_array(2) or {}
    select = [str(name).upper() for name in (args.optional_array(3) or {}).values()]
    nav = (args.optional_array(4) or {}).get("NAV_PARAMS")
    tests = []
    for key, wanted in conditions.items():
        prefix, name = split_prefix(str(key))
        if name not in _FILTERABLE:
            raise args.wrong_key(2, str(key))
        tests.append((_FILTERABLE[name], prefix, wanted))
    for name in select:
        if name != "*" and name not in READABLE:
            raise args.wrong_key(3, name)
    items = [
        item
        for item in portal.elapsed.values()
        if (item.task_id == task.id if task else _readable(portal, call.user_id, item))
        and all(matches(value(item), prefix, wanted, portal.tz) for value, prefix, wanted in tests)
    ]
    items = ordered(items, order, _SORTABLE, args, 1)
    size, number = PAGE_SIZE, 1
    if isinstance(nav, dict):
        size = min(max(php_int(nav.get("nPageSize")) or PAGE_SIZE, 1), PAGE_SIZE)
        number = max(php_int(nav.get("iNumPage")) or 1, 1)
    shown = items[(number - 1) * size : number * size]
    rows = [_row(portal, item) for item in shown]
    if select and "*" not in select:
        rows = [{key: row[key] for key in row if key in select or key == "ID"} for row in rows]
    return Page(rows, len(items))


def _readable(portal: Portal, user_id: int, item: ElapsedItem) -> bool:
    task = portal.tasks.get(item.task_id)
    return task is not None and portal.can_read(user_id, task)


@REGISTRY.method("task.elapseditem.isactionallowed", scope="task")
def elapsed_is_action_allowed(call: Call) -> bool:
    """``TASKID``, ``ITEMID``, ``ACTIONID`` (1 add, 2 modify, 3 remove) → bool."""
    args = _args(call, "isactionallowed")
    args.check_all()
    task = call.portal.tasks.get(args.integer(0))
    item_id = args.integer(1)
    action = _ACTIONS.get(args.integer(2))
    if task is None or action is None:
        return False
    item = _item(call.portal, task, item_id)
    return allowed(call.portal, call.user_id, task, action, item)
