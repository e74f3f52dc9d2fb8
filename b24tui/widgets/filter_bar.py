"""The filter bar: a one-line input above the task table, with an "n of m" count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Label


class FilterBar(Horizontal):
    """Type to filter; ``enter`` keeps the filter, ``esc`` clears it.

    The bar only reports what was typed (:class:`Changed`, :class:`Kept`,
    :class:`Cleared`); the screen decides what matches.
    """

    DEFAULT_CSS = """
    FilterBar { height: 1; }
    FilterBar > Input, FilterBar > Input:focus {
        width: 1fr; height: 1; border: none; padding: 0 1; background: transparent;
    }
    FilterBar > Label { width: auto; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear filter", id="clear_filter"),
    ]

    counts: reactive[tuple[int, int]] = reactive((0, 0))
    """(shown, total): how many of the view's tasks match."""

    @dataclass
    class Changed(Message):
        """The filter text changed (live, while typing)."""

        bar: FilterBar
        query: str

        @property
        def control(self) -> FilterBar:
            """The bar that sent it (for ``@on`` selectors)."""
            return self.bar

    @dataclass
    class Kept(Message):
        """``enter``: keep the filter and go back to the table."""

        bar: FilterBar
        query: str

        @property
        def control(self) -> FilterBar:
            """The bar that sent it (for ``@on`` selectors)."""
            return self.bar

    @dataclass
    class Cleared(Message):
        """``esc``: the filter is gone."""

        bar: FilterBar

        @property
        def control(self) -> FilterBar:
            """The bar that sent it (for ``@on`` selectors)."""
            return self.bar

    def compose(self) -> ComposeResult:
        yield Label("/", id="filter-prompt")
        yield Input(placeholder="filter: title, #id, responsible", id="filter-input")
        yield Label(id="filter-count")

    @property
    def query_text(self) -> str:
        """The filter as typed."""
        return self.query_one(Input).value

    def open(self) -> None:
        """Show the bar and put the cursor in it."""
        self.display = True
        # At once, not on the next turn as ``focus()`` does: keys typed in the same burst
        # as the slash (a fast typist over SSH) are already queued, and belong here.
        self.screen.set_focus(self.query_one(Input))

    def watch_counts(self, counts: tuple[int, int]) -> None:
        shown, total = counts
        self.query_one("#filter-count", Label).update(f"{shown:,} of {total:,}")

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Kept(self, event.value))

    def action_clear(self) -> None:
        """Empty the input, hide the bar and say so."""
        with self.prevent(Input.Changed):
            self.query_one(Input).value = ""
        self.display = False
        self.post_message(self.Cleared(self))
