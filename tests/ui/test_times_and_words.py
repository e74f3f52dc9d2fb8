"""What the table, the pane and the detail say of a task's state and times, alike on each:
overdue or not, the status's words, times in the person's zone, cut text marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.state import PORTAL_TZ
from b24tui.humanize import ShownZone
from b24tui.models import Person, Task, TaskStatus
from b24tui.screens import TaskDetailScreen
from b24tui.widgets import AppHeader, TaskDetail, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.waiting import settled, until

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=PORTAL_TZ)
ME = 1
ALEX = Person(id=ME, name="Alex Morgan")


def a_task(task_id: int, **fields: object) -> Task:
    values: dict[str, object] = {
        "title": f"Task {task_id}",
        "created_by": 2,
        "responsible_id": ME,
        "responsible": ALEX,
        **fields,
    }
    return Task(id=task_id, **values)  # type: ignore[arg-type]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TaskTable(id="tasks")


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TaskDetail()


def colour(text: Text) -> object:
    """The foreground colour ``text`` is drawn in as a whole (None: the default)."""
    style = text.style if isinstance(text.style, Style) else Style.parse(text.style or "")
    return style.color


def detail_text(detail: TaskDetail) -> str:
    return "\n".join(str(part.visual) for part in detail.query(Static) if part.display)


# --------------------------------------------------------------------------- overdue


async def test_a_task_awaiting_control_has_no_red_deadline_in_the_table() -> None:
    late = NOW - timedelta(days=1)
    awaiting = a_task(1, deadline=late, status=TaskStatus.SUPPOSEDLY_COMPLETED)
    pending = a_task(2, deadline=late, status=TaskStatus.PENDING)
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks([pending, awaiting], NOW, ME)
        await pilot.pause()
        assert colour(table.get_cell(2, "deadline")) is not None, "overdue: red"
        assert colour(table.get_cell(1, "deadline")) is None, "done on my side: not overdue"


async def test_the_detail_does_not_call_a_task_awaiting_control_overdue() -> None:
    late = NOW - timedelta(hours=3)
    app = DetailApp()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(1, deadline=late, status=TaskStatus.SUPPOSEDLY_COMPLETED), NOW)
        await pilot.pause()
        assert "overdue" not in detail_text(detail)
        detail.show(a_task(2, deadline=late, status=TaskStatus.PENDING), NOW)
        await pilot.pause()
        assert "overdue" in detail_text(detail), "the same deadline on a task in work is"


# --------------------------------------------------------------------------- words


async def test_the_table_and_the_detail_name_a_status_alike_and_it_fits_80_columns() -> None:
    awaiting = a_task(1, status=TaskStatus.SUPPOSEDLY_COMPLETED)
    table_app = TableApp()
    async with table_app.run_test(size=(80, 24)) as pilot:
        table = table_app.query_one(TaskTable)
        table.show_tasks([awaiting], NOW, ME)
        await pilot.pause()
        in_table = table.get_cell(1, "status").plain
        assert len(in_table) <= table.columns["status"].width, "not cut at 80 columns"
    detail_app = DetailApp()
    async with detail_app.run_test(size=(80, 24)) as pilot:
        detail = detail_app.query_one(TaskDetail)
        detail.show(awaiting, NOW)
        await pilot.pause()
        status_line = next(
            line for line in detail_text(detail).splitlines() if line.startswith("Status")
        )
        assert status_line.split(maxsplit=1)[1].strip() == in_table, "one word for one thing"


# --------------------------------------------------------------------------- cut text

LONG_TITLE = "Prepare the quarterly report for the board of directors and every auditor"
LONG_NAME = "Maximilian Alexander von Hohenzollern-Sigmaringen"


def screen_lines(app: App[None]) -> list[str]:
    """The table's lines as shown (the header, then the rows)."""
    table = app.query_one(TaskTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_a_title_too_long_for_80_columns_ends_in_an_ellipsis() -> None:
    task = a_task(7, title=LONG_TITLE)
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks([task], NOW, ME)
        await pilot.pause()
        width = table.columns["title"].width
        row = screen_lines(app)[1]
        assert LONG_TITLE[: width - 1] + "…" in row, "cut, and saying so"
        assert LONG_TITLE[:width] not in row


async def test_a_name_too_long_for_its_column_ends_in_an_ellipsis() -> None:
    task = a_task(7, responsible=Person(id=ME, name=LONG_NAME))
    app = TableApp()
    async with app.run_test(size=(120, 10)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks([task], NOW, ME)
        await pilot.pause()
        width = table.columns["responsible"].width
        assert LONG_NAME[: width - 1] + "…" in screen_lines(app)[1]


# --------------------------------------------------------------------------- the detail screen


async def test_the_detail_screen_follows_the_apps_refresh_and_its_updated_ages(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    task = next(
        t for t in portal.tasks.values() if t.responsible_id == DEMO_USER_ID and t.status == 2
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        screen = TaskDetailScreen(app.services, task.id)
        await app.push_screen(screen)
        await settled(pilot)
        header = screen.query_one(AppHeader)
        assert header.status == "updated just now"
        clock.advance(5 * 60)
        await until(pilot, lambda: header.status == "updated 5m ago")
        task.title, task.status = "Renamed on the portal", 3  # someone else, in the browser
        portal.touch(task, 3)
        app.refresh_portal()  # what the app's interval does
        await settled(pilot)
        detail = screen.query_one(TaskDetail)
        assert f"#{task.id} Renamed on the portal" in detail_text(detail)
        assert "Status       In progress" in detail_text(detail)
        assert header.status == "updated just now"
        clock.advance(2 * 3600)
        await until(pilot, lambda: header.status == "updated 2h ago")
        changed = next(line for line in detail_text(detail).splitlines() if "Changed" in line)
        assert "(2h ago) by" in changed, "the body's times age with the header's"


# --------------------------------------------------------------------------- zones

MOSCOW_NOW = datetime.fromisoformat("2026-12-07T09:00:00+03:00")
MOSCOW_DEADLINE = datetime.fromisoformat("2026-12-07T18:00:00+03:00")


async def test_the_deadline_column_names_a_zone_that_is_not_the_terminals_at_80() -> None:
    terminal = FrozenClock(MOSCOW_NOW, local_zone=UTC)
    task = a_task(1, deadline=MOSCOW_DEADLINE)
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(TaskTable)
        table.show_tasks([task], MOSCOW_NOW, ME, zone=ShownZone.of("Europe/Moscow", terminal))
        await pilot.pause()
        header, row = screen_lines(app)[:2]
        assert "Deadline UTC+3" in header, "said once, in the header, within the column"
        assert "today 18:00" in row
        assert "UTC" not in row
        table.show_tasks([task], MOSCOW_NOW, ME, zone=ShownZone.of("Europe/Berlin", terminal))
        await pilot.pause()
        header, row = screen_lines(app)[:2]
        assert "Deadline UTC+1" in header
        assert "today 16:00" in row
        at_home = FrozenClock(MOSCOW_NOW)
        table.show_tasks([task], MOSCOW_NOW, ME, zone=ShownZone.of("Europe/Moscow", at_home))
        await pilot.pause()
        assert "UTC" not in screen_lines(app)[0], "the terminal's own zone goes unsaid"


async def test_the_detail_shows_times_in_my_zone_and_names_it_once() -> None:
    terminal = FrozenClock(MOSCOW_NOW, local_zone=UTC)
    task = a_task(
        1,
        deadline=MOSCOW_DEADLINE,
        created_date=MOSCOW_NOW - timedelta(days=2),
        changed_date=MOSCOW_NOW - timedelta(hours=1),
    )
    app = DetailApp()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(task, MOSCOW_NOW, zone=ShownZone.of("Europe/Berlin", terminal))
        await pilot.pause()
        lines = detail_text(detail).splitlines()
        deadline = next(line for line in lines if line.startswith("Deadline"))
        assert "today 16:00  (2026-12-07 16:00 UTC+1)" in deadline
        created = next(line for line in lines if "Created" in line)
        assert "2026-12-05 07:00 (2d ago)" in created, "in Berlin's time, not named again"
        assert sum(line.count("UTC+1") for line in lines) == 1
