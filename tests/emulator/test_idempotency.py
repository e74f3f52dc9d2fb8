"""REST 3.0's ``Idempotency-Key`` over real loopback HTTP (``api-reference/rest-v3.md``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal
from tests.conftest import ServedEmulator, demo_webhook_of
from tests.pages import page_text

V3 = "BITRIX_REST_V3_EXCEPTION_"
REUSED = {
    "error": {
        "code": V3 + "IDEMPOTENCYKEYREUSEDEXCEPTION",
        "message": "The key was already used with a different request body",
    }
}
INVALID = {
    "error": {
        "code": V3 + "INVALIDIDEMPOTENCYKEYEXCEPTION",
        "message": "The key value does not fit the length limit or contains invalid characters",
    }
}


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def my_pending_task(portal: Portal) -> int:
    """A task the demo user created and may edit."""
    return min(
        task.id
        for task in portal.tasks.values()
        if task.created_by == DEMO_USER_ID and task.status == 2
    )


def post(
    http: httpx.Client,
    emulator: ServedEmulator,
    method: str,
    body: dict[str, Any],
    key: str | bytes | None = None,
    *,
    v1: bool = False,
) -> httpx.Response:
    base = emulator.webhook_url if v1 else emulator.v3_url
    raw = key.encode() if isinstance(key, str) else key
    headers = {b"Idempotency-Key": raw} if raw is not None else {}
    return http.post(base + method, json=body, headers=headers)


def new_task(title: str) -> dict[str, Any]:
    return {"fields": {"title": title, "creatorId": DEMO_USER_ID, "responsibleId": DEMO_USER_ID}}


def test_the_reasons_are_the_pages_words() -> None:
    page = page_text("api-reference/rest-v3.md")
    assert REUSED["error"]["message"] in page
    assert INVALID["error"]["message"] in page


def test_a_repeated_add_is_answered_from_the_store_and_creates_one_task(
    emulator: ServedEmulator, http: httpx.Client, clock: FrozenClock
) -> None:
    before = len(emulator.portal.tasks)
    first = post(http, emulator, "tasks.task.add", new_task("Prepare a report"), "9f1c-a7e")
    assert first.status_code == 200
    assert first.headers["idempotency-key"] == "9f1c-a7e"
    assert "idempotent-replayed" not in first.headers
    clock.advance(5)
    again = post(http, emulator, "tasks.task.add", new_task("Prepare a report"), "9f1c-a7e")
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["idempotency-key"] == "9f1c-a7e"
    assert again.content == first.content
    assert len(emulator.portal.tasks) == before + 1
    journal = emulator.app.journal
    assert journal.ran["tasks.task.add"] == 1
    assert journal.replayed["tasks.task.add"] == 1
    replayed = journal.last("tasks.task.add")
    assert (replayed.replayed, replayed.ran, replayed.ok) == (True, False, True)
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["replayed"] == {"tasks.task.add": 1}


def test_a_repeated_update_does_not_apply_again(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    task_id = my_pending_task(emulator.portal)
    body = {"id": task_id, "fields": {"title": "Mine"}}
    first = post(http, emulator, "tasks.task.update", body, "edit-1")
    assert first.json()["result"] == {"result": True}
    emulator.portal.tasks[task_id].title = "Someone else's since"
    again = post(http, emulator, "tasks.task.update", body, "edit-1")
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert emulator.portal.tasks[task_id].title == "Someone else's since"
    assert emulator.app.journal.ran["tasks.task.update"] == 1


def test_a_repeated_delete_is_replayed(emulator: ServedEmulator, http: httpx.Client) -> None:
    created = post(http, emulator, "tasks.task.add", new_task("Short-lived")).json()
    body = {"id": created["result"]["item"]["id"]}
    first = post(http, emulator, "tasks.task.delete", body, "gone")
    again = post(http, emulator, "tasks.task.delete", body, "gone")
    assert first.json()["result"] == {"result": True}
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"


def test_the_same_key_with_another_body_is_refused(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    task_id = my_pending_task(emulator.portal)
    post(http, emulator, "tasks.task.update", {"id": task_id, "fields": {"title": "A"}}, "k")
    other = post(
        http, emulator, "tasks.task.update", {"id": task_id, "fields": {"title": "B"}}, "k"
    )
    assert other.status_code == 422
    assert other.json() == REUSED
    assert emulator.portal.tasks[task_id].title == "A"
    assert emulator.app.journal.ran["tasks.task.update"] == 1


def test_the_same_body_in_another_order_is_the_same_call(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    task_id = my_pending_task(emulator.portal)
    fields = {"title": "Same", "priority": "high"}
    post(http, emulator, "tasks.task.update", {"id": task_id, "fields": fields}, "order")
    reordered = {"fields": dict(reversed(fields.items())), "id": task_id}
    again = post(http, emulator, "tasks.task.update", reordered, "order")
    assert again.headers.get("idempotent-replayed") == "true"


def test_a_key_belongs_to_one_method(emulator: ServedEmulator, http: httpx.Client) -> None:
    created = post(http, emulator, "tasks.task.add", new_task("Keyed"), "shared").json()
    task_id = created["result"]["item"]["id"]
    deleted = post(http, emulator, "tasks.task.delete", {"id": task_id}, "shared")
    assert deleted.status_code == 200
    assert "idempotent-replayed" not in deleted.headers
    assert task_id not in emulator.portal.tasks


@pytest.mark.parametrize(
    "key",
    [b"", b"x" * 256, "caf\u00e9".encode(), b"tab\there"],
    ids=["empty", "256 characters", "not ASCII", "a control character"],
)
def test_an_invalid_key_is_refused_before_the_write(
    emulator: ServedEmulator, http: httpx.Client, key: bytes
) -> None:
    task_id = my_pending_task(emulator.portal)
    title = emulator.portal.tasks[task_id].title
    answer = post(
        http, emulator, "tasks.task.update", {"id": task_id, "fields": {"title": "X"}}, key
    )
    assert answer.status_code == 400
    assert answer.json() == INVALID
    assert emulator.portal.tasks[task_id].title == title
    assert emulator.app.journal.ran["tasks.task.update"] == 0


@pytest.mark.parametrize("key", ["k", "x" * 255, "a b!~{}\"'"], ids=["one", "255", "punctuation"])
def test_a_key_of_printable_ascii_up_to_255_is_taken(
    emulator: ServedEmulator, http: httpx.Client, key: str
) -> None:
    task_id = my_pending_task(emulator.portal)
    body = {"id": task_id, "fields": {"title": "Fine"}}
    assert post(http, emulator, "tasks.task.update", body, key).status_code == 200
    again = post(http, emulator, "tasks.task.update", body, key)
    assert again.headers.get("idempotent-replayed") == "true"


def test_a_control_character_is_refused_in_process(portal: Portal) -> None:
    app = EmulatorApp(portal)
    hook = demo_webhook_of(portal)
    body = b'{"id": %d, "fields": {"title": "X"}}' % my_pending_task(portal)
    answer = app.handle(
        "POST",
        f"/rest/api/{hook.user_id}/{hook.code}/tasks.task.update",
        b"",
        "application/json",
        body,
        idempotency_key=b"bell\x07",
    )
    assert (answer.status, answer.body) == (400, INVALID)


def test_errors_are_not_stored(emulator: ServedEmulator, http: httpx.Client) -> None:
    task_id = my_pending_task(emulator.portal)
    wrong = {"id": task_id, "fields": {"responsibleId": 999_999}}
    first = post(http, emulator, "tasks.task.update", wrong, "retry-me")
    again = post(http, emulator, "tasks.task.update", wrong, "retry-me")
    assert (first.status_code, again.status_code) == (400, 400)
    assert "idempotent-replayed" not in again.headers
    assert emulator.app.journal.ran["tasks.task.update"] == 2
    fixed = {"id": task_id, "fields": {"responsibleId": DEMO_USER_ID}}
    assert post(http, emulator, "tasks.task.update", fixed, "retry-me").status_code == 200


def test_an_answer_is_kept_24_hours_of_the_portal_clock(
    emulator: ServedEmulator, http: httpx.Client, clock: FrozenClock
) -> None:
    before = len(emulator.portal.tasks)
    body = new_task("Daily")
    post(http, emulator, "tasks.task.add", body, "daily")
    clock.advance(timedelta(hours=24).total_seconds() - 1)
    kept = post(http, emulator, "tasks.task.add", body, "daily")
    assert kept.headers.get("idempotent-replayed") == "true"
    assert len(emulator.portal.tasks) == before + 1
    clock.advance(1)
    expired = post(http, emulator, "tasks.task.add", body, "daily")
    assert expired.status_code == 200
    assert "idempotent-replayed" not in expired.headers
    assert len(emulator.portal.tasks) == before + 2


def test_the_classic_api_ignores_the_header(emulator: ServedEmulator, http: httpx.Client) -> None:
    task_id = my_pending_task(emulator.portal)
    body = {"taskId": task_id, "fields": {"TITLE": "Classic"}}
    for key in ("classic", "classic", "x" * 300):
        answer = post(http, emulator, "tasks.task.update", body, key, v1=True)
        assert answer.status_code == 200
        assert "idempotent-replayed" not in answer.headers
        assert "idempotency-key" not in answer.headers
    assert emulator.app.journal.ran["tasks.task.update"] == 3
    assert emulator.app.journal.replayed["tasks.task.update"] == 0


def test_reads_ignore_the_header(emulator: ServedEmulator, http: httpx.Client) -> None:
    task_id = my_pending_task(emulator.portal)
    for _ in range(2):
        answer = post(http, emulator, "tasks.task.get", {"id": task_id}, "x" * 300)
        assert answer.status_code == 200
        assert "idempotent-replayed" not in answer.headers
    assert emulator.app.journal.ran["tasks.task.get"] == 2


def test_a_write_whose_answer_was_dropped_is_replayed(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    before = len(emulator.portal.tasks)
    emulator.app.faults.inject("drop", method="tasks.task.add")
    with pytest.raises(httpx.RemoteProtocolError):
        post(http, emulator, "tasks.task.add", new_task("Landed"), "lost")
    assert len(emulator.portal.tasks) == before + 1
    again = post(http, emulator, "tasks.task.add", new_task("Landed"), "lost")
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["result"]["item"]["title"] == "Landed"
    assert len(emulator.portal.tasks) == before + 1
    assert emulator.app.journal.ran["tasks.task.add"] == 1
