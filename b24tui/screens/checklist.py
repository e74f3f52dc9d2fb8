"""A task's checklists as a tree, opened with `c` (or ``b24tui task ID --checklist``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import Worker

from b24tui.api import AccessDenied, NotFound
from b24tui.models import ChecklistItem, Task, build_checklist_tree
from b24tui.screens.base import PortalScreen
from b24tui.screens.checklist_changes import CHECKLIST_COMMANDS, ChecklistChangesMixin
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.text import clean
from b24tui.widgets import AppFooter, AppHeader
from b24tui.widgets.checklist_tree import ChecklistTree

__all__ = ["CHECKLIST_COMMANDS", "ChecklistScreen"]

NOT_FOUND_TEXT = "Task not found or you have no access"
EMPTY_TEXT = "This task has no checklist yet."


class ChecklistScreen(ChecklistChangesMixin, PortalScreen[None]):
    """The checklists of one task: items and sub-items, ticked with `space`.

    It shows what the store has at once (the dashboard row carries the checklist), reads
    the items in full, and repaints whenever the store's copy changes: a change made here,
    a refresh (which reads this task's checklist along while the screen is open).
    """

    CSS_PATH = "checklist.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # r is left out of the footer (the help lists it): with it, the footer of a
        # checklist open to every change is 90 columns and cuts q and ? at 80.
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Refresh", show=False, id="refresh"),
        Binding("space", "toggle_item", "Tick", id="checklist_toggle"),
        Binding("a", "add_item", "Add", id="checklist_add"),
        Binding("A", "add_sub_item", "Sub-item", show=False, id="checklist_add_sub"),
        Binding("e", "edit_item", "Edit", id="checklist_edit"),
        Binding("d", "delete_item", "Delete", id="checklist_delete"),
        Binding(
            "exclamation_mark",
            "toggle_important",
            "Important",
            show=False,
            id="checklist_important",
        ),
        Binding("ctrl+up", "move_item_up", "Up", show=False, id="checklist_move_up"),
        Binding("ctrl+down", "move_item_down", "Down", show=False, id="checklist_move_down"),
        Binding("h", "hide_done", "Hide done", id="checklist_hide_done"),
    ]

    def __init__(self, services: Services, task_id: int) -> None:
        super().__init__(services)
        self.task_id = task_id
        self._missing = False
        """Whether the portal said the task does not exist or cannot be seen."""
        self._read = False
        """Whether the items were read in full (not only the dashboard row's copy)."""
        self.hide_done = False
        """Whether done items (and what is under them) are left out (`h`)."""
        self._asking_rights = False
        """Whether the items' rights are being read."""
        self._rights_failed = False
        """Whether they could not be read (asked again at the next load, `r`)."""

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(Text(f"Task #{self.task_id}"), id="checklist-title")
        yield Static(Text("Loading the checklist…"), id="checklist-state")
        yield ChecklistTree(id="checklist-tree")
        yield AppFooter()

    def on_mount(self) -> None:
        self.store.open_task(self.task_id)
        self.query_one(ChecklistTree).focus()
        self.load()
        self.show_change(StoreChange(me=True, tasks=frozenset({self.task_id})))

    def on_unmount(self) -> None:
        self.store.close_task(self.task_id)

    # ------------------------------------------------------------------ what is shown

    def current_task(self) -> Task | None:
        """The task as the store has it (None until read, or when it cannot be)."""
        return None if self._missing else self.store.task(self.task_id)

    def items(self) -> tuple[ChecklistItem, ...] | None:
        """The task's checklist items as the store has them (None while unknown)."""
        items = self.store.checklist(self.task_id)
        if items is not None:
            return items
        task = self.store.task(self.task_id)
        if task is not None and (task.checklist or not task.contains_checklist):
            return task.checklist
        return None

    def tick(self) -> None:
        """Once a second: the header's status."""
        if not self._missing:
            self.show_health(self.store.task_read_at(self.task_id))

    def show_store(self, change: StoreChange) -> None:
        """Repaint when the task or its checklist changed in the store."""
        if self.task_id in change.removed and not self.store.refreshing:
            self._show_missing()
            return
        if (
            self.task_id in change.tasks
            or self.task_id in change.checklists
            or change.users
            or change.refreshed
        ):
            self._show()

    def _show(self) -> None:
        if self._missing:
            return
        task = self.store.task(self.task_id)
        title = self.query_one("#checklist-title", Static)
        if task is not None:
            title.update(Text(f"#{task.id} {clean(task.title, single_line=True)} · Checklist"))
        items = self.items()
        state = self.query_one("#checklist-state", Static)
        tree = self.query_one(ChecklistTree)
        if items is None:
            tree.display = False
            state.display = True
            return
        queue = self.services.checklists
        wanted = tree.cursor_item_id if self._new_item is None else self._new_item
        if self._new_item is not None and self._new_item in queue.named:
            self._new_item = None  # named by the portal: placed one last time
        tree.show(
            build_checklist_tree(items),
            hide_done=self.hide_done,
            pending=queue.pending_items(self.task_id),
            names=self._member_names,
            cursor=queue.named.get(wanted, wanted) if wanted is not None else None,
        )
        if self.rights is None and self._read and not self._rights_failed:
            self._ask_rights(items)  # the first item of a checklist just begun
        self.refresh_offer()
        tree.display = bool(items)
        state.update(Text(EMPTY_TEXT if self._read else "Loading the checklist…"))
        state.display = not items

    def _member_names(self, item: ChecklistItem) -> tuple[str, ...]:
        users = self.store.users
        names: list[str] = []
        for member in item.members:
            user = users.get(member.id)
            name = member.name or (user.full_name if user is not None else f"user {member.id}")
            names.append(name)
        return tuple(names)

    def _show_missing(self) -> None:
        self._missing = True
        self.query_one(ChecklistTree).display = False
        state = self.query_one("#checklist-state", Static)
        state.update(Text(NOT_FOUND_TEXT))
        state.add_class("-missing")
        state.display = True
        self.query_one(AppHeader).status = ""

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="checklist", exit_on_error=False)
    async def load(self) -> None:
        """Read the task (when the store does not know it) and its checklist items."""
        try:
            if self.store.task(self.task_id) is None:
                await self.store.load_task(self.task_id)
            items = await self.store.load_checklist(self.task_id)
            self._read = True
            self._rights_failed = False
            self._ask_rights(items)
            self._show()
        except (NotFound, AccessDenied):
            self._show_missing()
            return

    def _ask_rights(self, items: tuple[ChecklistItem, ...]) -> None:
        """Read what I may do to the items (asked about one of them: an item, else a
        checklist, one the portal has named), unless it is being read."""
        if self._asking_rights or self.services.read_only:
            return
        named = [item for item in items if item.id > 0]
        sample = next((i for i in named if not i.is_root), named[0] if named else None)
        if sample is not None:
            self._asking_rights = True
            self._read_rights(sample.id)

    @work(group="checklist_rights", exit_on_error=False)
    async def _read_rights(self, item_id: int) -> None:
        try:
            self.rights = await self.services.client.checklist.rights(self.task_id, item_id)
        except (NotFound, AccessDenied):
            self._show_missing()
            return
        finally:
            self._asking_rights = False
        self._show()

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """A failed read: the body says so when nothing is shown (the app reports it)."""
        if worker.group == "checklist_rights":
            self._rights_failed = True
        if worker.group in ("checklist", "checklist_rights"):
            self.query_one(AppHeader).status = "not updated"
            if self.items() is None and not self._missing:
                state = self.query_one("#checklist-state", Static)
                state.update(Text("Could not load the checklist. Press r to try again."))
                state.display = True
        return False

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        """Back to the screen below, which chooses this task."""
        self.store.last_closed = self.task_id
        self.dismiss(None)

    def action_refresh(self) -> None:
        """Read the checklist again now (and the portal with it)."""
        self.load()
        self.request_refresh()

    def action_hide_done(self) -> None:
        """Leave done items out, or show them again."""
        self.hide_done = not self.hide_done
        self._show()
        self.app.notify("Done items hidden" if self.hide_done else "Done items shown", markup=False)
