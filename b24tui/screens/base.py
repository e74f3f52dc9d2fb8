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
        """The one hook for failed workers: screens override :meth:`worker_failed`, never
        this handler (Textual runs a handler of each class along the hierarchy, so an
        override here would report a failure once per class)."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        if not self.worker_failed(event.worker, error):
            # Worker state messages do not bubble: the app reports it as CallFailed.
            self.post_message(CallFailed(error))

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """React to a failed worker; return True when the screen has said it itself (the
        app then shows no toast for it)."""
        return False
