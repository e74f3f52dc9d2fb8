"""The Textual app: wiring only. Dependencies come in through the constructor."""

from __future__ import annotations

from typing import ClassVar

import rich
from rich.traceback import Traceback
from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

from b24tui.api import B24Error
from b24tui.messages import CallFailed
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services


class B24App(App[None]):
    """b24tui: my Bitrix24 tasks, checklists and workday in one terminal dashboard."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "b24tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, services: Services, *, task_id: int | None = None) -> None:
        super().__init__()
        self.services = services
        self.start_task_id = task_id
        """The task to open on start (``b24tui task ID``), above the dashboard."""

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, showing the traceback *without* local variables.

        Textual's default shows each frame's locals; deep in a call those can hold the
        webhook URL or an access token, and a secret must never reach the screen.
        """
        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen(self.services))
        if self.start_task_id is not None:
            self.push_screen(TaskDetailScreen(self.services, self.start_task_id))

    @on(CallFailed)
    def report_failure(self, message: CallFailed) -> None:
        """The one place where a failed background call becomes a message for the user."""
        error = message.error
        if isinstance(error, B24Error):
            self.notify(error.hint or "", title=error.title, severity="error", markup=False)
        else:
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                markup=False,
            )
