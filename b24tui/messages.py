"""App-wide messages, named in the past tense: workers post them, screens handle them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from b24tui.models import Task, User


@dataclass
class TasksLoaded(Message):
    """Every task I take part in, as the portal had them at ``loaded_at``."""

    me: User
    tasks: list[Task]
    loaded_at: datetime


@dataclass
class CallFailed(Message):
    """A background call failed; the app turns it into a message for the user."""

    error: BaseException


@dataclass
class TaskChanged(Message):
    """The portal changed a task because of something done here; ``task`` is its new state.

    Posted to every screen in the stack, so the dashboard under a detail screen updates
    its row too.
    """

    task: Task


@dataclass
class TaskChosen(Message):
    """The user asked to open the task ``task_id`` (from the palette's "Go to task…")."""

    task_id: int
