"""`?`: every key that works on the screen below, read from its live bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from b24tui.actions import TASK_ACTIONS

__all__ = ["HelpScreen", "HelpSection", "help_sections"]

HelpSection = tuple[str, list[tuple[str, str]]]
"""A heading and its (keys, what they do) rows."""

PALETTE_COMMANDS: tuple[str, ...] = (
    *(action.palette for action in TASK_ACTIONS if action.key is None),
    "Go to task…",
    "Refresh",
    "Change theme",
)
"""Commands offered in the palette only (task ones when the task allows them)."""


def _heading(node: DOMNode) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if isinstance(node, Screen):
        return "This screen"
    return f"In the {type(node).__name__}"


def help_sections(
    app: App[Any], bindings: Mapping[str, ActiveBinding], *, palette: Sequence[str] = ()
) -> list[HelpSection]:
    """Group the live ``bindings`` (``screen.active_bindings``) by where they are bound.

    Keys bound to the same action are listed together, described by their tooltip when
    they have one, else by their footer word; bindings without a description are left out.
    The palette's commands come last under "Command palette".
    """
    rows: dict[str, dict[tuple[str, str], list[str]]] = {}
    for active in bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue
        heading = _heading(active.node)
        # The footer's word is short ("Browser"); a tooltip says it in full.
        description = binding.tooltip or binding.description
        keys = rows.setdefault(heading, {}).setdefault((binding.action, description), [])
        key = app.get_key_display(binding)
        if key not in keys:
            keys.append(key)
    order = {"This screen": 0, "Everywhere": 2}
    sections: list[HelpSection] = [
        (heading, [(" ".join(keys), description) for (_, description), keys in entries.items()])
        for heading, entries in sorted(rows.items(), key=lambda item: order.get(item[0], 1))
    ]
    palette_key = next(
        (
            app.get_key_display(active.binding)
            for active in bindings.values()
            if active.binding.action == "app.command_palette"
            or active.binding.action == "command_palette"
        ),
        "ctrl+p",
    )
    if palette:
        sections.append((f"Command palette ({palette_key})", [("", name) for name in palette]))
    return sections


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, grouped; `esc` or `?` closes."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-box {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .help-heading { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .help-rows { width: 100%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help_close"),
        Binding("question_mark", "close", "Close", show=False, id="help_close_question"),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections: list[HelpSection] = list(sections)
        """What is shown: headings and their (keys, description) rows."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label("Keys", classes="help-heading")
            for heading, entries in self.sections:
                yield Label(Content(heading), classes="help-heading")
                width = max((len(keys) for keys, _ in entries), default=0)
                lines = [
                    f"{keys:<{width}}  {description}" if width else description
                    for keys, description in entries
                ]
                yield Static(Content("\n".join(lines)), classes="help-rows")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
