"""The task changed on the portal while it was being edited: say who changed what, and let
the person choose, field by field, whose value is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from b24tui.task_form import FIELD_LABELS, Conflict
from b24tui.text import clean

__all__ = ["ConflictScreen"]

Shown = Callable[[str, object], str]
"""How the form shows a field's value (its name and the value) in a line of text."""


class ConflictScreen(ModalScreen[frozenset[str] | None]):
    """One line per field both sides changed: `enter` switches it between mine and the
    portal's; `m` keeps all of mine, `t` takes all of the portal's; `ctrl+s` saves with
    these choices (dismisses with the fields to take from the portal); `esc` goes back to
    editing (``None``)."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > #conflict-box {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConflictScreen #conflict-heading { width: 100%; text-style: bold; }
    ConflictScreen #conflict-who { width: 100%; color: $text-muted; margin-bottom: 1; }
    ConflictScreen #conflict-fields { height: auto; max-height: 14; }
    ConflictScreen #conflict-taken { width: 100%; color: $text-muted; }
    ConflictScreen #conflict-keys { width: 100%; margin-top: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "switch", "Mine/portal's", priority=True, id="conflict_switch"),
        Binding("m", "all(False)", "All mine", id="conflict_mine"),
        Binding("t", "all(True)", "All the portal's", id="conflict_theirs"),
        Binding("ctrl+s", "save", "Save", priority=True, id="conflict_save"),
        Binding("escape", "keep_editing", "Keep editing", id="conflict_back"),
    ]

    def __init__(self, conflict: Conflict, *, who: str, show: Shown) -> None:
        super().__init__()
        self.conflict = conflict
        self.who = who
        """Who changed the task and when, in words ("Anna Petrova at 10:42")."""
        self._show = show
        self.take_theirs: set[str] = set()
        """The fields whose portal value is chosen."""

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Label("The task changed on the portal while you edited it", id="conflict-heading")
            yield Label(
                Content(clean(f"Changed by {self.who}", single_line=True)), id="conflict-who"
            )
            yield OptionList(*self._options(), id="conflict-fields")
            if self.conflict.theirs_only:
                names = ", ".join(FIELD_LABELS[name] for name in self.conflict.theirs_only)
                yield Label(
                    Content(f"Also changed there, and taken into the form: {names}"),
                    id="conflict-taken",
                )
            yield Label(
                "enter switch · m all mine · t all theirs · ctrl+s save · esc keep editing",
                id="conflict-keys",
            )

    def _options(self) -> list[Option]:
        return [Option(self._line(name), id=name) for name in self.conflict.fields]

    def _line(self, name: str) -> Content:
        conflict = self.conflict
        mine = self._show(name, conflict.mine)
        theirs = self._show(name, conflict.theirs)
        taking = name in self.take_theirs
        choice = "the portal's" if taking else "mine"
        text = f"{FIELD_LABELS[name]}: keep {choice}\n  mine:   {mine}\n  portal: {theirs}"
        return Content(clean(text))

    def _repaint(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        for index, name in enumerate(self.conflict.fields):
            options.replace_option_prompt_at_index(index, self._line(name))
        options.highlighted = highlighted

    def action_switch(self) -> None:
        """Switch the highlighted field between mine and the portal's."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.conflict.fields):
            return
        name = self.conflict.fields[index]
        self.take_theirs ^= {name}
        self._repaint()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_switch()

    def action_all(self, theirs: bool) -> None:
        """Keep all of mine, or take all of the portal's."""
        self.take_theirs = set(self.conflict.fields) if theirs else set()
        self._repaint()

    def action_save(self) -> None:
        """Save with the choices made."""
        self.dismiss(frozenset(self.take_theirs))

    def action_keep_editing(self) -> None:
        """Back to the form, nothing saved."""
        self.dismiss(None)
