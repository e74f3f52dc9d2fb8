"""The person's place is kept across screens: back from a task, its row is the selected one."""

from __future__ import annotations

from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, row_ids
from tests.ui.waiting import settled


async def test_back_from_the_task_opened_at_start_selects_its_row(
    ui_client: B24Client, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    """``b24tui task ID`` then esc: the dashboard's cursor is on that task, scrolled into
    view, not on the first row."""
    first = B24App(Services(client=ui_client, clock=clock))
    async with first.run_test(size=(120, 24)) as pilot:
        await settled(pilot)
        task_id = row_ids(first.screen.query_one(TaskTable))[-1]  # below the first screenful
    app = B24App(Services(client=ui_client, clock=clock), task_id=task_id)
    async with app.run_test(size=(120, 24)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        await pilot.press("escape")
        await settled(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        table = dashboard.query_one(TaskTable)
        assert table.selected_task_id == task_id
        assert table.scroll_y > 0, "the row is scrolled into view"


def row_in_sight(table: TaskTable, task_id: int) -> bool:
    row = row_ids(table).index(task_id)
    top = round(table.scroll_y)
    return top <= row < top + table.scrollable_content_region.height - 1


async def test_sorting_keeps_the_chosen_task_in_sight(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(TaskTable)
        table.move_cursor(row=len(row_ids(table)) - 1)
        chosen = table.selected_task_id
        assert chosen is not None
        for _ in range(4):
            await pilot.press("S")
            await settled(pilot)
            assert table.selected_task_id == chosen
            assert row_in_sight(table, chosen)


async def test_a_row_that_leaves_the_view_hands_the_cursor_to_the_next(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """Pausing a task in "Doing" takes it off the view: the cursor stays where it was, on
    the task that was below it, not back on the first row."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("tab")  # Doing
        await settled(pilot)
        table = app.screen.query_one(TaskTable)
        ids = row_ids(table)
        assert len(ids) >= 3
        table.move_cursor(row=1)
        await pilot.press("p")
        await settled(pilot)
        assert emulator.portal.tasks[ids[1]].status == 2
        assert row_ids(table) == [ids[0], *ids[2:]]
        assert table.selected_task_id == ids[2]
