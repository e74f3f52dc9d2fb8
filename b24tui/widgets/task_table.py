"""The task table: one row per task, selection kept by task id across updates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from b24tui.humanize import deadline_label
from b24tui.models import Priority, Task, TaskStatus
from b24tui.text import clean

PRIORITY_MARKS: dict[Priority, str] = {Priority.HIGH: "▲", Priority.AVERAGE: "", Priority.LOW: "▽"}
STATUS_LABELS: dict[TaskStatus, str] = {TaskStatus.SUPPOSEDLY_COMPLETED: "Awaiting"}
"""Shorter labels where the full one does not fit the status column."""
SORT_MARKS = {False: "▲", True: "▼"}
"""Header marks of the sort column: ascending, descending."""


class TaskTable(DataTable[Text]):
    """A table of tasks. Feed it with :meth:`show_tasks`; it never fetches anything.

    The cursor follows a task, not a row: when the rows change (a refresh, a filter, a
    new order) it stays on the task the user last chose, and comes back to it when a
    filter that hid it is cleared.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--overdue",
        "task-table--dim",
        "task-table--high",
    }

    DEFAULT_CSS = """
    TaskTable > .task-table--overdue { color: $error; }
    TaskTable > .task-table--dim { color: $text-muted; }
    TaskTable > .task-table--high { color: $warning; text-style: bold; }
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
    WIDE: ClassVar[int] = 110
    """From this width on, every column is shown; below it the table keeps the essentials."""
    MIN_TITLE: ClassVar[int] = 12

    @dataclass
    class SortChosen(Message):
        """The user clicked a column header to sort by it."""

        table: TaskTable
        column: str

        @property
        def control(self) -> TaskTable:
            """The table that sent it (for ``@on`` selectors)."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._shown: tuple[Sequence[Task], datetime, int] = ((), datetime.min, 0)
        self._wide: bool | None = None
        self._sort: tuple[str, bool] | None = None
        self._updating = False
        self._relabelled = False
        self._styles: dict[str, str] = {}
        self._row_cells: dict[int, tuple[Task, str, dict[str, Text]]] = {}
        self._cells_now: tuple[datetime, int] = (datetime.min, 0)
        """Per task id: the task, its deadline label and the cells made from them."""
        self.chosen_task_id: int | None = None
        """The task the user last put the cursor on (kept while a filter hides it)."""

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns on screen, left to right."""
        return [str(column.key.value) for column in self.ordered_columns]

    def on_resize(self) -> None:
        wide = self.size.width >= self.WIDE
        if wide != self._wide:
            self._wide = wide
            self._updating = True
            try:
                self.clear(columns=True)
                for key, label, width, narrow in self.COLUMNS:
                    if wide or narrow:
                        self.add_column(label, key=key, width=width or self.MIN_TITLE)
            finally:
                self._updating = False
            self._label_headers()
            self.show_tasks(*self._shown)
        self._fit_title()

    def _fit_title(self) -> None:
        """Give the title column the width the others leave."""
        title = self.columns.get(ColumnKey("title"))
        if title is None:
            return
        others = sum(
            column.get_render_width(self) for key, column in self.columns.items() if key != "title"
        )
        # Reserve the vertical scrollbar even before the rows need it, so nothing jumps.
        available = (
            self.content_region.width
            - self.styles.scrollbar_size_vertical
            - others
            - 2 * self.cell_padding
        )
        title.width = max(self.MIN_TITLE, available)
        title.auto_width = False
        self._require_update_dimensions = True
        self.refresh()

    def show_sort(self, column: str | None, descending: bool = False) -> None:
        """Mark ``column``'s header with the sort direction (``None``: the default order)."""
        self._sort = None if column is None else (column, descending)
        self._label_headers()

    def _label_headers(self) -> None:
        for key, label, _width, _narrow in self.COLUMNS:
            column = self.columns.get(ColumnKey(key))
            if column is None:
                continue
            mark = ""
            if self._sort is not None and self._sort[0] == key:
                mark = SORT_MARKS[self._sort[1]]
            column.label = Text(f"{label}{mark}")
        # The table caches rendered rows, header included, until its rows change:
        # the next show_tasks rebuilds them so the new marks are painted.
        self._relabelled = True
        self.refresh()

    @property
    def selected_task_id(self) -> int | None:
        """The id of the task under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def watch_cursor_coordinate(self, old: object, new: object) -> None:
        super().watch_cursor_coordinate(old, new)  # type: ignore[arg-type]
        if not self._updating and self.row_count:
            self.chosen_task_id = self.selected_task_id

    def show_tasks(self, tasks: Sequence[Task], now: datetime, me: int) -> None:
        """Show ``tasks`` as seen by user ``me`` at ``now``.

        When the same tasks come in the same order (a refresh with nothing added or
        removed) the cells are updated in place; otherwise the rows are rebuilt. Either
        way the cursor stays on the chosen task when it is listed, and the scroll
        position is kept.
        """
        self._shown = (tasks, now, me)
        if not self.columns:
            return
        keep = self.chosen_task_id
        self._styles = {name: self._style(name) for name in ("overdue", "dim", "high")}
        previous = self._row_cells
        self._row_cells = {}
        self._cells_now = (now, me)
        shown = [str(key.value) for key in self.columns]
        keys = [str(task.id) for task in tasks]
        self._updating = True
        try:
            same_rows = keys == [str(row.key.value) for row in self.ordered_rows]
            if same_rows and not self._relabelled:
                self._update_in_place(tasks, previous, shown)
            else:
                self._rebuild(tasks, previous, shown)
                self._relabelled = False
            if keep is not None and str(keep) in self.rows:
                index = self.get_row_index(str(keep))
                if index != self.cursor_row:
                    self.move_cursor(row=index, animate=False, scroll=True)
        finally:
            self._updating = False
        if keep is None and self.row_count:
            self.chosen_task_id = self.selected_task_id

    def _update_in_place(
        self,
        tasks: Sequence[Task],
        previous: dict[int, tuple[Task, str, dict[str, Text]]],
        shown: list[str],
    ) -> None:
        for task in tasks:
            before = previous.get(task.id)
            cells = self._cached_cells(task, previous)
            if before is not None and before[2] is cells:
                continue
            row_key = RowKey(str(task.id))
            current = self._data[row_key]
            for key in shown:
                column_key = ColumnKey(key)
                if current.get(column_key) != cells[key]:
                    self.update_cell(row_key, column_key, cells[key])

    def _rebuild(
        self,
        tasks: Sequence[Task],
        previous: dict[int, tuple[Task, str, dict[str, Text]]],
        shown: list[str],
    ) -> None:
        scroll_y = self.scroll_y
        self.clear()
        for task in tasks:
            cells = self._cached_cells(task, previous)
            self.add_row(*(cells[key] for key in shown), key=str(task.id))
        # The new rows are measured on the next refresh; scroll back once they are, before
        # the cursor (moved after this) scrolls itself into view if it has to.
        self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)

    def _cached_cells(
        self, task: Task, previous: dict[int, tuple[Task, str, dict[str, Text]]]
    ) -> dict[str, Text]:
        """The task's cells, reused from the last update when nothing they show changed."""
        now, me = self._cells_now
        label = deadline_label(task.deadline, now) if task.deadline is not None else ""
        label += "!" if task.is_overdue(now) else ""
        before = previous.get(task.id)
        if before is not None and before[1] == label and (before[0] is task or before[0] == task):
            cells = before[2]
        else:
            cells = self._cells(task, now, me)
        self._row_cells[task.id] = (task, label, cells)
        return cells

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"task-table--{name}", partial=True))

    def _cells(self, task: Task, now: datetime, me: int) -> dict[str, Text]:
        overdue = task.is_overdue(now)
        deadline = (
            Text(
                deadline_label(task.deadline, now), style=self._styles["overdue"] if overdue else ""
            )
            if task.deadline is not None
            else Text("—", style=self._styles["dim"])
        )
        status_style = self._styles["dim"] if task.status is TaskStatus.DEFERRED else ""
        priority = Text(
            PRIORITY_MARKS.get(task.priority, ""),
            style=self._styles["high"] if task.priority is Priority.HIGH else "",
        )
        responsible = task.responsible.name if task.responsible else f"#{task.responsible_id}"
        return {
            "id": Text(str(task.id), justify="right"),
            "status": Text(STATUS_LABELS.get(task.status, task.status.label), style=status_style),
            "priority": priority,
            "title": Text(clean(task.title, single_line=True)),
            "deadline": deadline,
            "responsible": Text(clean(responsible, single_line=True)),
            "checklist": Text(self._checklist(task), justify="right"),
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

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value is not None:
            self.post_message(self.SortChosen(self, str(event.column_key.value)))
