"""One task in full, opened from the dashboard or straight from ``b24tui task ID``."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import Worker

from b24tui.api import AccessDenied, NotFound
from b24tui.models import Task
from b24tui.screens.base import PortalScreen
from b24tui.screens.task_actions import TaskActionsMixin
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.widgets import AppFooter, AppHeader, TaskDetail

NOT_FOUND_TEXT = "Task not found or you have no access"


class TaskDetailScreen(TaskActionsMixin, PortalScreen[None]):
    """A task's details: fields, people, description and checklist summary.

    It shows the task as the store has it at once (a dashboard row is shown while the
    full record is read), and repaints whenever the store's copy changes: an action here
    or on any screen, a refresh (which reads this task along), a name that arrived.
    """

    CSS_PATH = "task_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    def __init__(self, services: Services, task_id: int) -> None:
        super().__init__(services)
        self.task_id = task_id
        self._missing = False
        """Whether the portal said the task does not exist or cannot be seen."""
        self._people_asked = False

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(Text(f"Loading task #{self.task_id}…"), id="detail-state")
        yield TaskDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(TaskDetail).display = False
        self.store.open_task(self.task_id)
        self.load_task()
        self.show_change(StoreChange(me=True, tasks=frozenset({self.task_id})))

    def on_unmount(self) -> None:
        self.store.close_task(self.task_id)

    # ------------------------------------------------------------------ public

    def current_task(self) -> Task | None:
        """The task on screen, or None while it loads or when it cannot be read."""
        return None if self._missing else self.store.task(self.task_id)

    def current_user_id(self) -> int | None:
        """The signed-in user's id, once the store knows it."""
        me = self.store.me
        return me.id if me is not None else None

    def tick(self) -> None:
        """Once a second: the header's status (when the task was read, what waits, or
        that its full record is still being read), and the task's relative times."""
        if self._missing:
            return
        reading = any(w.group == "task" and not w.is_finished for w in self.workers)
        if reading and not self.store.is_full(self.task_id):
            self.query_one(AppHeader).status = "loading…"
        else:
            self.show_health(self.store.task_read_at(self.task_id))
        detail = self.query_one(TaskDetail)
        if detail.display:
            detail.age(self.services.clock.now())

    # ------------------------------------------------------------------ the store

    def show_store(self, change: StoreChange) -> None:
        """Repaint the task when the store's copy (or a name in it) changed."""
        store = self.store
        if change.pending and not change.refreshed:
            # An action's progress: the header says it (tick); what is under way changes
            # what is offered.
            self.refresh_task_bindings()
            return
        if self.task_id in change.removed and not store.refreshing:
            self._show_missing()
            return
        task = store.task(self.task_id)
        if task is not None and (
            self.task_id in change.tasks or change.users or change.me or change.refreshed
        ):
            self._missing = False
            self._show(task)
            self.refresh_task_bindings()

    def _show(self, task: Task) -> None:
        self.query_one("#detail-state", Static).display = False
        detail = self.query_one(TaskDetail)
        first = not detail.display
        detail.display = True
        if first:
            detail.focus()  # the keys scroll a long description
        detail.show(
            task,
            self.services.clock.now(),
            people=self.store.people(task),
            me=self.current_user_id(),
            description=self.store.is_full(task.id),
            zone=self.shown_zone(),
        )
        if (
            self.store.is_full(task.id)
            and not self._people_asked
            and self.store.missing_people(task)
        ):
            self._people_asked = True
            self.load_people(task)

    def _show_missing(self) -> None:
        self._missing = True
        self.query_one(TaskDetail).display = False
        state = self.query_one("#detail-state", Static)
        state.update(Text(NOT_FOUND_TEXT))
        state.add_class("-missing")
        state.display = True
        self.query_one(AppHeader).status = ""
        self.refresh_task_bindings()

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="task", exit_on_error=False)
    async def load_task(self) -> None:
        """Read the task in full, and every person it names, into the store.

        Who I am comes from the store (asked once a session): the task never waits for
        it, so a refused or parked ``user.current`` cannot hold the screen.
        """
        try:
            await self.store.load_task(self.task_id)
        except (NotFound, AccessDenied):
            self._show_missing()
        finally:
            self.tick()

    @work(exclusive=True, group="people", exit_on_error=False)
    async def load_people(self, task: Task) -> None:
        """The names of people the task gained (a refresh read it without them)."""
        await self.store.load_people(task)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """A failed read of the task: the body says why nothing is shown (and the app
        reports it once); a missing name is not worth a message of its own."""
        if worker.group == "people":
            return True
        if worker.group == "task":
            self.query_one(AppHeader).status = "not updated"
            if self.current_task() is None and not self._missing:
                state = self.query_one("#detail-state", Static)
                state.update(Text(f"Could not load task #{self.task_id}. Press r to try again."))
                state.display = True
        return False

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to the screen below (the dashboard), which chooses this task's row."""
        self.store.last_closed = self.task_id
        self.dismiss(None)

    def action_refresh(self) -> None:
        """Read the portal again: the app's one refresh reads this task along."""
        self._people_asked = False
        self.request_refresh()
