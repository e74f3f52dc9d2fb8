"""``client.tasks``: listing, reading, writing and acting on tasks.

Parameter names follow each method's doc page exactly: most ``tasks.task.*`` methods take
``taskId``, ``mute``/``unmute`` take ``id``, ``delegate`` adds ``userId``; REST 3.0 methods
take ``id`` and camelCase ``fields``. Add, update and delete go to REST 3.0 where the
portal has it and fall back to the classic API (see
:meth:`~b24tui.api.client.B24Client.call_either`).

A write is never lost and never applied twice. Each carries a :class:`WriteIntent`, whose
key goes with the REST 3.0 call as its ``Idempotency-Key``: the client repeats a keyed
write whose answer was lost, and the portal answers the repeat without applying it again.
The classic API has no such key, so there a lost answer is settled by reading the portal:
an update is read back and sent once more only if its values are not there; an add looks
for the task it made (same title, same creator, made in the last minutes) before it is
sent once more. Nothing is ever sent again blindly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from b24tui.api.batch import MAX_BATCH_COMMANDS, BatchCommand, BatchResult
from b24tui.api.errors import ApiError, B24Error, BadResponse, NotFound, OutcomeUnknown
from b24tui.api.paging import TASKS, Row, fetch_all, fetch_lists, fetch_page
from b24tui.api.resources._base import Query, Resource, parse
from b24tui.api.resources.system import SystemResource
from b24tui.models import (
    UNSET,
    HistoryEntry,
    Task,
    TaskAccess,
    TaskChanges,
    TaskCounters,
)

__all__ = [
    "FULL_FIELDS",
    "ROW_FIELDS",
    "ListsProgress",
    "ListsRead",
    "TasksResource",
    "WriteIntent",
]

log = logging.getLogger(__name__)

NOT_FOUND_TITLE = "Task not found or you have no access"

ROW_FIELDS: tuple[str, ...] = (
    "ID",
    "TITLE",
    "STATUS",
    "PRIORITY",
    "DEADLINE",
    "CREATED_BY",
    "RESPONSIBLE_ID",
    "ACCOMPLICES",
    "AUDITORS",
    "GROUP_ID",
    "CHANGED_DATE",
    "CHANGED_BY",
    "FAVORITE",
    "IS_MUTED",
    "CHECKLIST",
    "ACTION",
)
"""A task as a row of the dashboard needs it (and its actions' permissions, and who changed
it last, which a notice needs), asked for explicitly: the portal's default set may change."""

FULL_FIELDS: tuple[str, ...] = (
    "ID",
    "PARENT_ID",
    "TITLE",
    "DESCRIPTION",
    "STATUS",
    "SUB_STATUS",
    "PRIORITY",
    "MARK",
    "DEADLINE",
    "START_DATE_PLAN",
    "END_DATE_PLAN",
    "CREATED_BY",
    "CREATED_DATE",
    "CHANGED_BY",
    "CHANGED_DATE",
    "STATUS_CHANGED_DATE",
    "CLOSED_DATE",
    "DATE_START",
    "RESPONSIBLE_ID",
    "ACCOMPLICES",
    "AUDITORS",
    "GROUP_ID",
    "TIME_ESTIMATE",
    "TIME_SPENT_IN_LOGS",
    "COMMENTS_COUNT",
    "ALLOW_CHANGE_DEADLINE",
    "ALLOW_TIME_TRACKING",
    "TASK_CONTROL",
    "FAVORITE",
    "IS_MUTED",
    "IS_PINNED",
    "NOT_VIEWED",
    "CHAT_ID",
    "CHECKLIST",
    "ACTION",
)
"""A task in full: every field the detail screen and the task actions use (a superset of
:data:`ROW_FIELDS`)."""


LOST_CREATE_WINDOW = timedelta(minutes=10)
"""How recent a task must be to be taken for the one a classic add made before its answer
was lost: longer than a request can take (65 s) and its retries, short enough that an older
task of the same title is not mistaken for it."""


@dataclass(frozen=True)
class WriteIntent:
    """One change a person means to make, however many times it is sent.

    Make one per intent and keep it while the same change is retried (a save that failed,
    pressed again); make a new one when the change itself differs. Its key travels as the
    REST 3.0 ``Idempotency-Key``: the portal applies the change once and answers every
    repeat with the first answer, and refuses the key with another body
    (:class:`~b24tui.api.errors.ValidationError`). The key is random (a UUID4) and not
    a secret.
    """

    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    """1 to 255 printable ASCII characters, unique to this intent."""


COUNT_ID = "count"
"""The command id of :meth:`TasksResource.read_lists`'s count."""


def _count_command(filter: Mapping[str, Any]) -> BatchCommand:
    """One list page that also counts every match of ``filter`` (``start=0``)."""
    return BatchCommand(
        COUNT_ID, "tasks.task.list", {"filter": dict(filter), "select": ["ID"], "start": 0}
    )


@dataclass(frozen=True)
class ListsProgress:
    """What one request of :meth:`TasksResource.read_lists` read, told as it lands."""

    tasks: tuple[tuple[Task, ...], ...]
    """The tasks each filter gained in this request, in the order the filters were given."""
    total: int | None
    """How many tasks the ``count`` filter matches, when it was asked and answered."""


@dataclass(frozen=True)
class ListsRead:
    """What :meth:`TasksResource.read_lists` read in its requests."""

    tasks: tuple[tuple[Task, ...], ...]
    """Every task of each filter, in the order the filters were given."""
    riders: Mapping[str, object]
    """Rider id → its parsed model, or the :class:`B24Error` it failed with."""


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


PARSE_TURN = 0.008
"""Seconds of turning list rows into tasks between two turns given back to the event loop:
thousands of rows are read without holding a key press for more than a few milliseconds."""


async def _tasks_of(
    rows: Sequence[Row], same: Callable[[Task], Task] | None = None
) -> tuple[Task, ...]:
    """The tasks of list ``rows``, yielding to the event loop every :data:`PARSE_TURN`;
    each through ``same`` when given (see :meth:`TasksResource.read_lists`)."""
    tasks: list[Task] = []
    turn_began = time.monotonic()
    for row in rows:
        task = parse("tasks.task.list", partial(Task.from_v1, row))
        tasks.append(task if same is None else same(task))
        if time.monotonic() - turn_began > PARSE_TURN:
            await asyncio.sleep(0)
            turn_began = time.monotonic()
    return tuple(tasks)


class TasksResource(Resource):
    """Tasks (``tasks.task.*``), returning :class:`~b24tui.models.Task` and friends."""

    _current_user_id: int | None = None

    # --- reading ---------------------------------------------------------------------

    async def list(
        self,
        filter: Mapping[str, Any] | None = None,
        select: Sequence[str] | None = None,
        order: Mapping[str, str] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
    ) -> tuple[Task, ...]:
        """One page (up to 50 tasks) of ``tasks.task.list``, without the row count.

        ``order`` defaults to ``{"ID": "asc"}``; ``params`` are the method's
        ``WITH_*`` flags.
        """
        if order is None:
            rows = await fetch_page(
                self._client,
                TASKS,
                filter=filter,
                select=select,
                extra={"params": dict(params)} if params else None,
            )
        else:
            call_params: dict[str, Any] = {"order": dict(order), "filter": dict(filter or {})}
            if select is not None:
                call_params["select"] = list(select)
            if params:
                call_params["params"] = dict(params)
            call_params["start"] = -1
            response = await self._client.call("tasks.task.list", call_params)
            rows = TASKS.rows(response.result)
        return parse("tasks.task.list", lambda: tuple(Task.from_v1(row) for row in rows))

    async def list_all(
        self,
        filter: Mapping[str, Any] | None = None,
        select: Sequence[str] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        max_rows: int | None = None,
    ) -> tuple[Task, ...]:
        """Every task matching ``filter``, in id order, read by chained batches.

        About 2,500 tasks per HTTP request (see :func:`~b24tui.api.paging.fetch_all`); the
        rows of one request become tasks while the next requests are under way.
        """
        tasks: dict[int, Task] = {}

        def take(rows: Sequence[Mapping[str, Any]]) -> None:
            for task in parse("tasks.task.list", lambda: [Task.from_v1(row) for row in rows]):
                tasks.setdefault(task.id, task)

        await fetch_all(
            self._client,
            TASKS,
            filter=filter,
            select=select,
            extra={"params": dict(params)} if params else None,
            max_rows=max_rows,
            on_rows=take,
        )
        return tuple(tasks[task_id] for task_id in sorted(tasks))

    async def read_lists(
        self,
        filters: Sequence[Mapping[str, Any]],
        select: Sequence[str] | None = None,
        *,
        riders: Mapping[str, Query[Any]] | None = None,
        count: Mapping[str, Any] | None = None,
        first_pages: int | None = None,
        pages_per_request: int = MAX_BATCH_COMMANDS,
        on_read: Callable[[ListsProgress], None] | None = None,
        expected: Sequence[int | None] | None = None,
        same: Callable[[Task], Task] | None = None,
    ) -> ListsRead:
        """Every task of each filter, the filters read together in shared batches (see
        :func:`~b24tui.api.paging.fetch_lists`), with single reads riding in the first
        request.

        One HTTP request while the lists and the riders fit in one batch. A rider that
        fails does not fail the lists: its error stands in its place.

        Args:
            count: a filter whose matches the portal counts in the first request (the
                one list call that asks for ``total``): how many tasks the lists will
                hold, told in :attr:`ListsProgress.total`.
            first_pages: at most this many pages in the first request, so its answer
                comes back soon.
            pages_per_request: at most this many pages in each request (fewer: smaller
                answers, each decoded in less time, in more requests).
            on_read: told of the tasks each request read, as it lands, while more are to
                come (the request that completes the lists is not told: its tasks are in
                the answer).
            expected: how many tasks each filter likely holds (see
                :func:`~b24tui.api.paging.fetch_lists`).
            same: given each task read, the caller's own copy when it is equal (else the
                task itself), so a whole read of unchanged tasks keeps no second copy of
                them alive while the lists are read.
        """
        queries = dict(riders or {})
        if count is not None and COUNT_ID in queries:
            raise ValueError(f"the rider id {COUNT_ID!r} is the count's")
        commands = [query.command(rider_id) for rider_id, query in queries.items()]
        if count is not None:
            commands.append(_count_command(count))
        read: list[list[Task]] = [[] for _ in filters]
        # Each request's rows become tasks while the next request is under way (the
        # portal works meanwhile), a slice at a time (the app's loop keeps its turns).
        landed: asyncio.Queue[tuple[Sequence[Sequence[Row]], int | None, bool] | None]
        landed = asyncio.Queue()

        async def turn_into_tasks() -> None:
            while (item := await landed.get()) is not None:
                gained, total, done = item
                tasks = tuple([await _tasks_of(rows, same) for rows in gained])
                for kept, new in zip(read, tasks, strict=True):
                    kept.extend(new)
                if on_read is not None and not done:
                    on_read(ListsProgress(tasks, total))

        parsing = asyncio.ensure_future(turn_into_tasks())
        total: int | None = None

        def pages_read(gained: Sequence[Sequence[Row]], result: BatchResult, done: bool) -> None:
            nonlocal total
            if parsing.done() and parsing.exception() is not None:
                parsing.result()  # an answer that could not be read: stop reading more
            if count is not None and total is None:
                total = result.totals.get(COUNT_ID)
            landed.put_nowait((gained, total, done))

        try:
            _, first = await fetch_lists(
                self._client,
                TASKS,
                filters,
                select=select,
                riders=commands,
                first_pages=first_pages,
                pages_per_request=pages_per_request,
                on_pages=pages_read,
                expected=expected,
            )
            landed.put_nowait(None)
            await parsing
        finally:
            parsing.cancel()
        answers: dict[str, object] = {}
        for rider_id, query in queries.items():
            error = first.errors.get(rider_id) if first is not None else None
            if error is not None:
                answers[rider_id] = error
                continue
            try:
                answers[rider_id] = query.parse(first.results.get(rider_id) if first else None)
            except B24Error as failure:
                answers[rider_id] = failure
        return ListsRead(tuple(tuple(tasks) for tasks in read), answers)

    async def get(self, task_id: int, select: Sequence[str] | None = None) -> Task:
        """``tasks.task.get``: one task.

        Raises:
            NotFound: the task does not exist or the user cannot see it.
        """
        query = self.get_query(task_id, select)
        response = await self._client.call(query.method, query.params)
        return query.parse(response.result)

    def get_query(self, task_id: int, select: Sequence[str] | None = None) -> Query[Task]:
        """:meth:`get` as a read that can ride in a batch."""
        params: dict[str, Any] = {"taskId": task_id}
        if select is not None:
            params["select"] = list(select)
        return Query("tasks.task.get", params, lambda result: _task_from("tasks.task.get", result))

    async def access(self, task_id: int, users: Sequence[int] | None = None) -> TaskAccess:
        """``tasks.task.getaccess``: what each user (default: the caller) may do.

        ``TaskAccess.has_access`` is false when the caller has no access at all.
        """
        params: dict[str, Any] = {"taskId": task_id}
        if users is not None:
            params["users"] = list(users)
        response = await self._client.call("tasks.task.getaccess", params)
        return parse("tasks.task.getaccess", lambda: TaskAccess.from_api(response.result))

    async def history(
        self,
        task_id: int,
        *,
        filter: Mapping[str, Any] | None = None,
        order: Mapping[str, str] | None = None,
    ) -> tuple[HistoryEntry, ...]:
        """``tasks.task.history.list``: the task's change log (newest first by default)."""
        params: dict[str, Any] = {"taskId": task_id}
        if filter is not None:
            params["filter"] = dict(filter)
        if order is not None:
            params["order"] = dict(order)
        response = await self._client.call("tasks.task.history.list", params)
        return parse("tasks.task.history.list", lambda: HistoryEntry.many_from_api(response.result))

    async def counters(
        self,
        *,
        user_id: int | None = None,
        group_id: int | None = None,
        type: str | None = None,
    ) -> TaskCounters:
        """``tasks.task.counters.get``: overdue and unread counters (default: the caller)."""
        params: dict[str, Any] = {}
        if user_id is not None:
            params["userId"] = user_id
        if group_id is not None:
            params["groupId"] = group_id
        if type is not None:
            params["type"] = type
        response = await self._client.call("tasks.task.counters.get", params)
        return parse("tasks.task.counters.get", lambda: TaskCounters.from_api(response.result))

    # --- writing ---------------------------------------------------------------------

    async def add(self, changes: TaskChanges, *, intent: WriteIntent | None = None) -> Task:
        """Create a task from ``changes`` and return it as the portal now has it.

        ``title`` is required; the responsible person defaults to the caller, who is the
        creator. Only the fields set in ``changes`` are sent, with what each generation
        requires: REST 3.0 needs ``responsibleId`` and ``creatorId`` (the caller), the
        classic API ``RESPONSIBLE_ID``. REST 3.0 answers the new task's fields; it is read
        back in full (every field of :data:`FULL_FIELDS`), as the classic API answers it.

        ``intent`` is this creation, kept across its retries (a new one when not given):
        its key makes a REST 3.0 add safe to repeat. On the classic API a lost answer is
        settled by looking for the task made (see the module docstring).

        Raises:
            ValueError: ``changes`` has no title.
            ValidationError: the portal refused the values; ``fields`` holds its
                ``(field, message)`` pairs.
            OutcomeUnknown: the answer was lost and could not be settled.
        """
        if changes.title is UNSET or not changes.title:
            raise ValueError("a new task needs a title")
        intent = intent if intent is not None else WriteIntent()
        me = await self._me()
        if changes.responsible_id is UNSET:
            changes = dataclasses.replace(changes, responsible_id=me)
        v1 = {"fields": changes.to_v1_fields()}
        try:
            response = await self._client.call_either(
                "tasks.task.add",
                v3={"fields": {**changes.to_v3_fields(), "creatorId": me}},
                v1=v1,
                idempotency_key=intent.key,
            )
        except OutcomeUnknown as lost:
            if lost.api != "v1":
                raise
            return await self._settle("tasks.task.add", v1, lost, partial(self._made, changes, me))
        if response.api == "v3":
            item = response.result.get("item") if isinstance(response.result, Mapping) else None
            created = parse("tasks.task.add", lambda: Task.from_v3(item))
            return await self.get(created.id, select=FULL_FIELDS)
        return _task_from("tasks.task.add", response.result)

    async def update(
        self, task_id: int, changes: TaskChanges, *, intent: WriteIntent | None = None
    ) -> Task:
        """Change the fields set in ``changes``; return the task as the portal now has it.

        Only those fields are sent (``creatorId`` never is: it cannot be edited). REST 3.0
        answers only ``true``, so the task is read back in full after a v3 update (the
        classic API answers with the full task).

        ``intent`` is this edit, kept across its retries (a new one when not given): its
        key makes a REST 3.0 update safe to repeat. On the classic API a lost answer is
        settled by reading the task back (see the module docstring).

        Raises:
            ValueError: ``changes`` is empty.
            ValidationError: the portal refused the values; ``fields`` holds its
                ``(field, message)`` pairs.
            NotFound: the task is missing or the caller may not edit it (REST 3.0 says
                ``ACCESSDENIEDEXCEPTION`` for both; ``code`` keeps it).
            ActionNotAllowed: the classic API's refusal to edit.
            OutcomeUnknown: the answer was lost and could not be settled.
        """
        if not changes:
            raise ValueError("there is nothing to change")
        intent = intent if intent is not None else WriteIntent()
        v1 = {"taskId": task_id, "fields": changes.to_v1_fields()}
        try:
            response = await self._client.call_either(
                "tasks.task.update",
                v3={"id": task_id, "fields": changes.to_v3_fields()},
                v1=v1,
                idempotency_key=intent.key,
            )
        except OutcomeUnknown as lost:
            if lost.api != "v1":
                raise
            return await self._settle(
                "tasks.task.update", v1, lost, partial(self._updated, task_id, changes)
            )
        if response.api == "v3":
            _require_true("tasks.task.update", response.result, "The portal did not save the task")
            return await self.get(task_id, select=FULL_FIELDS)
        return _task_from("tasks.task.update", response.result)

    async def delete(self, task_id: int, *, intent: WriteIntent | None = None) -> None:
        """Delete the task (REST 3.0 where the portal has it; ``intent`` as for
        :meth:`update`, so that a repeated REST 3.0 delete is answered, not refused)."""
        intent = intent if intent is not None else WriteIntent()
        response = await self._client.call_either(
            "tasks.task.delete",
            v3={"id": task_id},
            v1={"taskId": task_id},
            idempotency_key=intent.key,
        )
        key = "result" if response.api == "v3" else "task"
        result = response.result
        done = result.get(key) if isinstance(result, Mapping) else result
        _require_true("tasks.task.delete", done, "The portal did not delete the task")

    # --- settling a classic write whose answer was lost ---------------------------------

    async def _settle(
        self,
        method: str,
        v1: Mapping[str, Any],
        lost: OutcomeUnknown,
        find: Callable[[OutcomeUnknown], Awaitable[Task | None]],
    ) -> Task:
        """A classic write whose answer was lost: the task ``find`` finds it made on the
        portal; otherwise the write sent once more (and looked for again if that answer is
        lost too)."""
        found = await find(lost)
        if found is not None:
            return found
        log.info("%s did not land; sending it once more", method)
        try:
            response = await self._client.call(method, v1)
        except OutcomeUnknown as again:
            found = await find(again)
            if found is None:
                raise
            return found
        return _task_from(method, response.result)

    async def _updated(
        self, task_id: int, changes: TaskChanges, lost: OutcomeUnknown
    ) -> Task | None:
        """The task read back if it holds every value of ``changes``, else ``None``.

        Raises:
            OutcomeUnknown: ``lost``, when the task cannot be read either.
            NotFound: the task is gone or out of reach.
        """
        try:
            task = await self.get(task_id, select=FULL_FIELDS)
        except NotFound:
            raise
        except B24Error as failure:
            log.info("reading task %d back failed (%s)", task_id, failure.title)
            raise lost from None
        unmet = changes.unmet_by(task)
        if unmet:
            log.info("task %d does not hold %s", task_id, ", ".join(unmet))
            return None
        log.info("tasks.task.update of %d had landed; its answer was lost", task_id)
        return task

    async def _made(self, changes: TaskChanges, me: int, lost: OutcomeUnknown) -> Task | None:
        """The newest task with the title of ``changes``, created by ``me`` within
        :data:`LOST_CREATE_WINDOW` of the portal's clock and holding every value sent;
        ``None`` when there is none.

        The title filter is a pattern on the portal, so a match is checked here again;
        the portal's clock is the read's own ``time`` block (the client's may differ).

        Raises:
            OutcomeUnknown: ``lost``, when the portal cannot be read either.
        """
        params = {
            "filter": {"TITLE": changes.title, "CREATED_BY": me},
            "select": list(FULL_FIELDS),
            "order": {"ID": "desc"},
            "start": -1,
        }
        try:
            response = await self._client.call("tasks.task.list", params)
        except B24Error as failure:
            log.info("looking for the task made failed (%s)", failure.title)
            raise lost from None
        rows = TASKS.rows(response.result)
        tasks = parse("tasks.task.list", lambda: [Task.from_v1(row) for row in rows])
        started = response.time.start if response.time is not None else None
        now = started if started is not None else time.time()
        since = now - LOST_CREATE_WINDOW.total_seconds()
        for task in tasks:
            made_at: datetime | None = task.created_date
            if made_at is None or made_at.timestamp() < since:
                continue
            if task.created_by == me and not changes.unmet_by(task):
                log.info("tasks.task.add had made task %d; its answer was lost", task.id)
                return task
        return None

    # --- status actions (taskId) -----------------------------------------------------

    async def start(self, task_id: int) -> Task:
        """``tasks.task.start``: in progress."""
        return await self._act("tasks.task.start", {"taskId": task_id})

    async def pause(self, task_id: int) -> Task:
        """``tasks.task.pause``: back to pending."""
        return await self._act("tasks.task.pause", {"taskId": task_id})

    async def complete(self, task_id: int) -> Task:
        """``tasks.task.complete``: completed, or awaiting control when the creator checks."""
        return await self._act("tasks.task.complete", {"taskId": task_id})

    async def defer(self, task_id: int) -> Task:
        """``tasks.task.defer``: deferred."""
        return await self._act("tasks.task.defer", {"taskId": task_id})

    async def renew(self, task_id: int) -> Task:
        """``tasks.task.renew``: reopen a completed or deferred task."""
        return await self._act("tasks.task.renew", {"taskId": task_id})

    async def approve(self, task_id: int) -> Task:
        """``tasks.task.approve``: accept a task awaiting control."""
        return await self._act("tasks.task.approve", {"taskId": task_id})

    async def disapprove(self, task_id: int) -> Task:
        """``tasks.task.disapprove``: send a task awaiting control back for rework."""
        return await self._act("tasks.task.disapprove", {"taskId": task_id})

    async def delegate(self, task_id: int, user_id: int) -> Task:
        """``tasks.task.delegate``: make ``user_id`` responsible."""
        return await self._act("tasks.task.delegate", {"taskId": task_id, "userId": user_id})

    # --- per-user actions --------------------------------------------------------------

    async def startwatch(self, task_id: int) -> Task:
        """``tasks.task.startwatch``: add the caller to the auditors."""
        return await self._act("tasks.task.startwatch", {"taskId": task_id})

    async def stopwatch(self, task_id: int) -> Task:
        """``tasks.task.stopwatch``: remove the caller from the auditors (not a timer)."""
        return await self._act("tasks.task.stopwatch", {"taskId": task_id})

    async def mute(self, task_id: int) -> Task:
        """``tasks.task.mute`` (parameter ``id``): stop notifications for the caller."""
        return await self._act("tasks.task.mute", {"id": task_id})

    async def unmute(self, task_id: int) -> Task:
        """``tasks.task.unmute`` (parameter ``id``): notifications again."""
        return await self._act("tasks.task.unmute", {"id": task_id})

    async def favorite_add(self, task_id: int) -> None:
        """``tasks.task.favorite.add``."""
        response = await self._client.call("tasks.task.favorite.add", {"taskId": task_id})
        _require_true("tasks.task.favorite.add", response.result, "The portal did not add it")

    async def favorite_remove(self, task_id: int) -> None:
        """``tasks.task.favorite.remove``."""
        response = await self._client.call("tasks.task.favorite.remove", {"taskId": task_id})
        _require_true("tasks.task.favorite.remove", response.result, "The portal did not remove it")

    # --- helpers ---------------------------------------------------------------------

    async def _act(self, method: str, params: Mapping[str, Any]) -> Task:
        response = await self._client.call(method, params)
        return _task_from(method, response.result)

    async def _me(self) -> int:
        """The caller's user id: the webhook's, or the profile's for an OAuth token."""
        if self._current_user_id is None:
            user_id = getattr(self._client.endpoint, "user_id", None)
            if not isinstance(user_id, int):
                user_id = (await SystemResource(self._client).profile()).id
            self._current_user_id = user_id
        return self._current_user_id


def _task_from(method: str, result: Any) -> Task:
    """The task in ``{"task": {...}}``; ``[]`` (not found or no access) raises NotFound."""
    task = result.get("task") if isinstance(result, Mapping) else result
    if _is_empty(task):
        raise NotFound(NOT_FOUND_TITLE, method=method, api="v1")
    if not isinstance(task, Mapping):
        raise BadResponse("The portal's task answer has an unexpected shape", method=method)
    return parse(method, lambda: Task.from_v1(task))


def _require_true(method: str, value: Any, title: str) -> None:
    """Methods that answer ``true``: anything else is a refusal."""
    if isinstance(value, Mapping):
        value = value.get("result", value)
    if value is not True and value not in (1, "1", "Y"):
        raise ApiError(title, method=method, description=repr(value)[:200])
