"""A dialog with one text field that keeps the keys typed while it opens.

Over SSH, or under a quick typist, several keys arrive in one read: the `a` that opens a
title dialog and the first letters of the title. Textual hands each key to the widget that
has the focus when the key is read, so the letters went to the screen below and reached the
app after the dialog had opened, with nothing there to take them: they were lost. A screen
that opens a :class:`FieldDialog` keeps a :class:`DialogKeys`: from the key of such an action
on, it holds the keys that reach it until the action has run (the keys before it, a move of
the cursor, still run first), then hands them to the dialog, or lets them go on when the
action opened none; a key that reaches it while the dialog is on top goes to the dialog too.
The dialog types them into its field once it is mounted, as it does with a key that reaches it
before its field has the focus.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, TypeVar

from textual import events, on
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

__all__ = ["DialogKeys", "FieldDialog"]

ResultT = TypeVar("ResultT")

HOLD_AT_MOST = 1.0
"""Seconds the keys after an action's key are held at most, should its action never run."""


class FieldDialog(ModalScreen[ResultT]):
    """A dialog around one :class:`Input` (``FIELD``): a key handed to it (or reaching it
    before the field has the focus) is typed into the field; `enter` submits
    (:meth:`submit_field`) and `esc` cancels (:meth:`cancel_field`), as in the field."""

    FIELD: ClassVar[str] = "Input"
    """The selector of the field."""

    def __init__(self) -> None:
        super().__init__()
        self._early: list[events.Key] | None = []
        """Keys handed over before the dialog was mounted (None once it is)."""

    def submit_field(self) -> None:
        """What `enter` in the field does."""
        raise NotImplementedError

    def cancel_field(self) -> None:
        """What `esc` does."""
        raise NotImplementedError

    def take_key(self, event: events.Key) -> None:
        """Type ``event`` into the field (kept until the field is there)."""
        if self._early is not None:
            self._early.append(event)
            return
        field = self.query_one(self.FIELD, Input)
        field.focus()
        if event.key == "enter":
            self.submit_field()
        elif event.key == "escape":
            self.cancel_field()
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.is_printable and event.character is not None:
            field.insert_text_at_cursor(event.character)

    @on(events.Mount)
    def _type_early_keys(self) -> None:
        early, self._early = self._early or [], None
        for event in early:
            self.take_key(event)

    @on(events.Key)
    def _key_before_focus(self, event: events.Key) -> None:
        """A letter that reaches the dialog while nothing in it has the focus yet."""
        if self.focused is None and event.is_printable:
            event.stop()
            event.prevent_default()
            self.take_key(event)


class DialogKeys:
    """The keys a screen holds for the field dialog one of its ``actions`` opens.

    The screen calls :meth:`on_key` from its key handler, and :meth:`after_action` at the
    end of each of those actions (whether it opened the dialog or not).
    """

    def __init__(self, actions: Collection[str]) -> None:
        self.actions = frozenset(actions)
        self._held: list[events.Key] | None = None
        """The keys read after an action's key, until it runs (None: not holding)."""
        self._holds = 0

    def on_key(self, screen: Screen[Any], event: events.Key) -> None:
        """Hand ``event`` to the dialog on top, hold it for one about to open, or, when it
        is the key of one of the actions, hold the keys after it."""
        top = screen.app.screen
        if top is not screen:
            if isinstance(top, FieldDialog):
                _take(event)
                top.take_key(event)
            return
        if self._held is not None:
            _take(event)
            self._held.append(event)
            return
        active = screen.active_bindings.get(event.key)
        if active is None or not active.enabled or active.node is not screen:
            return
        if active.binding.action in self.actions:
            self._held = []
            self._holds += 1
            hold = self._holds
            screen.set_timer(HOLD_AT_MOST, lambda: self._give_up(screen, hold))

    def after_action(self, screen: Screen[Any]) -> None:
        """One of the actions ran: the dialog it opened takes the keys held, or they go on
        as typed when it opened none."""
        held, self._held = self._held, None
        if not held:
            return
        top = screen.app.screen
        if isinstance(top, FieldDialog) and top is not screen:
            for event in held:
                top.take_key(event)
        else:
            for event in held:
                screen.app.post_message(events.Key(event.key, event.character))

    def _give_up(self, screen: Screen[Any], hold: int) -> None:
        if hold == self._holds and self._held is not None:
            self.after_action(screen)


def _take(event: events.Key) -> None:
    event.stop()
    event.prevent_default()
