"""The dashboard's workday strip: one line under the header, ticking from the clock with no
call per tick, still while paused, and "Workday unavailable" while the rest works."""

from __future__ import annotations

from datetime import UTC, timedelta

import httpx

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.registry import REGISTRY, Registry
from b24tui.emulator.state import Pause
from b24tui.screens.dashboard import DashboardScreen
from b24tui.widgets import TaskTable
from b24tui.widgets.workday_strip import WorkdayStrip
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.waiting import settled


def portal_calls(emulator: ServedEmulator) -> dict[str, int]:
    """The portal's own count of the calls it answered, per method (``/_emulator/stats``)."""
    stats = httpx.get(f"{emulator.base_url}/_emulator/stats").json()
    calls: dict[str, int] = stats["calls"]
    return calls


async def test_the_strip_is_one_line_under_the_header_at_80x24(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        strip = app.screen.query_one(WorkdayStrip)
        assert strip.text == (
            "Workday open · started 07:30 · worked 01:42:07 · breaks 00:17:53 · w: workday"
        )
        assert strip.region.height == 1
        assert strip.region.y == 1
        assert len(strip.text) <= 78


async def test_a_wide_strip_names_what_w_offers(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert app.screen.query_one(WorkdayStrip).text.endswith(" · w: pause, finish")


async def test_the_worked_time_ticks_from_the_clock_with_no_call(
    make_app: AppFactory, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        strip = screen.query_one(WorkdayStrip)
        before = portal_calls(emulator)
        for seconds in ("08", "09", "10"):
            clock.advance(1)
            screen.tick()
            await pilot.pause()
            assert f"worked 01:42:{seconds}" in strip.text
        clock.advance(3600)
        screen.tick()
        await pilot.pause()
        assert "worked 02:42:10" in strip.text
        assert portal_calls(emulator) == before


async def test_a_day_first_seen_paused_shows_no_figure_and_never_ticks(
    make_app: AppFactory, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        strip = screen.query_one(WorkdayStrip)
        shown = strip.text
        assert shown == "Workday paused · started 07:30 · breaks 00:17:53 · w: resume, finish"
        clock.advance(120)
        screen.tick()
        await pilot.pause()
        assert strip.text == shown


async def test_a_pause_seen_by_a_refresh_keeps_the_last_open_figure(
    make_app: AppFactory, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        clock.advance(60)  # worked 01:43:07 as this refresh reads it
        app.refresh_portal()
        await settled(pilot)
        clock.advance(30)
        emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
        clock.advance(300)
        app.refresh_portal()
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        strip = screen.query_one(WorkdayStrip)
        assert strip.text.startswith("Workday paused · started 07:30 · worked 01:43:07")
        clock.advance(600)
        screen.tick()
        await pilot.pause()
        assert "worked 01:43:07" in strip.text


async def test_the_local_tick_agrees_with_the_portal_after_a_refresh(
    make_app: AppFactory, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        day = emulator.portal.workdays[DEMO_USER_ID]
        day.extra_leaks += timedelta(minutes=10)  # breaks counted elsewhere
        clock.advance(5)
        app.refresh_portal()
        await settled(pilot)
        text = app.screen.query_one(WorkdayStrip).text
        assert "worked 01:32:12" in text
        assert "breaks 00:27:53" in text


def _without_timeman() -> Registry:
    methods = {key: m for key, m in REGISTRY.methods.items() if not key[1].startswith("timeman.")}
    return Registry(methods=methods)


async def test_a_portal_without_the_workday_says_unavailable_and_the_tasks_still_load(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    emulator.app.dispatcher.registry = _without_timeman()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.screen.query_one(WorkdayStrip).text == "Workday unavailable · w says why"
        assert app.screen.query_one(TaskTable).row_count > 0


async def test_a_start_in_another_zone_than_the_terminal_s_names_it(
    make_app: AppFactory, clock: FrozenClock
) -> None:
    """The day started in UTC+2, the terminal is in UTC: 07:30 alone would read as a start
    two hours ahead. The zone goes with the start, never dropped alone: at 80 columns the
    hint to press w gives way first."""
    clock.local_zone = UTC
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        strip = app.screen.query_one(WorkdayStrip)
        assert strip.text == (
            "Workday open · started 07:30 UTC+2 · worked 01:42:07 · breaks 00:17:53"
        )
        assert strip.region.height == 1
        await pilot.resize_terminal(120, 36)
        await settled(pilot)
        assert strip.text == (
            "Workday open · started 07:30 UTC+2 · worked 01:42:07 · breaks 00:17:53"
            " · w: pause, finish"
        )
