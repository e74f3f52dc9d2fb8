"""``client.checklist``: a task's checklist items (``task.checklistitem.*``).

These legacy methods map their arguments by position, not by name, so every call sends
a root JSON array in the order each doc page gives: ``[TASKID, ITEMID, FIELDS]`` and so on
(REFERENCE §1.2). ``complete`` and ``renew`` answer ``false`` rather than an error when the
item is missing: that is raised as :class:`~b24tui.api.errors.NotFound`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from b24tui.api.batch import Batch
from b24tui.api.errors import ApiError, BadResponse, NotFound
from b24tui.api.resources._base import Query, Resource, parse
from b24tui.models import ChecklistItem, MemberRole
from b24tui.models.checklist import ChecklistRights

__all__ = ["ChecklistResource"]

NOT_FOUND_TITLE = "Checklist item not found or you have no access"

DEFAULT_ORDER: Mapping[str, str] = {"PARENT_ID": "asc", "SORT_INDEX": "asc"}
"""Parents first, then siblings by their sort index: the order the tree is built in."""

ACTION_IDS: Mapping[str, int] = {"modify": 2, "remove": 3, "toggle": 4}
"""``isactionallowed``'s ``ACTIONID`` of each item right (1 add and 5 reorder are the
task's ``checklist.add``/``checklist.reorder``)."""


def _fields(
    *,
    title: str | None,
    parent_id: int | None,
    sort_index: int | None,
    is_complete: bool | None,
    is_important: bool | None,
    members: Mapping[int, MemberRole | str] | None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if title is not None:
        fields["TITLE"] = title
    if parent_id is not None:
        fields["PARENT_ID"] = parent_id
    if sort_index is not None:
        fields["SORT_INDEX"] = sort_index
    if is_complete is not None:
        fields["IS_COMPLETE"] = "Y" if is_complete else "N"
    if is_important is not None:
        fields["IS_IMPORTANT"] = "Y" if is_important else "N"
    if members is not None:
        fields["MEMBERS"] = {
            str(user_id): {"TYPE": str(getattr(role, "value", role))}
            for user_id, role in members.items()
        }
    return fields


class ChecklistResource(Resource):
    """Checklist items of tasks, returning :class:`~b24tui.models.ChecklistItem`."""

    async def items(
        self, task_id: int, order: Mapping[str, str] = DEFAULT_ORDER
    ) -> tuple[ChecklistItem, ...]:
        """``task.checklistitem.getlist``: every item of the task (all checklists)."""
        query = self.items_query(task_id, order)
        response = await self._client.call(query.method, query.params)
        return query.parse(response.result)

    def items_query(
        self, task_id: int, order: Mapping[str, str] = DEFAULT_ORDER
    ) -> Query[tuple[ChecklistItem, ...]]:
        """:meth:`items` as a read that can ride in a batch (positional parameters)."""
        return Query(
            "task.checklistitem.getlist",
            [task_id, dict(order)],
            lambda result: ChecklistItem.many_from_api(result, task_id=task_id),
        )

    async def get(self, task_id: int, item_id: int) -> ChecklistItem:
        """``task.checklistitem.get``: one item."""
        response = await self._client.call("task.checklistitem.get", [task_id, item_id])
        result = response.result
        if isinstance(result, list) and len(result) == 1:
            result = result[0]
        if not result:
            raise NotFound(NOT_FOUND_TITLE, method="task.checklistitem.get", api="v1")
        return parse(
            "task.checklistitem.get", lambda: ChecklistItem.from_api(result, task_id=task_id)
        )

    async def add(
        self,
        task_id: int,
        title: str,
        *,
        parent_id: int | None = None,
        sort_index: int | None = None,
        is_complete: bool | None = None,
        is_important: bool | None = None,
        members: Mapping[int, MemberRole | str] | None = None,
    ) -> int:
        """``task.checklistitem.add``: a new item; return its id.

        ``parent_id=0`` makes a new checklist; omitted, the item joins the task's
        first checklist (the portal creates one if there is none).
        """
        fields = _fields(
            title=title,
            parent_id=parent_id,
            sort_index=sort_index,
            is_complete=is_complete,
            is_important=is_important,
            members=members,
        )
        response = await self._client.call("task.checklistitem.add", [task_id, fields])
        try:
            return int(response.result)
        except (TypeError, ValueError):
            raise BadResponse(
                "The portal did not say which item it created",
                method="task.checklistitem.add",
            ) from None

    async def update(
        self,
        task_id: int,
        item_id: int,
        *,
        title: str | None = None,
        parent_id: int | None = None,
        sort_index: int | None = None,
        is_complete: bool | None = None,
        is_important: bool | None = None,
        members: Mapping[int, MemberRole | str] | None = None,
    ) -> None:
        """``task.checklistitem.update``: change the given fields.

        ``members`` replaces the item's members as a whole.

        Raises:
            ValueError: no field was given.
        """
        fields = _fields(
            title=title,
            parent_id=parent_id,
            sort_index=sort_index,
            is_complete=is_complete,
            is_important=is_important,
            members=members,
        )
        if not fields:
            raise ValueError("there is nothing to change")
        await self._client.call("task.checklistitem.update", [task_id, item_id, fields])

    async def delete(self, task_id: int, item_id: int) -> None:
        """``task.checklistitem.delete``: remove the item (its sub-items go too)."""
        await self._require_true("task.checklistitem.delete", [task_id, item_id])

    async def complete(self, task_id: int, item_id: int) -> None:
        """``task.checklistitem.complete``: mark done.

        Raises:
            NotFound: the portal answered ``false`` (no such item).
        """
        await self._require_true("task.checklistitem.complete", [task_id, item_id])

    async def renew(self, task_id: int, item_id: int) -> None:
        """``task.checklistitem.renew``: mark not done.

        Raises:
            NotFound: the portal answered ``false`` (no such item).
        """
        await self._require_true("task.checklistitem.renew", [task_id, item_id])

    async def move_after(self, task_id: int, item_id: int, after_item_id: int) -> None:
        """``task.checklistitem.moveafteritem``: put the item right after another one.

        The moved item takes the other item's parent.
        """
        await self._client.call(
            "task.checklistitem.moveafteritem", [task_id, item_id, after_item_id]
        )

    async def rights(self, task_id: int, item_id: int) -> ChecklistRights:
        """``task.checklistitem.isactionallowed`` for modify, remove and toggle on one item,
        in one batch request: what I may do to the task's items.

        A right the portal did not confirm (``false``, an error) counts as not allowed.
        """
        batch = Batch()
        for name, action_id in ACTION_IDS.items():
            batch.add("task.checklistitem.isactionallowed", [task_id, item_id, action_id], id=name)
        answers = await self._client.batch(batch)
        return ChecklistRights(
            **{name: answers.ok(name) and answers[name] is True for name in ACTION_IDS}
        )

    async def _require_true(self, method: str, params: list[int]) -> None:
        response = await self._client.call(method, params)
        if response.result is False:
            raise NotFound(NOT_FOUND_TITLE, method=method, api="v1")
        if response.result is not True:
            raise ApiError(
                "The portal did not confirm the change",
                method=method,
                description=repr(response.result)[:200],
            )
