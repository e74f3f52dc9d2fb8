"""The dashboard: my tasks in saved views, kept open all day."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Tab, Tabs

from b24tui.humanize import ago
from b24tui.messages import TasksLoaded
from b24tui.models import Task, User
from b24tui.screens.base import AppScreen
from b24tui.services import Services
from b24tui.views import VIEWS, VIEWS_BY_KEY, View
from b24tui.widgets import AppHeader, TaskTable

LIST_SELECT = [
    "ID",
    "TITLE",
    "STATUS",
    "PRIORITY",
    "DEADLINE",
    "CREATED_BY",
    "RESPONSIBLE_ID",
    "ACCOMPLICES",
    "AUDITORS",
    "GROUP_ID",
    "CHANGED_DATE",
    "FAVORITE",
    "IS_MUTED",
    "CHECKLIST",
]
"""The task fields the table needs, asked for explicitly (the default set may change)."""


class DashboardScreen(AppScreen[None]):
    """Home: header, view tabs and the task table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("tab", "next_view", "Next view", id="next_view"),
        Binding("shift+tab", "previous_view", "Previous view", show=False, id="previous_view"),
        Binding("j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="cursor_up"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.me: User | None = None
        self.tasks: list[Task] = []
        self.view: View = VIEWS[0]

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Tabs(*(Tab(view.label, id=view.key) for view in VIEWS), id="views")
        yield TaskTable(id="tasks")
        yield Footer()

    def on_mount(self) -> None:
        header = self.query_one(AppHeader)
        header.portal = self.services.client.host
        header.demo = self.services.demo
        header.status = "loading…"
        self.query_one(TaskTable).focus()
        self.load_tasks()

    @work(exclusive=True, group="tasks", exit_on_error=False)
    async def load_tasks(self) -> None:
        """Fetch every task I take part in; the views are cut from it locally."""
        client = self.services.client
        me = self.me or await client.users.current()
        pages = await asyncio.gather(
            *(
                client.tasks.list_all(filter=task_filter, select=LIST_SELECT)
                for task_filter in VIEWS_BY_KEY["all"].filters(me.id)
            )
        )
        tasks = list({task.id: task for page in pages for task in page}.values())
        self.post_message(TasksLoaded(me, tasks, self.services.clock.now()))

    @on(TasksLoaded)
    def show_loaded_tasks(self, message: TasksLoaded) -> None:
        self.me = message.me
        self.tasks = message.tasks
        header = self.query_one(AppHeader)
        header.user_name = message.me.full_name
        header.status = f"updated {ago(message.loaded_at, self.services.clock.now())}"
        self.show_view()

    def show_view(self) -> None:
        """Fill the table with the current view's tasks."""
        if self.me is None:
            return
        now = self.services.clock.now()
        tasks = self.view.select(self.tasks, self.me.id, now)
        self.query_one(TaskTable).show_tasks(tasks, now, self.me.id)
        for view in VIEWS:
            count = sum(1 for task in self.tasks if view.matches(task, self.me.id, now))
            self.query_one(f"#{view.key}", Tab).label = f"{view.label} {count}"

    @on(Tabs.TabActivated, "#views")
    def switch_view(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is not None:
            self.view = VIEWS_BY_KEY[event.tab.id]
            self.show_view()

    def action_refresh(self) -> None:
        self.query_one(AppHeader).status = "refreshing…"
        self.load_tasks()

    def action_next_view(self) -> None:
        self.query_one(Tabs).action_next_tab()

    def action_previous_view(self) -> None:
        self.query_one(Tabs).action_previous_tab()

    def action_cursor_down(self) -> None:
        self.query_one(TaskTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(TaskTable).action_cursor_up()
