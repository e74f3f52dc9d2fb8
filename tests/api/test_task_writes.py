"""Task writes that are never lost and never applied twice: ``client.tasks.update`` and
``add`` with a :class:`WriteIntent`, over real loopback HTTP against the emulated portal.

The wire is watched by a transport that keeps every request the client sends (path,
headers, body); the emulator's journal says what the portal ran and what it replayed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from b24tui.api import (
    B24Client,
    NotFound,
    OutcomeUnknown,
    PacingPolicy,
    ValidationError,
    Webhook,
    WriteIntent,
)
from b24tui.api.client import KEYED_HINT
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, JournalEntry
from b24tui.models import Priority, TaskChanges
from tests.api.conftest import named
from tests.conftest import ServedEmulator

V3 = "BITRIX_REST_V3_EXCEPTION_"


class Recording(httpx.AsyncHTTPTransport):
    """The network, keeping each request the client sends."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await super().handle_async_request(request)

    def sent(self, method: str) -> list[httpx.Request]:
        """The requests of ``method``, oldest first."""
        return [r for r in self.requests if r.url.path.rstrip("/").endswith("/" + method)]


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


class PortalTime:
    """Waits that move the portal's frozen clock instead of the wall clock."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)
        if seconds > 0:
            self.clock.advance(seconds)


@pytest.fixture
def wire() -> Recording:
    return Recording()


@pytest.fixture
def portal_time(clock: FrozenClock) -> PortalTime:
    return PortalTime(clock)


@pytest.fixture
async def plain(emulator: ServedEmulator, wire: Recording) -> AsyncIterator[B24Client]:
    """The demo user's client without a policy: nothing is ever retried."""
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=wire) as client:
        yield client


@pytest.fixture
async def paced(
    emulator: ServedEmulator, wire: Recording, portal_time: PortalTime
) -> AsyncIterator[B24Client]:
    """The demo user's client with the app's PacingPolicy on the portal's clock."""
    policy = PacingPolicy(clock=portal_time, wall=portal_time, sleep=portal_time.sleep, seed=1)
    async with B24Client(
        Webhook.parse(emulator.webhook_url),
        transport=wire,
        policy=policy,
        sleep=portal_time.sleep,
        timeout=httpx.Timeout(0.5, connect=2.0),
    ) as client:
        yield client


def my_task(emulator: ServedEmulator) -> int:
    """A pending task the demo user created (theirs to edit)."""
    return min(
        task.id
        for task in emulator.portal.tasks.values()
        if task.created_by == DEMO_USER_ID and task.status == 2
    )


def calls(emulator: ServedEmulator, method: str, api: str = "v3") -> list[JournalEntry]:
    return [entry for entry in emulator.app.journal.entries(method) if entry.api == api]


def classic_portal(emulator: ServedEmulator, client: B24Client) -> None:
    """Make the portal one without REST 3.0, as the client has already found it to be."""
    emulator.portal.v3_enabled = False
    client.generations.remember(client.host, "v1", reason="a portal without REST 3.0")


# --- what is sent ------------------------------------------------------------------------


async def test_a_title_change_sends_exactly_the_title_to_rest_3(
    emulator: ServedEmulator, plain: B24Client, wire: Recording
) -> None:
    task_id = my_task(emulator)
    intent = WriteIntent()
    task = await plain.tasks.update(task_id, TaskChanges(title="Quarterly report"), intent=intent)
    (request,) = wire.sent("tasks.task.update")
    hook = emulator.webhook
    assert request.url.path == f"/rest/api/{hook.user_id}/{hook.code}/tasks.task.update"
    assert body_of(request) == {"id": task_id, "fields": {"title": "Quarterly report"}}
    assert request.headers["Idempotency-Key"] == intent.key
    assert task.title == "Quarterly report"
    assert wire.requests[-1].url.path.endswith("/tasks.task.get")


async def test_on_a_classic_portal_the_update_has_the_classic_form(
    emulator: ServedEmulator, plain: B24Client, wire: Recording
) -> None:
    emulator.portal.v3_enabled = False
    task_id = my_task(emulator)
    changes = TaskChanges(title="Classic", priority=Priority.HIGH)
    task = await plain.tasks.update(task_id, changes, intent=WriteIntent())
    classic = [r for r in wire.sent("tasks.task.update") if "/rest/api/" not in r.url.path]
    (request,) = classic
    hook = emulator.webhook
    assert request.url.path == f"/rest/{hook.user_id}/{hook.code}/tasks.task.update"
    assert body_of(request) == {"taskId": task_id, "fields": {"TITLE": "Classic", "PRIORITY": 2}}
    assert "Idempotency-Key" not in request.headers
    assert (task.title, task.priority) == ("Classic", Priority.HIGH)


async def test_an_add_sends_only_the_fields_filled_and_what_the_generation_requires(
    emulator: ServedEmulator, plain: B24Client, wire: Recording
) -> None:
    deadline = datetime(2026, 3, 20, 18, 0, tzinfo=timezone(timedelta(hours=2)))
    intent = WriteIntent()
    task = await plain.tasks.add(TaskChanges(title="New one", deadline=deadline), intent=intent)
    (request,) = wire.sent("tasks.task.add")
    assert "/rest/api/" in request.url.path
    assert body_of(request) == {
        "fields": {
            "title": "New one",
            "deadline": "2026-03-20T18:00:00+02:00",
            "responsibleId": DEMO_USER_ID,
            "creatorId": DEMO_USER_ID,
        }
    }
    assert request.headers["Idempotency-Key"] == intent.key
    assert (task.title, task.created_by, task.deadline) == ("New one", DEMO_USER_ID, deadline)


async def test_a_classic_add_sends_no_creator(
    emulator: ServedEmulator, plain: B24Client, wire: Recording
) -> None:
    emulator.portal.v3_enabled = False
    task = await plain.tasks.add(TaskChanges(title="Classic new"))
    (request,) = [r for r in wire.sent("tasks.task.add") if "/rest/api/" not in r.url.path]
    assert body_of(request) == {"fields": {"TITLE": "Classic new", "RESPONSIBLE_ID": DEMO_USER_ID}}
    assert "Idempotency-Key" not in request.headers
    assert task.created_by == DEMO_USER_ID


async def test_each_save_without_an_intent_has_a_key_of_its_own(
    emulator: ServedEmulator, plain: B24Client, wire: Recording
) -> None:
    task_id = my_task(emulator)
    await plain.tasks.update(task_id, TaskChanges(title="One"))
    await plain.tasks.update(task_id, TaskChanges(title="Two"))
    keys = [r.headers["Idempotency-Key"] for r in wire.sent("tasks.task.update")]
    assert len(set(keys)) == 2
    assert emulator.portal.tasks[task_id].title == "Two"


def test_an_intent_keeps_its_key_and_a_new_one_differs() -> None:
    intent = WriteIntent()
    assert intent.key == intent.key
    assert 1 <= len(intent.key) <= 255
    assert intent.key.isascii()
    assert intent.key.isprintable()
    assert WriteIntent().key != intent.key


# --- lost answers on REST 3.0 ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["drop", "timeout", "truncated"])
async def test_a_lost_update_answer_is_sent_again_with_its_key_and_applied_once(
    emulator: ServedEmulator, paced: B24Client, wire: Recording, kind: Any
) -> None:
    task_id = my_task(emulator)
    emulator.app.faults.inject(kind, method="tasks.task.update")
    task = await paced.tasks.update(task_id, TaskChanges(title="Landed once"))
    assert task.title == "Landed once"
    sent = wire.sent("tasks.task.update")
    assert len(sent) == 2
    assert sent[0].headers["Idempotency-Key"] == sent[1].headers["Idempotency-Key"]
    assert sent[0].content == sent[1].content
    journal = emulator.app.journal
    assert journal.ran["tasks.task.update"] == 1
    assert journal.replayed["tasks.task.update"] == 1


async def test_a_lost_create_answer_makes_one_task(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    before = set(emulator.portal.tasks)
    emulator.app.faults.inject("drop", method="tasks.task.add")
    task = await paced.tasks.add(TaskChanges(title="Exactly one"))
    assert set(emulator.portal.tasks) - before == {task.id}
    assert task.title == "Exactly one"
    assert emulator.app.journal.ran["tasks.task.add"] == 1
    assert emulator.app.journal.replayed["tasks.task.add"] == 1


async def test_a_write_without_a_key_is_never_sent_again(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    task_id = my_task(emulator)
    emulator.app.faults.inject("drop", method="tasks.task.update")
    with pytest.raises(OutcomeUnknown) as caught:
        await paced.call_either(
            "tasks.task.update",
            v3={"id": task_id, "fields": {"title": "Keyless"}},
            v1={"taskId": task_id, "fields": {"TITLE": "Keyless"}},
        )
    assert caught.value.api == "v3"
    assert len(emulator.app.journal.entries("tasks.task.update")) == 1


async def test_a_client_that_never_retries_says_the_save_may_be_repeated(
    emulator: ServedEmulator, plain: B24Client
) -> None:
    """The form's retry: the same intent sent again after a lost answer is answered from
    the portal's store, and the edit is applied once."""
    task_id = my_task(emulator)
    intent = WriteIntent()
    changes = TaskChanges(title="Pressed twice")
    emulator.app.faults.inject("drop", method="tasks.task.update")
    with pytest.raises(OutcomeUnknown) as caught:
        await plain.tasks.update(task_id, changes, intent=intent)
    assert caught.value.hint == KEYED_HINT
    assert emulator.app.journal.ran["tasks.task.update"] == 1
    emulator.portal.tasks[task_id].title = "Changed by someone since"
    task = await plain.tasks.update(task_id, changes, intent=intent)
    assert emulator.app.journal.ran["tasks.task.update"] == 1
    assert emulator.app.journal.replayed["tasks.task.update"] == 1
    assert task.title == "Changed by someone since"


async def test_when_the_answer_stays_lost_the_outcome_is_unknown(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    task_id = my_task(emulator)
    emulator.app.faults.inject("drop", method="tasks.task.update", count=20)
    with pytest.raises(OutcomeUnknown) as caught:
        await paced.tasks.update(task_id, TaskChanges(title="Never heard back"))
    assert caught.value.hint == KEYED_HINT
    assert emulator.app.journal.ran["tasks.task.update"] == 1
    assert emulator.app.journal.replayed["tasks.task.update"] >= 1
    assert emulator.portal.tasks[task_id].title == "Never heard back"


# --- lost answers on the classic API -----------------------------------------------------


async def test_a_lost_classic_update_that_landed_is_read_back_not_sent_again(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    classic_portal(emulator, paced)
    task_id = my_task(emulator)
    emulator.app.faults.inject("drop", method="tasks.task.update")
    changes = TaskChanges(title="Read back", priority=Priority.LOW)
    task = await paced.tasks.update(task_id, changes, intent=WriteIntent())
    assert (task.title, task.priority) == ("Read back", Priority.LOW)
    (update,) = calls(emulator, "tasks.task.update", "v1")
    assert update.fault == "drop"
    read = emulator.app.journal.last("tasks.task.get")
    assert read.sequence > update.sequence
    assert named(read)["taskId"] == task_id


async def test_a_classic_read_back_compares_as_the_portal_keeps_values(
    emulator: ServedEmulator, plain: B24Client
) -> None:
    """The portal keeps dates to the second and people in its own order: the edit read
    back with those differences has landed, and is not sent again."""
    classic_portal(emulator, plain)
    task_id = my_task(emulator)
    others = sorted(uid for uid in emulator.portal.users if uid != DEMO_USER_ID)[:2]
    deadline = datetime(2026, 3, 27, 17, 30, 5, 987_654, tzinfo=timezone(timedelta(hours=2)))
    changes = TaskChanges(deadline=deadline, accomplices=(others[1], others[0]))
    emulator.app.faults.inject("drop", method="tasks.task.update")
    task = await plain.tasks.update(task_id, changes)
    assert len(calls(emulator, "tasks.task.update", "v1")) == 1
    assert task.deadline == deadline.replace(microsecond=0)
    assert set(task.accomplices) == set(others)


async def test_a_lost_classic_create_that_landed_is_found_by_title(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    classic_portal(emulator, paced)
    before = set(emulator.portal.tasks)
    emulator.app.faults.inject("drop", method="tasks.task.add")
    task = await paced.tasks.add(TaskChanges(title="Found again"))
    assert set(emulator.portal.tasks) - before == {task.id}
    assert task.title == "Found again"
    assert len(calls(emulator, "tasks.task.add", "v1")) == 1
    looked = emulator.app.journal.last("tasks.task.list")
    assert named(looked)["filter"] == {
        "TITLE": "Found again",
        "CREATED_BY": DEMO_USER_ID,
    }


# --- errors ------------------------------------------------------------------------------


async def test_a_v3_refusal_is_a_validation_error_with_its_fields(
    emulator: ServedEmulator, plain: B24Client
) -> None:
    task_id = my_task(emulator)
    start = datetime(2026, 3, 20, 10, tzinfo=timezone(timedelta(hours=2)))
    changes = TaskChanges(start_date_plan=start, end_date_plan=start - timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        await plain.tasks.update(task_id, changes)
    assert caught.value.fields == (
        ("endPlan", "The end date specified in the planning is earlier than the start date"),
    )
    assert caught.value.code == V3 + "VALIDATION_REQUESTVALIDATIONEXCEPTION"
    assert caught.value.http_status == 400


async def test_a_task_out_of_reach_is_not_found_with_the_portals_code(
    emulator: ServedEmulator, plain: B24Client
) -> None:
    with pytest.raises(NotFound) as caught:
        await plain.tasks.update(999_999, TaskChanges(title="Nobody's"))
    assert caught.value.code == V3 + "ACCESSDENIEDEXCEPTION"
    assert caught.value.http_status == 403
