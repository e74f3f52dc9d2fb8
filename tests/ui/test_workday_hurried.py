"""The workday screen under a quick typist (or over SSH, where keys arrive in one read):
the report typed right after `f` is the finish dialog's."""

from __future__ import annotations

from textual.widgets import Input

from b24tui.screens.workday import FinishDialog, WorkdayScreen
from tests.conftest import ServedEmulator
from tests.ui.bursts import burst
from tests.ui.conftest import AppFactory
from tests.ui.test_workday_screen import open_workday, timeman_writes
from tests.ui.waiting import settled


async def test_the_report_typed_right_after_f_keeps_its_first_letters(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """`f` then the report in one read: the letters read before the dialog opened are typed
    into the report, not dropped; enter then finishes the day with it."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_workday(pilot)
        burst(app, "f", *"done today")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        assert dialog.query_one("#finish-report", Input).value == "done today"
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, WorkdayScreen)
        method, params = timeman_writes(emulator)[-1]
        assert method == "timeman.close"
        assert isinstance(params, dict)
        assert params.get("REPORT") == "done today"
