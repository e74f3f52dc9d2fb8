"""The dashboard's side pane: the highlighted task at a glance, on wide terminals."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from b24tui.humanize import deadline_label
from b24tui.models import Task
from b24tui.text import clean


class TaskPane(VerticalScroll):
    """Shows one task; :meth:`show` is called with the list's data, then the full task."""

    DEFAULT_CSS = """
    TaskPane { height: 1fr; }
    TaskPane > #pane-body { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.task_id: int | None = None
        """The id of the task on show, if any."""
        self.complete = False
        """Whether the task on show is the full task (description and all)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No task selected"), id="pane-body")

    def show(self, task: Task | None, now: datetime, *, complete: bool = False) -> None:
        """Show ``task`` as of ``now`` (``None``: nothing); ``complete`` when fully loaded."""
        body = self.query_one("#pane-body", Static)
        if task is None:
            self.task_id = None
            self.complete = False
            body.update(Text("No task selected"))
            return
        if task.id != self.task_id:
            self.scroll_home(animate=False)
        self.task_id = task.id
        self.complete = complete
        body.update(self._render_task(task, now, complete=complete))

    @staticmethod
    def _render_task(task: Task, now: datetime, *, complete: bool) -> Text:
        text = Text()
        text.append(f"#{task.id} ", style="dim")
        text.append(clean(task.title, single_line=True), style="bold")
        text.append("\n\n")
        rows = [
            ("Status", task.status.label),
            ("Priority", task.priority.name.title()),
            (
                "Deadline",
                deadline_label(task.deadline, now) if task.deadline is not None else "—",
            ),
            (
                "Responsible",
                clean(task.responsible.name if task.responsible else f"#{task.responsible_id}"),
            ),
        ]
        done, total = task.checklist_progress
        if total:
            rows.append(("Checklist", f"{done}/{total}"))
        for label, value in rows:
            text.append(f"{label:<12}", style="dim")
            text.append(f"{value}\n")
        text.append("\n")
        if complete:
            text.append(clean(task.description) or "No description.")
        else:
            text.append("Loading…", style="dim italic")
        return text
