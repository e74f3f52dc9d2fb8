"""Task list filters that match nothing return nothing, over real HTTP (v1 and REST 3.0).

A value no task has, or one of the wrong type for the field (text against a list of user
ids), must not fall back to "the list is empty": that answered every task without tags
for ``filter[TAG]=other-tag``, silently wrong data for any client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.seed import ADMIN_USER_ID
from b24tui.emulator.state import Task
from tests.conftest import ServedEmulator

MULTI_VALUED = ("TAG", "UF_CRM_TASK", "ACCOMPLICE", "AUDITOR", "MEMBER", "DOER", "DEPENDS_ON")
"""Every filter key of ``tasks.task.list`` whose field holds a list of values."""


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def tagged(portal: Portal) -> Task:
    """One task with a tag, a CRM binding, an accomplice and an auditor; the other
    tasks of the demo have neither tags nor CRM bindings."""
    task = min(portal.tasks.values(), key=lambda t: t.id)
    task.tags = ["release", "7"]
    task.crm = ["D_7"]
    task.accomplices = [2]
    task.auditors = [3]
    return task


def v1_ids(emulator: ServedEmulator, http: httpx.Client, query: dict[str, Any]) -> set[int]:
    """Every task id ``tasks.task.list`` answers for ``query`` (all pages), as the admin
    would see them (the admin reads every task)."""
    hook = emulator.portal.credentials.add_webhook(ADMIN_USER_ID)
    url = f"{emulator.base_url}/rest/{hook.user_id}/{hook.code}/tasks.task.list"
    found: set[int] = set()
    start = 0
    while True:
        answer = http.get(url, params={**query, "select[]": "ID", "start": start})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        found |= {int(row["id"]) for row in body["result"]["tasks"]}
        if "next" not in body:
            return found
        start = body["next"]


NOTHING_MATCHES: list[tuple[str, Any]] = [
    ("TAG", "other-tag"),
    ("TAG", ["other-tag", "nope"]),
    ("UF_CRM_TASK", "D_99"),
    ("ACCOMPLICE", "nobody"),
    ("ACCOMPLICE", 999999),
    ("AUDITOR", "nobody"),
    ("AUDITOR", "999999"),
    ("MEMBER", "nobody"),
    ("MEMBER", 999999),
    ("DOER", "nobody"),
    ("DOER", 999999),
    ("DEPENDS_ON", "x"),
    ("DEPENDS_ON", 999999),
]


def _query(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return {f"filter[{key}][]": value}
    return {f"filter[{key}]": value}


def test_every_multi_valued_key_is_covered() -> None:
    assert {key for key, _ in NOTHING_MATCHES} == set(MULTI_VALUED)


@pytest.mark.parametrize(("key", "value"), NOTHING_MATCHES)
def test_a_value_no_task_has_matches_no_task(
    emulator: ServedEmulator, http: httpx.Client, tagged: Task, key: str, value: Any
) -> None:
    assert v1_ids(emulator, http, _query(key, value)) == set()
    every = v1_ids(emulator, http, {})
    assert v1_ids(emulator, http, _query("!" + key, value)) == every


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TAG", "release"),
        ("TAG", 7),
        ("TAG", ["nope", "release"]),
        ("UF_CRM_TASK", "D_7"),
        ("ACCOMPLICE", "2"),
        ("AUDITOR", 3),
    ],
)
def test_a_value_one_task_has_matches_that_task(
    emulator: ServedEmulator, http: httpx.Client, tagged: Task, key: str, value: Any
) -> None:
    found = v1_ids(emulator, http, _query(key, value))
    assert tagged.id in found
    if key in ("TAG", "UF_CRM_TASK"):
        assert found == {tagged.id}


# REST 3.0 -------------------------------------------------------------------------------------


def v3_list(emulator: ServedEmulator, http: httpx.Client, condition: Any) -> httpx.Response:
    body = {"filter": [condition], "select": ["id"], "pagination": {"limit": 1000}}
    return http.post(emulator.v3_url + "tasks.task.list", json=body)


@pytest.mark.parametrize(
    "condition",
    [
        ["id", 999999],
        ["id", "in", []],
        ["id", []],
        ["id", "in", [999998, 999999]],
        ["id", ">", 999999],
        ["id", "between", [999998, 999999]],
    ],
)
def test_v3_an_id_no_task_has_matches_no_task(
    emulator: ServedEmulator, http: httpx.Client, condition: list[Any]
) -> None:
    answer = v3_list(emulator, http, condition)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["items"] == []


def test_v3_between_keeps_the_range_inclusive(
    emulator: ServedEmulator, http: httpx.Client, portal: Portal
) -> None:
    visible = sorted(t.id for t in portal.tasks.values() if portal.can_read(DEMO_USER_ID, t))
    low, high = visible[1], visible[3]
    answer = v3_list(emulator, http, ["id", "between", [low, high]])
    assert [item["id"] for item in answer.json()["result"]["items"]] == visible[1:4]


@pytest.mark.parametrize(
    "condition",
    [
        ["id", ">", []],
        ["id", "<=", [5, 6]],
        ["id", "between", [5]],
        ["id", "between", 5],
    ],
)
def test_v3_a_value_that_does_not_fit_the_operator_is_a_validation_error(
    emulator: ServedEmulator, http: httpx.Client, condition: list[Any]
) -> None:
    answer = v3_list(emulator, http, condition)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"
    assert error["validation"][0]["field"] == "id"
