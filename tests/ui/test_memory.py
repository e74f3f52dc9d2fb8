"""A dashboard kept open all day does not keep the widgets it has stopped showing."""

from __future__ import annotations

import gc

from textual.widget import Widget

from b24tui.emulator import DEMO_USER_ID
from b24tui.screens import DashboardScreen, TaskDetailScreen
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, loaded


def detached_widgets() -> list[str]:
    """The widgets still in memory but no longer on any screen."""
    gc.collect()
    return sorted(
        type(widget).__name__
        for widget in gc.get_objects()
        if isinstance(widget, Widget) and widget.is_mounted and not widget.is_attached
    )


async def test_moving_and_opening_tasks_all_day_keeps_no_old_widgets(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    mine = [t.id for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        for task_id in mine[:5]:
            app.push_screen(TaskDetailScreen(app.services, task_id))
            await loaded(pilot)
            await pilot.press("escape")
            await pilot.pause()
        for _ in range(20):
            await pilot.press("j")  # every row offers other actions: the footer is rebuilt
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert detached_widgets() == []
