"""Legacy ``task.checklistitem.*`` methods, scope ``task``.

These methods are **positional**: parameters are read by position whether they arrive
as a JSON array (``[13, 475]``), as ``0=13&1=475``, or as a named object, in which case
the names are ignored and the object's key order decides. ``{"ITEMID": 475, "TASKID": 13}``
is therefore read as task 475, item 13 — exactly the misreading the doc pages warn of
(``complete`` then answers ``false``). Errors are ``ERROR_CORE`` with descriptions like
``TASKS_ERROR_EXCEPTION_#256; …; 256/TE/WRONG_ARGUMENTS<br>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._access import checklist_actions, task_actions
from b24tui.emulator.methods._common import fmt_dt, php_bool, php_int, yn
from b24tui.emulator.methods._legacy import LegacyArgs, legacy_error
from b24tui.emulator.methods._task_view import members_upper, sorted_children
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import ChecklistItem, Portal, Task

_PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "add": ("taskId", "arFields"),
    "update": ("taskId", "itemId", "arFields"),
    "delete": ("taskId", "itemId"),
    "get": ("taskId", "itemId"),
    "getlist": ("taskId", "arOrder"),
    "complete": ("taskId", "itemId"),
    "renew": ("taskId", "itemId"),
    "moveafteritem": ("taskId", "itemId", "afterItemId"),
    "isactionallowed": ("taskId", "itemId", "actionId"),
}
SORTABLE: tuple[str, ...] = (
    "ID",
    "PARENT_ID",
    "CREATED_BY",
    "TITLE",
    "SORT_INDEX",
    "IS_COMPLETE",
    "IS_IMPORTANT",
    "TOGGLED_BY",
    "TOGGLED_DATE",
)
WRITABLE: tuple[str, ...] = (
    "PARENT_ID",
    "TITLE",
    "SORT_INDEX",
    "IS_COMPLETE",
    "IS_IMPORTANT",
    "MEMBERS",
)
READABLE: tuple[str, ...] = (
    "ID",
    "TASK_ID",
    "PARENT_ID",
    "CREATED_BY",
    "TITLE",
    "SORT_INDEX",
    "IS_COMPLETE",
    "IS_IMPORTANT",
    "TOGGLED_BY",
    "TOGGLED_DATE",
    "MEMBERS",
    "ATTACHMENTS",
)


def task_error(number: int, text: str) -> RestError:
    """``ERROR_CORE`` with the ``TASKS_ERROR_EXCEPTION_#n; text; n/TE/TAG<br>`` description."""
    return legacy_error(number, text, end="<br>")


def _assert_error() -> RestError:
    return RestError(400, "ERROR_CORE", "TASKS_ERROR_ASSERT_EXCEPTION<br>")


def _args(call: Call, method: str) -> LegacyArgs:
    """The positional arguments of one call to ``task.checklistitem.<method>``."""
    return LegacyArgs(call, "ctaskchecklistitem", method, _PARAM_NAMES[method], end="<br>")


def _row(portal: Portal, item: ChecklistItem) -> dict[str, Any]:
    """A legacy UPPER_SNAKE checklist row (``get``/``getlist``)."""
    return {
        "ID": str(item.id),
        "TASK_ID": str(item.task_id),
        "PARENT_ID": 0 if item.parent_id == 0 else str(item.parent_id),
        "CREATED_BY": str(item.created_by),
        "TITLE": item.title,
        "SORT_INDEX": str(item.sort_index),
        "IS_COMPLETE": yn(item.is_complete),
        "IS_IMPORTANT": yn(item.is_important),
        "TOGGLED_BY": None if item.toggled_by is None else str(item.toggled_by),
        "TOGGLED_DATE": fmt_dt(item.toggled_date, portal.tz) or "",
        "MEMBERS": members_upper(portal, item),
        "ATTACHMENTS": [],
    }


def _may_edit(call: Call, task: Task | None) -> bool:
    return task is not None and checklist_actions(call.portal, call.user_id, task)["modify"]


def _members(portal: Portal, task: Task, raw: object) -> dict[int, str]:
    """``MEMBERS`` ``{"547": {"TYPE": "A"}}``; members join the task in the same role."""
    members: dict[int, str] = {}
    if not isinstance(raw, dict):
        return members
    for key, value in raw.items():
        user_id = php_int(key)
        kind = str(value.get("TYPE", "A")).upper() if isinstance(value, dict) else "A"
        if user_id is None or user_id not in portal.users or kind not in ("A", "U"):
            continue
        members[user_id] = kind
        if kind == "A" and user_id not in task.accomplices and user_id != task.responsible_id:
            task.accomplices.append(user_id)
        if kind == "U" and user_id not in task.auditors:
            task.auditors.append(user_id)
    return members


def _toggle(call: Call, item: ChecklistItem, complete: bool) -> None:
    if item.is_complete == complete:
        return
    item.is_complete = complete
    item.toggled_by = call.user_id
    item.toggled_date = call.portal.now()
    task = call.portal.tasks.get(item.task_id)
    if task is not None:
        field = "CHECKLIST_ITEM_CHECK" if complete else "CHECKLIST_ITEM_UNCHECK"
        call.portal.record(task, field, call.user_id, None, item.title)


def _subtree(portal: Portal, item: ChecklistItem) -> list[ChecklistItem]:
    items = portal.checklist_of(item.task_id)
    found = [item]
    for child in sorted_children(items, item.id):
        found.extend(_subtree(portal, child))
    return found


def _renumber(portal: Portal, task_id: int, parent_id: int) -> None:
    siblings = sorted_children(portal.checklist_of(task_id), parent_id)
    for index, sibling in enumerate(siblings):
        sibling.sort_index = index


@REGISTRY.method("task.checklistitem.add", scope="task")
def checklist_add(call: Call) -> int:
    """``TASKID``, ``FIELDS`` → the new item's id."""
    args = _args(call, "add")
    task_id = args.integer(0)
    fields = args.array(1)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or not task_actions(portal, call.user_id, task)["checklist.add"]:
        raise task_error(8, "Adding item: action not allowed")
    upper = {str(key).upper(): value for key, value in fields.items()}
    title = str(upper.get("TITLE") or "").strip()
    if not title:
        raise task_error(8, "Item name not specified")
    items = portal.checklist_of(task.id)
    if "PARENT_ID" in upper:
        parent_id = php_int(upper["PARENT_ID"]) or 0
        if parent_id and not any(item.id == parent_id for item in items):
            parent_id = 0
    else:
        roots = sorted_children(items, 0)
        if roots:
            parent_id = roots[0].id
        else:
            first = ChecklistItem(
                portal.next_id("checklist"), task.id, 0, "Checklist 1", call.user_id
            )
            portal.checklist_items[first.id] = first
            parent_id = first.id
    siblings = sorted_children(portal.checklist_of(task.id), parent_id)
    sort_index = php_int(upper.get("SORT_INDEX"))
    if sort_index is None:
        sort_index = max((item.sort_index for item in siblings), default=-1) + 1
    item = ChecklistItem(
        id=portal.next_id("checklist"),
        task_id=task.id,
        parent_id=parent_id,
        title=title,
        created_by=call.user_id,
        sort_index=sort_index,
        is_important=php_bool(upper.get("IS_IMPORTANT")),
        members=_members(portal, task, upper.get("MEMBERS")),
    )
    portal.checklist_items[item.id] = item
    if php_bool(upper.get("IS_COMPLETE")):
        _toggle(call, item, True)
    portal.record(task, "CHECKLIST_ITEM_CREATE", call.user_id, "", title)
    portal.touch(task, call.user_id)
    return item.id


@REGISTRY.method("task.checklistitem.update", scope="task")
def checklist_update(call: Call) -> None:
    """``TASKID``, ``ITEMID``, ``FIELDS`` → ``null``."""
    args = _args(call, "update")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    fields = args.array(2)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or not _may_edit(call, task):
        raise task_error(4, "No access to edit the task")
    upper = {str(key).upper(): value for key, value in fields.items()}
    item = portal.checklist_items.get(item_id)
    if item is None or item.task_id != task.id:
        title = str(upper.get("TITLE") or "")
        raise task_error(
            8, f"Incorrect value [] specified for field [ENTITY_ID] in item [, {title}]"
        )
    if "TITLE" in upper:
        title = str(upper["TITLE"] or "").strip()
        if not title:
            raise task_error(8, "Item name not specified")
        if title != item.title:
            portal.record(task, "CHECKLIST_ITEM_RENAME", call.user_id, item.title, title)
        item.title = title
    if "SORT_INDEX" in upper:
        item.sort_index = php_int(upper["SORT_INDEX"]) or 0
    if "IS_IMPORTANT" in upper:
        item.is_important = php_bool(upper["IS_IMPORTANT"])
    if "MEMBERS" in upper:
        item.members = _members(portal, task, upper["MEMBERS"])
    if "PARENT_ID" in upper:
        parent_id = php_int(upper["PARENT_ID"]) or 0
        descendants = {node.id for node in _subtree(portal, item)}
        known = {other.id for other in portal.checklist_of(task.id)}
        if parent_id in descendants or (parent_id and parent_id not in known):
            parent_id = 0
        item.parent_id = parent_id
    if "IS_COMPLETE" in upper:
        _toggle(call, item, php_bool(upper["IS_COMPLETE"]))
    portal.touch(task, call.user_id)


@REGISTRY.method("task.checklistitem.delete", scope="task")
def checklist_delete(call: Call) -> bool:
    """``TASKID``, ``ITEMID`` → ``true``; a checklist goes with all its items."""
    args = _args(call, "delete")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    item = portal.checklist_items.get(item_id)
    if task is None or item is None or item.task_id != task.id or not _may_edit(call, task):
        raise task_error(8, "Deleting item: action not allowed")
    for node in _subtree(portal, item):
        del portal.checklist_items[node.id]
    portal.record(task, "CHECKLIST_ITEM_REMOVE", call.user_id, item.title, None)
    portal.touch(task, call.user_id)
    return True


@REGISTRY.method("task.checklistitem.get", scope="task")
def checklist_get(call: Call) -> dict[str, Any]:
    """``TASKID``, ``ITEMID`` → the item (UPPER_SNAKE)."""
    args = _args(call, "get")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    item = portal.checklist_items.get(item_id)
    if task is None or item is None or item.task_id != task.id:
        raise task_error(512, "Check listitem not found or not accessible")
    return _row(portal, item)


@REGISTRY.method("task.checklistitem.getlist", scope="task")
def checklist_getlist(call: Call) -> list[dict[str, Any]]:
    """``TASKID``, ``ORDER`` → all rows of the task's checklists (default ``ID desc``)."""
    args = _args(call, "getlist")
    if not args.values or php_int(args.values[0]) is None:
        raise args.wrong_type(0, "integer")
    task_id = args.integer(0)
    order = args.optional_array(1) or {"ID": "desc"}
    pairs: list[tuple[str, bool]] = []
    for raw_key, direction in order.items():
        key = str(raw_key).upper()
        if key not in SORTABLE:
            raise task_error(
                256,
                f"Param #1 (arOrder) for method ctaskchecklistitem::getlist() must not "
                f'contain key "{raw_key}".',
            )
        pairs.append((key, str(direction).strip().lower() == "desc"))
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        raise task_error(8, "Action failed")
    items = portal.checklist_of(task.id)
    for key, descending in reversed(pairs):
        items.sort(key=_sort_key(key), reverse=descending)
    return [_row(portal, item) for item in items]


def _sort_key(key: str) -> Callable[[ChecklistItem], Any]:
    table: dict[str, Callable[[ChecklistItem], Any]] = {
        "ID": lambda item: item.id,
        "PARENT_ID": lambda item: item.parent_id,
        "CREATED_BY": lambda item: item.created_by,
        "TITLE": lambda item: item.title.lower(),
        "SORT_INDEX": lambda item: item.sort_index,
        "IS_COMPLETE": lambda item: item.is_complete,
        "IS_IMPORTANT": lambda item: item.is_important,
        "TOGGLED_BY": lambda item: item.toggled_by or 0,
        "TOGGLED_DATE": lambda item: item.toggled_date.timestamp() if item.toggled_date else 0,
    }
    return table[key]


def _toggle_method(call: Call, method: str, complete: bool) -> bool:
    args = _args(call, method)
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    if task_id <= 0 or item_id <= 0:
        raise _assert_error()
    portal = call.portal
    item = portal.checklist_items.get(item_id)
    if item is None:
        return False
    task = portal.visible_task(call.user_id, item.task_id)
    if task is None:
        return False
    if not checklist_actions(portal, call.user_id, task)["toggle"]:
        raise task_error(4, "Action not allowed")
    _toggle(call, item, complete)
    portal.touch(task, call.user_id)
    return True


@REGISTRY.method("task.checklistitem.complete", scope="task")
def checklist_complete(call: Call) -> bool:
    """``TASKID``, ``ITEMID`` → ``true`` (``false`` when the item is not found)."""
    return _toggle_method(call, "complete", True)


@REGISTRY.method("task.checklistitem.renew", scope="task")
def checklist_renew(call: Call) -> bool:
    """``TASKID``, ``ITEMID`` → ``true`` (``false`` when the item is not found)."""
    return _toggle_method(call, "renew", False)


@REGISTRY.method("task.checklistitem.moveafteritem", scope="task")
def checklist_move_after_item(call: Call) -> None:
    """``TASKID``, ``ITEMID``, ``AFTERITEMID`` → ``null``; the item takes the other's parent."""
    args = _args(call, "moveafteritem")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    after_id = args.integer(2)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    item = portal.checklist_items.get(item_id)
    after = portal.checklist_items.get(after_id)
    if (
        task is None
        or item is None
        or after is None
        or item.task_id != task.id
        or after.task_id != task.id
        or not task_actions(portal, call.user_id, task)["checklist.reorder"]
        or after.id in {node.id for node in _subtree(portal, item)}
    ):
        raise task_error(8, "Moving item: action not allowed")
    old_parent = item.parent_id
    item.parent_id = after.parent_id
    siblings = [
        sibling
        for sibling in sorted_children(portal.checklist_of(task.id), after.parent_id)
        if sibling.id != item.id
    ]
    position = next(index for index, sibling in enumerate(siblings) if sibling.id == after.id)
    siblings.insert(position + 1, item)
    for index, sibling in enumerate(siblings):
        sibling.sort_index = index
    if old_parent != after.parent_id:
        _renumber(portal, task.id, old_parent)
    portal.touch(task, call.user_id)


_ACTION_KEYS = {1: "add", 2: "modify", 3: "remove", 4: "toggle", 5: "reorder"}


@REGISTRY.method("task.checklistitem.isactionallowed", scope="task")
def checklist_is_action_allowed(call: Call) -> bool:
    """``TASKID``, ``ITEMID``, ``ACTIONID`` (1 add … 5 reorder) → bool."""
    args = _args(call, "isactionallowed")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    action_id = args.integer(2)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    item = portal.checklist_items.get(item_id)
    if task is None or item is None or item.task_id != task.id or action_id not in _ACTION_KEYS:
        return False
    actions = checklist_actions(portal, call.user_id, task)
    key = _ACTION_KEYS[action_id]
    if key == "reorder":
        return task_actions(portal, call.user_id, task)["checklist.reorder"]
    return actions[key]


@REGISTRY.method("task.checklistitem.getmanifest", scope="task")
def checklist_get_manifest(call: Call) -> dict[str, Any]:
    """The methods' manifest (for reference only, as the page warns)."""
    integer = {"type": "integer"}

    def params(*names: str) -> list[dict[str, Any]]:
        described = []
        for name in names:
            if name == "arFields":
                described.append(
                    {"description": name, "type": "array", "allowedKeys": list(WRITABLE)}
                )
            elif name == "arOrder":
                described.append(
                    {"description": name, "type": "array", "allowedKeys": list(SORTABLE)}
                )
            else:
                described.append({"description": name, **integer})
        return described

    methods: dict[str, Any] = {"getmanifest": {"staticMethod": True, "params": []}}
    for method, names in _PARAM_NAMES.items():
        entry: dict[str, Any] = {
            "staticMethod": method in ("add", "getlist"),
            "mandatoryParamsCount": 1 if method == "getlist" else len(names),
            "params": params(*names),
        }
        if method in ("get", "getlist"):
            entry["allowedKeysInReturnValue"] = list(READABLE)
        if method == "getlist":
            entry["collectionInReturnValue"] = True
        methods[method] = entry
    return {
        "Manifest version": "2.0",
        "Warning": "don't rely on format of this manifest, it can be changed without any "
        "notification",
        "REST: shortname alias to class": "checklistitem",
        "REST: writable checklistitem data fields": list(WRITABLE),
        "REST: readable checklistitem data fields": list(READABLE),
        "REST: sortable checklistitem data fields": list(SORTABLE),
        "REST: date fields": ["TOGGLED_DATE"],
        "REST: available methods": methods,
    }
