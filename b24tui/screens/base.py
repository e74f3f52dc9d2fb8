"""What every b24tui screen shares."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, TypeVar

from textual import events, on
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from b24tui.humanize import ShownZone, ago
from b24tui.messages import CallFailed, RefreshRequested, ScreenClosed, StoreUpdated
from b24tui.services import Services
from b24tui.store import PortalStore, StoreChange
from b24tui.widgets import AppHeader

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A screen whose failed workers are reported by the app, never fatal, whose footer
    tightens on narrow terminals so that more keys fit, and which tells the app when it
    is gone (:class:`~b24tui.messages.ScreenClosed`)."""

    COMPACT_FOOTER_BELOW: ClassVar[int] = 120
    """Below this width the footer drops the padding around each key."""

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < self.COMPACT_FOOTER_BELOW
        for footer in self.query(Footer):
            footer.compact = compact

    def on_unmount(self) -> None:
        self.app.post_message(ScreenClosed(weakref.ref(self)))

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


class PortalScreen(AppScreen[ResultType]):
    """A screen that shows what the portal store knows and is told when it changes.

    Subclasses handle :class:`~b24tui.messages.StoreUpdated` (each change of the store
    arrives as one, by id) and read everything they show from ``self.services.store``;
    they keep no copies of their own. The header's status and badge come from
    :meth:`show_health`.
    """

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def store(self) -> PortalStore:
        """What the app knows of the portal."""
        return self.services.store

    @on(events.Mount)
    def _listen_to_store(self) -> None:
        for header in self.query(AppHeader):
            header.portal = self.services.client.host
            header.demo = self.services.demo
            header.read_only = self.services.read_only
        self._unsubscribe = self.store.subscribe(self._store_changed)

    @on(events.Unmount)
    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _store_changed(self, change: StoreChange) -> None:
        self.post_message(StoreUpdated(change))

    @on(StoreUpdated)
    def _store_updated(self, message: StoreUpdated) -> None:
        self.show_change(message.change)

    def show_change(self, change: StoreChange) -> None:
        """Repaint what ``change`` touched: who I am here, the rest in :meth:`show_store`,
        then the header's status."""
        me = self.store.me
        if change.me and me is not None:
            for header in self.query(AppHeader):
                header.user_name = me.full_name
        self.show_store(change)
        self.tick()

    def show_store(self, change: StoreChange) -> None:
        """Repaint what this screen shows of ``change`` (each screen its own)."""

    def tick(self) -> None:
        """Once a second (the app's clock: :meth:`~b24tui.app.B24App.tick_screens`), and
        after each change: the header's status."""
        self.show_health(None)

    def shown_zone(self) -> ShownZone:
        """The zone times are shown in: the one my profile names (the portal's when it
        names none), marked where it is not the terminal's."""
        me = self.store.me
        return ShownZone.of(me.time_zone if me is not None else "", self.services.clock)

    def request_refresh(self) -> None:
        """Ask the app for a refresh of the portal now (the one refresh of the whole app)."""
        self.app.post_message(RefreshRequested())

    def show_health(self, read_at: datetime | None) -> None:
        """The header's badge (why the portal is not read) and status: what calls wait
        for, a refresh under way, or how long ago ``read_at`` was.

        The header's reactives repaint only when the text reads differently.
        """
        header = next(iter(self.query(AppHeader)), None)
        if header is None:
            return
        store = self.store
        cause = store.health.cause
        if cause is not None:
            header.connection = cause.badge
        else:  # what shows came from the last run's snapshot, not read yet
            header.connection = "CACHED" if store.from_cache else ""
        waiting = self.services.client.policy.waiting()
        acting = self.services.actions.status(waiting)
        if acting is not None:
            header.status = acting
        elif waiting is not None:
            header.status = waiting
        elif store.loading is not None:  # a large first load, part of it in
            header.status = store.loading.label
        elif store.refreshing:
            header.status = "refreshing…" + _waited(store.refresh_began, self.services.clock.now())
        elif read_at is not None:
            header.status = f"updated {ago(read_at, self.services.clock.now())}"
        else:  # never read: the badge (and the screen) say why, if it failed
            header.status = "loading…" if cause is None else ""


SHOW_WAIT_AFTER = 3.0
"""Seconds after which a refresh under way says how long it has waited."""


def _waited(began: datetime | None, now: datetime) -> str:
    """`` 12 s`` once a wait that began at ``began`` is long enough to wonder about."""
    if began is None:
        return ""
    seconds = (now - began).total_seconds()
    return f" {int(seconds)} s" if seconds >= SHOW_WAIT_AFTER else ""
