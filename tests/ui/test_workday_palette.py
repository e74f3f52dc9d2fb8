"""The workday's palette commands, on every screen: "Open workday" always, the actions the
status allows now, none of them in read-only mode."""

from __future__ import annotations

from b24tui.api import B24Client, Webhook
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.screens.workday import FinishDialog, WorkdayScreen
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.test_palette import first_lines, offered, open_palette, search
from tests.ui.waiting import settled

WORKDAY_NAMES = {
    "Open workday",
    "Start workday",
    "Pause workday",
    "Resume workday",
    "Finish workday",
}


async def test_pause_workday_from_a_task_s_screen_pauses_it(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("enter")  # the selected task's screen
        await settled(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        await open_palette(pilot)
        names = set(first_lines(await search(pilot, "workday")))
        assert names & WORKDAY_NAMES == {"Open workday", "Pause workday", "Finish workday"}
        await pilot.press("escape")
        await open_palette(pilot)
        await search(pilot, "Pause workday")
        await pilot.press("enter")
        await settled(pilot)
        assert emulator.portal.workdays[DEMO_USER_ID].paused
        pauses = [e.params for e in emulator.app.journal if e.method == "timeman.pause"]
        assert pauses == [{}]
        await open_palette(pilot)
        names = set(first_lines(await search(pilot, "workday")))
        assert names & WORKDAY_NAMES == {"Open workday", "Resume workday", "Finish workday"}


async def test_open_and_finish_workday_from_the_palette(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await open_palette(pilot)
        await search(pilot, "Finish workday")
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, FinishDialog)
        await pilot.press("escape")
        await open_palette(pilot)
        await search(pilot, "Open workday")
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, WorkdayScreen)


async def test_read_only_offers_only_open_workday(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    async with B24Client(Webhook.parse(emulator.webhook_url), read_only=True) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await settled(pilot)
            await open_palette(pilot)
            names = set(first_lines(await offered(pilot)))
            assert names & WORKDAY_NAMES == {"Open workday"}


async def test_the_workday_screen_does_not_offer_to_open_itself(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("w")
        await settled(pilot)
        assert isinstance(app.screen, WorkdayScreen)
        await open_palette(pilot)
        names = set(first_lines(await search(pilot, "workday")))
        assert names & WORKDAY_NAMES == {"Pause workday", "Finish workday"}
