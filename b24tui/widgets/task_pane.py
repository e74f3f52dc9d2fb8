"""The dashboard's side pane: the highlighted task at a glance, on wide terminals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from b24tui.humanize import ShownZone
from b24tui.models import Task, User
from b24tui.widgets.task_detail import DescriptionCache, TaskDetail


class TaskPane(TaskDetail):
    """:class:`TaskDetail` in its compact form, first from the list's data, then complete.

    The list does not carry descriptions: until the full task comes, the description
    reads "Loading…" rather than "No description" (and the same task's description, once
    shown, stays as it was: a refresh shows the list's copy first).
    """

    DEFAULT_CSS = """
    TaskPane > #pane-loading { width: 1fr; height: auto; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, cache: DescriptionCache | None = None) -> None:
        super().__init__(id=id, cache=cache)
        self.task_id: int | None = None
        """The id of the task on show, if any."""
        self.complete = False
        """Whether the task on show is the full task (description and all)."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(Text("Loading…"), id="pane-loading")

    def on_mount(self) -> None:
        self._show_loading()

    def show_task(
        self,
        task: Task | None,
        now: datetime,
        *,
        complete: bool = False,
        me: int | None = None,
        zone: ShownZone | None = None,
        people: Mapping[int, User] | None = None,
    ) -> None:
        """Show ``task`` as of ``now`` (``None``: nothing); ``complete`` when fully loaded;
        times in ``zone``; ``people`` by id for the names it shows (mentions included: the
        same names as the task's screen, which then finds the description rendered)."""
        if task is None:
            self.task_id = None
            self.complete = False
            self.clear()
        else:
            if task.id != self.task_id:
                self.scroll_home(animate=False)
            self.task_id = task.id
            self.complete = complete
            self.show(
                task, now, compact=True, me=me, description=complete, zone=zone, people=people
            )
        self._show_loading()

    def _show_loading(self) -> None:
        if not self.is_mounted:
            return
        loading = self.task_id is not None and not self.complete
        self.query_one("#pane-loading", Static).display = loading
        self.query_one("#detail-body").display = not loading
