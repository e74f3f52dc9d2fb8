"""A task's multiple user fields (``ufCrmTask``, ``ufTaskWebdavFiles``) come as arrays."""

from __future__ import annotations

from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.models._coerce import to_list
from b24tui.models.task import Task

UF_SELECT = ["ID", "TITLE", "UF_CRM_TASK", "UF_TASK_WEBDAV_FILES"]


def call(portal: Portal, method: str, params: Any) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    return found.handler(Call(portal, DEMO_USER_ID, DEFAULT_SCOPES, "v1", params, portal.now()))


def _plain_task_id(portal: Portal) -> int:
    return next(task.id for task in portal.tasks.values() if task.responsible_id == DEMO_USER_ID)


def test_empty_multiple_fields_are_empty_arrays_as_the_fields_page_types_them(
    portal: Portal,
) -> None:
    task_id = _plain_task_id(portal)
    task = call(portal, "tasks.task.get", {"taskId": task_id, "select": UF_SELECT})["task"]
    assert task["ufCrmTask"] == []
    assert task["ufTaskWebdavFiles"] == []
    assert task["ufMailMessage"] is None
    rows = call(portal, "tasks.task.list", {"select": UF_SELECT}).result["tasks"]
    assert all(isinstance(row["ufCrmTask"], list) for row in rows)
    assert all(isinstance(row["ufTaskWebdavFiles"], list) for row in rows)


def test_bindings_and_files_set_on_add_come_back_as_arrays(portal: Portal) -> None:
    fields = {
        "TITLE": "Bound",
        "RESPONSIBLE_ID": DEMO_USER_ID,
        "UF_CRM_TASK": ["L_4", "D_10"],
        "UF_TASK_WEBDAV_FILES": ["n12345", "n67890"],
    }
    added = call(portal, "tasks.task.add", {"fields": fields})["task"]
    task = call(portal, "tasks.task.get", {"taskId": added["id"], "select": UF_SELECT})["task"]
    assert task["ufCrmTask"] == ["L_4", "D_10"]
    attached = task["ufTaskWebdavFiles"]  # attachment ids, as the get page's [1065, 1077]
    assert [portal.attachments[number].file_id for number in attached] == [12345, 67890]
    kept = call(
        portal,
        "tasks.task.update",
        {"taskId": added["id"], "fields": {"UF_TASK_WEBDAV_FILES": [attached[1], "n5"]}},
    )
    assert kept["task"]["id"] == added["id"]
    task = call(portal, "tasks.task.get", {"taskId": added["id"], "select": UF_SELECT})["task"]
    assert task["ufTaskWebdavFiles"][0] == attached[1]
    assert portal.attachments[task["ufTaskWebdavFiles"][1]].file_id == 5


@pytest.mark.parametrize("empty", [[], False], ids=["array", "false"])
def test_the_client_reads_an_empty_field_in_either_shape(portal: Portal, empty: object) -> None:
    # A real portal is known to send false for an empty multiple field; b24tui reads both.
    task_id = _plain_task_id(portal)
    raw = call(portal, "tasks.task.get", {"taskId": task_id})["task"]
    raw |= {"ufCrmTask": empty, "ufTaskWebdavFiles": empty, "ufMailMessage": None}
    assert Task.from_v1(raw).id == task_id
    assert to_list(empty, "ufCrmTask") == []
