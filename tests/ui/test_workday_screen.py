"""The workday screen (``w``): the day with its settings, the actions its status allows (each
sent once, with no ``USER_ID``, pending shown at once and one message at the end), and the
expired day's finish with its report."""

from __future__ import annotations

from datetime import UTC, timedelta

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.state import Pause
from b24tui.screens.workday import FinishDialog, WorkdayScreen
from b24tui.widgets.workday_strip import WorkdayStrip
from tests.conftest import FIXED_NOW, ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.test_palette import open_palette, search
from tests.ui.waiting import settled, until_held


def timeman_writes(emulator: ServedEmulator) -> list[tuple[str, object]]:
    """The workday writes the portal answered, with their parameters, in order."""
    reads = ("timeman.status", "timeman.settings")
    return [
        (entry.method, entry.params)
        for entry in emulator.app.journal
        if entry.method.startswith("timeman.") and entry.method not in reads
    ]


def rows(app: B24App) -> str:
    screen = app.screen
    assert isinstance(screen, WorkdayScreen)
    return screen.rows_text


def note(app: B24App) -> str:
    return str(app.screen.query_one("#workday-note", Static).render())


def footer_keys(app: B24App) -> set[str]:
    """The workday keys the screen offers now."""
    return {
        binding.action
        for _, binding, enabled, _ in app.screen.active_bindings.values()
        if enabled and binding.action.startswith("workday_")
    }


async def open_workday(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("w")
    await settled(pilot)
    assert isinstance(pilot.app.screen, WorkdayScreen)


async def test_w_opens_the_day_with_its_settings(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        shown = rows(app)
        assert "Status    open" in shown
        assert "Started   07:30 (UTC+2)" in shown
        assert "a late start" not in shown
        assert "Worked    01:42:07 · 06:17:53 to the minimum of 08:00:00" in shown
        assert "Breaks    00:17:53" in shown
        assert "Finished  —" in shown
        assert (
            "Schedule  latest start 09:15 · earliest finish 17:45 · minimum 08:00:00 · fixed"
        ) in shown
        assert footer_keys(app) == {"workday_pause", "workday_finish"}
        await pilot.press("escape")
        assert not isinstance(app.screen, WorkdayScreen)


async def test_a_late_start_and_a_short_day_are_said(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    day = emulator.portal.workdays[DEMO_USER_ID]
    day.time_start = (clock.now() - timedelta(minutes=5)).astimezone(FIXED_NOW.tzinfo)  # 09:25
    day.pauses.clear()
    clock.advance(3600)
    day.time_finish = clock.now()
    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await open_workday(pilot)
        shown = rows(app)
        assert "Started   09:25 (UTC+2) · a late start: the latest start is 09:15" in shown
        assert "Worked    01:05:00 · a short day: 06:55:00 under the minimum" in shown
        assert "Finished  10:30 (UTC+2)" in shown, "its zone, as Started has"
        assert footer_keys(app) == {"workday_start"}


async def test_pause_shows_pending_at_once_sends_once_and_stops_the_clock(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    notes: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
        emulator.app.faults.inject("timeout", method="timeman.pause")
        await pilot.press("p")
        await until_held(pilot, emulator)
        assert note(app) == "Pausing…"
        await pilot.pause()
        assert "Pausing…" in app.screen_stack[-2].query_one(WorkdayStrip).text
        assert emulator.app.release_held() == 1
        await settled(pilot)
        assert timeman_writes(emulator) == [("timeman.pause", {})]
        assert notes == ["Workday paused at 09:30."]
        assert "Worked    01:42:07 (as of the pause)" in rows(app)
        clock.advance(900)
        screen = app.screen
        assert isinstance(screen, WorkdayScreen)
        screen.tick()
        await pilot.pause()
        assert "Worked    01:42:07 (as of the pause)" in rows(app)
        assert footer_keys(app) == {"workday_resume", "workday_finish"}
        await pilot.press("s")
        await settled(pilot)
        assert timeman_writes(emulator)[-1] == ("timeman.open", {})
        assert "Status    open" in rows(app)
        assert "Worked    01:42:07" in rows(app)  # the break is not worked time
        await pilot.press("escape")
        await settled(pilot)
        assert "worked 01:42:07" in app.screen.query_one(WorkdayStrip).text


async def test_a_workday_key_while_an_action_is_under_way_is_answered_not_sent(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """A second p says the pause is under way, as a task action's does; f says what it waits
    for. Both keys stay bound; nothing more is sent, and the pause ends in one result."""
    notes: list[tuple[str, str]] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)

        def notify(message: str, *, severity: str = "information", **_: object) -> None:
            notes.append((str(message), severity))

        app.notify = notify  # type: ignore[method-assign]
        emulator.app.faults.inject("timeout", method="timeman.pause")
        await pilot.press("p")
        await until_held(pilot, emulator)
        assert footer_keys(app) == {"workday_pause", "workday_finish"}
        await pilot.press("p")
        assert notes == [
            (
                "Pausing the workday is already under way; its result will follow.",
                "information",
            )
        ]
        await pilot.press("f")
        assert notes[-1] == (
            "Pausing the workday is under way: wait for its result.",
            "information",
        )
        assert isinstance(app.screen, WorkdayScreen)  # no finish dialog over a pause in flight
        assert emulator.app.release_held() == 1
        await settled(pilot)
        assert timeman_writes(emulator) == [("timeman.pause", {})]
        assert notes[2:] == [("Workday paused at 09:30.", "information")]


async def test_a_lost_answer_is_read_back_never_sent_again(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    notes: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
        clock.advance(45)  # the pause comes 45 s after the last read
        emulator.app.faults.inject("drop", method="timeman.pause")
        await pilot.press("p")
        await settled(pilot)
        assert [m for m, _ in timeman_writes(emulator)] == ["timeman.pause"]
        assert emulator.portal.workdays[DEMO_USER_ID].paused
        assert "Status    paused" in rows(app)
        # As of the pause, which was ours: not the figure of the read 45 s before it.
        assert "Worked    01:42:52 (as of the pause)" in rows(app)
        assert len(notes) == 1


async def test_start_on_a_closed_day_and_no_pause_offered(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    del emulator.portal.workdays[DEMO_USER_ID]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        assert "Started   not started" in rows(app)
        await pilot.press("p", "f")  # not offered: nothing is sent
        await settled(pilot)
        assert timeman_writes(emulator) == []
        await pilot.press("s")
        await settled(pilot)
        assert timeman_writes(emulator) == [("timeman.open", {})]
        assert "Status    open" in rows(app)


async def test_an_expired_day_explains_itself_and_finishes_with_the_report(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    clock.advance(24 * 3600)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        assert note(app) == (
            "This workday was opened on 2026-03-16 and never finished. Finish it (f) at "
            "2026-03-16 17:45, the portal's suggested time, with a report."
        )
        assert footer_keys(app) == {"workday_finish"}
        await pilot.press("f")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        await pilot.press("enter")  # no report: refused here, nothing sent
        error = dialog.query_one("#finish-error", Label)
        assert "A report is needed" in str(error.render())
        assert timeman_writes(emulator) == []
        emulator.app.faults.inject("500", method="timeman.close")
        await pilot.press(*"Forgot to close")
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is dialog  # the failure is said here, the report kept
        assert dialog.query_one(Input).value == "Forgot to close"
        assert str(error.render()) == "The portal had an internal error."
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, WorkdayScreen)
        assert timeman_writes(emulator)[-1] == (
            "timeman.close",
            {"TIME": "2026-03-16T17:45:00+02:00", "REPORT": "Forgot to close"},
        )
        assert "Status    closed" in rows(app)


async def test_read_only_offers_no_workday_action(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    from b24tui.api import B24Client, Webhook

    async with B24Client(Webhook.parse(emulator.webhook_url), read_only=True) as client:
        app = make_app(client=client)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_workday(pilot)
            assert footer_keys(app) == set()
            assert "Read-only: nothing is changed on the portal" in note(app)
            await pilot.press("p", "f", "s")
            await settled(pilot)
            assert timeman_writes(emulator) == []
            assert not isinstance(app.screen, FinishDialog)


async def test_a_pause_elsewhere_then_our_resume(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    emulator.portal.workdays[DEMO_USER_ID].pauses.append(Pause(clock.now()))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        assert "Worked    paused: no figure yet" in rows(app)
        assert footer_keys(app) == {"workday_resume", "workday_finish"}


async def test_each_result_says_once_what_was_done_and_when(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """In the day's zone, named where the terminal's differs (here the terminal is in UTC)."""
    del emulator.portal.workdays[DEMO_USER_ID]
    clock.local_zone = UTC
    notes: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("s")
        await settled(pilot)
        clock.advance(60)
        await pilot.press("p")
        await settled(pilot)
        clock.advance(600)
        await pilot.press("s")
        await settled(pilot)
        clock.advance(60)
        await pilot.press("f")
        await settled(pilot)
        assert isinstance(app.screen, FinishDialog)
        await pilot.press("enter")
        await settled(pilot)
        assert notes == [
            "Workday started at 09:30 UTC+2.",
            "Workday paused at 09:31 UTC+2.",
            "Workday resumed at 09:41 UTC+2.",
            "Workday finished at 09:42 UTC+2.",
        ]


def timeman_closes(emulator: ServedEmulator) -> list[object]:
    return [e.params for e in emulator.app.journal if e.method == "timeman.close"]


async def test_a_flexible_schedule_finishes_an_expired_day_without_a_report(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """timeman.close needs a report with an explicit time only on a schedule that is not
    flexible: here nobody is asked for one."""
    emulator.portal.timeman_settings[DEMO_USER_ID].flexible = True
    clock.advance(24 * 3600)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_workday(pilot)
        assert note(app).endswith("at 2026-03-16 17:45, the portal's suggested time.")
        await pilot.press("f")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        assert dialog.query_one(Input).placeholder == "Report (optional)"
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, WorkdayScreen)
        assert timeman_closes(emulator) == [{"TIME": "2026-03-16T17:45:00+02:00"}]
        assert "Status    closed" in rows(app)


async def test_the_palette_s_finish_reads_the_schedule_before_asking_for_a_report(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """From the dashboard the dialog has no settings of the workday screen: it reads them,
    as the command line does, and asks for a report only on a fixed schedule."""
    clock.advance(24 * 3600)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await open_palette(pilot)
        await search(pilot, "Finish workday")
        await pilot.press("enter")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        assert dialog.query_one(Input).placeholder == (
            "Report (needed: the time is set on a fixed schedule)"
        )
        await pilot.press("enter")
        await settled(pilot)
        assert "A report is needed" in str(dialog.query_one("#finish-error", Label).render())
        assert timeman_closes(emulator) == []
        await pilot.press("escape")
        emulator.portal.timeman_settings[DEMO_USER_ID].flexible = True
        await open_palette(pilot)
        await search(pilot, "Finish workday")
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, FinishDialog)
        await pilot.press("enter")
        await settled(pilot)
        assert not isinstance(app.screen_stack[-1], FinishDialog)
        assert timeman_closes(emulator) == [{"TIME": "2026-03-16T17:45:00+02:00"}]


async def test_a_finish_asked_for_while_the_schedule_is_read_waits_for_it(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    emulator.portal.timeman_settings[DEMO_USER_ID].flexible = True
    clock.advance(24 * 3600)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        emulator.app.faults.inject("timeout", method="timeman.settings")
        await open_palette(pilot)
        await search(pilot, "Finish workday")
        await pilot.press("enter")
        await until_held(pilot, emulator)
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        await pilot.press("enter", "enter")
        error = dialog.query_one("#finish-error", Label)
        assert str(error.render()) == "Reading the schedule…"
        assert timeman_closes(emulator) == []
        assert emulator.app.release_held() == 1
        await settled(pilot)
        assert not isinstance(app.screen, FinishDialog)
        assert timeman_closes(emulator) == [{"TIME": "2026-03-16T17:45:00+02:00"}]


async def test_a_long_value_wraps_under_itself_beside_its_label(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_workday(pilot)
        schedule = app.screen.query_one("#workday-schedule", Static)
        status = app.screen.query_one("#workday-status", Static)
        assert schedule.region.height == 2  # the schedule's words take two lines at 80
        assert schedule.region.x == status.region.x  # both under the values' column
        assert schedule.region.x > app.screen.query_one("#workday-schedule-label").region.right


async def test_before_the_first_read_the_screen_says_so_and_shows_no_empty_rows(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    emulator.app.faults.inject("timeout", method="batch")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until_held(pilot, emulator)
        screen = WorkdayScreen(app.services)
        await app.push_screen(screen)  # as it is mounted, before anything else reaches it
        assert note(app) == "Reading the workday…"
        shown = [label for label in screen.query("#workday-rows Label") if label.display]
        assert [str(label.render()) for label in shown] == [], "no label without its value"
        emulator.app.release_held()
        await settled(pilot)
        assert "Status" in rows(app)
