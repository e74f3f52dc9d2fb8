"""The title of a new or edited checklist item, asked on one line."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label

from b24tui.screens.field_dialog import FieldDialog
from b24tui.text import clean

__all__ = ["TitleDialog"]


class TitleDialog(FieldDialog[str | None]):
    """Asks for a title: `enter` gives the text typed (stripped; nothing typed gives
    ``None``), `esc` gives ``None``.

    A quick typist's keys are kept: the letters typed right after the key that opened it
    are the title's (see :mod:`b24tui.screens.field_dialog`), and only the first `enter` of
    a burst answers (a second one closed the screen below).
    """

    DEFAULT_CSS = """
    TitleDialog { align: center middle; }
    TitleDialog > #title-box {
        width: 72; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    TitleDialog #title-question { text-style: bold; width: 100%; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="title_cancel"),
    ]

    FIELD = "#title-input"

    def __init__(self, question: str, title: str = "") -> None:
        super().__init__()
        self.question = question
        """What is asked ("New item after “Draft”")."""
        self.title_text = title
        """The title to start from (an edit's current title)."""
        self.answered = False
        """Whether the dialog has given its answer (it is closing)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Label(Content(clean(self.question, single_line=True)), id="title-question")
            yield Input(clean(self.title_text, single_line=True), id="title-input")

    @on(Input.Submitted)
    def submit_field(self) -> None:
        """Give the title typed (None when nothing was)."""
        value = self.query_one(self.FIELD, Input).value
        self._answer(" ".join(value.split()) or None)

    def cancel_field(self) -> None:
        """Close without a title."""
        self._answer(None)

    def action_cancel(self) -> None:
        """Close without a title."""
        self._answer(None)

    def _answer(self, title: str | None) -> None:
        if not self.answered:
            self.answered = True
            self.dismiss(title)
