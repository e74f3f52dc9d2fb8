"""The dashboard: my tasks in saved views, kept open all day."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Tab, Tabs
from textual.worker import Worker

from b24tui.models import Task, User
from b24tui.screens.base import PortalScreen
from b24tui.screens.task_actions import TaskActionsMixin
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.screens.workday import show_workday_strip
from b24tui.services import Services
from b24tui.state import Remembered
from b24tui.store import StoreChange
from b24tui.text import clean
from b24tui.views import (
    SORT_COLUMNS,
    VIEWS,
    VIEWS_BY_KEY,
    SortOrder,
    View,
    filter_tasks,
    order_key,
    sort_tasks,
)
from b24tui.widgets import AppFooter, AppHeader, TaskTable
from b24tui.widgets.filter_bar import FilterBar
from b24tui.widgets.load_problem import LoadProblem
from b24tui.widgets.task_pane import TaskPane
from b24tui.widgets.workday_strip import WorkdayStrip


def empty_text(view: View, query: str, *, in_view: int) -> str:
    """What the table says when it lists no task: no match for the filter, or an empty
    view (plain text: the query is the person's own, shown as typed)."""
    if in_view and query.strip():
        typed = clean(query, single_line=True)
        return f"No task matches “{typed}” in {view.label}. esc clears the filter."
    return f"No task in {view.label} now."


TIMELY_VIEWS = ("overdue",)
"""The views a task enters or leaves as time passes, with no change of its own."""


MOVE_AT_MOST = 100
"""Changed tasks a selection takes in one by one; more, and it is selected again."""


@dataclass(frozen=True)
class Selection:
    """A view's tasks in the default order, and what they were selected from and for."""

    view: View
    me: int
    among: list[Task]
    """The list of my tasks they were selected from (a change makes a new list)."""
    since: datetime
    until: datetime | None
    """The first deadline from :attr:`since` on: a task turns overdue right after it, which
    moves it in the order and into the Overdue view (``None``: no deadline ahead)."""
    tasks: list[Task]

    def holds(self, view: View, me: int, among: list[Task], now: datetime) -> bool:
        """Whether these are still ``view``'s tasks among ``among`` at ``now``."""
        return among is self.among and self._orders(view, me, now)

    def _orders(self, view: View, me: int, now: datetime) -> bool:
        """Whether this is ``view``'s selection for ``me`` and its order stands at ``now``."""
        return (
            view is self.view
            and me == self.me
            and self.since <= now
            and (self.until is None or now <= self.until)
        )

    def moved(
        self,
        view: View,
        me: int,
        changed: Collection[int],
        among: list[Task],
        by_id: Mapping[int, Task],
        now: datetime,
    ) -> Selection | None:
        """``view``'s selection among ``among`` (``by_id``: the same tasks by id), which
        differs from :attr:`among` only in the tasks ``changed``, at ``now``: those taken
        out and put back where they go now, rather than all selected again. ``None`` when
        it is another view's, too much changed, or a deadline has passed since (the order
        may have moved)."""
        if len(changed) > MOVE_AT_MOST or not self._orders(view, me, now):
            return None
        key = order_key(now)
        tasks = [task for task in self.tasks if task.id not in changed]
        until = self.until
        for task_id in changed:
            task = by_id.get(task_id)
            if task is None:
                continue
            due = task.deadline_utc
            if due is not None and due >= now and (until is None or due < until):
                until = due
            if view.matches(task, me, now):
                bisect.insort(tasks, task, key=key)
        return Selection(view, me, among, now, until, tasks)

    @classmethod
    def of(cls, view: View, me: int, among: list[Task], now: datetime) -> Selection:
        """Select ``view``'s tasks among ``among`` at ``now``."""
        until = min(
            (due for task in among if (due := task.deadline_utc) is not None and due >= now),
            default=None,
        )
        return cls(view, me, among, now, until, view.select(among, me, now))


class DashboardScreen(TaskActionsMixin, PortalScreen[None]):
    """Home: header, view tabs, the filter bar, the task table and (when wide) a task pane.

    Everything shown is read from the portal store; the app's one refresh fills it, and
    the screen repaints what a :class:`~b24tui.messages.StoreUpdated` names.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("tab", "next_view", "Next view", id="next_view"),
        Binding("shift+tab", "previous_view", "Previous view", show=False, id="previous_view"),
        # A priority binding runs as the key arrives, before the next key is handed on:
        # letters typed in the same burst as the slash land in the filter, not on the table.
        Binding("slash", "filter", "Filter", id="filter", priority=True),
        Binding("S", "sort", "Sort", show=False, id="sort"),
        Binding("R", "reverse_sort", "Reverse sort", show=False, id="reverse_sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
        Binding("j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g", "cursor_top", "Top", show=False, id="cursor_top"),
        Binding("G", "cursor_bottom", "Bottom", show=False, id="cursor_bottom"),
    ]

    TASK_HEADING: ClassVar[str] = "The selected task"
    """The help's heading over the task keys (they act on the highlighted row)."""
    SHOWS_TASK_TABLE: ClassVar[bool] = True
    """The help ends with the legend of the table's marks."""

    PANE_MIN_WIDTH: ClassVar[int] = 140
    """From this many columns on, a pane beside the table shows the highlighted task
    (below it the table alone keeps the title column readable)."""
    DETAIL_DELAY: ClassVar[float] = 0.3
    """Seconds the cursor must rest on a task before its full record is fetched."""

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.tasks: list[Task] = []
        """My tasks as the store has them (recomputed when a task changes)."""
        self.tasks_by_id: dict[int, Task] = {}
        remembered = services.remembered.load() if services.remembered else Remembered()
        self.view: View = VIEWS_BY_KEY.get(remembered.view or "", VIEWS[0])
        """The view shown: the one left last time (remembered per profile), else Active."""
        self.query_text = ""
        """The filter as typed ("" when none)."""
        self.sort: SortOrder | None = remembered.sort
        """The column order chosen by the user (remembered per profile), or ``None`` for the
        default order."""
        self.view_counts: dict[str, int] = {}
        self._filling = True
        """Whether the table shows a list still filling: until the first load has landed."""
        self._detail_timer: Timer | None = None
        self._pending_detail: int | None = None
        self._selection: Selection | None = None
        """The view's tasks as last selected: typing a filter selected 3,500 of 7,300 tasks
        again, and sorted them, for every key."""

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield WorkdayStrip(id="workday")
        tabs = (Tab(view.label, id=view.key) for view in VIEWS)
        yield Tabs(*tabs, active=self.view.key, id="views")
        yield FilterBar(id="filter")
        with Horizontal(id="body"):
            yield LoadProblem("your tasks", id="problem")
            yield TaskTable(id="tasks")
            yield TaskPane(id="pane")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one(TaskTable)
        if self.sort is not None:
            table.show_sort(self.sort.column, self.sort.descending)
        table.focus()
        self.show_change(StoreChange(me=True, refreshed=True, health=True))

    # ------------------------------------------------------------------ the store

    @property
    def me(self) -> User | None:
        """The signed-in user, once the store knows."""
        return self.store.me

    def show_store(self, change: StoreChange) -> None:
        """Repaint what ``change`` touched: rows, counts, the pane, the failure state."""
        store = self.store
        if change.pending and not (change.refreshed or change.me):
            # Only an action's progress: the rows are as they were.
            self.query_one(TaskTable).show_pending(self.services.actions.labels())
            self.refresh_task_bindings()  # what is under way changes what is offered
            return
        if change.tasks or change.refreshed or change.me:
            table = self.query_one(TaskTable)
            chosen, row = table.chosen_task_id, table.cursor_row
            was_listed = chosen is not None and table.row_of(chosen) is not None
            before = self.tasks_by_id
            self.tasks = store.my_tasks()
            self.tasks_by_id = {task.id: task for task in self.tasks}
            if self.view_counts and not change.me:
                # A part of the first load, or a refresh: what changed moves the counts
                # (7,000 tasks counted again for nine views took 110 ms a refresh); the
                # views that time moves are counted again whole.
                self._recount_views(change.tasks, before)
                self._count_views(TIMELY_VIEWS)
            else:
                self._count_views()
            self.show_view(changed=None if change.me else change.tasks)
            if (
                was_listed
                and chosen is not None
                and table.row_of(chosen) is None
                and table.row_count
            ):
                # The portal took the chosen task off this view (an action, a change
                # elsewhere): the cursor keeps its place, on the task that was below it.
                # A filter that hides it is different: the task is chosen again after it.
                table.move_cursor(row=row)
            self.refresh_task_bindings()
            if change.refreshed and store.loaded:
                self._filling = False
        if change.health or change.refreshed:
            self._show_problem()

    def _show_problem(self) -> None:
        """Before the first load, a failure takes the table's place; after it the rows stay
        and the header's badge says why they are not new."""
        store = self.store
        failing = not store.loaded and not store.health.ok
        problem = self.query_one(LoadProblem)
        problem.display = failing
        self.query_one(TaskTable).display = not failing
        if failing:
            problem.show_health(
                store.health, self.services.clock.now(), refreshing=store.refreshing
            )

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """The pane keeps the list's data: a failure to read a task in full is not worth a
        message."""
        return worker.group == "detail"

    def tick(self) -> None:
        """Once a second: the header's status, the workday's worked time (counted here,
        not asked of the portal), and the problem's countdown."""
        self.show_health(self.store.tasks_read_at)
        show_workday_strip(self.query_one(WorkdayStrip), self.services)
        if self.query_one(LoadProblem).display:
            self._show_problem()

    # ------------------------------------------------------------------ showing

    def show_view(self, *, changed: Collection[int] | None = None) -> None:
        """Fill the table with the current view's tasks, filtered and sorted; ``changed``:
        the only tasks that changed since the list was last shown, if that is known."""
        if self.me is None:
            return
        now = self.services.clock.now()
        view, me, selection = self.view, self.me.id, self._selection
        if selection is None or not selection.holds(view, me, self.tasks, now):
            moved = None
            if selection is not None and changed is not None:
                moved = selection.moved(view, me, changed, self.tasks, self.tasks_by_id, now)
            selection = self._selection = moved or Selection.of(view, me, self.tasks, now)
        in_view = selection.tasks
        shown = sort_tasks(filter_tasks(in_view, self.query_text), self.sort, self.me.id)
        table = self.query_one(TaskTable)
        loading = self.store.loading
        if self.store.loaded:
            empty = empty_text(self.view, self.query_text, in_view=len(in_view))
        else:  # nothing of this view read yet: not "no task"
            empty = loading.label if loading is not None else "loading…"
        table.show_tasks(
            shown,
            now,
            self.me.id,
            pending=self.services.actions.labels(),
            zone=self.shown_zone(),
            empty=empty,
            growing=self._filling,
        )
        self.query_one(FilterBar).counts = (len(shown), len(in_view))
        self._show_in_pane(self._selected_task())

    def _count_views(self, keys: Iterable[str] | None = None) -> None:
        """Count the tasks of the views ``keys`` (default: all) again, from every task."""
        if self.me is None:
            return
        now = self.services.clock.now()
        me = self.me.id
        counted = {
            view.key: sum(1 for task in self.tasks if view.matches(task, me, now))
            for view in VIEWS
            if keys is None or view.key in keys
        }
        self.view_counts = counted if keys is None else {**self.view_counts, **counted}
        self._label_tabs()

    def _recount_views(self, task_ids: Iterable[int], before: Mapping[int, Task]) -> None:
        """Move the counts by what ``task_ids`` were (in ``before``) and are now, rather
        than count every task again."""
        if self.me is None:
            return
        now = self.services.clock.now()
        me = self.me.id
        counts = self.view_counts
        for task_id in task_ids:
            for task, step in ((before.get(task_id), -1), (self.tasks_by_id.get(task_id), 1)):
                if task is not None:
                    for view in VIEWS:
                        if view.matches(task, me, now):
                            counts[view.key] = counts.get(view.key, 0) + step
        self._label_tabs()

    def _label_tabs(self) -> None:
        """Full tab labels when they fit the width, shorter ones when they do not."""
        counts = self.view_counts
        width = self.size.width
        # While the first load fills the lists, a count says it is partial ("Active 2,500…").
        partial = "" if self.store.loaded else "…"

        def labels(pick: int) -> list[str]:
            names = [(view.label, view.short, view.tiny)[pick] for view in VIEWS]
            if not counts or (partial and not self.tasks):
                return names
            return [
                f"{name} {counts.get(view.key, 0):,}{partial}"
                for name, view in zip(names, VIEWS, strict=True)
            ]

        chosen, compact = labels(2), True
        for pick in (0, 1):
            candidate = labels(pick)
            if sum(len(label) + 2 for label in candidate) <= width:
                chosen, compact = candidate, False
                break
        tabs = self.query_one(Tabs)
        tabs.set_class(compact, "-compact")
        for view, label in zip(VIEWS, chosen, strict=True):
            self.query_one(f"#{view.key}", Tab).label = label

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= self.PANE_MIN_WIDTH
        was_wide = self.has_class("-wide")
        self.set_class(wide, "-wide")
        self._label_tabs()
        if wide and not was_wide:
            self._show_in_pane(self._selected_task())

    @property
    def _my_id(self) -> int | None:
        return self.me.id if self.me is not None else None

    def _selected_task(self) -> Task | None:
        task_id = self.query_one(TaskTable).selected_task_id
        return self.tasks_by_id.get(task_id) if task_id is not None else None

    # ------------------------------------------------------------------ task actions

    def current_task(self) -> Task | None:
        """The selected row's task: the one the task keys and palette commands act on."""
        return self._selected_task()

    def current_user_id(self) -> int | None:
        """The signed-in user's id, once the first load has read it."""
        return self._my_id

    # ------------------------------------------------------------------ pane

    @on(TaskTable.RowHighlighted, "#tasks")
    def _highlighted(self, event: TaskTable.RowHighlighted) -> None:
        self.refresh_task_bindings()
        if event.row_key.value is not None:
            self._show_in_pane(self.tasks_by_id.get(int(event.row_key.value)))

    def _show_in_pane(self, task: Task | None) -> None:
        """Show ``task`` in the pane: in full when the store has it so, else its list data at
        once and the full record after a pause (a cursor passing by fetches nothing)."""
        if not self.has_class("-wide"):
            return
        pane = self.query_one(TaskPane)
        now = self.services.clock.now()
        if task is None:
            self._cancel_pending_detail()
            pane.show_task(None, now)
            return
        if self.store.is_full(task.id):
            self._cancel_pending_detail()
            people = self.store.people(task)
            pane.show_task(
                task, now, complete=True, me=self._my_id, zone=self.shown_zone(), people=people
            )
            return
        pane.show_task(task, now, me=self._my_id, zone=self.shown_zone())
        if self._pending_detail == task.id:
            return
        self._cancel_pending_detail()
        self._pending_detail = task.id
        self._detail_timer = self.set_timer(self.DETAIL_DELAY, self.flush_detail)

    def _cancel_pending_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self._pending_detail = None

    def flush_detail(self) -> None:
        """Fetch the full task the pane waits for now (the debounce timer calls this)."""
        task_id = self._pending_detail
        self._cancel_pending_detail()
        if task_id is not None:
            self.load_detail(task_id)

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_detail(self, task_id: int) -> None:
        """Read the task in full into the store; the pane shows it when the store says so."""
        await self.store.load_task(task_id)

    # ------------------------------------------------------------------ actions

    @on(TaskTable.RowSelected, "#tasks")
    def _open_selected(self, event: TaskTable.RowSelected) -> None:
        # A second enter read with the first reaches the table after the task's screen
        # went up: it would open the task again, and one escape would not be the way back.
        if event.row_key.value is not None and self.is_active:
            self.open_task(int(event.row_key.value))

    def on_screen_resume(self) -> None:
        """Back from a task's screen: its row is the chosen one (the place is kept)."""
        closed, self.store.last_closed = self.store.last_closed, None
        if closed is not None:
            self.query_one(TaskTable).choose_task(closed)

    def open_task(self, task_id: int) -> None:
        """Open the task's detail screen."""
        self._cancel_pending_detail()
        self.app.push_screen(TaskDetailScreen(self.services, task_id))

    @on(Tabs.TabActivated, "#views")
    def switch_view(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is not None:
            view = VIEWS_BY_KEY[event.tab.id]
            if view is not self.view:  # not the first tab shown
                self.view = view
                self._remember_place()
            self.show_view()

    @on(FilterBar.Changed, "#filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.query_text = event.query
        self.show_view()

    @on(FilterBar.Kept, "#filter")
    def _filter_kept(self, event: FilterBar.Kept) -> None:
        if not event.query.strip():
            self.query_one(FilterBar).action_clear()
        self.query_one(TaskTable).focus()

    @on(FilterBar.Cleared, "#filter")
    def _filter_cleared(self, event: FilterBar.Cleared) -> None:
        self.query_text = ""
        self.show_view()
        self.query_one(TaskTable).focus()

    @on(TaskTable.SortChosen, "#tasks")
    def _sort_chosen(self, event: TaskTable.SortChosen) -> None:
        if event.column not in SORT_COLUMNS:
            return
        if self.sort is not None and self.sort.column == event.column:
            self._set_sort(SortOrder(event.column, not self.sort.descending))
        else:
            self._set_sort(SortOrder(event.column))

    def _remember_place(self) -> None:
        """Keep the view and the sort for the next run of this profile."""
        remembered = self.services.remembered
        if remembered is not None:
            remembered.save(replace(remembered.load(), view=self.view.key, sort=self.sort))

    def _set_sort(self, order: SortOrder | None) -> None:
        self.sort = order
        self._remember_place()
        table = self.query_one(TaskTable)
        if order is None:
            table.show_sort(None)
        else:
            table.show_sort(order.column, order.descending)
        self.show_view()

    def action_sort(self) -> None:
        """Sort by the next column on screen; after the last, back to the default order."""
        columns = [key for key in self.query_one(TaskTable).shown_columns if key in SORT_COLUMNS]
        current = self.sort.column if self.sort is not None else None
        following = columns.index(current) + 1 if current in columns else 0
        self._set_sort(SortOrder(columns[following]) if following < len(columns) else None)

    def action_reverse_sort(self) -> None:
        """Flip the direction of the chosen column's order; on the default order (which
        has no one direction to flip) say how to choose a column."""
        if self.sort is not None:
            self._set_sort(SortOrder(self.sort.column, not self.sort.descending))
            return
        self.app.notify(
            "The default order (overdue first, then by deadline) has no reverse: "
            "S sorts by a column, then R reverses it.",
            title="Nothing to reverse",
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A slash typed in the filter is filter text."""
        if action == "filter" and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_clear_filter(self) -> None:
        if self.query_text:
            self.query_one(FilterBar).action_clear()

    def action_refresh(self) -> None:
        """Read the portal again now."""
        self.request_refresh()

    def action_next_view(self) -> None:
        self.query_one(Tabs).action_next_tab()

    def action_previous_view(self) -> None:
        self.query_one(Tabs).action_previous_tab()

    def action_cursor_down(self) -> None:
        self.query_one(TaskTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(TaskTable).action_cursor_up()

    def action_cursor_top(self) -> None:
        self.query_one(TaskTable).move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        table = self.query_one(TaskTable)
        table.move_cursor(row=max(0, table.row_count - 1))
