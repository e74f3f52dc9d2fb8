"""App-wide messages, named in the past tense: workers post them, screens handle them."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

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


@dataclass
class ScreenClosed(Message):
    """A screen of the app is closed (posted to the app, which collects what it leaves).
    ``screen`` refers to it weakly: whether it is gone can be seen."""

    screen: weakref.ref[Screen[Any]]
