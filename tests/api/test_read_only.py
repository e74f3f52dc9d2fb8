"""A read-only client sends only methods known to read; anything else is refused unsent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from b24tui.api import B24Client, Batch, Webhook
from b24tui.api.policy import is_read_method
from b24tui.api.read_only import READ_METHODS, ReadOnlyRefused, is_known_read
from b24tui.emulator import DEMO_USER_ID
from tests.conftest import FIXED_NOW, ServedEmulator


@pytest.fixture
def task_id(emulator: ServedEmulator) -> int:
    """A task of the demo user's."""
    return next(t.id for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)


@pytest.fixture
async def read_only(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    async with B24Client(Webhook.parse(emulator.webhook_url), read_only=True) as client:
        yield client


Write = Callable[[B24Client, int], Awaitable[object]]


async def _batch_with_a_write(client: B24Client, task_id: int) -> object:
    batch = Batch()
    batch.add("tasks.task.get", {"taskId": task_id})
    batch.add("tasks.task.pause", {"taskId": task_id})
    return await client.batch(batch)


WRITES: dict[str, Write] = {
    "tasks.task.start": lambda c, t: c.tasks.start(t),
    "tasks.task.complete": lambda c, t: c.tasks.complete(t),
    "tasks.task.mute": lambda c, t: c.tasks.mute(t),
    "tasks.task.startwatch": lambda c, t: c.tasks.startwatch(t),
    "tasks.task.favorite.add": lambda c, t: c.tasks.favorite_add(t),
    "tasks.task.delegate": lambda c, t: c.tasks.delegate(t, 2),
    "tasks.task.update on either API": lambda c, t: c.call_either(
        "tasks.task.update", v3={"id": t, "fields": {"title": "x"}}, v1={"taskId": t}
    ),
    "task.checklistitem.complete": lambda c, t: c.checklist.complete(t, 1),
    "timeman.open": lambda c, t: c.timeman.open(),
    "timeman.close": lambda c, t: c.timeman.close(FIXED_NOW.replace(hour=18)),
    "an unknown method": lambda c, t: c.call("crm.deal.add", {"fields": {}}),
    "a batch with one write": _batch_with_a_write,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
async def test_a_write_is_refused_before_it_is_sent(
    read_only: B24Client, emulator: ServedEmulator, write: Write, task_id: int
) -> None:
    before = len(emulator.app.journal)
    with pytest.raises(ReadOnlyRefused) as refused:
        await write(read_only, task_id)
    assert refused.value.title == "Read-only: nothing is changed on the portal"
    assert "--read-only" in refused.value.hint
    assert len(emulator.app.journal) == before, "nothing reached the portal"


async def test_reads_are_sent(read_only: B24Client, emulator: ServedEmulator, task_id: int) -> None:
    me = await read_only.users.current()
    assert me.id == DEMO_USER_ID
    assert (await read_only.tasks.get(task_id)).id == task_id
    await read_only.timeman.status()
    batch = Batch()
    batch.add("tasks.task.get", {"taskId": task_id})
    batch.add("user.current", {})
    result = await read_only.batch(batch)
    assert not result.errors
    assert {entry.method for entry in emulator.app.journal} >= {"user.current", "batch"}


async def test_a_client_that_is_not_read_only_writes(
    client: B24Client, emulator: ServedEmulator, task_id: int
) -> None:
    assert not client.read_only
    await client.tasks.mute(task_id)
    assert emulator.app.journal.entries("tasks.task.mute")


def test_every_known_read_is_a_read_to_the_retry_policy_too() -> None:
    assert all(is_read_method(method) for method in READ_METHODS)


@pytest.mark.parametrize(
    ("method", "params", "known"),
    [
        ("TASKS.TASK.LIST", None, True),
        ("tasks.task.list.add", None, False),
        ("batch", {"cmd": {"a": "tasks.task.get?taskId=1", "b": "user.current"}}, True),
        ("batch", {"cmd": ["tasks.task.get?taskId=1", "tasks.task.start?taskId=1"]}, False),
        ("batch", {"cmd": {}}, False),
        ("batch", None, False),
    ],
)
def test_what_counts_as_a_known_read(method: str, params: object, known: bool) -> None:
    assert is_known_read(method, params) is known
