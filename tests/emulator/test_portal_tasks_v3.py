"""REST 3.0 ``tasks.task.*`` handlers (``/rest/api/``)."""

from __future__ import annotations

from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import V3Error
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import Task
from tests.pages import request_body, response_body

ME = DEMO_USER_ID
V3 = "BITRIX_REST_V3_EXCEPTION_"


def call(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> Any:
    found = REGISTRY.find("v3", method)
    assert found is not None, method
    scopes = DEFAULT_SCOPES | {"basic"}
    return found.handler(Call(portal, user, scopes, "v3", params or {}, portal.now()))


def error(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> V3Error:
    with pytest.raises(V3Error) as caught:
        call(portal, method, params, user=user)
    return caught.value


def mine(portal: Portal) -> Task:
    return min(
        (task for task in portal.tasks.values() if task.created_by == ME and task.status == 2),
        key=lambda task: task.id,
    )


def watched(portal: Portal) -> Task:
    return next(
        task
        for task in portal.tasks.values()
        if ME in task.auditors and ME not in (task.created_by, task.responsible_id)
    )


def test_update_as_on_the_seed_page(portal: Portal) -> None:
    task = mine(portal)
    body = request_body("seed:004")
    fields = {key: value for key, value in body["fields"].items() if key != "creatorId"}
    assert call(portal, "tasks.task.update", {"id": task.id, "fields": fields}) == {"result": True}
    assert task.title == fields["title"]
    assert task.responsible_id == fields["responsibleId"]
    assert task.crm == fields["crmItemIds"]
    assert task.deadline is not None
    assert task.deadline.isoformat() == "2025-12-31T23:59:59+02:00"


def test_update_refuses_creator_id_with_the_seed_pages_error(portal: Portal) -> None:
    task = mine(portal)
    body = request_body("seed:004")
    failure = error(portal, "tasks.task.update", {"id": task.id, "fields": body["fields"]})
    example = response_body("seed:004", 400)
    assert failure.status == 400
    assert failure.body() == example
    assert task.title != body["fields"]["title"]


def test_update_without_access_or_task_is_denied(portal: Portal) -> None:
    for task_id in (watched(portal).id, 999_999):
        failure = error(portal, "tasks.task.update", {"id": task_id, "fields": {"title": "x"}})
        assert (failure.status, failure.code, failure.message) == (
            403,
            V3 + "ACCESSDENIEDEXCEPTION",
            "Access denied",
        )


def test_update_validates_id_and_fields(portal: Portal) -> None:
    missing = error(portal, "tasks.task.update", {"fields": {"title": "x"}})
    assert missing.validation == [{"field": "id", "message": "Required field `id` is missing"}]
    as_text = error(portal, "tasks.task.update", {"id": "11", "fields": {"title": "x"}})
    assert as_text.validation[0]["field"] == "id"
    no_fields = error(portal, "tasks.task.update", {"id": mine(portal).id})
    assert no_fields.validation[0]["field"] == "fields"
    bad_date = error(
        portal, "tasks.task.update", {"id": mine(portal).id, "fields": {"deadline": "soon"}}
    )
    assert bad_date.validation[0]["field"] == "deadline"


def test_get_answers_typed_values_and_dotted_relations(portal: Portal) -> None:
    task = mine(portal)
    item = call(
        portal,
        "tasks.task.get",
        {"id": task.id, "select": ["responsible.name", "responsible.email"]},
    )["item"]
    example = response_body("api-reference/tasks/tasks-task-get-rest-v3.md")["result"]["item"]
    assert set(item) == set(example)
    assert item["id"] == task.id
    assert item["status"] == "pending"
    assert item["priority"] in {"low", "average", "high"}
    assert set(item["responsible"]) == {"name", "email"}
    assert set(item["rights"]) == set(example["rights"])
    chosen = call(
        portal, "tasks.task.get", {"id": task.id, "select": ["title", "creatorId", "nope"]}
    )
    assert chosen["item"] == {"id": task.id, "title": task.title, "creatorId": ME}


def test_get_errors(portal: Portal) -> None:
    missing = error(portal, "tasks.task.get", {"id": 2})
    assert (missing.code, missing.message) == (
        V3 + "ENTITYNOTFOUNDEXCEPTION",
        "Record with ID = `2` not found",
    )
    unknown = error(portal, "tasks.task.get", {"id": mine(portal).id, "select": ["responsible.x"]})
    assert unknown.code == V3 + "UNKNOWNDTOPROPERTYEXCEPTION"
    hidden = next(task for task in portal.tasks.values() if not portal.can_read(ME, task))
    assert error(portal, "tasks.task.get", {"id": hidden.id}).status == 403


def test_list_filters_only_by_id_and_pages(portal: Portal) -> None:
    request = request_body("api-reference/tasks/tasks-task-list-rest-v3.md")
    assert call(portal, "tasks.task.list", request) == {"items": []}  # ids above 1000
    request["filter"] = [["id", ">", 110]]
    items = call(portal, "tasks.task.list", request)["items"]
    assert len(items) == 20
    assert [item["id"] for item in items] == sorted(item["id"] for item in items)
    assert min(item["id"] for item in items) > 110
    assert set(items[0]) == {"id", "title", "responsibleId", "deadline", "status"}
    bare = call(portal, "tasks.task.list", {"pagination": {"limit": 3}})["items"]
    assert bare == [{"id": item["id"]} for item in bare]
    assert len(bare) == 3
    refused = error(portal, "tasks.task.list", {"filter": [["title", "=", "x"]]})
    assert refused.validation[0]["field"] == "title"
    assert "Filterable" in refused.validation[0]["message"]
    bad_page = error(portal, "tasks.task.list", {"pagination": {"limit": "abc"}})
    assert bad_page.code == V3 + "INVALIDPAGINATIONEXCEPTION"
    assert error(portal, "tasks.task.list", {"pagination": {"limit": 0}}).code.endswith(
        "PAGINATIONEXCEPTION"
    )
    bad_order = error(portal, "tasks.task.list", {"order": {"color": "ASC"}})
    assert bad_order.code == V3 + "INVALIDORDEREXCEPTION"


def test_add_then_delete(portal: Portal) -> None:
    body = request_body("api-reference/tasks/tasks-task-add-rest-v3.md")
    body["fields"]["creatorId"] = ME
    body["fields"]["responsibleId"] = 5
    item = call(portal, "tasks.task.add", body)["item"]
    example = response_body("api-reference/tasks/tasks-task-add-rest-v3.md")["result"]["item"]
    assert set(example) <= set(item)
    assert item["status"] == "pending"
    assert item["crmItemIds"] == body["fields"]["crmItemIds"]
    assert portal.tasks[item["id"]].responsible_id == 5
    assert call(portal, "tasks.task.delete", {"id": item["id"]}) == {"result": True}
    assert item["id"] not in portal.tasks


def test_add_reports_every_missing_required_field(portal: Portal) -> None:
    failure = error(portal, "tasks.task.add", {"fields": {"deadline": "2026-01-01T00:00:00+02:00"}})
    assert {problem["field"] for problem in failure.validation} == {
        "title",
        "creatorId",
        "responsibleId",
    }
    assert error(portal, "tasks.task.add", {}).validation[0]["field"] == "fields"


def test_delete_and_access_follow_the_rights(portal: Portal) -> None:
    other = watched(portal)
    denied = error(portal, "tasks.task.delete", {"id": other.id})
    assert denied.code == V3 + "ACCESSDENIEDEXCEPTION"
    rights = call(portal, "tasks.task.access.get", {"id": other.id})
    example = response_body("api-reference/tasks/tasks-task-access-get.md")["result"]
    assert set(rights) == set(example)
    assert rights["read"] is True
    assert rights["edit"] is False
    assert call(portal, "tasks.task.access.get", {"id": mine(portal).id})["edit"] is True
