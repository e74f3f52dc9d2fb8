"""The task table on its own: 10,000 rows, the cursor, kept selection, header clicks, text."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message

from b24tui.emulator.state import PORTAL_TZ
from b24tui.models import Person, Priority, Task, TaskStatus
from b24tui.widgets import TaskTable

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=PORTAL_TZ)
ME = 1
ALEX = Person(id=ME, name="Alex Morgan")


def make_tasks(count: int, start: int = 1) -> list[Task]:
    """``count`` tasks with ids from ``start``, titled after their id."""
    return [
        Task(
            id=task_id,
            title=f"Task number {task_id}",
            status=TaskStatus.PENDING,
            priority=Priority.AVERAGE,
            created_by=ME,
            responsible_id=ME,
            responsible=ALEX,
            deadline=NOW + timedelta(days=1) if task_id % 2 else None,
        )
        for task_id in range(start, start + count)
    ]


class CountingTable(TaskTable):
    """A task table that counts the tasks it turned into cells."""

    made: int = 0

    def _make_cells(self, task: Task, now: datetime, me: int) -> dict[str, object]:  # type: ignore[override]
        self.made += 1
        return super()._make_cells(task, now, me)  # type: ignore[return-value]


class TableApp(App[None]):
    """The table alone, keeping the messages it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield CountingTable(id="tasks")

    def on_mount(self) -> None:
        self.query_one(TaskTable).focus()

    def on_task_table_sort_chosen(self, message: TaskTable.SortChosen) -> None:
        self.messages.append(message)

    def on_task_table_row_highlighted(self, message: TaskTable.RowHighlighted) -> None:
        self.messages.append(message)

    def on_task_table_row_selected(self, message: TaskTable.RowSelected) -> None:
        self.messages.append(message)


def screen_text(app: App[None]) -> str:
    """What the screen shows, as plain text."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_ten_thousand_rows_are_listed_but_only_the_visible_ones_are_made() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(CountingTable)
        tasks = make_tasks(10_000)
        table.show_tasks(tasks, NOW, ME)
        await pilot.pause()
        assert table.row_count == 10_000
        assert table.made <= 36, "only the rows on screen are turned into cells"
        shown = screen_text(app)
        assert "Task number 1 " in shown
        assert "Task number 40 " not in shown
        await pilot.press("end")
        assert table.cursor_row == 9_999
        assert table.selected_task_id == 10_000
        assert "Task number 10000" in screen_text(app)
        assert table.made <= 2 * 36
        # Cutting the list down (a filter keystroke) keeps the same economy.
        made = table.made
        table.show_tasks(tasks[::7], NOW, ME)
        await pilot.pause()
        assert table.row_count == len(tasks[::7])
        assert table.made - made <= 36


async def test_cursor_keys_move_one_row_a_page_and_to_either_end() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks(make_tasks(100), NOW, ME)
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("down", "down", "up")
        assert table.cursor_row == 1
        assert table.selected_task_id == 2
        await pilot.press("pagedown")
        page = table.cursor_row - 1
        assert page >= 20
        assert table.scroll_y > 0
        await pilot.press("pageup")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_row == 99
        assert table.scroll_y == table.max_scroll_y
        assert "Task number 100" in screen_text(app)
        await pilot.press("down")
        assert table.cursor_row == 99, "the cursor stops at the last row"
        await pilot.press("home")
        assert (table.cursor_row, table.scroll_y) == (0, 0)
        await pilot.press("up")
        assert table.cursor_row == 0
        highlighted = [m.task_id for m in app.messages if isinstance(m, TaskTable.RowHighlighted)]
        assert highlighted[-2:] == [100, 1], "each task the cursor rests on is announced once"


async def test_moving_the_cursor_down_scrolls_just_enough_to_keep_it_on_screen() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks(make_tasks(50), NOW, ME)
        await pilot.pause()
        visible = table.scrollable_content_region.height - 1  # the header takes a line
        for _ in range(visible):
            table.action_cursor_down()
        await pilot.pause()
        assert table.cursor_row == visible
        assert table.scroll_y == 1
        assert f"Task number {visible + 1} " in screen_text(app)
        assert "Task number 1 " not in screen_text(app)


async def test_the_cursor_stays_on_the_chosen_task_across_updates() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TaskTable)
        tasks = make_tasks(30)
        table.show_tasks(tasks, NOW, ME)
        await pilot.pause()
        await pilot.press("down", "down", "down")
        assert table.selected_task_id == 4
        # A new order: the cursor follows the task to its new row.
        table.show_tasks(tasks[::-1], NOW, ME)
        await pilot.pause()
        assert table.selected_task_id == 4
        assert table.cursor_row == 26
        # A filter that hides it: the cursor waits on the first row ...
        table.show_tasks(tasks[10:], NOW, ME)
        await pilot.pause()
        assert table.cursor_row == 0
        assert table.chosen_task_id == 4
        # ... and comes back to it when the task is listed again.
        table.show_tasks(tasks, NOW, ME)
        await pilot.pause()
        assert table.selected_task_id == 4
        # An empty list has no selection, and forgets nothing.
        table.show_tasks([], NOW, ME)
        await pilot.pause()
        assert table.row_count == 0
        assert [table.selected_task_id] == [None]
        table.show_tasks(tasks, NOW, ME)
        assert table.selected_task_id == 4


async def test_a_changed_task_is_repainted_in_place() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TaskTable)
        tasks = make_tasks(5)
        table.show_tasks(tasks, NOW, ME)
        await pilot.pause()
        renamed = [*tasks[:2], replace(tasks[2], title="Renamed"), *tasks[3:]]
        table.show_tasks(renamed, NOW, ME)
        await pilot.pause()
        assert table.get_cell(3, "title").plain == "Renamed"
        assert "Renamed" in screen_text(app)
        assert "Task number 3" not in screen_text(app)


async def test_clicking_a_header_asks_for_its_sort_and_the_mark_shows() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks(make_tasks(10), NOW, ME)
        await pilot.pause()
        x = 0
        for column in table.columns.values():
            assert await pilot.click(TaskTable, offset=(x + 1, 0))
            x += column.render_width
        await pilot.pause()
        chosen = [m.column for m in app.messages if isinstance(m, TaskTable.SortChosen)]
        assert chosen == table.shown_columns
        assert table.cursor_row == 0, "a header click does not move the cursor"
        table.show_sort("title", descending=True)
        await pilot.pause()
        assert str(table.columns["title"].label) == "Title▼"
        assert "Title▼" in screen_text(app)
        table.show_sort(None)
        await pilot.pause()
        assert not any(str(c.label)[-1] in "▲▼" for c in table.columns.values())


async def test_clicking_a_row_moves_the_cursor_and_clicking_it_again_opens_it() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks(make_tasks(10), NOW, ME)
        await pilot.pause()
        assert await pilot.click(TaskTable, offset=(10, 4))
        await pilot.pause()
        assert table.selected_task_id == 4
        assert not [m for m in app.messages if isinstance(m, TaskTable.RowSelected)]
        assert await pilot.click(TaskTable, offset=(10, 4))
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, TaskTable.RowSelected)]
        assert [m.task_id for m in selected] == [4]
        await pilot.press("enter")
        selected = [m for m in app.messages if isinstance(m, TaskTable.RowSelected)]
        assert [m.task_id for m in selected] == [4, 4]


async def test_narrow_table_drops_two_columns_and_the_title_fills_the_width() -> None:
    for width, columns in (
        (
            120,
            ["id", "status", "priority", "title", "deadline", "responsible", "checklist", "flags"],
        ),
        (80, ["id", "status", "priority", "title", "deadline", "flags"]),
    ):
        app = TableApp()
        async with app.run_test(size=(width, 24)) as pilot:
            table = app.query_one(TaskTable)
            table.show_tasks(make_tasks(3), NOW, ME)
            await pilot.pause()
            assert table.shown_columns == columns
            used = sum(column.render_width for column in table.columns.values())
            assert used == width - table.styles.scrollbar_size_vertical
            assert table.columns["title"].width > TaskTable.MIN_TITLE


async def test_portal_text_is_data_not_markup() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 24)) as pilot:
        table = app.query_one(TaskTable)
        hostile = [
            Task(
                id=7,
                title="Fix [bold]x[/] in \x1b[31mred\x1b[0m",
                status=TaskStatus.IN_PROGRESS,
                priority=Priority.HIGH,
                created_by=ME,
                responsible_id=2,
                responsible=Person(id=2, name="[red]Eve[/red]"),
            )
        ]
        table.show_tasks(hostile, NOW, ME)
        await pilot.pause()
        assert table.get_cell(7, "title").plain == "Fix [bold]x[/] in red"
        shown = screen_text(app)
        assert "Fix [bold]x[/] in red" in shown
        assert "[red]Eve[/red]" in shown
        assert "\x1b" not in shown


async def test_the_mouse_wheel_scrolls_the_rows_and_leaves_the_cursor() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks(make_tasks(200), NOW, ME)
        await pilot.pause()
        for _ in range(5):
            table.post_message(events.MouseScrollDown(table, 10, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert table.scroll_y > 0
        assert table.cursor_row == 0
        first = round(table.scroll_y) + 1
        shown = screen_text(app)
        assert f"Task number {first} " in shown
        assert "Task number 1 " not in shown
        # The header stays on top while the rows scroll under it.
        assert "Deadline" in shown
