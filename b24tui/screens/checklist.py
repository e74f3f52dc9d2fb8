"""A task's checklists as a tree, opened with `c` (or ``b24tui task ID --checklist``)."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import Worker

from b24tui.actions import READ_ONLY_MESSAGE
from b24tui.api import AccessDenied, NotFound
from b24tui.checklist_actions import ChecklistEdit, EditKind, subtree_ids
from b24tui.models import ChecklistItem, Task, build_checklist_tree
from b24tui.models.checklist import ChecklistRights
from b24tui.screens.base import PortalScreen
from b24tui.screens.checklist_title import TitleDialog
from b24tui.screens.confirm import ConfirmScreen
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.text import clean
from b24tui.widgets import AppFooter, AppHeader
from b24tui.widgets.checklist_tree import ChecklistTree

__all__ = ["CHECKLIST_COMMANDS", "ChecklistScreen"]

NOT_FOUND_TEXT = "Task not found or you have no access"
EMPTY_TEXT = "This task has no checklist yet."

CHECKLIST_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Toggle item", "toggle_item"),
    ("Add item", "add_item"),
    ("Add sub-item", "add_sub_item"),
    ("Edit item", "edit_item"),
    ("Delete item", "delete_item"),
    ("Toggle important", "toggle_important"),
    ("Move item up", "move_item_up"),
    ("Move item down", "move_item_down"),
)
"""The palette's checklist commands (exact words) and the screen's action of each."""

_WRITES: frozenset[str] = frozenset(action for _, action in CHECKLIST_COMMANDS)
_NEEDS_ITEM: frozenset[str] = _WRITES - {"add_item"}


class ChecklistScreen(PortalScreen[None]):
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
        self.rights: ChecklistRights | None = None
        """What I may do to the items (``isactionallowed``); None until asked."""
        self.hide_done = False
        """Whether done items (and what is under them) are left out (`h`)."""
        self._offered: frozenset[str] | None = None
        self._new_item: int | None = None
        """The item just added, which takes the cursor once it shows (by its stand-in id,
        then by the id the portal gave it)."""

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
        self._refresh_offer()
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
            self._show()
            sample = next((i for i in items if not i.is_root), items[0] if items else None)
            if sample is not None and not self.services.read_only:
                self.rights = await self.services.client.checklist.rights(self.task_id, sample.id)
        except (NotFound, AccessDenied):
            self._show_missing()
            return
        self._show()

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        """A failed read: the body says so when nothing is shown (the app reports it)."""
        if worker.group == "checklist":
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

    # ------------------------------------------------------------------ what is offered

    def offered(self) -> frozenset[str]:
        """The checklist actions offered now: what the task's ``action`` map and the
        items' rights allow (nothing in read-only mode)."""
        task = self.current_task()
        if task is None or self.services.read_only:
            return frozenset()
        rights = self.rights or ChecklistRights()
        allowed = {
            "add_item": task.allows("checklist_add"),
            "add_sub_item": task.allows("checklist_add"),
            "move_item_up": task.allows("checklist_reorder"),
            "move_item_down": task.allows("checklist_reorder"),
            "toggle_item": rights.toggle,
            "edit_item": rights.modify,
            "toggle_important": rights.modify,
            "delete_item": rights.remove,
        }
        return frozenset(name for name, ok in allowed.items() if ok)

    def _refresh_offer(self) -> None:
        offered = self.offered()
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of the changes not allowed."""
        if action in _WRITES:
            return action in self.offered()
        return super().check_action(action, parameters)

    @on(events.Key)
    def _refuse_write_keys(self, event: events.Key) -> None:
        """In read-only mode, a key of a change says so (it is not bound there)."""
        if not self.services.read_only or event.key in self.active_bindings:
            return
        keys = {b.key for b in self.BINDINGS if isinstance(b, Binding) and b.action in _WRITES}
        if event.key in keys:
            event.stop()
            self.app.notify(READ_ONLY_MESSAGE, severity="warning", markup=False)

    def checklist_commands(self) -> list[tuple[str, str]]:
        """The palette's checklist commands offered now, with their actions."""
        offered = self.offered()
        return [(name, action) for name, action in CHECKLIST_COMMANDS if action in offered]

    # ------------------------------------------------------------------ changes

    def _cursor(self, action: str) -> ChecklistItem | None:
        """The item under the cursor, when ``action`` is offered (it says why not)."""
        if action not in self.offered():
            self.app.notify("Not allowed on this checklist", severity="warning", markup=False)
            return None
        item_id = self.query_one(ChecklistTree).cursor_item_id
        item = next((i for i in self.items() or () if i.id == item_id), None)
        if item is None and action in _NEEDS_ITEM:
            self.app.notify("No item here", severity="warning", markup=False)
        return item

    def _submit(self, kind: EditKind, item: ChecklistItem, **fields: object) -> None:
        queue = self.services.checklists
        edit = ChecklistEdit(kind, self.task_id, item.id, title=item.title)
        for name, value in fields.items():
            setattr(edit, name, value)
        queue.submit(edit)

    def action_toggle_item(self) -> None:
        """Tick the item, or untick it."""
        item = self._cursor("toggle_item")
        if item is None:
            return
        if item.is_root:
            self.app.notify("A checklist is done when its items are", markup=False)
            return
        self._submit(EditKind.TOGGLE, item, value=not item.is_complete)

    def action_toggle_important(self) -> None:
        """Mark the item important, or not."""
        item = self._cursor("toggle_important")
        if item is not None:
            self._submit(EditKind.IMPORTANT, item, value=not item.is_important)

    def action_add_item(self) -> None:
        """Add an item after the cursor's (a checklist after a checklist; the first
        checklist of a task without one)."""
        item = self._cursor("add_item")
        items = self.items() or ()
        if item is None and items:
            return
        parent = item.parent_id if item is not None else 0
        siblings = sorted((i for i in items if i.parent_id == parent), key=_order)
        after = 0
        if item is not None and siblings and siblings[-1].id != item.id:
            after = item.id if "move_item_down" in self.offered() else 0
        what = "New checklist" if parent == 0 else "New item"
        where = f" after “{item.title}”" if item is not None else ""
        self._ask_title(what + where, parent, after)

    def action_add_sub_item(self) -> None:
        """Add an item under the cursor's, last."""
        item = self._cursor("add_sub_item")
        if item is not None:
            self.query_one(ChecklistTree).expand_item(item.id)
            self._ask_title(f"New item in “{item.title}”", item.id, 0)

    def _ask_title(self, question: str, parent_id: int, after_id: int) -> None:
        self.app.push_screen(TitleDialog(question), partial(self._add, parent_id, after_id))

    def _add(self, parent_id: int, after_id: int, title: str | None) -> None:
        if not title:
            return
        queue = self.services.checklists
        stand_in = queue.stand_in_id()
        edit = ChecklistEdit(
            EditKind.ADD, self.task_id, stand_in, title, parent_id=parent_id, after_id=after_id
        )
        self._new_item = stand_in
        queue.submit(edit)

    def action_edit_item(self) -> None:
        """Change the item's title."""
        item = self._cursor("edit_item")
        if item is not None:
            dialog = TitleDialog("Title", item.title)
            self.app.push_screen(dialog, partial(self._renamed, item))

    def _renamed(self, item: ChecklistItem, title: str | None) -> None:
        if title and title != item.title:
            self._submit(EditKind.RENAME, item, title=title)

    def action_delete_item(self) -> None:
        """Delete the item and everything under it, once asked."""
        item = self._cursor("delete_item")
        if item is None:
            return
        under = len(subtree_ids(self.items() or (), item.id)) - 1
        what = "checklist" if item.is_root else "item"
        question = f"Delete this {what}?"
        if under:
            question = f"Delete this {what} and its {under} sub-item{'s' if under > 1 else ''}?"
        self.app.push_screen(ConfirmScreen(question, item.title), partial(self._delete, item))

    def _delete(self, item: ChecklistItem, yes: bool | None) -> None:
        if yes:
            self._submit(EditKind.DELETE, item)

    def action_move_item_up(self) -> None:
        """Move the item above the one before it."""
        self._move(-1)

    def action_move_item_down(self) -> None:
        """Move the item below the one after it."""
        self._move(1)

    def _move(self, step: int) -> None:
        item = self._cursor("move_item_up" if step < 0 else "move_item_down")
        if item is None:
            return
        siblings = sorted(
            (i for i in self.items() or () if i.parent_id == item.parent_id), key=_order
        )
        index = next(n for n, sibling in enumerate(siblings) if sibling.id == item.id)
        if not 0 <= index + step < len(siblings):
            self.app.notify("Already first" if step < 0 else "Already last", markup=False)
        elif step > 0:
            self._submit(EditKind.MOVE, item, after_id=siblings[index + 1].id)
        elif index == 1:  # no "move before": the first one goes after this one
            first = siblings[0]
            edit = ChecklistEdit(
                EditKind.MOVE, self.task_id, first.id, item.title, after_id=item.id
            )
            self.services.checklists.submit(edit)
        else:
            self._submit(EditKind.MOVE, item, after_id=siblings[index - 2].id)

    def action_hide_done(self) -> None:
        """Leave done items out, or show them again."""
        self.hide_done = not self.hide_done
        self._show()
        self.app.notify("Done items hidden" if self.hide_done else "Done items shown", markup=False)


def _order(item: ChecklistItem) -> tuple[int, int]:
    return item.sort_index, item.id
