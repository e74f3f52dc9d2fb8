"""One task in full, opened from the dashboard or straight from ``b24tui task ID``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker

from b24tui.api import AccessDenied, B24Error, NotFound
from b24tui.api.resources.tasks import FULL_FIELDS
from b24tui.bbcode import mentioned_user_ids
from b24tui.humanize import ago
from b24tui.models import Task, User
from b24tui.screens.base import AppScreen
from b24tui.screens.task_actions import TaskActionsMixin
from b24tui.services import Services
from b24tui.widgets import AppFooter, AppHeader, TaskDetail

MAX_MENTIONS = 20
"""Mentioned users whose names are looked up (the rest show the name typed in the tag)."""
NOT_FOUND_TEXT = "Task not found or you have no access"


class TaskDetailScreen(TaskActionsMixin, AppScreen[None]):
    """A task's details: fields, people, description and checklist summary."""

    CSS_PATH = "task_detail.tcss"
    TASK_SELECT = FULL_FIELDS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    @dataclass
    class TaskLoaded(Message):
        """The task, the people it names and the current user, as read at ``loaded_at``."""

        task: Task
        people: Mapping[int, User]
        me: User | None
        loaded_at: datetime

    @dataclass
    class MeKnown(Message):
        """The store knows who I am."""

        me: User

    @dataclass
    class TaskMissing(Message):
        """The portal says the task does not exist or the user cannot see it."""

        task_id: int
        error: B24Error = field(repr=False)
        me: User | None = None

    def __init__(self, services: Services, task_id: int) -> None:
        super().__init__()
        self.services = services
        self.task_id = task_id
        self.me: User | None = None
        self.people: dict[int, User] = {}
        self._shown_task: Task | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(Text(f"Loading task #{self.task_id}…"), id="detail-state")
        yield TaskDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        header = self.query_one(AppHeader)
        header.portal = self.services.client.host
        header.demo = self.services.demo
        header.status = "loading…"
        detail = self.query_one(TaskDetail)
        detail.display = False
        self.me = self.services.store.me
        if self.me is None:
            self.load_me()
        else:
            header.user_name = self.me.full_name
        self.load_task()

    # ------------------------------------------------------------------ public

    def current_task(self) -> Task | None:
        """The task on screen, or None while it loads or when it cannot be read."""
        return self._shown_task

    def current_user_id(self) -> int | None:
        """The signed-in user's id, once the first load has read it."""
        return self.me.id if self.me is not None else None

    def show_task(self, task: Task) -> None:
        """Show ``task`` (after an action changed it); names already known are reused."""
        self._shown_task = task
        state = self.query_one("#detail-state", Static)
        state.display = False
        detail = self.query_one(TaskDetail)
        first = not detail.display
        detail.display = True
        if first:
            detail.focus()  # the keys scroll a long description
        detail.show(
            task,
            self.services.clock.now(),
            people=self.people,
            me=self.me.id if self.me is not None else None,
        )

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="task", exit_on_error=False)
    async def load_task(self) -> None:
        """Read the task, then every person it names in one call.

        Who I am comes from the store (asked once a session, by :meth:`load_me`): the
        task never waits for it, so a refused or parked ``user.current`` cannot hold the
        screen.
        """
        client = self.services.client
        try:
            task = await client.tasks.get(self.task_id, select=FULL_FIELDS)
        except (NotFound, AccessDenied) as missing:
            self.post_message(self.TaskMissing(self.task_id, missing, self.services.store.me))
            return
        ids = {task.created_by, task.responsible_id, *task.accomplices, *task.auditors}
        if task.changed_by:
            ids.add(task.changed_by)
        ids.update(sorted(mentioned_user_ids(task.description))[:MAX_MENTIONS])
        ids.discard(0)
        ids -= self.people.keys()
        users = await client.users.get_many(ids) if ids else ()
        people = {**self.people, **{user.id: user for user in users}}
        me = self.services.store.me
        self.post_message(self.TaskLoaded(task, people, me, self.services.clock.now()))

    @work(exclusive=True, group="me", exit_on_error=False)
    async def load_me(self) -> None:
        """Who I am, for the header and the actions that depend on it (watching)."""
        self.post_message(self.MeKnown(await self.services.store.current_user()))

    @on(MeKnown)
    def _me_known(self, message: MeKnown) -> None:
        self.me = message.me
        self.query_one(AppHeader).user_name = message.me.full_name
        if self._shown_task is not None:
            self.show_task(self._shown_task)
            self.refresh_task_bindings()

    @on(TaskLoaded)
    def _show_loaded(self, message: TaskLoaded) -> None:
        self.people = dict(message.people)
        header = self.query_one(AppHeader)
        if message.me is not None:
            self.me = message.me
            header.user_name = message.me.full_name
        header.status = f"updated {ago(message.loaded_at, self.services.clock.now())}"
        self.show_task(message.task)

    @on(TaskMissing)
    def _show_missing(self, message: TaskMissing) -> None:
        self._shown_task = None
        if message.me is not None:
            self.me = message.me
            self.query_one(AppHeader).user_name = message.me.full_name
        self.query_one(TaskDetail).display = False
        state = self.query_one("#detail-state", Static)
        state.update(Text(NOT_FOUND_TEXT))
        state.add_class("-missing")
        state.display = True
        self.query_one(AppHeader).status = ""

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """A failed read of the task: the body says why nothing is shown (and the app
        reports it once); who I am failing is not worth a message of its own."""
        if worker.group == "me":
            return True
        if worker.group == "task":
            self.query_one(AppHeader).status = "not updated"
            if self._shown_task is None:
                state = self.query_one("#detail-state", Static)
                state.update(Text(f"Could not load task #{self.task_id}. Press r to try again."))
                state.display = True
        return super().worker_failed(worker, error)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to the screen below (the dashboard)."""
        self.dismiss(None)

    def action_refresh(self) -> None:
        """Read the task again."""
        self.query_one(AppHeader).status = "refreshing…"
        self.load_task()
