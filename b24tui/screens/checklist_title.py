"""The title of a new or edited checklist item, asked on one line."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from b24tui.text import clean

__all__ = ["TitleDialog"]


class TitleDialog(ModalScreen[str | None]):
    """Asks for a title: `enter` gives the text typed (stripped; nothing typed gives
    ``None``), `esc` gives ``None``."""

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

    def __init__(self, question: str, title: str = "") -> None:
        super().__init__()
        self.question = question
        """What is asked ("New item after “Draft”")."""
        self.title_text = title
        """The title to start from (an edit's current title)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Label(Content(clean(self.question, single_line=True)), id="title-question")
            yield Input(clean(self.title_text, single_line=True), id="title-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        """Close without a title."""
        self.dismiss(None)
