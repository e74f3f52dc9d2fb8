"""Changing a checklist from its screen: what is offered, the keys, the dialogs, the queue.

:class:`ChecklistChangesMixin` goes ahead of the screen's base class and needs from it
``services``, ``task_id``, ``rights`` (the items' ``isactionallowed``) and two methods::

    class ChecklistScreen(ChecklistChangesMixin, PortalScreen[None]):
        def current_task(self) -> Task | None: ...
        def items(self) -> tuple[ChecklistItem, ...] | None: ...

What the task's ``action`` map and the rights do not allow is not offered: not in the
footer, the keys or the palette. Each change goes to the app's checklist queue
(:mod:`b24tui.checklist_actions`), which shows it at once through the store; the screen
repaints from there and calls :meth:`ChecklistChangesMixin.refresh_offer`. The screen keeps
the bindings (their order is the footer's); a key of a change in read-only mode says so.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import events, on
from textual.binding import Binding
from textual.screen import Screen

from b24tui.actions import READ_ONLY_MESSAGE
from b24tui.checklist_actions import ChecklistEdit, EditKind, subtree_ids
from b24tui.models import ChecklistItem, Task
from b24tui.models.checklist import ChecklistRights
from b24tui.screens.checklist_title import TitleDialog
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.field_dialog import DialogKeys
from b24tui.services import Services
from b24tui.widgets.checklist_tree import ChecklistTree

__all__ = ["CHECKLIST_COMMANDS", "ChecklistChangesMixin"]

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
_ASK_TITLE: frozenset[str] = frozenset({"add_item", "add_sub_item", "edit_item"})
"""The changes that ask for a title first."""


class ChecklistChangesMixin(Screen[Any]):
    """The changes of a checklist screen; see the module docstring for the contract."""

    services: Services
    """The app's dependencies (set by the screen's constructor)."""
    task_id: int
    """The task whose checklist is shown."""
    rights: ChecklistRights | None = None
    """What I may do to the items (``isactionallowed``); None until asked."""
    _offered: frozenset[str] | None = None
    """The changes whose keys are on offer now (None before the first show)."""
    _dialog_keys: DialogKeys | None = None
    _new_item: int | None = None
    """The item just added, which takes the cursor once it shows (by its stand-in id,
    then by the id the portal gave it)."""

    # --- what the screen provides -------------------------------------------------------

    def current_task(self) -> Task | None:
        """The task as the store has it (None until read, or when it cannot be)."""
        raise NotImplementedError

    def items(self) -> tuple[ChecklistItem, ...] | None:
        """The task's checklist items as the store has them (None while unknown)."""
        raise NotImplementedError

    # --- what is offered ----------------------------------------------------------------

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

    def refresh_offer(self) -> None:
        """Rebuild the keys on offer when they differ from those shown."""
        offered = self.offered()
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of the changes not allowed."""
        if action in _WRITES:
            return action in self.offered()
        return super().check_action(action, parameters)

    @property
    def dialog_keys(self) -> DialogKeys:
        """The keys held for the title dialog (see :mod:`b24tui.screens.field_dialog`)."""
        if self._dialog_keys is None:
            self._dialog_keys = DialogKeys(_ASK_TITLE)
        return self._dialog_keys

    @on(events.Key)
    def _keys_of_the_title_dialog(self, event: events.Key) -> None:
        """The keys typed right after `a`, `A` or `e` are the title's."""
        self.dialog_keys.on_key(self, event)

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

    # --- changes ------------------------------------------------------------------------

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
        try:
            self._ask_to_add()
        finally:
            self.dialog_keys.after_action(self)

    def _ask_to_add(self) -> None:
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
        self.dialog_keys.after_action(self)

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
        self.dialog_keys.after_action(self)

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


def _order(item: ChecklistItem) -> tuple[int, int]:
    return item.sort_index, item.id
