"""Changes to a task's checklist: shown at once, sent in order, each ending in one result.

Headless (no Textual). :class:`ChecklistQueue` keeps, per task, the checklist as the portal
has it (its base) and the changes asked for and not yet answered; what every screen shows
is the base with those changes on top, kept in the store
(:meth:`~b24tui.store.PortalStore.keep_checklist`), so the detail screen's summary and the
dashboard's done/total follow with no fetch. Each change is sent after the one before it
on the task has been answered:

* done: the base takes the change;
* refused (a ``false`` answer, an error), or not sent (no connection, the portal's limits):
  the change is dropped, so what is shown rolls back, and the result says why;
* its answer was lost: nothing is sent again; the checklist is read back and becomes the
  base.

Ticks are absolute (``complete`` or ``renew``, never "flip"), and a tick still waiting its
turn is cancelled by the next tick of the same item, so a rapid series ends where the
portal is. A new item has a stand-in (negative) id until the portal names it; changes to
it made meanwhile wait, and are sent with its real id.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from b24tui.api import B24Client, B24Error, OutcomeUnknown, TransportError
from b24tui.api.errors import BadResponse, ConnectError, RateLimited
from b24tui.api.read_only import ReadOnlyRefused
from b24tui.models import ChecklistItem
from b24tui.store import PortalStore, StoreChange
from b24tui.text import clean

__all__ = [
    "ChecklistEdit",
    "ChecklistQueue",
    "ChecklistResult",
    "EditKind",
    "ResultKind",
    "apply_edit",
    "subtree_ids",
]

log = logging.getLogger(__name__)

Work = Coroutine[Any, Any, None]


class EditKind(enum.Enum):
    """What a change does, with the palette's words for it."""

    TOGGLE = "Toggle item"
    ADD = "Add item"
    RENAME = "Edit item"
    DELETE = "Delete item"
    IMPORTANT = "Toggle important"
    MOVE = "Move item"


@dataclass(eq=False)
class ChecklistEdit:
    """One change asked for on one task's checklist.

    Attributes:
        item_id: The item changed (for ``ADD``, the new item's stand-in id; for ``MOVE``,
            the item sent to ``moveafteritem``).
        title: ``ADD``/``RENAME``: the new title; otherwise the item's, for the messages.
        value: ``TOGGLE``: done or not; ``IMPORTANT``: important or not.
        parent_id: ``ADD``: the parent (0: a new checklist).
        after_id: ``ADD``: the sibling it goes after (0: last); ``MOVE``: the item it is
            put right after.
    """

    kind: EditKind
    task_id: int
    item_id: int
    title: str = ""
    value: bool = False
    parent_id: int = 0
    after_id: int = 0
    phase: Literal["queued", "sending"] = "queued"


class ResultKind(enum.Enum):
    """How a change ended."""

    DONE = "done"
    REFUSED = "refused"
    """The portal refused it (or answered ``false``): rolled back."""
    FAILED = "failed"
    """Not sent (no connection, the portal's limits), or it failed: rolled back."""
    UNSURE = "unsure"
    """Its answer was lost: the checklist was read back, nothing sent again."""
    SKIPPED = "skipped"
    """Its item never reached the portal (its add failed): not sent."""


@dataclass(frozen=True)
class ChecklistResult:
    """How one change ended, and the words that say so."""

    edit: ChecklistEdit
    kind: ResultKind
    error: B24Error | None = None

    @property
    def message(self) -> str:
        """Plain text (show it with markup off); empty for a change that was done."""
        title = clean(self.edit.title, single_line=True)
        name = self.edit.kind.value
        if self.kind is ResultKind.DONE:
            return ""
        if self.kind is ResultKind.UNSURE:
            return (
                f"{name} “{title}”: the portal's answer was lost. The checklist is shown as "
                "the portal has it now: check it before trying again."
            )
        if self.kind is ResultKind.SKIPPED:
            return f"{name} “{title}”: the item was not added, so this was not sent."
        error = self.error
        reason = error.title if error is not None else "the portal did not do it"
        sent = " It was not sent." if _not_sent(error) else ""
        return f"{name} “{title}”: {reason}.{sent} It is shown as before."


def _not_sent(error: B24Error | None) -> bool:
    return isinstance(error, RateLimited | ConnectError | ReadOnlyRefused)


def _lost(error: B24Error) -> bool:
    """Whether ``error`` leaves the change's fate unknown: sent, answer lost."""
    if isinstance(error, OutcomeUnknown):
        return True
    return isinstance(error, TransportError) and not isinstance(error, ConnectError | BadResponse)


# --------------------------------------------------------------------------- the edits


def subtree_ids(items: tuple[ChecklistItem, ...], item_id: int) -> set[int]:
    """``item_id`` and every item under it."""
    children: dict[int, list[int]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item.id)
    found, pending = set(), [item_id]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(children.get(current, ()))
    return found


def _siblings(items: tuple[ChecklistItem, ...], parent_id: int) -> list[ChecklistItem]:
    return sorted(
        (item for item in items if item.parent_id == parent_id),
        key=lambda item: (item.sort_index, item.id),
    )


def _place(
    items: tuple[ChecklistItem, ...], moved: ChecklistItem, parent_id: int, after_id: int
) -> tuple[ChecklistItem, ...]:
    """``moved`` put under ``parent_id`` right after ``after_id`` (0: last), siblings
    renumbered from 0 as the portal does."""
    siblings = [item for item in _siblings(items, parent_id) if item.id != moved.id]
    position = next((i + 1 for i, item in enumerate(siblings) if item.id == after_id), None)
    siblings.insert(len(siblings) if position is None else position, moved)
    renumbered = {
        item.id: replace(item, parent_id=parent_id, sort_index=index)
        for index, item in enumerate(siblings)
    }
    kept = [renumbered.get(item.id, item) for item in items if item.id != moved.id]
    kept.append(renumbered[moved.id])
    return tuple(kept)


def apply_edit(edit: ChecklistEdit, items: tuple[ChecklistItem, ...]) -> tuple[ChecklistItem, ...]:
    """``items`` with ``edit`` made; an edit whose item is not there changes nothing."""
    by_id = {item.id: item for item in items}
    item = by_id.get(edit.item_id)
    if edit.kind is EditKind.ADD:
        if item is not None:
            # A read holds it (the portal adds it last): it goes where it was asked for.
            after = by_id.get(edit.after_id)
            if after is None or after.parent_id != item.parent_id:
                return items
            return _place(items, item, item.parent_id, after.id)
        if edit.parent_id and edit.parent_id not in by_id:
            return items
        new = ChecklistItem(
            id=edit.item_id, task_id=edit.task_id, parent_id=edit.parent_id, title=edit.title
        )
        return _place(items, new, edit.parent_id, edit.after_id)
    if item is None:
        return items
    if edit.kind is EditKind.TOGGLE:
        return tuple(replace(i, is_complete=edit.value) if i is item else i for i in items)
    if edit.kind is EditKind.IMPORTANT:
        return tuple(replace(i, is_important=edit.value) if i is item else i for i in items)
    if edit.kind is EditKind.RENAME:
        return tuple(replace(i, title=edit.title) if i is item else i for i in items)
    if edit.kind is EditKind.DELETE:
        gone = subtree_ids(items, item.id)
        return tuple(i for i in items if i.id not in gone)
    after = by_id.get(edit.after_id)
    if after is None or after.id in subtree_ids(items, item.id):
        return items
    return _place(items, item, after.parent_id, after.id)


# --------------------------------------------------------------------------- the queue


@dataclass
class _TaskEdits:
    base: tuple[ChecklistItem, ...]
    """The checklist as the portal has it, as far as we know."""
    pending: deque[ChecklistEdit] = field(default_factory=deque)
    draining: bool = False
    held_read: tuple[ChecklistItem, ...] | None = None
    """A read that landed while an add was sent: it may hold the new item under an id
    not known yet (it showed twice), so it becomes the base once the add is answered."""


class ChecklistQueue:
    """The checklist changes asked for, a queue per task; see the module docstring."""

    def __init__(self, store: PortalStore) -> None:
        self.store = store
        self.spawn: Callable[[Work], object] = asyncio.ensure_future
        """Runs a task's queue in the background (the app: a worker of its own)."""
        self.on_result: Callable[[ChecklistResult], None] = lambda result: None
        """Hears each result once (the app: a toast when it was not done)."""
        self._tasks: dict[int, _TaskEdits] = {}
        self._stand_in = 0
        self.named: dict[int, int] = {}
        """A new item's stand-in id → the id the portal gave it."""
        self._keeping = False
        store.subscribe(self._store_changed)

    @property
    def client(self) -> B24Client:
        return self.store.client

    def pending(self, task_id: int) -> tuple[ChecklistEdit, ...]:
        """The changes on ``task_id`` not yet answered, in order."""
        edits = self._tasks.get(task_id)
        return tuple(edits.pending) if edits is not None else ()

    def pending_items(self, task_id: int) -> frozenset[int]:
        """The items with a change under way (shown with a mark)."""
        return frozenset(edit.item_id for edit in self.pending(task_id))

    def stand_in_id(self) -> int:
        """A new item's id until the portal names it (negative: never a portal id)."""
        self._stand_in -= 1
        return self._stand_in

    # --- asking -------------------------------------------------------------------------

    def submit(self, edit: ChecklistEdit) -> None:
        """Show ``edit`` at once and send it in its turn."""
        edits = self._tasks.get(edit.task_id)
        if edits is None:
            base = self.store.checklist(edit.task_id)
            if base is None:
                task = self.store.task(edit.task_id)
                base = task.checklist if task is not None else ()
            edits = self._tasks[edit.task_id] = _TaskEdits(base)
        if edit.kind is EditKind.TOGGLE and self._cancels(edits, edit):
            self._show(edit.task_id)
            return
        edits.pending.append(edit)
        self._show(edit.task_id)
        if not edits.draining:
            edits.draining = True
            self.spawn(self._drain(edit.task_id))

    def _cancels(self, edits: _TaskEdits, edit: ChecklistEdit) -> bool:
        """A tick of an item whose last change is a tick still waiting its turn: the two
        cancel out, and neither is sent."""
        last = edits.pending[-1] if edits.pending else None
        if (
            last is not None
            and last.phase == "queued"
            and last.kind is EditKind.TOGGLE
            and last.item_id == edit.item_id
        ):
            edits.pending.pop()
            return True
        return False

    # --- showing ------------------------------------------------------------------------

    def _shown(self, edits: _TaskEdits) -> tuple[ChecklistItem, ...]:
        items = edits.base
        for edit in edits.pending:
            items = apply_edit(edit, items)
        return items

    def _show(self, task_id: int) -> None:
        edits = self._tasks.get(task_id)
        if edits is None:
            return
        self._keeping = True
        try:
            self.store.keep_checklist(task_id, self._shown(edits))
        finally:
            self._keeping = False

    def _store_changed(self, change: StoreChange) -> None:
        """A read of a checklist with changes under way: it is the new base, with the
        changes still on top (a read begun before a change was shown never lands)."""
        if self._keeping:
            return
        for task_id in change.checklists & self._tasks.keys():
            items = self.store.checklist(task_id)
            if items is None:
                continue
            edits = self._tasks[task_id]
            first = edits.pending[0] if edits.pending else None
            adding = first is not None and first.kind is EditKind.ADD and first.item_id < 0
            if adding and first is not None and first.phase == "sending":
                edits.held_read = items
            else:
                edits.base = items
            self._show(task_id)

    # --- sending ------------------------------------------------------------------------

    async def _drain(self, task_id: int) -> None:
        edits = self._tasks[task_id]
        try:
            while edits.pending:
                edit = edits.pending[0]
                edit.phase = "sending"
                result = await self._run(edits, edit)
                if edits.pending and edits.pending[0] is edit:
                    edits.pending.popleft()
                self._show(task_id)
                self.on_result(result)
        finally:
            edits.draining = False
            if not edits.pending:
                self._tasks.pop(task_id, None)

    async def _run(self, edits: _TaskEdits, edit: ChecklistEdit) -> ChecklistResult:
        if edit.kind is EditKind.ADD and edit.after_id < 0:
            edit.after_id = 0  # after a new item that was not added: last
        if (
            edit.parent_id < 0
            or edit.after_id < 0
            or (edit.item_id < 0 and edit.kind is not EditKind.ADD)
        ):
            return ChecklistResult(edit, ResultKind.SKIPPED)
        try:
            new_id = await self._send(edit)
        except B24Error as error:
            self._take_held_read(edits, None)
            if not _lost(error):
                log.info("%s on checklist of %d: %s", edit.kind.name, edit.task_id, error.title)
                kind = ResultKind.FAILED if _not_sent(error) else ResultKind.REFUSED
                return ChecklistResult(edit, kind, error)
            try:
                edits.base = await self.client.checklist.items(edit.task_id)
            except B24Error as read_error:
                return ChecklistResult(edit, ResultKind.FAILED, read_error)
            return ChecklistResult(edit, ResultKind.UNSURE, error)
        self._take_held_read(edits, new_id)
        if new_id is not None:
            self._named(edits, edit, new_id)
            if edit.after_id and not await self._move_new(edits, edit):
                return ChecklistResult(edit, ResultKind.DONE)
        edits.base = apply_edit(edit, edits.base)
        return ChecklistResult(edit, ResultKind.DONE)

    def _take_held_read(self, edits: _TaskEdits, new_id: int | None) -> None:
        """The read held while an add was sent becomes the base, without the new item
        (``new_id``), which the add then puts where it was asked for."""
        read, edits.held_read = edits.held_read, None
        if read is not None:
            edits.base = tuple(item for item in read if item.id != new_id)

    def _named(self, edits: _TaskEdits, edit: ChecklistEdit, new_id: int) -> None:
        """The portal named a new item: it and the changes waiting on it take the id."""
        stand_in = edit.item_id
        self.named[stand_in] = new_id
        edit.item_id = new_id
        for waiting in edits.pending:
            for name in ("item_id", "parent_id", "after_id"):
                if getattr(waiting, name) == stand_in:
                    setattr(waiting, name, new_id)

    async def _send(self, edit: ChecklistEdit) -> int | None:
        """The call(s) of ``edit``; a new item's id for an add."""
        checklist = self.client.checklist
        task_id, item_id = edit.task_id, edit.item_id
        if edit.kind is EditKind.TOGGLE:
            if edit.value:
                await checklist.complete(task_id, item_id)
            else:
                await checklist.renew(task_id, item_id)
        elif edit.kind is EditKind.IMPORTANT:
            await checklist.update(task_id, item_id, is_important=edit.value)
        elif edit.kind is EditKind.RENAME:
            await checklist.update(task_id, item_id, title=edit.title)
        elif edit.kind is EditKind.DELETE:
            await checklist.delete(task_id, item_id)
        elif edit.kind is EditKind.MOVE:
            await checklist.move_after(task_id, item_id, edit.after_id)
        else:
            return await checklist.add(task_id, edit.title, parent_id=edit.parent_id)
        return None

    async def _move_new(self, edits: _TaskEdits, edit: ChecklistEdit) -> bool:
        """Put a new item after the one it was added after (the portal adds it last);
        whether it moved.

        The item exists by now: when the move fails, the checklist is read back and shown
        as the portal has it (the item last), and the add is still done.
        """
        try:
            await self.client.checklist.move_after(edit.task_id, edit.item_id, edit.after_id)
        except B24Error as error:
            log.info("new item %d not moved: %s", edit.item_id, error.title)
            try:
                edits.base = await self.client.checklist.items(edit.task_id)
            except B24Error:
                edits.base = apply_edit(replace(edit, after_id=0), edits.base)
            return False
        return True
