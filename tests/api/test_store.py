"""The store over real HTTP: one request a refresh, me asked once, the open task riding
along, actions read back once, and the portal's health by cause."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest

from b24tui.actions import TASK_ACTIONS_BY_ID
from b24tui.api import B24Client, B24Error, NotFound, PacingPolicy, Webhook
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.models import TaskStatus
from b24tui.store import (
    FULL_PASS_EVERY,
    IDLE_SLOWER,
    LIMITS_SLOWER,
    Cause,
    PortalStore,
    StoreChange,
)
from tests.conftest import ServedEmulator


@pytest.fixture
def store(client: B24Client, clock: FrozenClock) -> PortalStore:
    return PortalStore(client, clock, refresh_interval=60)


def _mine(emulator: ServedEmulator) -> set[int]:
    me = DEMO_USER_ID
    return {
        t.id
        for t in emulator.portal.tasks.values()
        if me in (t.responsible_id, t.created_by) or me in t.accomplices or me in t.auditors
    }


async def test_a_refresh_is_one_request_after_the_first(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    journal = emulator.app.journal
    await store.refresh()
    assert journal.calls["user.current"] == 1
    assert set(store.tasks) == _mine(emulator)
    assert store.workday is not None, "the workday rode along"
    before = journal.http_requests
    change = await store.refresh()
    assert journal.http_requests - before == 1
    assert journal.calls["user.current"] == 1, "who I am is asked once a session"
    assert journal.calls["timeman.status"] == 2
    assert change.refreshed
    assert not change.tasks, "nothing changed on the portal"


async def test_concurrent_callers_share_one_user_current(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    users = await asyncio.gather(*(store.current_user() for _ in range(5)))
    assert {user.id for user in users} == {DEMO_USER_ID}
    assert emulator.app.journal.calls["user.current"] == 1


async def test_the_open_task_and_its_checklist_ride_along_in_full(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    await store.refresh()
    task_id = next(
        t.id
        for t in emulator.portal.tasks.values()
        if t.responsible_id == DEMO_USER_ID and emulator.portal.checklist_of(t.id)
    )
    assert not store.is_full(task_id)
    store.open_task(task_id)
    before = emulator.app.journal.http_requests
    change = await store.refresh()
    assert emulator.app.journal.http_requests - before == 1
    assert store.is_full(task_id)
    assert task_id in change.checklists
    items = store.checklist(task_id)
    assert items is not None
    assert {item.id for item in items} == {i.id for i in emulator.portal.checklist_of(task_id)}
    store.close_task(task_id)
    await store.refresh()
    assert store.is_full(task_id), "an unchanged task keeps its full record"


async def test_changes_between_refreshes_become_events(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    first = await store.refresh()
    assert first.events == (), "the first read announces nothing"
    task = next(
        t
        for t in emulator.portal.tasks.values()
        if t.responsible_id == DEMO_USER_ID and t.status == int(TaskStatus.PENDING)
    )
    task.status = int(TaskStatus.IN_PROGRESS)
    task.changed_date = emulator.portal.clock.now()
    change = await store.refresh()
    assert [(e.kind.value, e.task_id) for e in change.events] == [("status", task.id)]
    assert task.id in change.tasks


async def test_an_action_is_read_back_once_and_every_listener_hears(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    await store.refresh()
    heard: list[StoreChange] = []
    store.subscribe(heard.append)
    task = next(
        t for t in store.tasks.values() if TASK_ACTIONS_BY_ID["start"].allowed(t, DEMO_USER_ID)
    )
    before = emulator.app.journal.calls["tasks.task.get"]
    outcome = await store.act(TASK_ACTIONS_BY_ID["start"], task)
    assert outcome.certain
    assert outcome.task.status is TaskStatus.IN_PROGRESS
    assert emulator.app.journal.calls["tasks.task.get"] - before == 1
    assert store.task(task.id) == outcome.task
    assert any(task.id in change.tasks for change in heard)


async def test_a_read_that_began_before_an_action_never_undoes_it_on_screen(
    store: PortalStore, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """A refresh (or a task read) under way when an action lands answers with the task as
    it was: the action's read-back, which began later, is what stays."""
    await store.refresh()
    task = next(
        t for t in store.tasks.values() if TASK_ACTIONS_BY_ID["start"].allowed(t, DEMO_USER_ID)
    )
    store.open_task(task.id)
    tasks = store.client.tasks
    deliver = asyncio.Event()

    async def hold(read: Coroutine[Any, Any, Any], answered: asyncio.Event) -> Any:
        result = await read
        answered.set()
        await deliver.wait()  # the answer is on its way while the action runs
        return result

    read_lists, get = tasks.read_lists, tasks.get
    listed, got = asyncio.Event(), asyncio.Event()
    tasks.read_lists = lambda *a, **k: hold(read_lists(*a, **k), listed)  # type: ignore[method-assign]
    tasks.get = lambda *a, **k: hold(get(*a, **k), got)  # type: ignore[method-assign]
    refresh = asyncio.ensure_future(store.refresh())
    load = asyncio.ensure_future(store.load_task(task.id))
    await listed.wait()
    await got.wait()
    tasks.read_lists, tasks.get = read_lists, get  # type: ignore[method-assign]
    clock.advance(60)
    outcome = await store.act(TASK_ACTIONS_BY_ID["start"], task)
    assert outcome.task.status is TaskStatus.IN_PROGRESS
    deliver.set()
    await refresh
    await load
    kept = store.task(task.id)
    assert kept is not None
    assert kept.status is TaskStatus.IN_PROGRESS, "the older answers did not undo the start"
    assert store.is_full(task.id)


async def test_a_lost_answer_is_read_back_never_sent_again(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    await store.refresh()
    task = next(
        t for t in store.tasks.values() if TASK_ACTIONS_BY_ID["start"].allowed(t, DEMO_USER_ID)
    )
    emulator.app.faults.inject("drop", method="tasks.task.start")
    outcome = await store.act(TASK_ACTIONS_BY_ID["start"], task)
    assert not outcome.certain
    assert outcome.task.status is TaskStatus.IN_PROGRESS, "the portal had applied it"
    assert emulator.app.journal.calls["tasks.task.start"] == 1


async def test_a_task_that_is_gone_is_forgotten(
    store: PortalStore, emulator: ServedEmulator
) -> None:
    await store.refresh()
    task_id = next(iter(store.tasks))
    del emulator.portal.tasks[task_id]
    with pytest.raises(NotFound):
        await store.load_task(task_id)
    assert store.task(task_id) is None


async def test_health_says_why_and_when_it_retries(
    store: PortalStore, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    emulator.app.faults.inject("html", method="batch")
    await store.current_user()
    with pytest.raises(B24Error):
        await store.refresh()
    health = store.health
    assert health.cause is Cause.PORTAL
    assert health.retry_at is not None
    assert store.next_refresh_in() == pytest.approx(5.0)
    emulator.app.faults.inject("500", method="batch")
    with pytest.raises(B24Error):
        await store.refresh()
    assert store.health.failures == 2
    assert store.next_refresh_in() == pytest.approx(10.0), "backing off"
    await store.refresh()
    assert store.health.ok
    assert store.next_refresh_in() == 60


async def test_a_refused_webhook_is_not_retried_by_itself(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    url = emulator.webhook_url.replace(emulator.webhook.code, "wrongcode")
    async with B24Client(Webhook.parse(url)) as client:
        store = PortalStore(client, clock)
        with pytest.raises(B24Error):
            await store.refresh()
    assert store.health.cause is Cause.REFUSED
    assert store.next_refresh_in() is None


async def test_full_records_are_bounded_but_the_open_task_keeps_its_own(
    store: PortalStore, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("b24tui.store.MAX_FULL", 2)
    await store.refresh()
    described = sorted(t.id for t in emulator.portal.tasks.values() if t.description)
    first, second, third, fourth = [task_id for task_id in described if task_id in store.tasks][:4]
    store.open_task(first)
    for task_id in (first, second, third, fourth):
        await store.load_task(task_id)
    assert store.is_full(first), "an open task is never let go"
    assert not store.is_full(second), "the least recent full record became a row"
    second_task = store.task(second)
    assert second_task is not None
    assert second_task.description == ""
    assert store.is_full(third)
    assert store.is_full(fourth)


class ParkedPolicy(PacingPolicy):
    """The portal's pacing with one method parked (refused for its operating time)."""

    def waiting(self) -> str | None:
        return "waiting for tasks.task.list (portal limit), 40 s"


async def test_refreshes_wait_longer_while_away_and_while_the_portal_limits_calls(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    webhook = Webhook.parse(emulator.webhook_url)
    async with B24Client(webhook) as free, B24Client(webhook, policy=ParkedPolicy()) as held:
        assert PortalStore(free, clock).next_refresh_in() == 60
        assert PortalStore(free, clock).next_refresh_in(idle=True) == 60 * IDLE_SLOWER
        assert PortalStore(held, clock).next_refresh_in() == 60 * LIMITS_SLOWER


def _list_filters(emulator: ServedEmulator, since: int) -> list[dict[str, Any]]:
    entries = emulator.app.journal.entries("tasks.task.list")[since:]
    return [e.params["filter"] for e in entries if isinstance(e.params, dict)]


async def test_refreshes_read_what_changed_and_every_tenth_reads_all(
    store: PortalStore, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal, journal = emulator.portal, emulator.app.journal
    await store.refresh()
    mine = sorted(_mine(emulator))
    done, dropped = (portal.tasks[task_id] for task_id in mine[:2])
    done.status = 5
    portal.touch(done, 2)
    # I am taken off a task: its change no longer matches my filters.
    dropped.responsible_id = dropped.created_by = 2
    dropped.accomplices, dropped.auditors = [], []
    portal.touch(dropped, 2)
    clock.advance(60)
    seen = len(journal.entries("tasks.task.list"))
    change = await store.refresh()
    filters = _list_filters(emulator, seen)
    assert len(filters) == 4, "a page for each role, no pages past the end"
    assert all(">CHANGED_DATE" in f for f in filters), "only what changed"
    assert change.tasks == {done.id}
    assert store.tasks[done.id].status is TaskStatus.COMPLETED
    assert dropped.id in store.tasks, "not noticed by a read of what changed"
    for _ in range(FULL_PASS_EVERY - 2):
        clock.advance(60)
        await store.refresh()
    assert dropped.id in store.tasks
    seen = len(journal.entries("tasks.task.list"))
    change = await store.refresh()
    filters = _list_filters(emulator, seen)
    assert len(filters) == 4, "each role holds under 50 tasks: one page each"
    assert not any(">CHANGED_DATE" in f for f in filters)
    assert dropped.id in change.removed, "the whole read notices it"
    assert dropped.id not in store.tasks


async def test_a_whole_read_keeps_the_copies_of_unchanged_tasks(
    store: PortalStore, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    await store.refresh()
    before = dict(store.tasks)
    changed = portal.tasks[sorted(_mine(emulator))[0]]
    changed.title = "Renamed before the whole read"
    portal.touch(changed, 2)
    for _ in range(FULL_PASS_EVERY):
        clock.advance(60)
        await store.refresh()
    assert store.tasks[changed.id].title == "Renamed before the whole read"
    unchanged = [task_id for task_id in before if task_id != changed.id]
    assert unchanged
    assert all(store.tasks[task_id] is before[task_id] for task_id in unchanged), (
        "no second copy of a task that did not change"
    )


async def test_a_start_from_cache_reads_everything_first(
    store: PortalStore, client: B24Client, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    await store.refresh()
    again = PortalStore(client, clock)
    again.restore(store.snapshot())
    seen = len(emulator.app.journal.entries("tasks.task.list"))
    await again.refresh()
    assert not any(">CHANGED_DATE" in f for f in _list_filters(emulator, seen))
