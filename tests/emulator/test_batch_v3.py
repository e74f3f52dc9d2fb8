"""REST 3.0 ``batch`` over real HTTP as the official JS SDK uses it: the body as an array
or as an object keyed ``"0"``…, all or nothing, ``$ref``/``$refArray`` markers, ``time``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal
from tests.conftest import ServedEmulator, probe_registry

INVALID_SELECT = "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION"


@pytest.fixture
def emulator_app(portal: Portal) -> EmulatorApp:
    return EmulatorApp(portal, registry=probe_registry())


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def readable_ids(portal: Portal) -> list[int]:
    return sorted(task.id for task in portal.tasks.values() if portal.can_read(DEMO_USER_ID, task))


def editable_id(portal: Portal) -> int:
    return min(task.id for task in portal.tasks.values() if task.created_by == DEMO_USER_ID)


def batch(emulator: ServedEmulator, http: httpx.Client, body: Any) -> httpx.Response:
    return http.post(emulator.v3_url + "batch", json=body)


def ran(emulator: ServedEmulator) -> list[str]:
    """The methods the batch dispatched, in order (the outer batch left out)."""
    return [entry.method for entry in emulator.app.journal if entry.via_batch]


def test_the_body_may_be_an_object_keyed_in_order_as_the_js_sdk_sends_it(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    commands = [
        {"method": "test.echo", "query": {"id": 289}, "as": "first", "parallel": False},
        {"method": "test.echo", "query": {"id": 429}},
    ]
    as_array = batch(emulator, http, commands)
    as_object = batch(emulator, http, {str(index): item for index, item in enumerate(commands)})
    assert as_array.status_code == as_object.status_code == 200, as_object.text
    expected = [{"item": {"id": 289}}, {"item": {"id": 429}}]
    assert as_array.json()["result"] == as_object.json()["result"] == expected


@pytest.mark.parametrize(
    "body",
    [
        {"1": {"method": "test.echo"}, "0": {"method": "test.echo"}},
        {"first": {"method": "test.echo"}},
    ],
    ids=["out-of-order", "named"],
)
def test_an_object_not_keyed_0_1_in_order_is_refused(
    emulator: ServedEmulator, http: httpx.Client, body: dict[str, Any]
) -> None:
    answer = batch(emulator, http, body)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Batch body must be a JSON array"
    assert ran(emulator) == []


def test_a_failing_command_is_the_whole_answer_and_stops_the_batch(
    emulator: ServedEmulator, http: httpx.Client, portal: Portal
) -> None:
    task_id = editable_id(portal)
    title = portal.tasks[task_id].title
    alone = http.post(emulator.v3_url + "test.v3fail", json={})
    answer = batch(
        emulator,
        http,
        [
            {"method": "test.echo", "query": {"id": 289}},
            {"method": "test.v3fail", "query": {}},
            {"method": "tasks.task.update", "query": {"id": task_id, "fields": {"title": "x"}}},
        ],
    )
    assert (answer.status_code, answer.json()) == (alone.status_code, alone.json())
    assert "result" not in answer.json()
    assert ran(emulator) == ["test.echo", "test.v3fail"]
    assert portal.tasks[task_id].title == title


def test_a_command_refused_by_the_portal_fails_the_batch_with_its_own_status(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    unknown = batch(emulator, http, [{"method": "no.such.method", "query": {}}])
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "ERROR_METHOD_NOT_FOUND"
    nested = batch(emulator, http, [{"method": "batch", "query": []}])
    assert nested.status_code == 405
    assert nested.json()["error"]["code"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"


def test_ref_and_ref_array_take_values_from_earlier_answers(
    emulator: ServedEmulator, http: httpx.Client, portal: Portal
) -> None:
    ids = readable_ids(portal)[:3]
    answer = batch(
        emulator,
        http,
        [
            {"method": "tasks.task.get", "as": "one", "query": {"id": ids[0], "select": ["title"]}},
            {
                "method": "tasks.task.list",
                "as": "some",
                "query": {"filter": [["id", "in", ids]], "select": ["id"]},
            },
            {
                "method": "tasks.task.list",
                "query": {
                    "filter": [["id", "in", {"$refArray": "some.id"}]],
                    "select": ["id", "title"],
                },
            },
            {
                "method": "test.echo",
                "query": {
                    "title": {"$ref": "one.item.title"},
                    "second": {"$ref": "some.items.1.id"},
                    "byIndex": {"$ref": "2.items.0"},
                    "kept": [{"$ref": "one.item.id"}, "$result[0]"],
                },
            },
        ],
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert [item["id"] for item in result[2]["items"]] == ids
    assert result[3]["item"] == {
        "title": portal.tasks[ids[0]].title,
        "second": ids[1],
        "byIndex": {"id": ids[0], "title": portal.tasks[ids[0]].title},
        "kept": [ids[0], "$result[0]"],
    }


@pytest.mark.parametrize(
    "marker",
    [
        {"$ref": "nobody.item.id"},
        {"$ref": "done.result"},
        {"$ref": "echo.item.missing"},
        {"$refArray": "echo"},
        {"$refArray": "echo.id"},
        {"$ref": ""},
    ],
)
def test_a_reference_that_does_not_resolve_fails_the_batch(
    emulator: ServedEmulator, http: httpx.Client, portal: Portal, marker: dict[str, str]
) -> None:
    task_id = editable_id(portal)
    answer = batch(
        emulator,
        http,
        [
            {"method": "test.echo", "as": "echo", "query": {"id": 1}},
            {
                "method": "tasks.task.update",
                "as": "done",
                "query": {"id": task_id, "fields": {"title": "Renamed"}},
            },
            {"method": "test.echo", "query": {"value": marker}},
        ],
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == INVALID_SELECT
    assert ran(emulator) == ["test.echo", "tasks.task.update"]


def test_the_batch_time_block_says_when_the_operating_window_resets(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    v3 = batch(emulator, http, [{"method": "test.echo", "query": {}}]).json()["time"]
    v1 = http.post(emulator.webhook_url + "batch", json={"cmd": {"a": "test.echo"}}).json()
    for time in (v3, v1["time"], v1["result"]["result_time"]["a"]):
        assert time["operating_reset_at"] == int(time["start"]) + 600
    assert v3["operating"] == 0
