"""``task.elapseditem.*``: time spent on a task, kept, summed and guarded as the pages say."""

from __future__ import annotations

from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.seed import ADMIN_USER_ID
from b24tui.emulator.state import Task
from tests.pages import response_body

ME = DEMO_USER_ID
COLLEAGUE = 5
AUDITOR = 3
PAGES = "api-reference/tasks/elapsed-item/"


def call(portal: Portal, method: str, params: Any, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    return found.handler(Call(portal, user, DEFAULT_SCOPES, "v1", params, portal.now()))


def refusal(portal: Portal, method: str, params: Any, *, user: int = ME) -> str:
    with pytest.raises(RestError) as caught:
        call(portal, method, params, user=user)
    assert caught.value.code == "ERROR_CORE"
    return caught.value.description


@pytest.fixture
def task(portal: Portal) -> Task:
    """The demo user's task, a colleague participating and someone only watching."""
    chosen = next(
        task
        for task in portal.tasks.values()
        if task.created_by == ME and task.group_id == 0 and not portal.elapsed_of(task.id)
    )
    chosen.accomplices = [COLLEAGUE]
    chosen.auditors = [AUDITOR]
    return chosen


def spent(portal: Portal, task: Task) -> str:
    answer = call(portal, "tasks.task.get", {"taskId": task.id, "select": ["TIME_SPENT_IN_LOGS"]})
    return str(answer["task"]["timeSpentInLogs"])


def add(portal: Portal, task: Task, seconds: int, *, user: int = ME, **more: Any) -> int:
    fields = {"SECONDS": seconds, "COMMENT_TEXT": "work", **more}
    item_id = call(portal, "task.elapseditem.add", [task.id, fields], user=user)
    assert isinstance(item_id, int)
    return item_id


def test_the_tasks_time_spent_follows_every_record_added_changed_and_removed(
    portal: Portal, task: Task
) -> None:
    assert spent(portal, task) == "0"
    first = add(portal, task, 600)
    add(portal, task, 300, user=COLLEAGUE)
    assert spent(portal, task) == "900"
    update = [task.id, first, {"SECONDS": 1200, "COMMENT_TEXT": "longer"}]
    assert call(portal, "task.elapseditem.update", update) is None
    assert spent(portal, task) == "1500"
    assert call(portal, "task.elapseditem.delete", [task.id, first]) is None
    assert spent(portal, task) == "300"
    fields = [entry.field for entry in portal.history if entry.task_id == task.id]
    assert fields.count("TIME_SPENT_IN_LOGS") == 4


def test_a_record_reads_back_with_every_value_a_string(portal: Portal, task: Task) -> None:
    new = add(portal, task, 3600, CREATED_DATE="2026-03-01T09:00:00")
    record = call(portal, "task.elapseditem.get", {"TASKID": task.id, "ITEMID": new})
    assert record["SECONDS"] == "3600"
    assert record["MINUTES"] == "60"
    assert record["SOURCE"] == "2"  # entered by hand
    assert record["CREATED_DATE"].startswith("2026-03-01T09:00:00")
    assert all(isinstance(value, str) for value in record.values())


def test_the_seeded_time_spent_is_the_sum_of_the_seeded_records(portal: Portal) -> None:
    assert portal.elapsed
    for task in portal.tasks.values():
        assert task.time_spent_in_logs == sum(item.seconds for item in portal.elapsed_of(task.id))


def test_the_list_spans_every_readable_task_without_a_task_id_and_pages(
    portal: Portal, task: Task
) -> None:
    ids = [add(portal, task, 60 * minutes) for minutes in (1, 2, 3)]
    everything = call(portal, "task.elapseditem.getlist", [{"ID": "desc"}, {">=ID": ids[0]}])
    assert isinstance(everything, Page)
    assert [int(row["ID"]) for row in everything.result] == ids[::-1]
    paged = call(
        portal,
        "task.elapseditem.getlist",
        [
            task.id,
            {"SECONDS": "asc"},
            {},
            ["ID", "SECONDS"],
            {"NAV_PARAMS": {"nPageSize": 2, "iNumPage": 2}},
        ],
    )
    assert (paged.result, paged.total) == ([{"ID": str(ids[2]), "SECONDS": "180"}], 3)
    theirs = call(portal, "task.elapseditem.getlist", [task.id, {}, {"!USER_ID": ME}])
    assert theirs.result == []


def test_the_worker_adds_and_only_the_records_person_or_an_admin_changes_it(
    portal: Portal, task: Task
) -> None:
    assert (
        refusal(
            portal,
            "task.elapseditem.add",
            [task.id, {"SECONDS": 1, "COMMENT_TEXT": ""}],
            user=AUDITOR,
        )
        == "ACTION_NOT_ALLOWED"
    )
    theirs = add(portal, task, 120, user=COLLEAGUE)
    change = [task.id, theirs, {"SECONDS": 1, "COMMENT_TEXT": "mine"}]
    assert refusal(portal, "task.elapseditem.update", change) == "ACTION_NOT_ALLOWED"
    assert refusal(portal, "task.elapseditem.delete", [task.id, theirs]) == "ACTION_NOT_ALLOWED"
    allowed = [
        call(portal, "task.elapseditem.isactionallowed", [task.id, theirs, n]) for n in (1, 2, 3)
    ]
    assert allowed == [True, False, False]
    assert call(portal, "task.elapseditem.update", change, user=ADMIN_USER_ID) is None
    for_someone = [task.id, {"SECONDS": 5, "COMMENT_TEXT": "", "USER_ID": COLLEAGUE}]
    assert refusal(portal, "task.elapseditem.add", for_someone) == "ACTION_NOT_ALLOWED"
    assert isinstance(call(portal, "task.elapseditem.add", for_someone, user=ADMIN_USER_ID), int)


def test_the_pages_error_examples(portal: Portal, task: Task) -> None:
    def documented(page: str) -> str:
        return str(response_body(PAGES + page, 400)["error_description"])

    assert refusal(portal, "task.elapseditem.get", [999_999, 1]) == documented(
        "task-elapsed-item-get.md"
    )
    missing = [task.id, 999_999, {"SECONDS": 1, "COMMENT_TEXT": ""}]
    assert refusal(portal, "task.elapseditem.update", missing) == documented(
        "task-elapsed-item-update.md"
    )
    assert refusal(portal, "task.elapseditem.delete", [task.id, 999_999]) == documented(
        "task-elapsed-item-delete.md"
    )
    assert "SECONDS" in refusal(portal, "task.elapseditem.add", [task.id, {"COMMENT_TEXT": ""}])
