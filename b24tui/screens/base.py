"""What every b24tui screen shares."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from b24tui.messages import CallFailed

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A screen whose failed workers are reported by the app, never fatal, and whose footer
    tightens on narrow terminals so that more keys fit."""

    COMPACT_FOOTER_BELOW: ClassVar[int] = 120
    """Below this width the footer drops the padding around each key."""

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < self.COMPACT_FOOTER_BELOW
        for footer in self.query(Footer):
            footer.compact = compact

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: pass failures up as CallFailed.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.post_message(CallFailed(event.worker.error))
