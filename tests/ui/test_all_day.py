"""Kept open all day: one request a tick, slower while the person is away, caught up at
their first key."""

from __future__ import annotations

from b24tui.api import B24Client, Webhook
from b24tui.clock import FrozenClock
from b24tui.screens import DashboardScreen
from b24tui.store import FIRST_RETRY, IDLE_AFTER, IDLE_SLOWER
from b24tui.widgets import AppHeader, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, row_ids
from tests.ui.test_action_queue import my_pending_task
from tests.ui.test_dashboard import SwitchableTransport
from tests.ui.waiting import settled


async def test_away_the_refresh_slows_down_and_the_first_key_catches_it_up(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    journal = emulator.app.journal
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert app.next_refresh_delay == 60
        before = journal.http_requests
        clock.advance(60)
        app.refresh_portal()  # as its timer does
        await settled(pilot)
        assert journal.http_requests - before == 1, "one batched request a tick"
        assert app.next_refresh_delay == 60

        clock.advance(IDLE_AFTER)
        app.refresh_portal()
        await settled(pilot)
        assert app.next_refresh_delay == 60 * IDLE_SLOWER, "nobody has pressed a key for long"

        clock.advance(90)  # the refresh that was due at 60 s has not run
        before = journal.http_requests
        await pilot.press("j")
        await settled(pilot)
        assert journal.http_requests - before == 1, "the first key brings it at once"
        assert app.next_refresh_delay == 60

        clock.advance(30)
        await pilot.press("k")
        await settled(pilot)
        assert journal.http_requests - before == 1, "a key while present changes nothing"


async def test_an_action_that_finds_no_network_says_so_and_the_header_at_once(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    transport = SwitchableTransport()
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=transport) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await settled(pilot)
            table = app.screen.query_one(TaskTable)
            table.choose_task(my_pending_task(emulator))
            await settled(pilot)
            transport.down = True
            await pilot.press("s")
            await settled(pilot)
            [toast] = app._notifications
            assert "It was not sent" in str(toast.message)
            assert app.screen.query_one(AppHeader).connection == "OFFLINE", "not a minute later"
            transport.down = False
            app.refresh_portal()
            await settled(pilot)
            assert app.screen.query_one(AppHeader).connection == ""


async def test_r_pressed_twice_quickly_refreshes_once(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    journal = emulator.app.journal
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        before = journal.http_requests
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        # Both keys in one read of the terminal (over SSH, or a hurried hand): no pause
        # between them for the first refresh to begin.
        dashboard.action_refresh()
        dashboard.action_refresh()
        await pilot.press("escape")
        await settled(pilot)
        assert journal.http_requests - before == 1


async def test_cut_connections_make_it_offline_and_it_comes_back_on_its_own_schedule(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    faults = emulator.app.faults
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        header = app.screen.query_one(AppHeader)
        table = app.screen.query_one(TaskTable)
        rows = row_ids(table)
        await pilot.press("j", "j")
        chosen = table.selected_task_id

        # The portal gets every request and cuts each connection before answering.
        faults.rate, faults.kinds = 1.0, ("drop",)
        delays = []
        for _ in range(4):
            clock.advance(app.next_refresh_delay or 0)
            app.refresh_portal()  # as its timer does
            await settled(pilot)
            delays.append(app.next_refresh_delay)
        assert header.connection == "OFFLINE"
        assert delays == [FIRST_RETRY, FIRST_RETRY * 2, FIRST_RETRY * 4, FIRST_RETRY * 8]
        assert row_ids(table) == rows, "the data stays"
        assert table.selected_task_id == chosen
        assert len(app._notifications) == 1, "the first failure is told, the rest shown"

        faults.rate = 0.0  # the network is back; nobody presses a key
        before = emulator.app.journal.http_requests
        clock.advance(app.next_refresh_delay or 0)
        app.refresh_portal()  # its timer, at the backed-off delay
        await settled(pilot)
        assert emulator.app.journal.http_requests - before == 1
        assert header.connection == ""
        assert header.status == "updated just now"
        assert app.next_refresh_delay == app.services.store.refresh_interval
        assert row_ids(table) == rows
        assert table.selected_task_id == chosen
