"""The first dashboard: my tasks from the portal, in views, safe to read, kept in place."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from rich.text import Text
from textual.widgets import Label, Tabs
from textual.worker import WorkerFailed

from b24tui.api import B24Client, Webhook
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.state import Portal, Task
from b24tui.widgets import AppHeader, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory


def _expected_active(portal: Portal, now: datetime) -> list[int]:
    """The Active view restated from the portal's own records and the spec's order."""
    mine = [
        task
        for task in portal.tasks.values()
        if (task.responsible_id == DEMO_USER_ID or DEMO_USER_ID in task.accomplices)
        and task.status not in (5, 6)
    ]

    def order(task: Task) -> tuple[bool, float, int, int]:
        overdue = task.deadline is not None and task.deadline < now
        deadline = task.deadline.timestamp() if task.deadline else float("inf")
        return (not overdue, deadline, -task.priority, task.id)

    return [task.id for task in sorted(mine, key=order)]


def _row_ids(table: TaskTable) -> list[int]:
    return [int(str(key.value)) for key in table.rows]


def _cell(table: TaskTable, task_id: int, column: str) -> str:
    value = table.get_cell(str(task_id), column)
    return value.plain if isinstance(value, Text) else str(value)


async def test_active_view_lists_my_open_tasks_overdue_first(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        expected = _expected_active(emulator.portal, clock.now())
        assert expected, "the seeded demo has active tasks"
        assert _row_ids(table) == expected
        first = emulator.portal.tasks[expected[0]]
        assert _cell(table, first.id, "title") == first.title
        assert (
            _cell(table, first.id, "responsible")
            == emulator.portal.users[first.responsible_id].full_name
        )


async def test_header_names_portal_and_user_and_marks_the_demo(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app(demo=True)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        header = app.screen.query_one(AppHeader)
        assert header.portal == urlsplit(emulator.base_url).netloc
        assert header.user_name == emulator.portal.users[DEMO_USER_ID].full_name
        assert app.screen.query_one("#header-demo", Label).display

    app = make_app(demo=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#header-demo", Label).display


async def test_tab_moves_to_the_next_view(make_app: AppFactory, emulator: ServedEmulator) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(Tabs).active == "in_progress"
        table = app.screen.query_one(TaskTable)
        in_progress = {
            task.id
            for task in emulator.portal.tasks.values()
            if task.responsible_id == DEMO_USER_ID and task.status == 3
        }
        assert in_progress
        assert set(_row_ids(table)) == in_progress
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.screen.query_one(Tabs).active == "active"


async def test_portal_text_is_shown_literally_and_without_escape_sequences(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    portal = emulator.portal
    markup = next(t for t in portal.tasks.values() if "[bold]" in t.title)
    escape = next(t for t in portal.tasks.values() if "\x1b" in t.title)
    for task in (markup, escape):
        task.responsible_id = DEMO_USER_ID
        task.status = 2
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        assert _cell(table, markup.id, "title") == markup.title
        shown = _cell(table, escape.id, "title")
        assert "\x1b" not in shown
        assert shown == escape.title.replace("\x1b[31m", "").replace("\x1b[0m", "")
        screen = app.export_screenshot()
        assert "[bold]x[/]" in screen.replace("&#160;", " ")


async def test_refresh_keeps_the_selected_task(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("j", "j", "j")
        table = app.screen.query_one(TaskTable)
        chosen = table.selected_task_id
        assert chosen is not None
        row_before = table.cursor_row
        # Someone makes a task of mine overdue for longer: it sorts to the top.
        last = _row_ids(table)[-1]
        emulator.portal.tasks[last].deadline = clock.now() - timedelta(days=30)
        await pilot.press("r")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert _row_ids(table)[0] == last
        assert table.selected_task_id == chosen
        assert table.cursor_row == row_before + 1


async def test_a_rejected_webhook_is_reported_not_fatal(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    wrong = Webhook.parse(f"{emulator.base_url}/rest/{DEMO_USER_ID}/notthecode/")
    async with B24Client(wrong) as client:
        app = make_app(client=client)
        async with app.run_test() as pilot:
            with pytest.raises(WorkerFailed):
                await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            notes = list(app._notifications)
            assert len(notes) == 1
            assert notes[0].severity == "error"
            assert "notthecode" not in f"{notes[0].title} {notes[0].message}"
            assert app.screen.query_one(TaskTable).row_count == 0
            assert app.is_running
