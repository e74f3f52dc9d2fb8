"""The task table: one row per task, selection kept by task id across updates.

A virtual table on Textual's line API: the rows are a list of tasks, and only the lines
on screen are turned into text, when they are painted. Filling it with 10,000 tasks,
filtering them or moving the cursor costs the same as with ten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.data_table import RowKey

from b24tui.humanize import ShownZone, deadline_label
from b24tui.models import Priority, Task, TaskStatus
from b24tui.text import clean

PRIORITY_MARKS: dict[Priority, str] = {Priority.HIGH: "▲", Priority.AVERAGE: "", Priority.LOW: "▽"}
SORT_MARKS = {False: "▲", True: "▼"}
"""Header marks of the sort column: ascending, descending."""

NO_ROW = -2
"""The hover position when the mouse is not over a row (-1 is the header)."""


@dataclass
class Column:
    """A column on screen: its key, its header label (with any sort mark) and its width."""

    key: str
    label: Text
    width: int
    """Characters of content, without the one-space padding on either side."""
    right: bool = False
    """Whether the content is aligned to the right."""

    @property
    def render_width(self) -> int:
        """The width on screen, padding included."""
        return self.width + 2 * TaskTable.CELL_PADDING


@dataclass(frozen=True)
class Row:
    """A row as listed: its key (the task id as a string) and its task."""

    key: RowKey
    task: Task


class TaskTable(ScrollView, can_focus=True):
    """A table of tasks. Feed it with :meth:`show_tasks`; it never fetches anything.

    The cursor follows a task, not a row: when the rows change (a refresh, a filter, a
    new order) it stays on the task the user last chose, and comes back to it when a
    filter that hid it is cleared.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_top", "Top", show=False),
        Binding("end,ctrl+end", "cursor_bottom", "Bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--header",
        "task-table--header-hover",
        "task-table--cursor",
        "task-table--hover",
        "task-table--overdue",
        "task-table--dim",
        "task-table--high",
        "task-table--pending",
    }

    DEFAULT_CSS = """
    TaskTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .task-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .task-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .task-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .task-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .task-table--header-hover {
            background: $accent 30%;
        }
        & > .task-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .task-table--hover {
            background: $block-hover-background;
        }
        & > .task-table--overdue { color: $error; }
        & > .task-table--dim { color: $text-muted; }
        & > .task-table--high { color: $warning; text-style: bold; }
        & > .task-table--pending { color: $accent; text-style: italic; }
    }
    """

    COLUMNS: ClassVar[tuple[tuple[str, str, int, bool], ...]] = (
        # key, label, width (0: the title takes what is left), shown when narrow
        ("id", "ID", 5, True),
        ("status", "Status", 11, True),
        ("priority", "!", 2, True),
        ("title", "Title", 0, True),
        ("deadline", "Deadline", 15, True),
        ("responsible", "Responsible", 18, False),
        ("checklist", "✓", 5, False),
        ("flags", "Flags", 6, True),
    )
    RIGHT_ALIGNED: ClassVar[frozenset[str]] = frozenset({"id", "checklist"})
    WIDE: ClassVar[int] = 110
    """From this width on, every column is shown; below it the table keeps the essentials."""
    MIN_TITLE: ClassVar[int] = 12
    CELL_PADDING: ClassVar[int] = 1
    LINE_CACHE_SIZE: ClassVar[int] = 1024
    """Rendered lines kept (about ten screens); the whole cache goes when it is full."""

    @dataclass
    class SortChosen(Message):
        """The user clicked a column header to sort by it."""

        table: TaskTable
        column: str

        @property
        def control(self) -> TaskTable:
            """The table that sent it (for ``@on`` selectors)."""
            return self.table

    @dataclass
    class RowHighlighted(Message):
        """The cursor came to rest on another task."""

        table: TaskTable
        cursor_row: int
        task_id: int

        @property
        def control(self) -> TaskTable:
            """The table that sent it (for ``@on`` selectors)."""
            return self.table

        @property
        def row_key(self) -> RowKey:
            """The task id as a row key (the shape of Textual's table messages)."""
            return RowKey(str(self.task_id))

    @dataclass
    class RowSelected(Message):
        """The user chose the task under the cursor (enter, or a click on it)."""

        table: TaskTable
        cursor_row: int
        task_id: int

        @property
        def control(self) -> TaskTable:
            """The table that sent it (for ``@on`` selectors)."""
            return self.table

        @property
        def row_key(self) -> RowKey:
            """The task id as a row key (the shape of Textual's table messages)."""
            return RowKey(str(self.task_id))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tasks: list[Task] = []
        self._index: dict[int, int] = {}
        """Row index by task id."""
        self._now: datetime = datetime.min
        self._me = 0
        self._zone = ShownZone()
        """The zone deadlines are shown in."""
        self._zone_mark = ""
        """The deadline column's zone, when it is not the terminal's ("UTC+3")."""
        self._cursor = 0
        self._hover_row = NO_ROW
        self._hover_column = -1
        self._highlighted: int | None = None
        """The task id last announced with :class:`RowHighlighted`."""
        self._sort: tuple[str, bool] | None = None
        self._columns: list[Column] = []
        self._wide: bool | None = None
        self._cells: dict[int, tuple[Task, str, dict[str, Text]]] = {}
        self._pending: dict[int, str] = {}
        """Task id → the words for the action under way on it."""
        """Per task id: the task, its deadline label and the cells made from them."""
        self._lines: dict[tuple[int, bool, bool], tuple[dict[str, Text], Strip]] = {}
        """Rendered rows by (task id, under the cursor, under the mouse), with their cells."""
        self._line_state: object = None
        self._base = Style()
        """The widget's own style, as of the paint under way."""
        self.chosen_task_id: int | None = None
        """The task the user last put the cursor on (kept while a filter hides it)."""
        self._moved = False
        """Whether the cursor was put on a task (by the person, or for them) rather than
        left where the rows began."""
        self.empty_text = ""
        """What the table's body says when no task is listed ("No task matches 'x'")."""

    # ------------------------------------------------------------------ inspection

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns on screen, left to right."""
        return [column.key for column in self._columns]

    @property
    def columns(self) -> dict[str, Column]:
        """The columns on screen by key, left to right."""
        return {column.key: column for column in self._columns}

    @property
    def tasks(self) -> Sequence[Task]:
        """The listed tasks, top to bottom."""
        return self._tasks

    @property
    def row_count(self) -> int:
        """How many tasks are listed."""
        return len(self._tasks)

    @property
    def rows(self) -> dict[RowKey, Row]:
        """The rows by key (the task id as a string), top to bottom."""
        return {row.key: row for row in self.ordered_rows}

    @property
    def ordered_rows(self) -> list[Row]:
        """The rows, top to bottom."""
        return [Row(RowKey(str(task.id)), task) for task in self._tasks]

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when the table is empty)."""
        return self._cursor

    @property
    def selected_task_id(self) -> int | None:
        """The id of the task under the cursor, if any."""
        return self._tasks[self._cursor].id if self._tasks else None

    def get_row_index(self, task_id: int | str) -> int:
        """The row of task ``task_id``.

        Raises:
            KeyError: The task is not listed.
        """
        return self._index[int(task_id)]

    def get_cell(self, task_id: int | str, column: str) -> Text:
        """The cell of task ``task_id`` in ``column``, as it is shown.

        Raises:
            KeyError: The task is not listed or there is no such column.
        """
        task = self._tasks[self._index[int(task_id)]]
        return self._cells_of(task)[column]

    # ------------------------------------------------------------------ feeding

    def show_tasks(
        self,
        tasks: Sequence[Task],
        now: datetime,
        me: int,
        *,
        pending: Mapping[int, str] | None = None,
        zone: ShownZone | None = None,
        empty: str = "",
        growing: bool = False,
    ) -> None:
        """Show ``tasks`` as seen by user ``me`` at ``now``; ``pending`` has the words for
        tasks with an action under way ("Starting…"), shown in their status cell; ``zone``
        is the one deadlines are shown in (by default each as the portal wrote it); ``empty``
        is said in the body when no task is listed.

        Only the lines on screen are made, when they are painted; cells of a task that
        did not change are reused. The cursor stays on the chosen task when it is
        listed, and the scroll position is kept.

        ``growing``: the rows are a list still filling (a first load, page by page), so
        what the person sees holds still: until they move the cursor it stays on the top
        row; after, it stays on their task at the same line of the screen (rows arriving
        above it scroll the view instead of pushing it down).
        """
        self._use_zone(zone or ShownZone(), tasks)
        line = self._cursor - round(self.scroll_y)  # the cursor's line on screen
        if me != self._me:
            self._cells.clear()
        self._tasks = list(tasks)
        self._index = {task.id: row for row, task in enumerate(self._tasks)}
        self._now, self._me = now, me
        self._pending = dict(pending) if pending else {}
        self.empty_text = empty
        if growing:
            self._hold_place(line)
            return
        keep = self.chosen_task_id
        row = self._index.get(keep, 0) if keep is not None else 0
        self._cursor = min(row, max(0, len(self._tasks) - 1))
        if keep is None and self._tasks:
            self.chosen_task_id = self.selected_task_id
        self._hover_row = NO_ROW
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce_highlight()

    def _hold_place(self, line: int) -> None:
        """Place the cursor in rows still filling (see :meth:`show_tasks`): on the top row
        until the person moves it, then on their task at ``line`` of the screen."""
        keep = self._index.get(self.chosen_task_id) if self.chosen_task_id is not None else None
        held = self._moved and keep is not None
        self._cursor = keep if held and keep is not None else 0
        if not self._moved and self._tasks:
            self.chosen_task_id = self._tasks[0].id
        self._hover_row = NO_ROW
        self._update_virtual_size()
        top = round(self.scroll_y)
        if held:
            target = max(0, self._cursor - line)
        else:  # where the person scrolled to, if the rows still reach there
            visible = max(1, self.scrollable_content_region.height - 1)
            target = min(top, max(0, len(self._tasks) - visible))
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)
        self.refresh()
        self._announce_highlight()

    def _use_zone(self, zone: ShownZone, tasks: Sequence[Task]) -> None:
        """Show deadlines in ``zone``; the column's header names it where it is not the
        terminal's (as of the first deadline listed)."""
        if zone != self._zone:
            self._zone = zone
            self._cells.clear()
        first = next((task.deadline for task in tasks if task.deadline is not None), None)
        mark = zone.mark(first) if first is not None else ""
        if mark != self._zone_mark:
            self._zone_mark = mark
            self._label_headers()
            self._refresh_row(-1)

    def show_pending(self, pending: Mapping[int, str]) -> None:
        """Show what is under way (``pending``: as in :meth:`show_tasks`), rows unchanged."""
        pending = dict(pending)
        if pending != self._pending:
            self._pending = pending
            self.refresh()

    def show_sort(self, column: str | None, descending: bool = False) -> None:
        """Mark ``column``'s header with the sort direction (``None``: the default order)."""
        self._sort = None if column is None else (column, descending)
        self._label_headers()
        self._refresh_row(-1)

    def _label_headers(self) -> None:
        for column in self._columns:
            label = next(label for key, label, _, _ in self.COLUMNS if key == column.key)
            mark = ""
            if self._sort is not None and self._sort[0] == column.key:
                mark = SORT_MARKS[self._sort[1]]
            if column.key == "deadline" and self._zone_mark:
                zone = self._zone_mark
                fits = [f"{label} ({zone})", f"{label} {zone}", f"Due {zone}"]
                label = next((f for f in fits if len(f + mark) <= column.width), fits[-1])
            column.label = Text(f"{label}{mark}")

    # ------------------------------------------------------------------ layout

    def on_resize(self) -> None:
        wide = self.size.width >= self.WIDE
        if wide != self._wide:
            self._wide = wide
            self._columns = [
                Column(key, Text(label), width or self.MIN_TITLE, key in self.RIGHT_ALIGNED)
                for key, label, width, narrow in self.COLUMNS
                if wide or narrow
            ]
            self._label_headers()
        self._fit_title()
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self.refresh()

    def _fit_title(self) -> None:
        """Give the title column the width the others leave."""
        others = sum(column.render_width for column in self._columns if column.key != "title")
        # Reserve the vertical scrollbar even before the rows need it, so nothing jumps.
        available = (
            self.content_region.width
            - self.styles.scrollbar_size_vertical
            - others
            - 2 * self.CELL_PADDING
        )
        for column in self._columns:
            if column.key == "title":
                column.width = max(self.MIN_TITLE, available)

    @property
    def _table_width(self) -> int:
        return sum(column.render_width for column in self._columns)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._table_width, len(self._tasks) + 1)

    # ------------------------------------------------------------------ cursor

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (clamped to the rows listed)."""
        self._moved = True
        row = max(0, min(row, len(self._tasks) - 1))
        if row != self._cursor:
            old, self._cursor = self._cursor, row
            self._refresh_row(old)
            self._refresh_row(row)
        if self._tasks:
            self.chosen_task_id = self._tasks[row].id
        if scroll:
            self._scroll_cursor_into_view(animate=animate)
        self._announce_highlight()

    def row_of(self, task_id: int) -> int | None:
        """The row listing ``task_id``, if it is listed."""
        return self._index.get(task_id)

    def choose_task(self, task_id: int) -> None:
        """Put the cursor on ``task_id``'s row, scrolled into view; when it is not listed
        (yet), it is chosen as soon as it is."""
        row = self._index.get(task_id)
        if row is None:
            self.chosen_task_id = task_id
            self._moved = True
        else:
            self.move_cursor(row=row)

    def _announce_highlight(self) -> None:
        """Tell the screen when the cursor rests on another task."""
        task_id = self.selected_task_id
        if task_id is not None and task_id != self._highlighted:
            self.post_message(self.RowHighlighted(self, self._cursor, task_id))
        self._highlighted = task_id

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """Scroll as little as it takes to show the cursor's row (and no blank past the end)."""
        visible = max(1, self.scrollable_content_region.height - 1)
        now = round(self.scroll_y)
        target = min(now, max(0, len(self._tasks) - visible))
        if self._cursor < target:
            target = self._cursor
        elif self._cursor >= target + visible:
            target = self._cursor - visible + 1
        if target == now:
            return
        self.scroll_to(y=target, animate=animate, duration=0.15 if animate else None, force=True)

    def _refresh_row(self, row: int) -> None:
        """Repaint row ``row`` (-1: the header) if it is on screen."""
        if row < 0:
            self.refresh(Region(0, 0, self.size.width, 1))
        else:
            self.refresh_line(row + 1)

    def _hide_hover(self) -> None:
        if self._hover_row != NO_ROW:
            old, self._hover_row = self._hover_row, NO_ROW
            self._refresh_row(old)

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self._hide_hover()
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self._hide_hover()
        self.move_cursor(row=self._cursor - 1)

    def action_page_down(self) -> None:
        """Move the cursor, and the view, one screen down."""
        self._hide_hover()
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + page, animate=False, force=True)
        self.move_cursor(row=self._cursor + page)

    def action_page_up(self) -> None:
        """Move the cursor, and the view, one screen up."""
        self._hide_hover()
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y - page, animate=False, force=True)
        self.move_cursor(row=self._cursor - page)

    def action_cursor_top(self) -> None:
        """Move the cursor to the first row."""
        self._hide_hover()
        self.move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        """Move the cursor to the last row."""
        self._hide_hover()
        self.move_cursor(row=len(self._tasks) - 1)

    def action_select_cursor(self) -> None:
        """Choose the task under the cursor."""
        self._hide_hover()
        task_id = self.selected_task_id
        if task_id is not None:
            self.post_message(self.RowSelected(self, self._cursor, task_id))

    # ------------------------------------------------------------------ mouse

    def _at(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """The (row, column index) under the mouse; row -1 is the header."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        row = -1 if offset.y == 0 else round(self.scroll_y) + offset.y - 1
        x = offset.x + round(self.scroll_x)
        column = -1
        for index, candidate in enumerate(self._columns):
            if x < candidate.render_width:
                column = index
                break
            x -= candidate.render_width
        return row, column

    def on_click(self, event: events.Click) -> None:
        where = self._at(event)
        if where is None:
            return
        row, column = where
        if row == -1:
            if column >= 0:
                event.stop()
                self.post_message(self.SortChosen(self, self._columns[column].key))
        elif row < len(self._tasks):
            event.stop()
            if row == self._cursor:
                self.action_select_cursor()
            else:
                self.move_cursor(row=row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        where = self._at(event)
        row, column = where if where is not None else (NO_ROW, -1)
        if row >= len(self._tasks):
            row = NO_ROW
        column = column if row == -1 else -1
        if (row, column) != (self._hover_row, self._hover_column):
            self._hide_hover()
            self._hover_row, self._hover_column = row, column
            if row != NO_ROW:
                self._refresh_row(row)

    def on_leave(self, event: events.Leave) -> None:
        self._hide_hover()

    # ------------------------------------------------------------------ painting

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cells.clear()
        self._lines.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this paint shares, worked out once.
        self._base = self.rich_style
        state = (self.size.width, self._table_width, self.get_pseudo_class_state())
        if state != self._line_state:
            self._line_state = state
            self._lines.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = round(self.scroll_x), round(self.scroll_y)
        base = self._base
        if y == 0:
            strip = self._render_header(base)
        else:
            row = scroll_y + y - 1
            if row >= len(self._tasks):
                if y == 2 and not self._tasks and self.empty_text:
                    return self._render_empty(base).crop_extend(0, width, base)
                return Strip.blank(width, base)
            strip = self._render_row(row, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_empty(self, base: Style) -> Strip:
        """The line saying why no task is listed, where the first rows would be."""
        line = Text(" " * self.CELL_PADDING + self.empty_text, no_wrap=True, end="")
        line.truncate(max(1, self.size.width), overflow="ellipsis")
        return self._strip(line, base + self.get_component_rich_style("task-table--dim"))

    def _render_header(self, base: Style) -> Strip:
        header = base + self.get_component_rich_style("task-table--header")
        line = Text(no_wrap=True, end="")
        for index, column in enumerate(self._columns):
            start = len(line)
            self._append_cell(line, column.label, column.width, right=False)
            if self._hover_row == -1 and index == self._hover_column:
                line.stylize(self.get_component_rich_style("task-table--header-hover"), start)
        return self._strip(line, header)

    def _render_row(self, row: int, base: Style) -> Strip:
        task = self._tasks[row]
        cursor = row == self._cursor
        hover = row == self._hover_row
        cells = self._cells_of(task)
        key = (task.id, cursor, hover)
        cached = self._lines.get(key)
        if cached is not None and cached[0] is cells:
            return cached[1]
        style = base
        if hover:
            style += self.get_component_rich_style("task-table--hover")
        if cursor:
            style += self.get_component_rich_style("task-table--cursor")
        line = Text(no_wrap=True, end="")
        for column in self._columns:
            self._append_cell(line, cells[column.key], column.width, right=column.right)
        # The cursor's colours win over the cells' own (as in Textual's tables).
        post = Style(color=style.color, bgcolor=style.bgcolor) if cursor else None
        strip = self._strip(line, style, post)
        if len(self._lines) >= self.LINE_CACHE_SIZE:
            self._lines.clear()
        self._lines[key] = (cells, strip)
        return strip

    def _append_cell(self, line: Text, cell: Text, width: int, *, right: bool) -> None:
        """Add ``cell`` to ``line``, cut (ending in "…", so a cut shows) or padded to
        ``width``, with the cell padding."""
        if cell.cell_len > width:
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
        gap = " " * (width - cell.cell_len)
        padding = " " * self.CELL_PADDING
        line.append(padding + gap if right else padding)
        line.append_text(cell)
        line.append(padding if right else gap + padding)

    def _strip(self, line: Text, style: Style, post: Style | None = None) -> Strip:
        """``line`` over ``style`` (under ``post``), as wide as the table or the widget."""
        segments = Segment.apply_style(line.render(self.app.console), style, post)
        strip = Strip(segments, line.cell_len)
        return strip.extend_cell_length(max(self._table_width, self.size.width), style)

    # ------------------------------------------------------------------ cells

    def _cells_of(self, task: Task) -> dict[str, Text]:
        """The task's cells, reused while nothing they show has changed."""
        now = self._now
        label = deadline_label(task.deadline, now, self._zone) if task.deadline is not None else ""
        label += "!" if task.is_overdue(now) else ""
        label += "\0" + self._pending.get(task.id, "")
        before = self._cells.get(task.id)
        if before is not None and before[1] == label and (before[0] is task or before[0] == task):
            return before[2]
        cells = self._make_cells(task, now, self._me)
        if len(self._cells) >= self.LINE_CACHE_SIZE:
            self._cells.clear()
        self._cells[task.id] = (task, label, cells)
        return cells

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"task-table--{name}", partial=True)

    def _make_cells(self, task: Task, now: datetime, me: int) -> dict[str, Text]:
        overdue = task.is_overdue(now)
        deadline = (
            Text(
                deadline_label(task.deadline, now, self._zone),
                style=self._style("overdue") if overdue else "",
            )
            if task.deadline is not None
            else Text("—", style=self._style("dim"))
        )
        status_style = self._style("dim") if task.status is TaskStatus.DEFERRED else ""
        status = Text(task.status.label, style=status_style)
        doing = self._pending.get(task.id)
        if doing is not None:
            status = Text(doing, style=self._style("pending"))
        priority = Text(
            PRIORITY_MARKS.get(task.priority, ""),
            style=self._style("high") if task.priority is Priority.HIGH else "",
        )
        responsible = task.responsible.name if task.responsible else f"#{task.responsible_id}"
        return {
            "id": Text(str(task.id)),
            "status": status,
            "priority": priority,
            "title": Text(clean(task.title, single_line=True)),
            "deadline": deadline,
            "responsible": Text(clean(responsible, single_line=True)),
            "checklist": Text(self._checklist(task)),
            "flags": Text(self._flags(task, me)),
        }

    @staticmethod
    def _checklist(task: Task) -> str:
        done, total = task.checklist_progress
        return f"{done}/{total}" if total else ""

    @staticmethod
    def _flags(task: Task, me: int) -> str:
        flags = (("M", task.is_muted), ("W", me in task.auditors), ("★", task.is_favorite))
        return "".join(mark for mark, on in flags if on)
