"""Classic task writes whose answer was lost *before* they changed anything: the client
reads the portal, finds the change missing and sends it once more, never twice.

The portal here fails the next update or add inside, before it writes (a 500), and the
``drop`` fault then cuts that answer off: to the client, exactly like an answer lost after
the write landed.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from b24tui.api import B24Client, OutcomeUnknown, Webhook, WriteIntent
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, JournalEntry, Portal
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call, Registry
from b24tui.models import TaskChanges
from tests.conftest import ServedEmulator

UNLANDED_METHODS = ("tasks.task.update", "tasks.task.add")


@pytest.fixture
def unlanded() -> Counter[str]:
    """How many of the next calls of each method fail before they write."""
    return Counter()


@pytest.fixture
def emulator_app(portal: Portal, unlanded: Counter[str]) -> EmulatorApp:
    """The portal, with classic update and add that fail first as ``unlanded`` says."""
    registry = Registry(methods=dict(REGISTRY.methods))
    for name in UNLANDED_METHODS:
        real = REGISTRY.find("v1", name)
        assert real is not None

        def handler(call: Call, real_handler: Any = real.handler, name: str = name) -> Any:
            if unlanded[name] > 0:
                unlanded[name] -= 1
                raise RestError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
            return real_handler(call)

        registry.methods[("v1", name)] = dataclasses.replace(real, handler=handler)
    portal.v3_enabled = False
    return EmulatorApp(portal, registry=registry)


@pytest.fixture
async def client(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    """The demo user's client, which knows the portal has no REST 3.0."""
    async with B24Client(Webhook.parse(emulator.webhook_url)) as api_client:
        api_client.generations.remember(api_client.host, "v1", reason="no REST 3.0")
        yield api_client


def lose(emulator: ServedEmulator, unlanded: Counter[str], method: str, *, unapplied: int) -> None:
    """Lose the answers of the next ``unapplied`` calls of ``method``, which do not write."""
    unlanded[method] += unapplied
    emulator.app.faults.inject("drop", method=method, count=unapplied)


def sent(emulator: ServedEmulator, method: str) -> list[JournalEntry]:
    return emulator.app.journal.entries(method)


def my_task(emulator: ServedEmulator) -> int:
    return min(
        task.id
        for task in emulator.portal.tasks.values()
        if task.created_by == DEMO_USER_ID and task.status == 2
    )


async def test_an_update_not_on_the_portal_is_sent_once_more(
    emulator: ServedEmulator, client: B24Client, unlanded: Counter[str]
) -> None:
    task_id = my_task(emulator)
    lose(emulator, unlanded, "tasks.task.update", unapplied=1)
    task = await client.tasks.update(
        task_id, TaskChanges(title="Second time"), intent=WriteIntent()
    )
    assert task.title == "Second time"
    first, second = sent(emulator, "tasks.task.update")
    assert (first.fault, first.ok, second.fault, second.ok) == ("drop", False, None, True)
    read = emulator.app.journal.last("tasks.task.get")
    assert first.sequence < read.sequence < second.sequence


async def test_a_create_not_on_the_portal_is_sent_once_more_and_makes_one_task(
    emulator: ServedEmulator, client: B24Client, unlanded: Counter[str]
) -> None:
    before = set(emulator.portal.tasks)
    lose(emulator, unlanded, "tasks.task.add", unapplied=1)
    task = await client.tasks.add(TaskChanges(title="Made on the second try"))
    assert set(emulator.portal.tasks) - before == {task.id}
    first, second = sent(emulator, "tasks.task.add")
    looked = emulator.app.journal.last("tasks.task.list")
    assert first.sequence < looked.sequence < second.sequence


async def test_an_older_task_of_the_same_title_is_not_taken_for_the_new_one(
    emulator: ServedEmulator, client: B24Client, unlanded: Counter[str]
) -> None:
    older = emulator.portal.tasks[my_task(emulator)]
    older.title = "Weekly sync"
    older.responsible_id = DEMO_USER_ID
    older.created_date = emulator.portal.now() - timedelta(hours=1)
    lose(emulator, unlanded, "tasks.task.add", unapplied=1)
    task = await client.tasks.add(TaskChanges(title="Weekly sync"))
    assert task.id != older.id
    titled = [t.id for t in emulator.portal.tasks.values() if t.title == "Weekly sync"]
    assert sorted(titled) == sorted([older.id, task.id])


async def test_a_second_lost_answer_is_read_back_too(
    emulator: ServedEmulator, client: B24Client, unlanded: Counter[str]
) -> None:
    """The once-more send landed and its answer was lost as well: read back, done."""
    task_id = my_task(emulator)
    lose(emulator, unlanded, "tasks.task.update", unapplied=1)
    emulator.app.faults.inject("drop", method="tasks.task.update")
    task = await client.tasks.update(task_id, TaskChanges(title="Landed at last"))
    assert task.title == "Landed at last"
    assert len(sent(emulator, "tasks.task.update")) == 2


async def test_two_unlanded_sends_end_unknown_and_no_third_is_made(
    emulator: ServedEmulator, client: B24Client, unlanded: Counter[str]
) -> None:
    before = set(emulator.portal.tasks)
    lose(emulator, unlanded, "tasks.task.add", unapplied=2)
    with pytest.raises(OutcomeUnknown) as caught:
        await client.tasks.add(TaskChanges(title="Never made"))
    assert caught.value.api == "v1"
    assert len(sent(emulator, "tasks.task.add")) == 2
    assert set(emulator.portal.tasks) == before
