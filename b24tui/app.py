"""The Textual app: wiring only. Dependencies come in through the constructor."""

from __future__ import annotations

import asyncio
import gc
import math
import weakref
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from typing import ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from b24tui.action_queue import UNDO_SECONDS, ActionResult, PendingAction
from b24tui.actions import READ_ONLY_MESSAGE
from b24tui.api import B24Error
from b24tui.cache import Cached
from b24tui.checklist_actions import ChecklistResult
from b24tui.heap import (
    collect,
    collector_paused,
    make_full_passes_rare,
    release_free_memory,
    tidy,
)
from b24tui.humanize import ShownZone
from b24tui.messages import CallFailed, RefreshRequested, ScreenClosed, TaskChosen
from b24tui.notifications import (
    NOTICE_SECONDS,
    SUMMARY_AFTER,
    Notice,
    desktop_sequence,
    summary,
    workday_notice,
)
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.screens.base import PortalScreen
from b24tui.screens.checklist import ChecklistScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.help import HelpScreen, help_sections
from b24tui.screens.workday import WorkdayScreen
from b24tui.services import Services
from b24tui.store import IDLE_AFTER, Cause, StoreChange, cause_of
from b24tui.widgets import TaskTable
from b24tui.workday_actions import WorkdayResult

SNAPSHOT_EVERY = 5.0
"""Seconds between a change of the store and its write to the snapshot cache (at most
one write in this time, off the event loop)."""


TIDY_EVERY = 60.0
"""Seconds between two looks at whether the heap can be tidied (see :meth:`B24App.keep_house`)."""
QUIET_FOR = 5.0
"""Seconds with no key or click before the heap is tidied."""
FULL_TIDY_EVERY = 30
"""One tidy in this many (half an hour apart at the least) walks the frozen objects too."""

TICK_EVERY = 1.0
"""Seconds between two ticks of the screens' clock (:meth:`B24App.tick_screens`)."""
SNAPSHOT_AT_ONCE = 1_000_000
"""Bytes of snapshot cache read before the first paint (a few hundred tasks: tens of ms);
a larger one is read in a thread after it (7,000 tasks take half a second)."""


def _palette_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from b24tui.commands import PaletteCommands

    return PaletteCommands


class B24App(App[None]):
    """b24tui: my Bitrix24 tasks, checklists and workday in one terminal dashboard."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "b24tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("w", "open_workday", "Workday", show=False, id="open_workday"),
        # A priority key, run as it is read: the title typed right after it (in the same
        # read, over SSH) then reaches the form, not the list below it.
        Binding("n", "new_task", "New task", show=False, priority=True, id="new_task"),
    ]

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {_palette_commands}
    """One provider, so the palette lists its commands in the same order every time: the
    task on screen's actions, "Go to task…", "Refresh", then :meth:`get_system_commands`.
    It is imported when the palette first opens, not at start."""

    SYSTEM_COMMANDS: ClassVar[dict[str, str]] = {"Theme": "Change theme"}
    """Textual's system commands the product offers, by Textual's title, with our name.
    The rest are Textual's own tools (a screenshot into ~/Downloads, the keys panel,
    maximize); quitting is `q`, not a palette command."""

    def __init__(
        self,
        services: Services,
        *,
        task_id: int | None = None,
        checklist: bool = False,
        manage_collector: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.start_task_id = task_id
        """The task to open on start (``b24tui task ID``), above the dashboard."""
        self.start_on_checklist = checklist
        """Whether that task opens on its checklist (``--checklist``), not its details."""
        self.manage_collector = manage_collector
        """Whether the app keeps the process's heap out of the dashboard's way: the first
        load ends with ``gc.freeze()``, whole reads run with the collector paused and give
        the memory they freed back, a closed screen's garbage is collected once the screen
        under it is drawn, and the heap is tidied while the person is quiet
        (:meth:`keep_house`; :mod:`b24tui.heap`). The real run does; tests, which run many
        apps in one process, do not."""
        self._next_refresh: Timer | None = None
        self._refresh_asked = False
        """Whether a refresh was started and has not ended (its worker may not have run yet)."""
        self._news_heard = False
        """Whether the portal has been read once, here or by the run the snapshot cache
        comes from (what it said first is no news)."""
        self._snapshot_timer: Timer | None = None
        self._last_input = services.clock.now()
        """When the person last pressed a key or clicked (see :attr:`away`)."""
        self.next_refresh_delay: float | None = None
        """The seconds the next refresh was set to wait, as it was set."""
        self._remember_themes = False
        """Whether a theme set now is the person's pick (not the one the app starts with)."""
        self._tidies = 0
        """How many times :meth:`keep_house` has tidied the heap."""
        self._first_paint = asyncio.Event()
        """Set once the first screen is on the terminal: the first read of the portal waits
        for it (making the connection pool and reading the root certificates took some
        25 ms, spent before the snapshot's first paint)."""

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, showing the traceback *without* local variables.

        Textual's default shows each frame's locals; deep in a call those can hold the
        webhook URL or an access token, and a secret must never reach the screen.
        """
        import rich  # here, not at the top: 60 ms of a start that rarely crashes
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

    def on_mount(self) -> None:
        settings = self.services.settings
        if settings is not None and settings.keys:
            self.set_keymap(dict(settings.keys))
        self._start_theme()
        self._serve_actions()
        self.services.store.subscribe(self._tell_news)
        self.services.store.subscribe(self._keep_snapshot_soon)
        cache = self.services.cache
        if cache is not None and cache.size() <= SNAPSHOT_AT_ONCE:
            cached = self.services.load_snapshot()  # a few ms: in the first paint
            if cached is not None:
                self._use_snapshot(cached)
        elif cache is not None:  # after the first paint, which it would delay
            self.call_after_refresh(self._start_from_snapshot)
        self.push_screen(DashboardScreen(self.services))
        if self.start_task_id is not None and self.start_on_checklist:
            self.push_screen(ChecklistScreen(self.services, self.start_task_id))
        elif self.start_task_id is not None:
            self.push_screen(TaskDetailScreen(self.services, self.start_task_id))
        self.call_after_refresh(self._first_paint.set)
        self.refresh_portal()
        self.set_interval(TICK_EVERY, self.tick_screens, name="the screens' clock")
        if self.manage_collector:
            self.set_interval(TIDY_EVERY, self.keep_house, name="tidy the heap")

    def tick_screens(self) -> None:
        """Once a second: each open screen's :meth:`~b24tui.screens.base.PortalScreen.tick`
        (its header's "updated 5s ago", the workday's clock).

        One clock of the app's, not one per screen: a stopped timer's sleep stays in the
        event loop's schedule until it would have ended, with its context, and the
        screen that owned it in that; a closed screen stayed alive for up to a second,
        past the moment its garbage is collected (:meth:`on_screen_closed`). None while
        the app closes: its screens' widgets are being taken down."""
        if not self.is_running:
            return
        for screen in self.screen_stack:
            if isinstance(screen, PortalScreen) and screen.is_mounted:
                screen.tick()

    def keep_house(self) -> None:
        """Tidy the heap while the person is quiet: one full pass of the collector, then
        what survived it frozen, so that the collector's own full passes walk only what is
        made after (opening a task, a refresh) and not everything made since the first
        load: those took 50 to 130 ms while tasks were opened. One tidy in
        :data:`FULL_TIDY_EVERY` walks the frozen objects too (a screen frozen while open is
        garbage once closed); that one takes longer, while no key is pressed.
        """
        store = self.services.store
        quiet = (self.services.clock.now() - self._last_input).total_seconds()
        if not self.manage_collector or not store.loaded or store.refreshing or quiet < QUIET_FOR:
            return
        self._tidies += 1
        if self._tidies % FULL_TIDY_EVERY == 0:
            gc.unfreeze()
        tidy()
        release_free_memory()

    def on_screen_closed(self, message: ScreenClosed) -> None:
        """Collect what a closed screen leaves once the screen under it is drawn (see
        :mod:`b24tui.heap`)."""
        if self.manage_collector:
            # After the refresh's callbacks, not among them: their list holds some of the
            # closed screen's own while it runs.
            self.call_after_refresh(self.call_later, self._collect_closed, message.screen)

    def _collect_closed(self, closed: weakref.ref[Screen[object]]) -> None:
        """A pass of the collector over a closed screen's widgets (garbage held in cycles:
        some 10,000 objects for a task's screen), in a turn of the loop of its own (5 to
        30 ms on 2 cores), then a freeze of what lives: unless something still holds the
        closed screen, or another screen is open above the dashboard, whose garbage it
        would freeze with it (those wait for the next pass)."""
        collect()
        if closed() is None and isinstance(self.screen, DashboardScreen):
            gc.freeze()

    # ------------------------------------------------------------------ task actions

    def _serve_actions(self) -> None:
        """Run the action queue's work in the app's workers (leaving a screen does not stop
        it; a defect in it is reported) and say each result in one toast."""
        actions = self.services.actions
        actions.spawn = lambda work: self.run_worker(
            work, name="task actions", group="task_action", exit_on_error=False
        )
        actions.on_result = self._say_result
        workday = self.services.workday
        workday.spawn = lambda work: self.run_worker(
            work, name="workday action", group="workday_action", exit_on_error=False
        )
        workday.on_result = self._say_workday_result
        checklists = self.services.checklists
        checklists.spawn = lambda work: self.run_worker(
            work, name="checklist changes", group="checklist_change", exit_on_error=False
        )
        checklists.on_result = self._say_checklist_result

    def _say_workday_result(self, result: WorkdayResult) -> None:
        self.notify(result.message, title=result.title, severity=result.severity, markup=False)
        self._check_connection(result.error)

    def _check_connection(self, error: B24Error | None) -> None:
        """A write that found no portal makes the header say OFFLINE now: a read goes out
        at once (failing, it sets the badge and the retries), not at the next tick."""
        if error is not None and cause_of(error) is Cause.OFFLINE and self.services.store.health.ok:
            self.refresh_portal(tell_failure=False)

    def action_open_workday(self) -> None:
        """Show the workday screen (``w``, "Open workday"), unless it is showing."""
        if not isinstance(self.screen, WorkdayScreen):
            self.push_screen(WorkdayScreen(self.services))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` opens a new task on the list and on a task, never while a field or a dialog
        takes the letter."""
        if action == "new_task":
            return isinstance(self.screen, DashboardScreen | TaskDetailScreen) and not (
                self.focused is not None and self.focused.check_consume_key("n", "n")
            )
        return super().check_action(action, parameters)

    def action_new_task(self) -> None:
        """Open the form for a new task (``n``, "New task"); nothing in read-only mode."""
        if self.services.read_only:
            self.notify(READ_ONLY_MESSAGE, severity="warning", markup=False)
            return
        from b24tui.screens.task_form import TaskFormScreen  # 15 ms the first paint spares

        if not isinstance(self.screen, TaskFormScreen):
            self.push_screen(TaskFormScreen(self.services), self._created)

    def _created(self, task_id: int | None) -> None:
        """The list under the form puts its cursor on the task just created."""
        screen = self.screen
        if task_id is not None and isinstance(screen, DashboardScreen):
            screen.query_one(TaskTable).choose_task(task_id)

    def _say_checklist_result(self, result: ChecklistResult) -> None:
        """A checklist change that was not done says why (a done one shows in the tree)."""
        if result.message:
            self.notify(result.message, severity="warning", timeout=UNDO_SECONDS, markup=False)
        self._check_connection(result.error)

    def _say_result(self, result: ActionResult) -> None:
        self.notify(
            result.message,
            title=result.title,
            severity=result.severity,
            timeout=5 if result.severity == "information" and not result.undoable else UNDO_SECONDS,
            markup=False,
        )
        self._check_connection(result.error)

    # ------------------------------------------------------------------ notifications

    def _tell_news(self, change: StoreChange) -> None:
        """Tell what a refresh brought that the person cares about (each thing once)."""
        if not (change.refreshed or change.workday):
            return
        store, news = self.services.store, self.services.news
        me = store.me
        notices = []
        if change.events and me is not None:
            zone = ShownZone.of(me.time_zone, self.services.clock)
            notices += news.of_events(change.events, me.id, zone)
        day = workday_notice(store.workday_seen, store.schedule, self.services.clock.now())
        if not self._news_heard:
            # What stood when the app first read the portal is no news: the minimum
            # reached before the start is not announced (the first read has no events).
            news.take([day])
            self._news_heard = change.refreshed
        else:
            notices += news.take([day])
        if notices:
            self.announce(notices)

    def announce(self, notices: Sequence[Notice]) -> None:
        """Toast each notice (many at once: one summary), with the bell and a desktop
        notification if the config asks for them."""
        notify = self.services.notify
        if len(notices) > SUMMARY_AFTER:
            shown = [(f"{len(notices)} changes", summary(notices))]
        else:
            shown = [(notice.title, notice.message) for notice in notices]
        for title, message in shown:
            self.notify(message, title=title, timeout=NOTICE_SECONDS, markup=False)
            if notify.desktop != "off":
                self.write_to_terminal(desktop_sequence(notify.desktop, title, message))
        if notify.bell:
            self.bell()

    def write_to_terminal(self, sequence: str) -> None:
        """Write a control sequence to the terminal (as :meth:`App.bell` writes its own)."""
        if not self.is_headless and self._driver is not None:
            self._driver.write(sequence)

    # ------------------------------------------------------------------ the snapshot cache

    @work(thread=True, group="snapshot", exit_on_error=False)
    def _start_from_snapshot(self) -> None:
        """Read the last run's snapshot beside the first refresh (a big one takes a
        second to parse), and show it unless the portal answered first."""
        cached = self.services.load_snapshot()
        if cached is not None:
            self.call_from_thread(self._use_snapshot, cached)

    def _use_snapshot(self, cached: Cached) -> None:
        if self.services.use_snapshot(cached):
            self._news_heard = True  # its run read the portal: what changed since is news

    def _keep_snapshot_soon(self, change: StoreChange) -> None:
        """Write the store to the cache a few seconds after it changed (once for a burst)."""
        if self.services.cache is None or self._snapshot_timer is not None:
            return
        if change.tasks or change.refreshed or change.workday or change.checklists:
            self._snapshot_timer = self.set_timer(SNAPSHOT_EVERY, self._keep_snapshot)

    def _keep_snapshot(self) -> None:
        self._snapshot_timer = None
        if self.services.store.loading is not None:  # half a first load: wait for the rest
            self._snapshot_timer = self.set_timer(SNAPSHOT_EVERY, self._keep_snapshot)
            return
        self.run_worker(
            self.services.snapshot_writer(),
            name="snapshot cache",
            group="snapshot",
            thread=True,
            exit_on_error=False,
        )

    # ------------------------------------------------------------------ the one refresh

    @on(RefreshRequested)
    def _refresh_requested(self) -> None:
        self.refresh_portal()

    def refresh_portal(self, *, tell_failure: bool = True) -> None:
        """Read the portal now (the store's one batched refresh), unless a refresh is
        already under way; the next one is scheduled when this one ends.

        ``tell_failure``: a first failure in a row is told in a toast (not when what
        asked for the refresh has just told the same thing).
        """
        if self.services.store.refreshing or self._refresh_asked:
            return  # the one under way (or about to start: `r r` in one read) will do
        if self._next_refresh is not None:
            self._next_refresh.stop()
            self._next_refresh = None
        self._refresh_asked = True
        self._refresh(tell_failure)

    @work(group="refresh", exit_on_error=False)
    async def _refresh(self, tell_failure: bool = True) -> None:
        """One refresh. Its first failure in a row is told in a toast; the screens show
        the rest (the header's badge, the table's place before the first load)."""
        store = self.services.store
        first = not store.loaded
        await self._first_paint.wait()
        whole = self.manage_collector and store.next_refresh_is_whole  # see b24tui.heap
        try:
            with collector_paused() if whole else nullcontext():
                await store.refresh()
            if first and self.manage_collector:
                # What the first load built lives all day: out of the collector's full
                # passes, which otherwise walk it every time (100+ ms stalls on 2 cores).
                tidy()
                make_full_passes_rare()
            if whole:  # in a thread: up to 60 ms, away from the keys (see the function)
                await asyncio.to_thread(release_free_memory)
        except B24Error as error:
            if store.health.failures == 1 and tell_failure:
                self.post_message(CallFailed(error))
        except Exception as error:  # a defect, not the portal: say so, keep running
            self.post_message(CallFailed(error))
        finally:
            self._refresh_asked = False
            self._schedule_refresh()

    def _schedule_refresh(self, delay: float | None = None) -> None:
        """Set the next refresh ``delay`` seconds from now (default: as the store says)."""
        if delay is None:
            delay = self.services.store.next_refresh_in(idle=self.away)
        self.next_refresh_delay = delay
        if delay is not None:  # None: only a new login helps; ``r`` still tries
            self._next_refresh = self.set_timer(delay, self.refresh_portal, name="refresh")

    @property
    def away(self) -> bool:
        """Whether the person has pressed no key and clicked nothing for :data:`IDLE_AFTER`."""
        idle = (self.services.clock.now() - self._last_input).total_seconds()
        return idle >= IDLE_AFTER

    async def on_event(self, event: events.Event) -> None:
        """A key or a click after a long absence catches the refresh up at once."""
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self._person_is_back()
        await super().on_event(event)

    def _person_is_back(self) -> None:
        was_away = self.away
        self._last_input = self.services.clock.now()
        store = self.services.store
        if not was_away or self._next_refresh is None or store.refreshing:
            return
        read_at = store.tasks_read_at
        since = (self._last_input - read_at).total_seconds() if read_at else math.inf
        self._next_refresh.stop()
        if since >= store.refresh_interval:
            self.refresh_portal()
        else:
            self._schedule_refresh(store.refresh_interval - since)

    def _start_theme(self) -> None:
        """Start with the theme last picked in the palette, else the config's ``theme``.

        The config names the default; a pick made in the app is newer and sticks (a
        remembered theme that no longer exists is passed over). Every pick from now on is
        remembered.
        """
        remembered = self.services.remembered
        picked = remembered.load().theme if remembered is not None else None
        settings = self.services.settings
        if picked is not None and picked in self.available_themes:
            self.theme = picked
        elif settings is not None and settings.theme:
            self._use_theme(settings.theme)
        self._remember_themes = True

    def watch_theme(self, theme: str) -> None:
        """Remember the theme picked, for the next run of this profile."""
        remembered = self.services.remembered
        if self._remember_themes and remembered is not None:
            remembered.save(replace(remembered.load(), theme=theme))

    def _use_theme(self, name: str) -> None:
        """Switch to the configured theme; an unknown name is reported, not fatal."""
        if name in self.available_themes:
            self.theme = name
            return
        known = ", ".join(sorted(self.available_themes))
        self.notify(
            f"The config names theme {name!r}, which does not exist. Known themes: {known}.",
            title="Unknown theme",
            severity="warning",
            markup=False,
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Of Textual's system commands, the :attr:`SYSTEM_COMMANDS`, under our names."""
        for command in super().get_system_commands(screen):
            title = self.SYSTEM_COMMANDS.get(command.title)
            if title is not None:
                yield command._replace(title=title)

    async def action_quit(self) -> None:
        """Quit; with actions under way, ask first, saying which (and that what was not
        sent yet is dropped, while what was sent may still be done by the portal)."""
        pending = self.services.actions.all_pending()
        if not pending:
            self.exit()
            return
        self.run_worker(self._ask_to_quit(pending), group="quit", exclusive=True)

    async def _ask_to_quit(self, pending: Sequence[PendingAction]) -> None:
        count = len(pending)
        question = f"{count} action{'s' if count > 1 else ''} under way. Quit anyway?"
        subject = "; ".join(
            f"{p.action.doing} “{p.title}”"
            + (" (not sent yet: dropped)" if p.cancellable else " (sent: the portal may do it)")
            for p in pending
        )
        if await self.push_screen_wait(ConfirmScreen(question, subject)):
            self.exit()

    def action_help(self) -> None:
        """Show every key of the current screen, from its live bindings, in our words."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        settings = self.services.settings
        keymap = settings.keys if settings is not None else None
        self.push_screen(HelpScreen(help_sections(self, self.screen, keymap=keymap)))

    @on(TaskChosen)
    def open_task(self, message: TaskChosen) -> None:
        """Open the chosen task's detail screen above the current one."""
        self.push_screen(TaskDetailScreen(self.services, message.task_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker of the app itself (a task action) is reported like any other."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            self.post_message(CallFailed(error))

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
