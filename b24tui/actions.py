"""What can be done to a task, in one table the screens, keys and palette share.

Headless: no Textual here. Each :class:`TaskAction` knows its palette name, its key (when
it has one), whether it asks first, when it is offered, and which client method it calls
with which parameters. Whether an action is offered follows the task's ``action`` map;
that map has no key for mute or watch, so those follow ``isMuted`` and ``auditors``, and
favourites follow the task's favourite flag. In read-only mode only the local actions
(open checklist, open in browser, copy link) are offered: every other one
:attr:`TaskAction.writes`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from b24tui.api import USERS, B24Client, fetch_all
from b24tui.api.resources.tasks import TasksResource
from b24tui.models import Task, TaskStatus, User
from b24tui.text import clean

__all__ = [
    "READ_ONLY_MESSAGE",
    "TASK_ACTIONS",
    "TASK_ACTIONS_BY_ID",
    "UNDER_WAY_SECONDS",
    "TaskAction",
    "allowed_actions",
    "done_message",
    "load_users",
    "task_url",
]

READ_ONLY_MESSAGE: Final = "Read-only: nothing is changed on the portal"
"""What a key or command that would write says in read-only mode."""

UNDER_WAY_SECONDS = 3.0
"""How long the note that an action is already under way stays: it is about the key just
pressed, and it must not outlive by long the screen it was said on (its result has its own
note)."""

Allowed = Callable[[Task, "int | None"], bool]
Call = Callable[[B24Client, Task, Mapping[str, Any]], Awaitable[object]]


def task_url(base_url: str, me_id: int | None, task_id: int) -> str:
    """The task's page on the portal, as the portal links it from a task.

    ``https://<portal>/company/personal/user/<me>/tasks/task/view/<id>/``: the form the
    REST 3.0 ``link`` field carries (the user in the path is whose task list it opens in).
    """
    user = me_id if me_id else 0
    return f"{base_url.rstrip('/')}/company/personal/user/{user}/tasks/task/view/{task_id}/"


def has_graphical_browser(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """Whether "open in browser" can show a page without taking over this terminal.

    Over SSH there is no display, and the browser Python would pick is a text one
    (``www-browser``, ``lynx``) that would draw over the app. ``$BROWSER`` is a choice the
    person made, so it is trusted.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system == "darwin" or system.startswith("win"):
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


@dataclass(frozen=True)
class TaskAction:
    """One thing the user can do to a task.

    Attributes:
        id: A stable name ("start", "stop_watching"); the binding id is ``task_<id>``.
        palette: The command palette's exact words ("Start task").
        done: The past-tense verb of the toast that follows ("Started").
        key: The key that runs it on a task screen, or None for palette-only actions.
        confirm: The question asked before running it, or None to run at once.
            ``{user}`` in it is the chosen person's name (delegate).
        needs_user: Whether the user picks a person first (delegate).
        local: Whether it changes nothing on the portal (open checklist, open in browser,
            copy link).
        form: Whether it opens the task form (edit), which saves on its own, instead of
            going to the action queue.
    """

    id: str
    palette: str
    done: str
    when: Allowed
    call: Call | None = None
    key: str | None = None
    confirm: str | None = None
    needs_user: bool = False
    local: bool = False
    form: bool = False

    @property
    def binding_id(self) -> str:
        """The id of the key binding, for the config file's keymap (``task_start``)."""
        return f"task_{self.id}"

    @property
    def doing(self) -> str:
        """The present participle shown while it is under way ("Starting")."""
        return _DOING.get(self.id, self.palette)

    @property
    def undo(self) -> str | None:
        """The id of the action that undoes this one, if there is one."""
        return _UNDO.get(self.id)

    @property
    def writes(self) -> bool:
        """Whether it changes something on the portal (all but the local ones)."""
        return not self.local

    def allowed(self, task: Task, me_id: int | None) -> bool:
        """Whether the action is offered for ``task`` to the user ``me_id``."""
        return self.when(task, me_id)

    async def run(self, client: B24Client, task: Task, **args: Any) -> None:
        """Ask the portal to do it (local actions call nothing).

        ``delegate`` takes ``user_id``, the new responsible person.

        Raises:
            B24Error: The portal refused (``NotFound`` when the task is gone).
        """
        if self.call is not None:
            await self.call(client, task, args)


def _permitted(name: str) -> Allowed:
    def allowed(task: Task, me_id: int | None) -> bool:
        return task.allows(name)

    return allowed


def _always(task: Task, me_id: int | None) -> bool:
    return True


def _muted(task: Task, me_id: int | None) -> bool:
    return task.is_muted


def _not_muted(task: Task, me_id: int | None) -> bool:
    return not task.is_muted


def _watching(task: Task, me_id: int | None) -> bool:
    return me_id is not None and me_id in task.auditors


def _not_watching(task: Task, me_id: int | None) -> bool:
    return me_id is not None and me_id not in task.auditors


def _favourite(task: Task, me_id: int | None) -> bool:
    return task.is_favorite


def _not_favourite(task: Task, me_id: int | None) -> bool:
    return not task.is_favorite


async def _delegate(client: B24Client, task: Task, args: Mapping[str, Any]) -> object:
    user_id = args.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise ValueError("delegating needs the new responsible person's user_id")
    return await client.tasks.delegate(task.id, user_id)


def _status(pick: Callable[[TasksResource], Callable[[int], Awaitable[object]]]) -> Call:
    """A call of the ``client.tasks`` method ``pick`` chooses, with the task's id."""

    async def call(client: B24Client, task: Task, args: Mapping[str, Any]) -> object:
        return await pick(client.tasks)(task.id)

    return call


TASK_ACTIONS: Final[tuple[TaskAction, ...]] = (
    TaskAction(
        "start",
        "Start task",
        "Started",
        _permitted("start"),
        _status(lambda tasks: tasks.start),
        key="s",
    ),
    TaskAction(
        "pause",
        "Pause task",
        "Paused",
        _permitted("pause"),
        _status(lambda tasks: tasks.pause),
        key="p",
    ),
    TaskAction(
        "complete",
        "Complete task",
        "Completed",
        _permitted("complete"),
        _status(lambda tasks: tasks.complete),
        key="x",
        confirm="Complete this task?",
    ),
    TaskAction(
        "approve",
        "Approve task",
        "Approved",
        _permitted("approve"),
        _status(lambda tasks: tasks.approve),
    ),
    TaskAction(
        "disapprove",
        "Disapprove task",
        "Sent back for rework",
        _permitted("disapprove"),
        _status(lambda tasks: tasks.disapprove),
        confirm="Send this task back for rework?",
    ),
    TaskAction(
        "defer",
        "Defer task",
        "Deferred",
        _permitted("defer"),
        _status(lambda tasks: tasks.defer),
        confirm="Defer this task?",
    ),
    TaskAction(
        "renew", "Renew task", "Renewed", _permitted("renew"), _status(lambda tasks: tasks.renew)
    ),
    TaskAction(
        "delegate",
        "Delegate task",
        "Delegated",
        _permitted("delegate"),
        _delegate,
        confirm="Delegate this task to {user}?",
        needs_user=True,
    ),
    TaskAction("mute", "Mute task", "Muted", _not_muted, _status(lambda tasks: tasks.mute)),
    TaskAction("unmute", "Unmute task", "Unmuted", _muted, _status(lambda tasks: tasks.unmute)),
    TaskAction(
        "watch",
        "Start watching",
        "Watching",
        _not_watching,
        _status(lambda tasks: tasks.startwatch),
    ),
    TaskAction(
        "stop_watching",
        "Stop watching",
        "Stopped watching",
        _watching,
        _status(lambda tasks: tasks.stopwatch),
    ),
    TaskAction(
        "favorite_add",
        "Add to favourites",
        "Added to favourites",
        _not_favourite,
        _status(lambda tasks: tasks.favorite_add),
    ),
    TaskAction(
        "favorite_remove",
        "Remove from favourites",
        "Removed from favourites",
        _favourite,
        _status(lambda tasks: tasks.favorite_remove),
    ),
    TaskAction("edit", "Edit task", "Saved", _permitted("edit"), key="e", form=True),
    TaskAction(
        "open_checklist", "Open checklist", "Opened the checklist of", _always, key="c", local=True
    ),
    TaskAction("open_browser", "Open in browser", "Opened", _always, key="o", local=True),
    TaskAction("copy_link", "Copy link", "Copied the link to", _always, key="y", local=True),
)
"""Every task action, in the order the palette and the help list them."""

_DOING: Final[Mapping[str, str]] = {
    "start": "Starting",
    "pause": "Pausing",
    "complete": "Completing",
    "approve": "Approving",
    "disapprove": "Sending back",
    "defer": "Deferring",
    "renew": "Renewing",
    "delegate": "Delegating",
    "mute": "Muting",
    "unmute": "Unmuting",
    "watch": "Starting to watch",
    "stop_watching": "Stopping watching",
    "favorite_add": "Adding to favourites",
    "favorite_remove": "Removing from favourites",
}

_UNDO: Final[Mapping[str, str]] = {
    "complete": "renew",
    "start": "pause",
    "pause": "start",
    "defer": "renew",
    "mute": "unmute",
    "unmute": "mute",
    "watch": "stop_watching",
    "stop_watching": "watch",
    "favorite_add": "favorite_remove",
    "favorite_remove": "favorite_add",
}
"""What undoes what: each action here has an inverse the portal offers right after it."""

TASK_ACTIONS_BY_ID: Final[Mapping[str, TaskAction]] = {action.id: action for action in TASK_ACTIONS}
"""The actions by id."""


def allowed_actions(
    task: Task, me_id: int | None, *, read_only: bool = False
) -> tuple[TaskAction, ...]:
    """The actions offered for ``task`` to ``me_id``, in table order (no write when
    ``read_only``)."""
    return tuple(
        action
        for action in TASK_ACTIONS
        if action.allowed(task, me_id) and not (read_only and action.writes)
    )


def done_message(action: TaskAction, task: Task, *, user: User | None = None) -> str:
    """The toast after ``action`` succeeded: ``Started “Fix the login”`` (plain text,
    cleaned of terminal controls; show it with markup off).

    ``task`` is the task as the portal has it afterwards; a completion that went to the
    creator's control says so, and a delegation names the new responsible person.
    """
    text = f"{action.done} “{clean(task.title, single_line=True)}”"
    if action.id == "complete" and task.status is TaskStatus.SUPPOSEDLY_COMPLETED:
        text += ": awaiting the creator's control"
    if action.id == "delegate" and user is not None:
        text += f" to {clean(user.full_name, single_line=True)}"
    return text


async def load_users(client: B24Client) -> tuple[User, ...]:
    """Every active user of the portal, by name: the people a task can be delegated to."""
    rows = await fetch_all(client, USERS, filter={"ACTIVE": True})
    users = User.many_from_api(rows)
    return tuple(sorted(users, key=lambda user: (user.full_name.casefold(), user.id)))
