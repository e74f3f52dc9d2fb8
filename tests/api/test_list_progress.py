"""A list read in several requests is told request by request, with the portal's count of
what is coming; the store's first load keeps and tells each part, later refreshes do not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from b24tui.api import B24Client
from b24tui.api.resources.tasks import ListsProgress
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Task as PortalTask
from b24tui.store import LoadProgress, PortalStore, StoreChange
from tests.conftest import ServedEmulator

MORE_TASKS = 300
"""Tasks added for me: more than the first request of a first load reads, fewer than a
refresh reads in one."""


@pytest.fixture
def portal(portal: Portal) -> Portal:
    """The demo portal with :data:`MORE_TASKS` more tasks I am responsible for."""
    now = portal.now()
    for index in range(MORE_TASKS):
        task_id = portal.next_id("task")
        portal.tasks[task_id] = PortalTask(
            id=task_id,
            title=f"Bulk task {index}",
            created_by=2,
            responsible_id=DEMO_USER_ID,
            created_date=now - timedelta(days=1),
            changed_date=now - timedelta(days=1),
        )
    return portal


def _members(portal: Portal) -> set[int]:
    return {task.id for task in portal.tasks.values() if DEMO_USER_ID in task.members()}


async def test_a_list_in_several_requests_is_told_as_each_lands(
    client: B24Client, emulator: ServedEmulator
) -> None:
    filters = [{"RESPONSIBLE_ID": DEMO_USER_ID}, {"CREATED_BY": DEMO_USER_ID}]
    parts: list[ListsProgress] = []
    read = await client.tasks.read_lists(
        filters,
        ["ID", "TITLE"],
        count={"MEMBER": DEMO_USER_ID},
        first_pages=2,
        on_read=parts.append,
    )
    requests = emulator.app.journal.http_requests
    assert requests == 2
    assert len(parts) == requests - 1, "the request that completes the lists is not told"
    (first,) = parts
    assert [len(tasks) for tasks in first.tasks] == [50, 11], "one page a filter first"
    assert first.total == len(_members(emulator.portal))
    for told, whole in zip(first.tasks, read.tasks, strict=True):
        assert whole[: len(told)] == told, "what was told is the start of the whole"
    mine = sorted(t.id for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    assert [task.id for task in read.tasks[0]] == mine


async def test_the_first_load_keeps_each_part_and_says_how_far_it_is(
    client: B24Client, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    store = PortalStore(client, clock)
    seen: list[tuple[StoreChange, LoadProgress | None, int]] = []
    store.subscribe(lambda change: seen.append((change, store.loading, len(store.my_tasks()))))
    await store.refresh()

    parts = [(progress, known) for change, progress, known in seen if change.loading]
    assert parts, "the first load told its first part before the rest"
    total = len(_members(emulator.portal))
    progress, known = parts[0]
    assert progress is not None
    assert progress == LoadProgress(known, total)
    assert 0 < known < total
    assert progress.label == f"loading {known:,} of {total:,}…"
    assert store.loading is None, "the progress goes with the load"
    assert set(store.tasks) == _members(emulator.portal)

    seen.clear()
    before = emulator.app.journal.http_requests
    await store.refresh()
    assert emulator.app.journal.http_requests - before == 1, "a refresh is one request"
    assert not any(change.loading for change, _, _ in seen)


def test_progress_without_a_count_says_what_is_read() -> None:
    assert LoadProgress(2500, None).label == "loading 2,500…"
    assert LoadProgress(7001, 7000).label == "loading 7,001 of 7,001…"
