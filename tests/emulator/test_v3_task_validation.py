"""The validation tables of REST 3.0 ``tasks.task.update`` (seed 004) and ``tasks.task.add``,
row by row, as a raw HTTP client receives them: the exact JSON body and status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import DEMO_USER_ID, Portal
from tests.conftest import ServedEmulator
from tests.pages import page_text, response_body

V3 = "BITRIX_REST_V3_EXCEPTION_"
VALIDATION = V3 + "VALIDATION_REQUESTVALIDATIONEXCEPTION"
SEED = "seed:004"
ADD_PAGE = "api-reference/tasks/tasks-task-add-rest-v3.md"
FAR_END = "2099-01-01T00:00:00+02:00"
"""An ``endPlan`` more than 2**31 seconds (about 68 years) after 2026."""


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def mine(portal: Portal) -> int:
    return min(
        task.id
        for task in portal.tasks.values()
        if task.created_by == DEMO_USER_ID and task.status == 2 and task.parent_id is None
    )


def refusal(field: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": VALIDATION,
            "message": "Error during request object validation",
            "validation": [{"field": field, "message": message}],
        }
    }


def on_page(page: str, message: str) -> bool:
    """Whether a line of the page's table is ``message`` (its templates #FIELD# and #TYPE#
    standing for any word, the markdown's backticks optional)."""
    text = page_text(page).replace("`", "")
    wanted = message.replace("`", "")
    for cell in re.findall(r"[^\n|]+", text):
        row = cell.strip()
        if row.startswith("#") and " " not in row:
            continue  # a lone #FIELD# (the field column) would match any word
        pattern = re.escape(row).replace("\\#FIELD\\#", r"\w+").replace("\\#TYPE\\#", r"\w+")
        if row and re.fullmatch(pattern, wanted):
            return True
    return False


UPDATE_ROWS: list[tuple[str, dict[str, Any], str, str]] = [
    ("id missing", {"fields": {"title": "x"}}, "id", "Required field `id` is missing"),
    ("fields missing", {"id": 0}, "fields", "Required field `fields` is missing"),
    (
        "id of the wrong type",
        {"id": "11", "fields": {"title": "x"}},
        "id",
        "The field `id` requires data type `int` for such a request",
    ),
    (
        "a field of the wrong type",
        {"id": 0, "fields": {"deadline": "soon"}},
        "deadline",
        "The field `deadline` requires data type `DateTime` for such a request",
    ),
    (
        "responsible not found",
        {"id": 0, "fields": {"responsibleId": 999_999}},
        "responsibleId",
        'The user specified in the "Responsible" field was not found',
    ),
    (
        "parent not found",
        {"id": 0, "fields": {"parentId": 999_999}},
        "parentId",
        'The task specified in the "Parent Task" field was not found',
    ),
    (
        "parent is the task itself",
        {"id": 0, "fields": {"parentId": 0}},
        "parentId",
        "Cannot bind a node to itself",
    ),
    (
        "end before start",
        {
            "id": 0,
            "fields": {
                "startPlan": "2026-03-20T10:00:00+02:00",
                "endPlan": "2026-03-19T10:00:00+02:00",
            },
        },
        "endPlan",
        "The end date specified in the planning is earlier than the start date",
    ),
    (
        "planned too long",
        {"id": 0, "fields": {"startPlan": "2026-03-20T10:00:00+02:00", "endPlan": FAR_END}},
        "endPlan",
        "The duration of the task specified in the planning is too long",
    ),
]


def with_task(body: dict[str, Any], task_id: int) -> dict[str, Any]:
    """``body`` with the placeholder id 0 (the task, or its own parent) made ``task_id``."""
    filled = dict(body)
    if filled.get("id") == 0:
        filled["id"] = task_id
    if isinstance(filled.get("fields"), dict) and filled["fields"].get("parentId") == 0:
        filled["fields"] = {**filled["fields"], "parentId": task_id}
    return filled


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [row[1:] for row in UPDATE_ROWS],
    ids=[row[0] for row in UPDATE_ROWS],
)
def test_update_refuses_each_row_of_the_seeds_table(
    emulator: ServedEmulator, http: httpx.Client, body: dict[str, Any], field: str, message: str
) -> None:
    task_id = mine(emulator.portal)
    task = emulator.portal.tasks[task_id]
    before = (task.title, task.responsible_id, task.parent_id, task.end_date_plan)
    answer = http.post(emulator.v3_url + "tasks.task.update", json=with_task(body, task_id))
    assert answer.status_code == 400
    assert answer.json() == refusal(field, message)
    assert on_page(SEED, message), message
    assert (task.title, task.responsible_id, task.parent_id, task.end_date_plan) == before


def test_update_refuses_creator_id_exactly_as_the_seed_shows(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    body = {"id": mine(emulator.portal), "fields": {"title": "x", "creatorId": DEMO_USER_ID}}
    answer = http.post(emulator.v3_url + "tasks.task.update", json=body)
    assert answer.status_code == 400
    assert answer.json() == response_body(SEED, 400)


def test_update_without_access_is_denied(emulator: ServedEmulator, http: httpx.Client) -> None:
    hidden = next(
        task.id
        for task in emulator.portal.tasks.values()
        if not emulator.portal.can_read(DEMO_USER_ID, task)
    )
    for task_id in (hidden, 999_999):
        answer = http.post(
            emulator.v3_url + "tasks.task.update", json={"id": task_id, "fields": {"title": "x"}}
        )
        assert answer.status_code == 403
        assert answer.json() == {
            "error": {"code": V3 + "ACCESSDENIEDEXCEPTION", "message": "Access denied"}
        }
    assert on_page(SEED, "Access denied")


def test_a_type_error_comes_before_access(emulator: ServedEmulator, http: httpx.Client) -> None:
    body = {"id": 999_999, "fields": {"deadline": "soon"}}
    answer = http.post(emulator.v3_url + "tasks.task.update", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["validation"][0]["field"] == "deadline"


def new(**fields: Any) -> dict[str, Any]:
    return {
        "fields": {
            "title": "New",
            "creatorId": DEMO_USER_ID,
            "responsibleId": DEMO_USER_ID,
            **fields,
        }
    }


ADD_ROWS: list[tuple[str, dict[str, Any], str, str]] = [
    ("fields missing", {}, "fields", "Required field `fields` is missing"),
    (
        "title missing",
        {"fields": {"creatorId": DEMO_USER_ID, "responsibleId": DEMO_USER_ID}},
        "title",
        "Required field `title` is missing",
    ),
    (
        "a field of the wrong type",
        new(deadline="soon"),
        "deadline",
        "Field `deadline` requires data type `DateTime` for this request",
    ),
    (
        "responsible not found",
        new(responsibleId=999_999),
        "responsibleId",
        'User specified in the "Executor" field not found',
    ),
    (
        "parent not found",
        new(parentId=999_999),
        "parentId",
        'Task specified in the "Parent Task" field not found',
    ),
    (
        "end before start",
        new(startPlan="2026-03-20T10:00:00+02:00", endPlan="2026-03-19T10:00:00+02:00"),
        "endPlan",
        "The end date specified in the planning is earlier than the start date",
    ),
    (
        "planned too long",
        new(endPlan=FAR_END),
        "endPlan",
        "The planning duration specified is too long",
    ),
]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [row[1:] for row in ADD_ROWS],
    ids=[row[0] for row in ADD_ROWS],
)
def test_add_refuses_each_row_of_its_pages_table(
    emulator: ServedEmulator, http: httpx.Client, body: dict[str, Any], field: str, message: str
) -> None:
    before = len(emulator.portal.tasks)
    answer = http.post(emulator.v3_url + "tasks.task.add", json=body)
    assert answer.status_code == 400
    assert answer.json() == refusal(field, message)
    assert on_page(ADD_PAGE, message), message
    assert len(emulator.portal.tasks) == before


def test_a_long_but_possible_plan_is_taken(emulator: ServedEmulator, http: httpx.Client) -> None:
    answer = http.post(
        emulator.v3_url + "tasks.task.add",
        json=new(startPlan="2026-03-20T10:00:00+02:00", endPlan="2090-03-20T10:00:00+02:00"),
    )
    assert answer.status_code == 200
    assert answer.json()["result"]["item"]["endPlan"] == "2090-03-20T10:00:00+02:00"
