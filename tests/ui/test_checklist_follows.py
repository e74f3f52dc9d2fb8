"""A tick on the checklist screen shows in the dashboard's done/total column and the
detail screen's summary through the store, with no read of its own."""

from __future__ import annotations

from b24tui.screens import TaskDetailScreen
from b24tui.screens.checklist import ChecklistScreen
from b24tui.widgets import TaskDetail, TaskTable
from b24tui.widgets.checklist_tree import ChecklistTree
from tests.conftest import ServedEmulator
from tests.ui.checklists import put_nested_checklist
from tests.ui.conftest import AppFactory, cell_text
from tests.ui.waiting import settled


async def test_a_tick_follows_to_the_dashboard_and_the_detail_without_a_fetch(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(TaskTable)
        assert cell_text(table, n.task_id, "checklist") == "2/7"
        await app.push_screen(TaskDetailScreen(app.services, n.task_id))
        await settled(pilot)
        await app.push_screen(ChecklistScreen(app.services, n.task_id))
        await settled(pilot)
        app.screen.query_one(ChecklistTree).show_cursor_on(n.tell)
        before = len(emulator.app.journal)
        await pilot.press("space")
        await settled(pilot)
        methods = [entry.method for entry in list(emulator.app.journal)[before:]]
        assert methods == ["task.checklistitem.complete"], "the tick and nothing else"
        await pilot.press("escape")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        summary = str(detail.query_one(TaskDetail).query_one("#detail-checklist").render())
        assert "Checklist 3/7" in summary
        await pilot.press("escape")
        await pilot.pause()
        assert cell_text(app.screen.query_one(TaskTable), n.task_id, "checklist") == "3/7"
