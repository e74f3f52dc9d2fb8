"""``tasks.task.getaccess`` over real HTTP: the ``users`` its page accepts and refuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import DEMO_USER_ID, Portal
from tests.conftest import ServedEmulator
from tests.pages import response_body

PAGE = "api-reference/tasks/tasks-task-get-access.md"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def own_task(portal: Portal) -> int:
    return min(task.id for task in portal.tasks.values() if task.created_by == DEMO_USER_ID)


@pytest.mark.parametrize("users", [{}, [], "", "5"], ids=["object", "array", "empty", "text"])
def test_users_that_is_not_a_list_of_ids_is_error_100(
    emulator: ServedEmulator, http: httpx.Client, users: Any
) -> None:
    body = {"taskId": own_task(emulator.portal), "users": users}
    answer = http.post(emulator.webhook_url + "tasks.task.getaccess", json=body)
    assert answer.status_code == 400
    assert answer.json() == response_body(PAGE, 400)


@pytest.mark.parametrize(
    ("users", "answered"),
    [(None, [DEMO_USER_ID]), ([DEMO_USER_ID, 5], [DEMO_USER_ID, 5]), ({"0": 5}, [5])],
    ids=["omitted", "array", "indexed"],
)
def test_users_given_as_ids_are_each_answered(
    emulator: ServedEmulator, http: httpx.Client, users: Any, answered: list[int]
) -> None:
    body: dict[str, Any] = {"taskId": own_task(emulator.portal)}
    if users is not None:
        body["users"] = users
    answer = http.post(emulator.webhook_url + "tasks.task.getaccess", json=body)
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["result"]["allowedActions"]) == [str(u) for u in answered]
