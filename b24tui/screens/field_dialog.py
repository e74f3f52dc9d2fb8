"""A dialog with one text field that keeps the keys typed while it opens.

Over SSH, or under a quick typist, several keys arrive in one read: the `a` that opens a
title dialog and the first letters of the title. Textual hands each key to the widget that
has the focus when the key is read, so the letters went to the screen below and reached the
app after the dialog had opened, with nothing there to take them: they were lost. So the
screen that opens a :class:`FieldDialog` opens it in the key's own handler
(:func:`open_in_key_handler`) and hands it every key that reaches the screen while the dialog
is on top (:func:`pass_to_dialog`); the dialog types them into its field once it is mounted,
as it does with a key that reaches it before its field has the focus.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, TypeVar

from textual import events, on
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

__all__ = ["FieldDialog", "open_in_key_handler", "pass_to_dialog"]

ResultT = TypeVar("ResultT")


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


def pass_to_dialog(screen: Screen[Any], event: events.Key) -> bool:
    """Hand ``event`` to the field dialog on top of ``screen``, if there is one (the key was
    read while it opened); whether it was handed over."""
    top = screen.app.screen
    if top is screen or not isinstance(top, FieldDialog):
        return False
    event.stop()
    event.prevent_default()
    top.take_key(event)
    return True


def open_in_key_handler(screen: Screen[Any], event: events.Key, actions: Collection[str]) -> bool:
    """Run at once the action ``event``'s key is bound to on ``screen`` when it is one of
    ``actions`` (those that open a field dialog) and on offer, so that the dialog is open
    before the screen handles the next key; whether it ran."""
    active = screen.active_bindings.get(event.key)
    if active is None or not active.enabled or active.node is not screen:
        return False
    action = active.binding.action
    if action not in actions:
        return False
    event.stop()
    event.prevent_default()
    getattr(screen, f"action_{action}")()
    return True
