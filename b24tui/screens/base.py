"""What every b24tui screen shares."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from b24tui.messages import CallFailed

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A screen whose failed workers are reported by the app, never fatal."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker state messages do not bubble: pass failures up as CallFailed.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.post_message(CallFailed(event.worker.error))
