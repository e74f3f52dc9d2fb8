"""The Textual app: wiring only. Dependencies come in through the constructor."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

from b24tui.api import B24Error
from b24tui.messages import CallFailed
from b24tui.screens import DashboardScreen
from b24tui.services import Services


class B24App(App[None]):
    """b24tui: my Bitrix24 tasks, checklists and workday in one terminal dashboard."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "b24tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen(self.services))

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
