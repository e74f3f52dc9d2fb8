"""The task table: one row per task, selection kept by task id across updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from b24tui.humanize import deadline_label
from b24tui.models import Priority, Task, TaskStatus
from b24tui.text import clean

PRIORITY_MARKS: dict[Priority, str] = {Priority.HIGH: "▲", Priority.AVERAGE: "", Priority.LOW: "▽"}
STATUS_LABELS: dict[TaskStatus, str] = {TaskStatus.SUPPOSEDLY_COMPLETED: "Awaiting"}
"""Shorter labels where the full one does not fit the status column."""


class TaskTable(DataTable[Text]):
    """A table of tasks. Feed it with :meth:`show_tasks`; it never fetches anything."""

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
        ("priority", "!", 1, True),
        ("title", "Title", 0, True),
        ("deadline", "Deadline", 15, True),
        ("responsible", "Responsible", 18, False),
        ("checklist", "✓", 5, False),
        ("flags", "Flags", 5, True),
    )
    WIDE: ClassVar[int] = 110
    """From this width on, every column is shown; below it the table keeps the essentials."""
    MIN_TITLE: ClassVar[int] = 12

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._shown: tuple[Sequence[Task], datetime, int] = ((), datetime.min, 0)
        self._wide: bool | None = None

    def on_resize(self) -> None:
        wide = self.size.width >= self.WIDE
        if wide != self._wide:
            self._wide = wide
            self.clear(columns=True)
            for key, label, width, narrow in self.COLUMNS:
                if wide or narrow:
                    self.add_column(label, key=key, width=width or self.MIN_TITLE)
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

    @property
    def selected_task_id(self) -> int | None:
        """The id of the task under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def show_tasks(self, tasks: Sequence[Task], now: datetime, me: int) -> None:
        """Replace the rows with ``tasks`` as seen by user ``me`` at ``now``.

        The cursor stays on the same task when it is still listed.
        """
        self._shown = (tasks, now, me)
        if not self.columns:
            return
        keep = self.selected_task_id
        self.clear()
        shown = set(self.columns)
        for task in tasks:
            cells = self._cells(task, now, me)
            row = [cells[key] for key in cells if key in shown]
            self.add_row(*row, key=str(task.id))
        if keep is not None:
            for index, task in enumerate(tasks):
                if task.id == keep:
                    self.move_cursor(row=index, animate=False, scroll=True)
                    break

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"task-table--{name}", partial=True))

    def _cells(self, task: Task, now: datetime, me: int) -> dict[str, Text]:
        overdue = task.is_overdue(now)
        deadline = (
            Text(
                deadline_label(task.deadline, now), style=self._style("overdue") if overdue else ""
            )
            if task.deadline is not None
            else Text("—", style=self._style("dim"))
        )
        status_style = self._style("dim") if task.status is TaskStatus.DEFERRED else ""
        priority = Text(
            PRIORITY_MARKS.get(task.priority, ""),
            style=self._style("high") if task.priority is Priority.HIGH else "",
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
