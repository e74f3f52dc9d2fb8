"""Acting on the task a screen shows: keys, permission-aware footer, confirm, call, re-read.

A screen that shows one task (the detail screen, or the dashboard with its selected row)
mixes in :class:`TaskActionsMixin` ahead of its screen base class and implements two
methods::

    class TaskDetailScreen(TaskActionsMixin, PortalScreen[None]):
        def current_task(self) -> Task | None: ...
        def current_user_id(self) -> int | None: ...

It must have ``self.services``. Actions go to the app's action queue
(:mod:`b24tui.action_queue`), which runs them in order per task through the portal store;
the store tells every screen of each change (the action pending, then the task read back):
the screen repaints from its ``StoreUpdated`` handler and calls
:meth:`TaskActionsMixin.refresh_task_bindings` there. The app says each result. A screen
that overrides ``check_action`` calls ``super().check_action(...)`` for actions it does not know.

In read-only mode only the local actions are offered; a key of a write says that nothing
is changed on the portal, once per press, and sends nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from b24tui.actions import (
    READ_ONLY_MESSAGE,
    TASK_ACTIONS,
    TASK_ACTIONS_BY_ID,
    UNDER_WAY_SECONDS,
    TaskAction,
    has_graphical_browser,
    load_users,
)
from b24tui.actions import task_url as make_task_url
from b24tui.models import Task, User
from b24tui.screens.checklist import ChecklistScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.user_picker import UserPickerScreen
from b24tui.services import Services
from b24tui.text import clean

__all__ = ["TaskActionsMixin"]

_FOOTER_LABELS: dict[str, str] = {
    "start": "Start",
    "pause": "Pause",
    "complete": "Complete",
    "edit": "Edit",
    "open_checklist": "Checklist",
    "open_browser": "Browser",
    "copy_link": "Copy link",
}
"""Short footer words for the actions that have a key."""


_HELP_ONLY: frozenset[str] = frozenset({"open_checklist", "open_browser", "copy_link"})
"""Keys listed in ``?`` help and the palette but left out of the footer, which is full at 80
columns."""


def _bindings() -> list[BindingType]:
    undo: list[BindingType] = [Binding("u", "undo", "Undo", show=False, id="undo")]
    return undo + [
        Binding(
            action.key,
            f"task_action('{action.id}')",
            _FOOTER_LABELS.get(action.id, action.palette),
            tooltip=action.palette,
            show=action.id not in _HELP_ONLY,
            # The form's key runs as it is read, so that what is typed right after it
            # reaches the form (see check_action for the fields that keep the letter).
            priority=action.form,
            id=action.binding_id,
        )
        for action in TASK_ACTIONS
        if action.key is not None
    ]


ANSWER_KEYS: frozenset[str] = frozenset({"y", "n", "enter"})
"""The keys that answer a confirm dialog."""
ANSWER_GRACE = timedelta(seconds=2)
"""How long after an action that asks was pressed again (while it is under way, so no
dialog opened) an answer key is taken as the answer meant for that dialog, and dropped:
``x y x y`` typed in a hurry must not run ``y``'s own action (copy link)."""


class TaskActionsMixin(Screen[Any]):
    """Task actions for a screen showing a task; see the module docstring for the contract."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings()

    services: Services
    """The app's dependencies (set by the screen's constructor)."""

    _offered_actions: frozenset[str] | None = None
    """The task actions whose keys are on offer now (``None`` before the first task)."""

    _answer_grace_until: datetime | None = None
    """Until when an answer key is dropped (see :data:`ANSWER_GRACE`)."""

    # --- what the screen provides -------------------------------------------------------

    def current_task(self) -> Task | None:
        """The task on screen (or the selected row), None when there is none."""
        raise NotImplementedError

    def current_user_id(self) -> int | None:
        """Who is signed in, None until it is known."""
        raise NotImplementedError

    # --- what the mixin provides --------------------------------------------------------

    def allowed_task_actions(self) -> tuple[TaskAction, ...]:
        """The actions offered for the task on screen (none without a task): those it
        allows now, and those the actions under way on it will allow (while a start is
        sent, pause is offered: it waits its turn, and runs if the start made it possible)."""
        task = self.current_task()
        if task is None:
            return ()
        if self.services.read_only:
            return tuple(action for action in TASK_ACTIONS if not action.writes)
        me_id = self.current_user_id()
        expected = self._expected_actions(task)
        return tuple(
            action
            for action in TASK_ACTIONS
            if action.id in expected or action.allowed(task, me_id)
        )

    def _expected_actions(self, task: Task) -> frozenset[str]:
        """What the actions under way on ``task`` will offer once done: their inverses."""
        pending = self.services.actions.pending(task.id)
        return frozenset(p.action.undo for p in pending if p.action.undo and not p.cancelled)

    def refresh_task_bindings(self) -> None:
        """Update the keys on offer after the task changed, if they differ.

        Rebuilding the footer on every cursor move would cost a recompose each time;
        it happens only when the task on screen allows other actions than before.
        """
        offered = frozenset(action.id for action in self.allowed_task_actions())
        if offered != self._offered_actions:
            self._offered_actions = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of task actions the current task does not allow."""
        if action == "task_action":
            chosen = TASK_ACTIONS_BY_ID.get(str(parameters[0])) if parameters else None
            if chosen is not None and chosen.form and self._typing():
                return False
            allowed = {allowed.id for allowed in self.allowed_task_actions()}
            return bool(parameters) and parameters[0] in allowed
        return super().check_action(action, parameters)

    def _typing(self) -> bool:
        """Whether a text field here has the focus, or a dialog is over this screen (a
        priority key must leave them its letter)."""
        focused = self.focused
        return self.app.screen is not self or (
            focused is not None and focused.check_consume_key("a", "a")
        )

    def action_undo(self) -> None:
        """Key handler: cancel the latest action while nothing of it was sent, or undo it
        (its inverse) for a few seconds after it was done."""
        outcome = self.services.actions.undo()
        if isinstance(outcome, str):  # why not; otherwise the app says the result
            self.app.notify(outcome, severity="warning", markup=False)

    def action_task_action(self, action_id: str) -> None:
        """Key handler: run the task action ``action_id``."""
        self.run_task_action(action_id)

    def task_url(self, task: Task) -> str:
        """The task's page on the portal."""
        base_url = self.services.client.endpoint.base_url
        return make_task_url(base_url, self.current_user_id(), task.id)

    def run_task_action(self, action_id: str) -> None:
        """Run ``action_id`` on the current task: ask if it asks, call, re-read, show.

        Local actions (open checklist, open in browser, copy link) happen at once; the
        others run in a worker of the app, which reports its failure.
        """
        task = self.current_task()
        action = TASK_ACTIONS_BY_ID.get(action_id)
        if task is None or action is None:
            return
        if action.writes and self.services.read_only:
            self._say_read_only()
            return
        if any(p.action.id == action.id for p in self.services.actions.pending(task.id)):
            self._say_under_way(action, task)
            return
        expected = action.id in self._expected_actions(task)
        if not expected and not action.allowed(task, self.current_user_id()):
            self.app.notify(
                f"{action.palette} is not available for this task",
                severity="warning",
                markup=False,
            )
            return
        title = clean(task.title, single_line=True)
        if action.form:
            from b24tui.screens.task_form import TaskFormScreen  # not needed for a first paint

            self.app.push_screen(TaskFormScreen(self.services, task.id))
        elif action.id == "open_checklist":
            self.app.push_screen(ChecklistScreen(self.services, task.id))
        elif action.id == "open_browser" and not (self.app.is_web or has_graphical_browser()):
            url = self.task_url(task)
            self.app.copy_to_clipboard(url)
            self.app.notify(
                f"{url}\nNo graphical browser in this session (over SSH?): the link is copied.",
                title=f"Copied the link to “{title}”",
                markup=False,
            )
        elif action.id == "open_browser":
            url = self.task_url(task)
            self.app.open_url(url)
            self.app.notify(url, title=f"Opening “{title}”", markup=False)
        elif action.id == "copy_link":
            url = self.task_url(task)
            self.app.copy_to_clipboard(url)
            self.app.notify(url, title=f"Copied the link to “{title}”", markup=False)
        else:
            self._ask(action, task)

    def on_key(self, event: events.Key) -> None:
        """Drop an answer key meant for a dialog that did not open (see ANSWER_GRACE)."""
        until = self._answer_grace_until
        if until is None or event.key not in ANSWER_KEYS:
            return
        self._answer_grace_until = None
        if self.services.clock.now() <= until:
            event.stop()
            event.prevent_default()

    @on(events.Key)
    def _refuse_write_keys(self, event: events.Key) -> None:
        """In read-only mode, a key of a write (hidden, so nothing else takes it) says so."""
        if not self.services.read_only or event.key in self.active_bindings:
            return
        if self._write_bound_to(event):
            event.stop()
            event.prevent_default()
            self._say_read_only()

    def _write_bound_to(self, event: events.Key) -> bool:
        """Whether ``event``'s key is a write action's (as the config's keymap binds it)."""
        settings = self.services.settings
        keymap = settings.keys if settings is not None else {}
        pressed = {event.key, event.character}
        for action in TASK_ACTIONS:
            if action.key is None or not action.writes:
                continue
            keys = keymap.get(action.binding_id, action.key).split(",")
            if pressed & {key.strip() for key in keys}:
                return True
        return False

    def _say_read_only(self) -> None:
        self.app.notify(READ_ONLY_MESSAGE, severity="warning", markup=False)

    def _say_under_way(self, action: TaskAction, task: Task) -> None:
        if action.confirm is not None:
            self._answer_grace_until = self.services.clock.now() + ANSWER_GRACE
        self.app.notify(
            f"{action.doing} “{clean(task.title, single_line=True)}” is already under way; "
            "its result will follow.",
            markup=False,
            timeout=UNDER_WAY_SECONDS,
        )

    def _ask(self, action: TaskAction, task: Task) -> None:
        """Ask what ``action`` needs (a person, a yes), then queue it.

        Each dialog is pushed here and now, in the key's own handler: a key typed right
        after (the ``y`` of a hurried ``x y``, an ``esc``) goes to the dialog, never to the
        screen below, where ``y`` would copy the link and ``esc`` close the screen.
        """
        if not action.needs_user:
            self._confirm(action, task, None)
            return
        client = self.services.client
        picker = UserPickerScreen(
            lambda: load_users(client),
            title=f"{action.palette}: “{task.title}” to…",
            exclude=(task.responsible_id,),
        )
        self.app.push_screen(picker, partial(self._picked, action, task))

    def _picked(self, action: TaskAction, task: Task, user: User | None) -> None:
        if user is not None:
            self._confirm(action, task, user)

    def _confirm(self, action: TaskAction, task: Task, user: User | None) -> None:
        if action.confirm is None:
            self._submit(action, task, user)
            return
        question = action.confirm.format(user=user.full_name if user is not None else "")
        self.app.push_screen(
            ConfirmScreen(question, task.title), partial(self._answered, action, task, user)
        )

    def _answered(
        self, action: TaskAction, task: Task, user: User | None, yes: bool | None
    ) -> None:
        if yes:
            self._submit(action, task, user)

    def _submit(self, action: TaskAction, task: Task, user: User | None) -> None:
        args: dict[str, Any] = {"user_id": user.id} if user is not None else {}
        if self.services.actions.submit(action, task, args=args, user=user) is None:
            self._say_under_way(action, task)
