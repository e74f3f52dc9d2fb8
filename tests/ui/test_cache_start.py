"""A start from the snapshot cache: the last run's tasks at once, marked, then the portal's."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from b24tui import app as app_module
from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.cache import SnapshotCache
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens import DashboardScreen
from b24tui.services import Services
from b24tui.widgets import AppHeader, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import row_ids
from tests.ui.test_notifications import colleague, new_task, toasts
from tests.ui.waiting import next_frame, settled, until, until_held


def cached_app(client: B24Client, clock: FrozenClock, path: Path) -> B24App:
    cache = SnapshotCache(path, portal=client.host, user_id=DEMO_USER_ID)
    return B24App(Services(client=client, clock=clock, cache=cache))


@pytest.mark.parametrize("read_at_once", [True, False], ids=["small", "large"])
async def test_the_next_start_shows_the_last_runs_tasks_at_once_then_what_changed(
    ui_client: B24Client,
    emulator: ServedEmulator,
    clock: FrozenClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_at_once: bool,
) -> None:
    """A small cache is read before the first paint, a large one in a thread after it."""
    if not read_at_once:
        monkeypatch.setattr(app_module, "SNAPSHOT_AT_ONCE", 0)
    path = tmp_path / "cache" / "default.json"
    first = cached_app(ui_client, clock, path)
    async with first.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        rows = row_ids(first.screen.query_one(TaskTable))
    assert first.services.keep_snapshot(), "as the app quits"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    portal = emulator.portal
    clock.advance(3 * 3600)
    assigned = new_task(portal, colleague(portal), DEMO_USER_ID, "Arrived while you were away")
    emulator.app.faults.inject("timeout", method="batch")  # the refresh's answer waits
    second = cached_app(ui_client, clock, path)
    async with second.run_test(size=(120, 36)) as pilot:
        screen = second.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one(TaskTable)
        if read_at_once:
            assert row_ids(table) == rows, "in the first paint"
        await until_held(pilot, emulator)
        await until(pilot, lambda: row_ids(table) == rows)  # the last run's, unanswered yet
        header = screen.query_one(AppHeader)
        assert header.connection == "CACHED"
        await next_frame(pilot)  # the badge is painted on the frame after it is set
        assert "CACHED" in second.export_screenshot()
        assert toasts(second) == []

        emulator.app.release_held()
        await settled(pilot)
        assert header.connection == ""
        assert header.status == "updated just now"
        assert assigned.id in row_ids(table)
        assert toasts(second) == [
            (
                "New task for you",
                f"#{assigned.id} “Arrived while you were away” by "
                f"{portal.users[colleague(portal)].full_name}",
            )
        ], "what changed while the app was closed is told, once"


async def test_the_cache_is_written_soon_after_a_refresh_and_a_corrupt_one_is_ignored(
    ui_client: B24Client,
    emulator: ServedEmulator,
    clock: FrozenClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_module, "SNAPSHOT_EVERY", 0.01)
    path = tmp_path / "default.json"
    path.write_text('{"version": 1, "portal": ', encoding="utf-8")
    app = cached_app(ui_client, clock, path)
    async with app.run_test(size=(120, 36)) as pilot:
        header = app.screen.query_one(AppHeader)
        assert header.connection == "", "a corrupt cache is not a start from cache"
        await settled(pilot)
        await until(pilot, lambda: path.read_text(encoding="utf-8").startswith('{"version": 1'))
        cached = SnapshotCache(path, portal=ui_client.host).load()
        assert cached is not None
        assert set(cached.snapshot.tasks) == set(app.services.store.tasks)
