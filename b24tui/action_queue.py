"""The task actions a person asked for: in order per task, none racing or cancelling another,
none dropped when its screen closes, and each ending in exactly one :class:`ActionResult`.

Headless (no Textual here). The app hands the queue a way to run a task's queue in the
background (an app worker: leaving a screen does not stop it) and listens for the results
to say them; every screen sees the pending actions through the store, which tells its
listeners when a task's queue changes::

    queue = ActionQueue(store)
    queue.spawn = lambda work: app.run_worker(work, group="task_action")
    queue.on_result = lambda result: app.notify(result.message)
    queue.submit(TASK_ACTIONS_BY_ID["start"], task)

An action waiting for the portal's limits, or queued behind another, may be cancelled
(:meth:`ActionQueue.cancel`): nothing of it was sent. Once a request may have reached the
portal it runs to its end. Each result of a reversible action can be undone for
:data:`UNDO_SECONDS` (:meth:`ActionQueue.undo`).
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from b24tui.actions import TASK_ACTIONS_BY_ID, TaskAction, done_message
from b24tui.api import B24Error
from b24tui.api.client import call_progress
from b24tui.api.errors import ActionNotAllowed, ConnectError, RateLimited
from b24tui.api.read_only import ReadOnlyRefused
from b24tui.models import Task, User
from b24tui.store import PortalStore, StoreChange
from b24tui.text import clean

__all__ = ["UNDO_SECONDS", "ActionQueue", "ActionResult", "PendingAction", "ResultKind"]

log = logging.getLogger(__name__)

UNDO_SECONDS = 10.0
"""How long after a reversible action's result ``u`` undoes it."""

Phase = Literal["queued", "waiting", "sending", "reading"]
Work = Coroutine[Any, Any, None]


@dataclass(eq=False)
class PendingAction:
    """One action asked for and not yet ended."""

    action: TaskAction
    task: Task
    """The task as it was shown when the action was asked for."""
    args: Mapping[str, Any] = field(default_factory=dict)
    user: User | None = None
    """The chosen person (delegate)."""
    phase: Phase = "queued"
    """``queued`` behind another action on the task; ``waiting`` for the portal's limits
    with nothing sent; ``sending`` (it may have reached the portal); ``reading`` it back."""
    cancelled: bool = False
    _runner: asyncio.Future[Any] | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        """The task's title, cleaned for one line."""
        return clean(self.task.title, single_line=True)

    @property
    def cancellable(self) -> bool:
        """Whether it can still be cancelled: nothing of it has been sent."""
        return not self.cancelled and self.phase in ("queued", "waiting")

    @property
    def label(self) -> str:
        """A few words for the task's row: ``Starting…``, ``Completing (queued)``."""
        if self.phase == "queued":
            return f"{self.action.doing} (queued)"
        return f"{self.action.doing}…"


class ResultKind(enum.Enum):
    """How an action ended."""

    DONE = "done"
    UNSURE = "unsure"
    """Its answer was lost; the task was read back and is shown as the portal has it."""
    REFUSED = "refused"
    """The portal said the action is not allowed now."""
    FAILED = "failed"
    """The portal answered with an error, or could not be reached: not done."""
    CANCELLED = "cancelled"
    """Cancelled before anything was sent."""
    SKIPPED = "skipped"
    """When its turn came, the task no longer allowed it (an earlier action changed it)."""


@dataclass(frozen=True)
class ActionResult:
    """How one :class:`PendingAction` ended, and the words that say so."""

    pending: PendingAction
    kind: ResultKind
    task: Task | None
    """The task as the store has it afterwards."""
    error: B24Error | None = None
    at: datetime | None = None
    inverse_allowed: bool = False
    """Whether the task, as it is afterwards, offers the action that undoes this one."""

    @property
    def action(self) -> TaskAction:
        return self.pending.action

    @property
    def undoable(self) -> bool:
        """Whether ``u`` can undo it: done, and the task offers the inverse now (a task
        completed to its creator's control offers no renew to its responsible)."""
        return self.kind is ResultKind.DONE and self.inverse_allowed

    @property
    def severity(self) -> Literal["information", "warning", "error"]:
        if self.kind in (ResultKind.DONE, ResultKind.CANCELLED):
            return "information"
        if self.kind is ResultKind.FAILED:
            return "error"
        return "warning"

    @property
    def title(self) -> str:
        """The toast's title ("" when the message says it all)."""
        palette = self.action.palette
        return {
            ResultKind.DONE: "",
            ResultKind.UNSURE: f"{palette}: not sure it was done",
            ResultKind.REFUSED: f"{palette}: refused by the portal",
            ResultKind.FAILED: f"{palette}: not done",
            ResultKind.CANCELLED: "",
            ResultKind.SKIPPED: f"{palette}: not needed now",
        }[self.kind]

    @property
    def message(self) -> str:
        """Plain text (show it with markup off)."""
        pending = self.pending
        title = pending.title
        if self.kind is ResultKind.DONE:
            task = self.task if self.task is not None else pending.task
            text = done_message(self.action, task, user=pending.user)
            return text + (" · u undoes it" if self.undoable else "")
        if self.kind is ResultKind.UNSURE:
            return (
                f"“{title}”: the portal's answer was lost on the way. The task is shown as "
                "the portal has it now: check it before trying again."
            )
        if self.kind is ResultKind.CANCELLED:
            return f"{self.action.palette} cancelled for “{title}”: nothing was sent."
        if self.kind is ResultKind.SKIPPED:
            status = self.task.status.label if self.task is not None else "changed"
            return f"“{title}” is {status} now: it was not sent."
        error = self.error
        reason = error.title if error is not None else "the portal did not do it"
        hint = f" {error.hint}" if error is not None and error.hint else ""
        if self.kind is ResultKind.REFUSED:
            return f"“{title}”: {reason}. The task is shown as the portal has it now."
        sent = " It was not sent." if _not_sent(error) else ""
        return f"“{title}”: {reason}.{sent}{hint}"


def _not_sent(error: B24Error | None) -> bool:
    return isinstance(error, RateLimited | ConnectError | ReadOnlyRefused)


class ActionQueue:
    """The actions asked for, a queue per task; see the module docstring."""

    def __init__(self, store: PortalStore) -> None:
        self.store = store
        self.spawn: Callable[[Work], object] = asyncio.ensure_future
        """Runs a task's queue in the background (the app: a worker of its own)."""
        self.on_result: Callable[[ActionResult], None] = lambda result: None
        """Hears each result once (the app: a toast)."""
        self._queues: dict[int, deque[PendingAction]] = {}
        self.last: PendingAction | ActionResult | None = None
        """What ``u`` acts on: the latest action asked for, or its result once ended."""

    # --- what is pending ----------------------------------------------------------------

    def pending(self, task_id: int) -> tuple[PendingAction, ...]:
        """The actions asked for on ``task_id`` and not yet ended, in order."""
        return tuple(self._queues.get(task_id, ()))

    def all_pending(self) -> tuple[PendingAction, ...]:
        """Every action asked for and not yet ended, task by task in the order asked."""
        return tuple(p for queue in self._queues.values() for p in queue if not p.cancelled)

    def label(self, task_id: int) -> str | None:
        """The words for the task's row while an action on it is under way."""
        queue = self._queues.get(task_id)
        if not queue:
            return None
        first = queue[0]
        more = f" +{len(queue) - 1}" if len(queue) > 1 else ""
        return f"{first.label}{more}"

    def labels(self) -> dict[int, str]:
        """Task id → the words for its row, for every task with an action under way."""
        return {task_id: label for task_id in self._queues if (label := self.label(task_id))}

    def status(self, waiting: str | None = None) -> str | None:
        """One line for the header while actions are under way, ``None`` when none is:
        the latest asked for, how many others, and ``waiting`` (the pacing's words) with
        how to cancel when it waits for the portal's limits with nothing sent."""
        pending = [p for queue in self._queues.values() for p in queue]
        if not pending:
            return None
        latest = self.last if isinstance(self.last, PendingAction) else pending[-1]
        if latest not in pending:
            latest = pending[-1]
        line = f"{latest.action.doing} “{latest.title}”…"
        if len(pending) > 1:
            line += f" (+{len(pending) - 1})"
        if latest.phase == "waiting" and waiting is not None:
            line += f" {waiting}"
        if latest.cancellable and latest is self.last:
            line += " · u cancels"
        return line

    @property
    def busy(self) -> bool:
        """Whether any action is pending."""
        return any(self._queues.values())

    # --- asking -------------------------------------------------------------------------

    def submit(
        self,
        action: TaskAction,
        task: Task,
        *,
        args: Mapping[str, Any] | None = None,
        user: User | None = None,
    ) -> PendingAction | None:
        """Queue ``action`` on ``task``; ``None`` when the same action is already pending
        on it (a second press of the key does not send it twice)."""
        queue = self._queues.setdefault(task.id, deque())
        if any(p.action.id == action.id and not p.cancelled for p in queue):
            return None
        pending = PendingAction(action, task, dict(args or {}), user)
        queue.append(pending)
        self.last = pending
        self._changed(task.id)
        if len(queue) == 1:
            self.spawn(self._drain(task.id))
        return pending

    def cancel(self, pending: PendingAction) -> bool:
        """Cancel ``pending`` if nothing of it was sent; whether it was cancelled.

        A cancelled action ends with a ``CANCELLED`` result, as any other.
        """
        if not pending.cancellable:
            return False
        pending.cancelled = True
        if pending._runner is not None:
            pending._runner.cancel()  # held by pacing: it wakes up cancelled
        self._changed(pending.task.id)
        return True

    def undo(self) -> PendingAction | ActionResult | str:
        """Undo the latest action: cancel it while nothing was sent, or queue its inverse
        while its result is recent. Returns what was cancelled or queued, or why not."""
        last = self.last
        if isinstance(last, PendingAction):
            if self.cancel(last):
                return last
            return f"{last.action.doing} “{last.title}” is already sent: wait for its answer."
        if last is None:
            return "Nothing to undo."
        if not last.undoable or last.at is None:
            return f"{last.action.palette} cannot be undone."
        if self.store.clock.now() - last.at > timedelta(seconds=UNDO_SECONDS):
            return f"Too late to undo {last.action.palette.lower()}: do the opposite instead."
        inverse = TASK_ACTIONS_BY_ID[last.action.undo or ""]
        task = self.store.task(last.pending.task.id) or last.task
        if task is None or not inverse.allowed(task, self._me()):
            return f"{last.action.palette} cannot be undone now: the task has changed."
        queued = self.submit(inverse, task)
        if queued is None:
            return f"{inverse.doing} “{last.pending.title}” is already under way."
        return queued

    # --- running ------------------------------------------------------------------------

    def _me(self) -> int | None:
        me = self.store.me
        return me.id if me is not None else None

    def _changed(self, task_id: int) -> None:
        self.store.mark_changed(StoreChange(tasks=frozenset({task_id}), pending=True))

    async def _drain(self, task_id: int) -> None:
        queue = self._queues[task_id]
        try:
            while queue:
                pending = queue[0]
                result = await self._run(pending)
                queue.popleft()
                self._changed(task_id)
                if self.last is pending:
                    self.last = result
                self.on_result(result)
        finally:
            if not queue:
                self._queues.pop(task_id, None)

    async def _run(self, pending: PendingAction) -> ActionResult:
        now = self.store.clock.now
        task_id = pending.task.id
        if pending.cancelled:
            return ActionResult(pending, ResultKind.CANCELLED, self.store.task(task_id), at=now())
        task = self.store.task(task_id) or pending.task
        if not pending.action.allowed(task, self._me()):
            return ActionResult(pending, ResultKind.SKIPPED, task, at=now())
        pending.phase = "waiting"
        self._changed(task_id)
        runner = asyncio.ensure_future(self._send(pending, task))
        pending._runner = runner
        try:
            outcome = await runner
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the app is closing: not the person's cancel
            return ActionResult(pending, ResultKind.CANCELLED, self.store.task(task_id), at=now())
        except ActionNotAllowed as error:
            return ActionResult(
                pending, ResultKind.REFUSED, self.store.task(task_id), error, at=now()
            )
        except B24Error as error:
            log.info("%s on task %d failed: %s", pending.action.id, task_id, error.title)
            return ActionResult(
                pending, ResultKind.FAILED, self.store.task(task_id), error, at=now()
            )
        finally:
            pending._runner = None
        me = self._me()
        kind = ResultKind.DONE if outcome.certain else ResultKind.UNSURE
        if kind is ResultKind.UNSURE and _looks_done(pending.action, outcome.task, me):
            kind = ResultKind.DONE
        inverse = TASK_ACTIONS_BY_ID.get(pending.action.undo or "")
        return ActionResult(
            pending,
            kind,
            outcome.task,
            at=now(),
            inverse_allowed=inverse is not None and inverse.allowed(outcome.task, me),
        )

    async def _send(self, pending: PendingAction, task: Task) -> Any:
        def progress(phase: Literal["waiting", "sending"]) -> None:
            if pending.phase in ("waiting", "sending") and pending.phase != phase:
                pending.phase = phase
                self._changed(task.id)

        def answered() -> None:
            pending.phase = "reading"

        call_progress.set(progress)  # in this task's own context only
        return await self.store.act(pending.action, task, answered=answered, **pending.args)


def _looks_done(action: TaskAction, task: Task, me: int | None) -> bool:
    """Whether the read-back shows the action done: it is no longer offered and its
    inverse is (started: Start gone, Pause there; muted: Mute gone, Unmute there)."""
    inverse = TASK_ACTIONS_BY_ID.get(action.undo or "")
    return inverse is not None and not action.allowed(task, me) and inverse.allowed(task, me)
