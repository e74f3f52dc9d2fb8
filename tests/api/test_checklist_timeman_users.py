"""``client.checklist``, ``client.timeman``, ``client.users`` and ``client.system`` against
the emulated portal: positional bodies, no ``USER_ID``, the documented parameter names."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from b24tui.api import B24Client, NotFound, ScopeError, Webhook
from b24tui.emulator import DEMO_USER_ID
from b24tui.models import WorkdayStatus
from tests.api.conftest import named
from tests.conftest import ServedEmulator


def task_with_checklist(emulator: ServedEmulator) -> int:
    """A task created by the demo user that has checklist items."""
    portal = emulator.portal
    for task in sorted(portal.tasks.values(), key=lambda t: t.id):
        if task.created_by == DEMO_USER_ID and portal.checklist_of(task.id):
            return task.id
    raise LookupError("no seeded task of the demo user with a checklist")


async def test_items_are_read_with_a_positional_body_and_order(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_with_checklist(emulator)
    items = await client.checklist.items(task_id)
    call = emulator.app.journal.last("task.checklistitem.getlist")
    assert call.params == [task_id, {"PARENT_ID": "asc", "SORT_INDEX": "asc"}]
    assert {item.id for item in items} == {i.id for i in emulator.portal.checklist_of(task_id)}
    assert all(item.task_id == task_id for item in items)
    assert [item.parent_id for item in items] == sorted(item.parent_id for item in items)


async def test_add_update_complete_renew_move_delete(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_with_checklist(emulator)
    journal = emulator.app.journal
    root = next(i for i in emulator.portal.checklist_of(task_id) if i.parent_id == 0)

    item_id = await client.checklist.add(task_id, "Check the figures", parent_id=root.id)
    assert journal.last("task.checklistitem.add").params == [
        task_id,
        {"TITLE": "Check the figures", "PARENT_ID": root.id},
    ]
    second = await client.checklist.add(task_id, "Send them", parent_id=root.id, is_important=True)

    await client.checklist.update(task_id, item_id, title="Check the figures twice")
    assert journal.last("task.checklistitem.update").params == [
        task_id,
        item_id,
        {"TITLE": "Check the figures twice"},
    ]
    await client.checklist.complete(task_id, item_id)
    assert journal.last("task.checklistitem.complete").params == [task_id, item_id]
    assert (await client.checklist.get(task_id, item_id)).is_complete
    await client.checklist.renew(task_id, item_id)
    assert journal.last("task.checklistitem.renew").params == [task_id, item_id]
    assert not (await client.checklist.get(task_id, item_id)).is_complete

    await client.checklist.move_after(task_id, item_id, second)
    assert journal.last("task.checklistitem.moveafteritem").params == [task_id, item_id, second]
    order = [i.id for i in await client.checklist.items(task_id) if i.parent_id == root.id]
    assert order.index(item_id) == order.index(second) + 1

    await client.checklist.delete(task_id, item_id)
    assert journal.last("task.checklistitem.delete").params == [task_id, item_id]
    assert item_id not in {i.id for i in await client.checklist.items(task_id)}


async def test_completing_a_missing_item_raises_instead_of_answering_false(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_with_checklist(emulator)
    with pytest.raises(NotFound, match="Checklist item not found"):
        await client.checklist.complete(task_id, 987_654)
    with pytest.raises(NotFound):
        await client.checklist.renew(task_id, 987_654)


async def test_update_without_fields_is_refused_before_sending(client: B24Client) -> None:
    with pytest.raises(ValueError, match="nothing to change"):
        await client.checklist.update(1, 2)


async def test_workday_round_trip_never_sends_user_id(
    client: B24Client, emulator: ServedEmulator
) -> None:
    journal = emulator.app.journal
    day = await client.timeman.status()
    assert day.status is WorkdayStatus.OPENED
    assert day.worked(emulator.portal.now()) == timedelta(hours=2) - day.time_leaks
    settings = await client.timeman.settings()
    assert settings.enabled
    assert settings.max_start == time(9, 15)
    assert (await client.timeman.pause()).status is WorkdayStatus.PAUSED
    assert (await client.timeman.open()).status is WorkdayStatus.OPENED
    closed = await client.timeman.close(report="Done for today")
    assert closed.status is WorkdayStatus.CLOSED
    assert journal.last("timeman.close").params == {"REPORT": "Done for today"}
    for method in ("timeman.status", "timeman.settings", "timeman.pause", "timeman.open"):
        assert journal.last(method).params == {}


async def test_workday_open_with_an_explicit_time(
    client: B24Client, emulator: ServedEmulator
) -> None:
    await client.timeman.close(report="Closing first")
    start = emulator.portal.now() - timedelta(minutes=5)
    opened = await client.timeman.open(start, report="Started earlier")
    params = emulator.app.journal.last("timeman.open").params
    assert params == {
        "TIME": start.replace(microsecond=0).isoformat(),
        "REPORT": "Started earlier",
    }
    assert opened.status is WorkdayStatus.OPENED


async def test_workday_time_must_be_aware(client: B24Client) -> None:
    with pytest.raises(ValueError, match="timezone"):
        await client.timeman.open(datetime(2026, 3, 16, 9, 0))


async def test_users(client: B24Client, emulator: ServedEmulator) -> None:
    me = await client.users.current()
    assert me.id == DEMO_USER_ID
    ids = sorted(emulator.portal.users)[:3]
    users = await client.users.get_many([*ids, 999_999])
    call = emulator.app.journal.last("user.get")
    assert named(call)["filter"] == {"@ID": [*ids, 999_999]}
    assert named(call)["start"] == -1
    assert [u.id for u in users] == ids
    with pytest.raises(NotFound, match="User not found"):
        await client.users.get(999_999)


async def test_system_profile_scope_and_method_get(
    client: B24Client, emulator: ServedEmulator
) -> None:
    profile = await client.system.profile()
    assert profile.id == DEMO_USER_ID
    assert {"task", "user", "timeman"} <= await client.system.scope()
    info = await client.system.method_get("tasks.task.update")
    assert emulator.app.journal.last("method.get").params == {"name": "tasks.task.update"}
    assert info.is_existing
    assert info.is_available
    missing = await client.system.method_get("no.such.method")
    assert not missing.is_existing


async def test_a_webhook_without_a_scope(emulator: ServedEmulator) -> None:
    hook = emulator.portal.credentials.add_webhook(DEMO_USER_ID, frozenset({"task"}))
    url = f"{emulator.base_url}/rest/{hook.user_id}/{hook.code}/"
    async with B24Client(Webhook.parse(url)) as limited:
        with pytest.raises(ScopeError) as caught:
            await limited.timeman.status()
    assert caught.value.scope == "timeman"
