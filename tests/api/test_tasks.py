"""``client.tasks`` against the emulated portal: the exact requests and the models back."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from b24tui.api import ActionNotAllowed, B24Client, NotFound, ValidationError
from b24tui.emulator import DEMO_USER_ID, JournalEntry
from b24tui.models import Priority, Task, TaskChanges, TaskStatus
from tests.api.conftest import named
from tests.conftest import ServedEmulator


def last_call(emulator: ServedEmulator, method: str) -> JournalEntry:
    return emulator.app.journal.last(method)


def visible_task(emulator: ServedEmulator, **wanted: Any) -> int:
    """The id of a seeded task the demo user can see, with the given attribute values."""
    for task in sorted(emulator.portal.tasks.values(), key=lambda t: t.id):
        if all(getattr(task, name) == value for name, value in wanted.items()) and (
            DEMO_USER_ID in (task.responsible_id, task.created_by)
        ):
            return task.id
    raise LookupError(f"no seeded task with {wanted}")


async def test_list_asks_one_page_without_a_count(
    client: B24Client, emulator: ServedEmulator
) -> None:
    tasks = await client.tasks.list(
        filter={"RESPONSIBLE_ID": DEMO_USER_ID}, select=["ID", "TITLE", "RESPONSIBLE_ID"]
    )
    call = last_call(emulator, "tasks.task.list")
    assert call.params == {
        "order": {"ID": "asc"},
        "filter": {"RESPONSIBLE_ID": DEMO_USER_ID},
        "select": ["ID", "TITLE", "RESPONSIBLE_ID"],
        "start": -1,
    }
    assert call.content_type == "application/json"
    assert 0 < len(tasks) <= 50
    assert all(isinstance(task, Task) for task in tasks)
    assert [t.id for t in tasks] == sorted(t.id for t in tasks)
    assert all(task.responsible_id == DEMO_USER_ID for task in tasks)


async def test_list_with_an_order(client: B24Client, emulator: ServedEmulator) -> None:
    tasks = await client.tasks.list(select=["ID", "DEADLINE"], order={"ID": "desc"})
    assert named(last_call(emulator, "tasks.task.list"))["order"] == {"ID": "desc"}
    assert [t.id for t in tasks] == sorted((t.id for t in tasks), reverse=True)


async def test_get_sends_task_id(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator)
    task = await client.tasks.get(task_id)
    assert last_call(emulator, "tasks.task.get").params == {"taskId": task_id}
    assert task.id == task_id
    assert task.title == emulator.portal.tasks[task_id].title


async def test_get_of_a_missing_task_is_not_found(client: B24Client) -> None:
    with pytest.raises(NotFound) as caught:
        await client.tasks.get(999_999)
    assert caught.value.title == "Task not found or you have no access"


@pytest.mark.parametrize(
    ("action", "method"),
    [
        ("start", "tasks.task.start"),
        ("pause", "tasks.task.pause"),
        ("complete", "tasks.task.complete"),
        ("defer", "tasks.task.defer"),
        ("renew", "tasks.task.renew"),
        ("approve", "tasks.task.approve"),
        ("disapprove", "tasks.task.disapprove"),
        ("startwatch", "tasks.task.startwatch"),
        ("stopwatch", "tasks.task.stopwatch"),
    ],
)
async def test_actions_send_task_id(
    client: B24Client, emulator: ServedEmulator, action: str, method: str
) -> None:
    task_id = visible_task(emulator)
    with contextlib.suppress(ActionNotAllowed):
        await getattr(client.tasks, action)(task_id)
    assert last_call(emulator, method).params == {"taskId": task_id}


async def test_start_then_pause(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator, status=TaskStatus.PENDING, responsible_id=DEMO_USER_ID)
    started = await client.tasks.start(task_id)
    assert started.status is TaskStatus.IN_PROGRESS
    paused = await client.tasks.pause(task_id)
    assert paused.status is TaskStatus.PENDING


async def test_a_disallowed_action_raises_action_not_allowed(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = visible_task(emulator, status=TaskStatus.PENDING, responsible_id=DEMO_USER_ID)
    with pytest.raises(ActionNotAllowed):
        await client.tasks.pause(task_id)


async def test_delegate_sends_user_id(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator, status=TaskStatus.PENDING, responsible_id=DEMO_USER_ID)
    other = next(uid for uid in emulator.portal.users if uid != DEMO_USER_ID)
    task = await client.tasks.delegate(task_id, other)
    assert last_call(emulator, "tasks.task.delegate").params == {"taskId": task_id, "userId": other}
    assert task.responsible_id == other


async def test_watching_adds_and_removes_me_from_auditors(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = visible_task(emulator, responsible_id=DEMO_USER_ID)
    watched = await client.tasks.startwatch(task_id)
    assert DEMO_USER_ID in watched.auditors
    unwatched = await client.tasks.stopwatch(task_id)
    assert DEMO_USER_ID not in unwatched.auditors


async def test_mute_and_unmute_send_id(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator)
    muted = await client.tasks.mute(task_id)
    assert last_call(emulator, "tasks.task.mute").params == {"id": task_id}
    assert muted.is_muted
    unmuted = await client.tasks.unmute(task_id)
    assert last_call(emulator, "tasks.task.unmute").params == {"id": task_id}
    assert not unmuted.is_muted


async def test_mute_of_a_missing_task_is_not_found(client: B24Client) -> None:
    with pytest.raises(NotFound):
        await client.tasks.mute(999_999)
    with pytest.raises(NotFound):
        await client.tasks.unmute(999_999)


async def test_stopwatch_of_a_missing_task_is_not_found(client: B24Client) -> None:
    with pytest.raises(NotFound, match="Task not found"):
        await client.tasks.stopwatch(999_999)


async def test_favourites(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator)
    await client.tasks.favorite_add(task_id)
    assert last_call(emulator, "tasks.task.favorite.add").params == {"taskId": task_id}
    assert (await client.tasks.get(task_id)).is_favorite
    await client.tasks.favorite_remove(task_id)
    assert last_call(emulator, "tasks.task.favorite.remove").params == {"taskId": task_id}
    assert not (await client.tasks.get(task_id)).is_favorite


async def test_access_history_and_counters(client: B24Client, emulator: ServedEmulator) -> None:
    task_id = visible_task(emulator, responsible_id=DEMO_USER_ID)
    access = await client.tasks.access(task_id)
    assert last_call(emulator, "tasks.task.getaccess").params == {"taskId": task_id}
    assert access.has_access
    history = await client.tasks.history(task_id)
    assert last_call(emulator, "tasks.task.history.list").params == {"taskId": task_id}
    assert all(entry.field for entry in history)
    counters = await client.tasks.counters()
    assert last_call(emulator, "tasks.task.counters.get").params == {}
    assert counters.expired >= 0


async def test_update_falls_back_to_v1_without_v3_and_remembers_it(
    client: B24Client, emulator: ServedEmulator
) -> None:
    emulator.portal.v3_enabled = False
    task_id = visible_task(emulator, created_by=DEMO_USER_ID)
    changes = TaskChanges(title="Renamed by the client", priority=Priority.HIGH)
    task = await client.tasks.update(task_id, changes)
    assert task.title == "Renamed by the client"
    assert task.priority is Priority.HIGH
    calls = emulator.app.journal.entries("tasks.task.update")
    assert [c.api for c in calls] == ["v3", "v1"]
    assert calls[1].params == {
        "taskId": task_id,
        "fields": {"TITLE": "Renamed by the client", "PRIORITY": 2},
    }
    assert client.generations.known(client.host) == "v1"
    await client.tasks.update(task_id, TaskChanges(title="Again"))
    assert [c.api for c in emulator.app.journal.entries("tasks.task.update")] == ["v3", "v1", "v1"]


async def test_update_goes_to_v3_and_reads_the_task_back(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = visible_task(emulator, created_by=DEMO_USER_ID)
    task = await client.tasks.update(task_id, TaskChanges(title="Via REST 3.0"))
    update = last_call(emulator, "tasks.task.update")
    assert update.api == "v3"
    assert update.params == {"id": task_id, "fields": {"title": "Via REST 3.0"}}
    assert last_call(emulator, "tasks.task.get").sequence > update.sequence
    assert task.title == "Via REST 3.0"
    assert client.generations.known(client.host) == "v3"


async def test_update_refuses_empty_changes(client: B24Client) -> None:
    with pytest.raises(ValueError, match="nothing to change"):
        await client.tasks.update(1, TaskChanges())


async def test_add_and_delete(client: B24Client, emulator: ServedEmulator) -> None:
    emulator.portal.v3_enabled = False
    task = await client.tasks.add(TaskChanges(title="Written by the client"))
    assert task.title == "Written by the client"
    assert task.responsible_id == DEMO_USER_ID
    assert last_call(emulator, "tasks.task.add").params == {
        "fields": {"TITLE": "Written by the client", "RESPONSIBLE_ID": DEMO_USER_ID}
    }
    await client.tasks.delete(task.id)
    assert last_call(emulator, "tasks.task.delete").params == {"taskId": task.id}
    with pytest.raises(NotFound):
        await client.tasks.get(task.id)


async def test_add_needs_a_title(client: B24Client) -> None:
    with pytest.raises(ValueError, match="title"):
        await client.tasks.add(TaskChanges(priority=Priority.LOW))


async def test_wrong_task_id_is_a_validation_error(client: B24Client) -> None:
    with pytest.raises(ValidationError):
        await client.call("tasks.task.get", {"taskId": "abc"})


async def test_add_and_delete_go_to_v3_where_the_portal_has_it(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task = await client.tasks.add(TaskChanges(title="Made on REST 3.0", priority=Priority.HIGH))
    add = last_call(emulator, "tasks.task.add")
    assert add.api == "v3"
    assert add.params == {
        "fields": {
            "title": "Made on REST 3.0",
            "priority": "high",
            "responsibleId": DEMO_USER_ID,
            "creatorId": DEMO_USER_ID,
        }
    }
    assert task.title == "Made on REST 3.0"
    assert task.priority is Priority.HIGH
    await client.tasks.delete(task.id)
    delete = last_call(emulator, "tasks.task.delete")
    assert (delete.api, delete.params) == ("v3", {"id": task.id})
    assert task.id not in emulator.portal.tasks


async def test_editing_someone_elses_task_is_refused_on_both_generations(
    client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = next(
        task.id
        for task in emulator.portal.tasks.values()
        if task.responsible_id == DEMO_USER_ID and task.created_by != DEMO_USER_ID
    )
    with pytest.raises(NotFound):
        await client.tasks.update(task_id, TaskChanges(title="Not mine"))
    emulator.portal.v3_enabled = False
    client.generations.forget(client.host)
    with pytest.raises(ActionNotAllowed):
        await client.tasks.update(task_id, TaskChanges(title="Not mine"))
