"""A yes/no question about one task, asked before a hard-to-undo action."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from b24tui.text import clean

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Asks ``question`` about ``subject`` (a task title, shown literally); dismisses with
    True for `y`, False for `n`/`esc`, and `enter` presses the focused button ("Yes" at
    first, "No" after `tab`)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > #confirm-box {
        width: 64; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-question { text-style: bold; width: 100%; }
    ConfirmScreen #confirm-subject { width: 100%; margin: 1 0; color: $text-muted; }
    ConfirmScreen #confirm-buttons { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n", "answer(False)", "No", id="confirm_no"),
        Binding("escape", "answer(False)", "No", show=False, id="confirm_escape"),
    ]

    AUTO_FOCUS = "#confirm-yes"

    def __init__(self, question: str, subject: str = "") -> None:
        super().__init__()
        self.question = question
        """What is asked ("Complete this task?")."""
        self.subject = subject
        """What it is about, from the portal: shown as plain text, never as markup."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Content(clean(self.question, single_line=True)), id="confirm-question")
            if self.subject:
                yield Label(Content(clean(self.subject, single_line=True)), id="confirm-subject")
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", variant="primary", id="confirm-yes")
                yield Button("No (n)", id="confirm-no")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)
