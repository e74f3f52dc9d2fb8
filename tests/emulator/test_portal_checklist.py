"""The positional ``task.checklistitem.*`` handlers."""

from __future__ import annotations

from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import ChecklistItem, Task
from tests.pages import response_body

ME = DEMO_USER_ID


def call(portal: Portal, method: str, params: Any, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    scopes = DEFAULT_SCOPES | {"basic"}
    return found.handler(Call(portal, user, scopes, "v1", params, portal.now()))


def error(portal: Portal, method: str, params: Any, *, user: int = ME) -> RestError:
    with pytest.raises(RestError) as caught:
        call(portal, method, params, user=user)
    assert caught.value.code == "ERROR_CORE"
    return caught.value


def my_task_with_checklist(portal: Portal) -> Task:
    return next(
        task
        for task in sorted(portal.tasks.values(), key=lambda task: task.id)
        if task.responsible_id == ME and task.status in (2, 3) and portal.checklist_of(task.id)
    )


def watched_task_with_checklist(portal: Portal) -> Task:
    return next(
        task
        for task in portal.tasks.values()
        if ME in task.auditors
        and ME not in (task.created_by, task.responsible_id, *task.accomplices)
        and portal.checklist_of(task.id)
    )


def an_item(portal: Portal, task: Task, *, complete: bool | None = None) -> ChecklistItem:
    return next(
        item
        for item in portal.checklist_of(task.id)
        if item.parent_id != 0 and (complete is None or item.is_complete == complete)
    )


def test_getlist_rows_look_like_the_doc_example(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    rows = call(portal, "task.checklistitem.getlist", [task.id, {"SORT_INDEX": "asc"}])
    example = response_body("api-reference/tasks/checklist-item/task-checklist-item-get-list.md")[
        "result"
    ][1]
    assert all(set(row) == set(example) for row in rows)
    assert {row["ID"] for row in rows} == {str(item.id) for item in portal.checklist_of(task.id)}
    roots = [row for row in rows if row["PARENT_ID"] == 0]
    assert roots
    assert all(isinstance(row["PARENT_ID"], str) for row in rows if row not in roots)
    indexes = [int(row["SORT_INDEX"]) for row in rows]
    assert indexes == sorted(indexes)
    default = call(portal, "task.checklistitem.getlist", [task.id])
    assert [int(row["ID"]) for row in default] == sorted(
        (item.id for item in portal.checklist_of(task.id)), reverse=True
    )


def test_named_keys_in_order_work_like_an_array(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    item = an_item(portal, task)
    by_position = call(portal, "task.checklistitem.get", [task.id, item.id])
    by_name = call(portal, "task.checklistitem.get", {"TASKID": task.id, "ITEMID": item.id})
    by_form = call(portal, "task.checklistitem.get", {"1": str(item.id), "0": str(task.id)})
    assert by_position == by_name == by_form
    assert by_name["TITLE"] == item.title


def test_complete_with_keys_in_the_wrong_order_answers_false(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    item = an_item(portal, task, complete=False)
    swapped = call(portal, "task.checklistitem.complete", {"ITEMID": item.id, "TASKID": task.id})
    assert swapped is False

    def done() -> bool:
        return portal.checklist_items[item.id].is_complete

    assert not done()
    assert call(portal, "task.checklistitem.complete", [task.id, item.id]) is True
    assert done()
    assert item.toggled_by == ME
    toggled = item.toggled_date
    assert call(portal, "task.checklistitem.complete", [task.id, item.id]) is True
    assert item.toggled_date == toggled
    assert call(portal, "task.checklistitem.renew", [task.id, item.id]) is True
    assert not done()
    assert call(portal, "task.checklistitem.complete", [task.id, 999_999]) is False


def test_complete_refuses_non_positive_ids(portal: Portal) -> None:
    failure = error(portal, "task.checklistitem.complete", [0, 5])
    assert failure.description == "TASKS_ERROR_ASSERT_EXCEPTION<br>"


def test_get_with_swapped_keys_is_not_found(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    item = an_item(portal, task)
    failure = error(portal, "task.checklistitem.get", {"ITEMID": item.id, "TASKID": task.id})
    assert failure.description == (
        "TASKS_ERROR_EXCEPTION_#512; Check listitem not found or not accessible; "
        "512/TE/ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE<br>"
    )


def test_add_builds_items_under_the_given_parent(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    checklist = next(item for item in portal.checklist_of(task.id) if item.parent_id == 0)
    new_id = call(
        portal,
        "task.checklistitem.add",
        [
            task.id,
            {
                "TITLE": "Prepare the report",
                "PARENT_ID": checklist.id,
                "IS_IMPORTANT": "Y",
                "MEMBERS": {"5": {"TYPE": "A"}},
            },
        ],
    )
    assert isinstance(new_id, int)
    row = call(portal, "task.checklistitem.get", [task.id, new_id])
    assert row["PARENT_ID"] == str(checklist.id)
    assert row["IS_IMPORTANT"] == "Y"
    assert row["MEMBERS"][0]["ID"] == "5"
    assert row["MEMBERS"][0]["TYPE"] == "A"
    assert 5 in task.accomplices or task.responsible_id == 5
    fresh = call(portal, "task.checklistitem.add", [task.id, {"TITLE": "New list", "PARENT_ID": 0}])
    assert portal.checklist_items[fresh].parent_id == 0
    sub = call(portal, "task.checklistitem.add", [task.id, {"TITLE": "Sub", "PARENT_ID": new_id}])
    assert portal.checklist_items[sub].parent_id == new_id


def test_add_without_parent_goes_to_the_first_checklist_or_creates_one(portal: Portal) -> None:
    task = next(
        task
        for task in portal.tasks.values()
        if task.responsible_id == ME and task.status == 2 and not portal.checklist_of(task.id)
    )
    item_id = call(portal, "task.checklistitem.add", {"TASKID": task.id, "FIELDS": {"TITLE": "A"}})
    parent = portal.checklist_items[portal.checklist_items[item_id].parent_id]
    assert parent.parent_id == 0
    second = call(portal, "task.checklistitem.add", [task.id, {"TITLE": "B"}])
    assert portal.checklist_items[second].parent_id == parent.id


def test_add_errors(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    no_title = error(portal, "task.checklistitem.add", [task.id, {"SORT_INDEX": 1}])
    assert "Item name not specified" in no_title.description
    no_fields = error(portal, "task.checklistitem.add", [task.id])
    assert no_fields.description.startswith(
        "TASKS_ERROR_EXCEPTION_#256; Param #1 (arFields) expected by method "
        "ctaskchecklistitem::add(), but not given."
    )
    swapped = error(portal, "task.checklistitem.add", {"FIELDS": {"TITLE": "x"}, "TASKID": task.id})
    assert (
        'Param #0 (taskId) for method ctaskchecklistitem::add() expected to be of type "integer"'
        in (swapped.description)
    )
    watched = watched_task_with_checklist(portal)
    refused = error(portal, "task.checklistitem.add", [watched.id, {"TITLE": "mine"}])
    assert refused.description == (
        "TASKS_ERROR_EXCEPTION_#8; Adding item: action not allowed; "
        "8/TE/ACTION_FAILED_TO_BE_PROCESSED<br>"
    )


def test_update_delete_and_permissions(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    item = an_item(portal, task)
    assert (
        call(portal, "task.checklistitem.update", [task.id, item.id, {"TITLE": "Renamed"}]) is None
    )
    assert item.title == "Renamed"
    misordered = error(
        portal,
        "task.checklistitem.update",
        {"TASKID": task.id, "FIELDS": {"TITLE": "x"}, "ITEMID": item.id},
    )
    assert "Param #1 (itemId)" in misordered.description
    watched = watched_task_with_checklist(portal)
    foreign = an_item(portal, watched)
    refused = error(portal, "task.checklistitem.update", [watched.id, foreign.id, {"TITLE": "x"}])
    assert refused.description == (
        "TASKS_ERROR_EXCEPTION_#4; No access to edit the task; 4/TE/ACTION_NOT_ALLOWED<br>"
    )
    checklist = portal.checklist_items[item.parent_id]
    while checklist.parent_id:
        checklist = portal.checklist_items[checklist.parent_id]
    assert call(portal, "task.checklistitem.delete", [task.id, checklist.id]) is True
    assert all(node.parent_id != checklist.id for node in portal.checklist_of(task.id))
    assert item.id not in portal.checklist_items
    gone = error(portal, "task.checklistitem.delete", [task.id, checklist.id])
    assert "Deleting item: action not allowed" in gone.description


def test_move_after_item_takes_the_other_items_parent(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    checklist = next(item for item in portal.checklist_of(task.id) if item.parent_id == 0)
    first = call(
        portal, "task.checklistitem.add", [task.id, {"TITLE": "one", "PARENT_ID": checklist.id}]
    )
    nested = call(
        portal, "task.checklistitem.add", [task.id, {"TITLE": "deep", "PARENT_ID": first}]
    )
    assert call(portal, "task.checklistitem.moveafteritem", [task.id, nested, first]) is None
    moved = portal.checklist_items[nested]
    assert moved.parent_id == checklist.id
    assert moved.sort_index == portal.checklist_items[first].sort_index + 1


def test_is_action_allowed_follows_the_role(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    item = an_item(portal, task)
    for action_id in (1, 2, 3, 4, 5):
        assert call(portal, "task.checklistitem.isactionallowed", [task.id, item.id, action_id])
    watched = watched_task_with_checklist(portal)
    foreign = an_item(portal, watched)
    assert call(portal, "task.checklistitem.isactionallowed", [watched.id, foreign.id, 2]) is False
    assert call(portal, "task.checklistitem.isactionallowed", [task.id, 999_999, 2]) is False
    missing = error(portal, "task.checklistitem.isactionallowed", [task.id, item.id])
    assert "Param #2 (actionId) expected by method ctaskchecklistitem::isactionallowed()" in (
        missing.description
    )


def test_getlist_errors(portal: Portal) -> None:
    task = my_task_with_checklist(portal)
    bad_key = error(portal, "task.checklistitem.getlist", [task.id, {"IS_COMPLETED": "asc"}])
    assert 'must not contain key "IS_COMPLETED"' in bad_key.description
    hidden = next(task for task in portal.tasks.values() if not portal.can_read(ME, task))
    denied = error(portal, "task.checklistitem.getlist", [hidden.id])
    assert "Action failed" in denied.description


def test_manifest_lists_the_methods(portal: Portal) -> None:
    manifest = call(portal, "task.checklistitem.getmanifest", [])
    methods = manifest["REST: available methods"]
    assert methods["complete"]["params"][1]["description"] == "itemId"
    assert methods["getlist"]["mandatoryParamsCount"] == 1
    assert "IS_COMPLETE" in manifest["REST: sortable checklistitem data fields"]
