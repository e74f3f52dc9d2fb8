"""``tasks.task.getfields`` and the deprecated, positional ``task.item.list``."""

from __future__ import annotations

from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call, Page
from tests.pages import response_body

ME = DEMO_USER_ID


def call(portal: Portal, method: str, params: Any) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    return found.handler(Call(portal, ME, DEFAULT_SCOPES, "v1", params, portal.now()))


def ids(page: Page) -> list[int]:
    return [int(row["ID"]) for row in page.result]


def test_getfields_describes_every_field_of_its_page_but_the_pages_own_custom_one(
    portal: Portal,
) -> None:
    documented = response_body("api-reference/tasks/tasks-task-get-fields.md")["result"]
    answer = call(portal, "tasks.task.getfields", {})
    assert set(documented["fields"]) - set(answer["fields"]) == {"UF_NEW_TASKS_FIELD"}
    for name, field in answer["fields"].items():
        assert field == documented["fields"][name], name
    answer["fields"]["ID"]["title"] = "changed by a client"
    assert call(portal, "tasks.task.getfields", {})["fields"]["ID"]["title"] == "ID"


def test_item_list_pages_filters_and_sorts_by_position(portal: Portal) -> None:
    visible = sorted(task.id for task in portal.tasks.values() if portal.can_read(ME, task))
    wanted = visible[:6]
    second = call(
        portal,
        "task.item.list",
        {
            "order": {"ID": "desc"},
            "filter": {"ID": wanted},
            "params": {"NAV_PARAMS": {"nPageSize": 2, "iNumPage": 2}},
        },
    )
    assert (ids(second), second.total) == ([wanted[3], wanted[2]], 6)
    everything = call(portal, "task.item.list", {})
    assert ids(everything) == visible[::-1][:50]
    assert everything.total == len(visible)


def test_a_filter_sent_without_an_order_is_read_as_the_order(portal: Portal) -> None:
    # The page: "filtering without sorting returns all tasks".
    alone = call(portal, "task.item.list", {"filter": {"ID": "asc"}})
    visible = [task for task in portal.tasks.values() if portal.can_read(ME, task)]
    assert alone.total == len(visible)
    assert ids(alone) == sorted(task.id for task in visible)[:50]
    skipped = call(portal, "task.item.list", [[], {"ID": visible[0].id}])
    assert ids(skipped) == [visible[0].id]


def test_item_list_rows_are_ctaskitem_data_and_select_keeps_what_is_asked(
    portal: Portal,
) -> None:
    task = next(task for task in portal.tasks.values() if task.responsible_id == ME)
    (full,) = call(portal, "task.item.list", [{}, {"ID": task.id}]).result
    assert full["TITLE"] == task.title
    assert full["RESPONSIBLE_NAME"] == portal.users[ME].name
    assert full["REAL_STATUS"] == str(task.status)
    assert full["TIME_SPENT_IN_LOGS"] == str(task.time_spent_in_logs)
    assert "TAGS" not in full
    picked = call(portal, "task.item.list", [{}, {"ID": task.id}, {}, ["ID", "TITLE"]])
    assert picked.result == [{"ID": str(task.id), "TITLE": task.title}]


def test_an_order_by_an_unknown_key_is_refused(portal: Portal) -> None:
    with pytest.raises(RestError) as caught:
        call(portal, "task.item.list", [{"NOPE": "asc"}])
    assert 'must not contain key "NOPE"' in caught.value.description
