"""App-wide messages, named in the past tense: workers post them, screens handle them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from b24tui.store import StoreChange


@dataclass
class StoreUpdated(Message):
    """The portal store changed (posted to each screen that listens to it)."""

    change: StoreChange


@dataclass
class RefreshRequested(Message):
    """Read the portal again now (``r``, the palette's "Refresh"): posted to the app, which
    owns the one refresh of the whole app."""


@dataclass
class CallFailed(Message):
    """A background call failed; the app turns it into a message for the user."""

    error: BaseException


@dataclass
class TaskChosen(Message):
    """The user asked to open the task ``task_id`` (from the palette's "Go to task…")."""

    task_id: int
