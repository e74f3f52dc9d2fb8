"""The seeded demo portal's real methods through the HTTP layer: the same call in every
body form, and the chained-batch full scan the client's paging relies on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import ServedEmulator


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def task_ids(answer: dict[str, Any]) -> list[int]:
    return [int(task["id"]) for task in answer["tasks"]]


def test_task_list_reads_the_same_from_query_form_and_json(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    url = emulator.webhook_url + "tasks.task.list"
    php_keys = {"filter[>ID]": "150", "order[ID]": "asc", "select[]": ["ID", "TITLE"]}
    by_query = http.get(url, params=php_keys).json()
    by_form = http.post(url, data=php_keys).json()
    by_json = http.post(
        url, json={"filter": {">ID": 150}, "order": {"ID": "asc"}, "select": ["ID", "TITLE"]}
    ).json()
    assert by_query["result"] == by_form["result"] == by_json["result"]
    ids = task_ids(by_json["result"])
    assert ids == sorted(ids)
    assert ids
    assert min(ids) > 150
    assert set(by_json["result"]["tasks"][0]) == {"id", "title"}
    assert by_json["total"] == len(ids)


def test_chained_batch_scans_every_visible_task_once(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    portal = emulator.portal
    visible = sorted(
        task.id for task in portal.tasks.values() if portal.can_read(emulator.webhook.user_id, task)
    )
    assert 50 < len(visible) < 100  # two pages: the second found through a reference
    page = "tasks.task.list?order[ID]=asc&select[]=ID&start=-1&filter[>ID]="
    cmd = {"p0": page + "0", "p1": page + "$result[p0][tasks][49][id]"}
    answer = http.post(emulator.webhook_url + "batch", json={"halt": 1, "cmd": cmd}).json()
    result = answer["result"]
    first, second = (task_ids(result["result"][key]) for key in ("p0", "p1"))
    assert first + second == visible
    assert result["result_total"] == {"p0": 0, "p1": 0}  # start=-1 skips the count
    chained = emulator.app.journal.entries("tasks.task.list")[1]
    assert chained.via_batch
    assert chained.params == {
        "order": {"ID": "asc"},
        "select": ["ID"],
        "start": "-1",
        "filter": {">ID": str(first[-1])},
    }


def test_documented_batch_of_identity_tasks_and_workday(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    cmd = {
        "me": "user.current",
        "tasks": "tasks.task.list?filter[RESPONSIBLE_ID]=1&select[]=ID&select[]=TITLE&start=0",
        "day": "timeman.status",
    }
    result = http.post(emulator.webhook_url + "batch", json={"halt": 0, "cmd": cmd}).json()
    answers = result["result"]
    assert answers["result"]["me"]["ID"] == str(emulator.webhook.user_id)
    mine = [t for t in emulator.portal.tasks.values() if t.responsible_id == 1]
    assert answers["result_total"] == {"tasks": len(mine)}
    assert answers["result"]["day"]["STATUS"] == "OPENED"
    assert answers["result_error"] == []
    assert set(answers["result_time"]) == set(cmd)


def test_a_webhook_without_timeman_fails_only_that_command(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    narrow = emulator.portal.credentials.add_webhook(1, frozenset({"task", "user"}))
    url = f"{emulator.base_url}/rest/1/{narrow.code}/"
    result = http.post(
        url + "batch", json={"cmd": {"me": "user.current", "day": "timeman.status"}}
    ).json()["result"]
    assert list(result["result"]) == ["me"]
    assert result["result_error"]["day"]["error"] == "insufficient_scope"
    direct = http.post(url + "timeman.status", json={})
    assert direct.status_code == 403
    assert http.post(url + "scope", json={}).json()["result"] == ["task", "user"]


def test_moving_the_clock_past_midnight_expires_the_open_workday(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    status = emulator.webhook_url + "timeman.status"
    assert http.post(status, json={}).json()["result"]["STATUS"] == "OPENED"
    http.post(emulator.base_url + "/_emulator/clock", json={"to": "2026-03-17T08:00:00+02:00"})
    assert http.post(status, json={}).json()["result"]["STATUS"] == "EXPIRED"


def test_v3_task_get_reads_the_json_body_and_ignores_the_query(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    url = emulator.v3_url + "tasks.task.get"
    by_body = http.post(url, json={"id": 101, "select": ["id", "title"]})
    assert by_body.status_code == 200
    assert by_body.json()["result"]["item"]["id"] == 101
    by_query = http.get(url, params={"id": "101"})
    assert by_query.status_code == 400
    error = by_query.json()["error"]
    assert error["code"] == "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"
