"""``client.users``: the current user and users by id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from b24tui.api.batch import Batch
from b24tui.api.errors import NotFound
from b24tui.api.paging import PAGE_SIZE, USERS
from b24tui.api.resources._base import Resource, parse
from b24tui.models import User

__all__ = ["UsersResource"]


class UsersResource(Resource):
    """Users (``user.current``, ``user.get``), returning :class:`~b24tui.models.User`."""

    async def current(self) -> User:
        """``user.current``: the webhook's (or token's) user."""
        response = await self._client.call("user.current", {})
        return parse("user.current", lambda: User.from_api(response.result))

    async def get(self, user_id: int) -> User:
        """One user by id.

        Raises:
            NotFound: no such user (or not visible: bots, e-mail users…).
        """
        found = await self.get_many([user_id])
        if not found:
            raise NotFound("User not found", method="user.get", api="v1")
        return found[0]

    async def get_many(
        self, user_ids: Iterable[int], select: Sequence[str] | None = None
    ) -> tuple[User, ...]:
        """``user.get`` with an ``@ID`` (in) filter: the users found, in id order.

        Ids the portal does not know are left out. More than 50 ids are asked in one
        batch of 50-id pages.
        """
        wanted = sorted(set(user_ids))
        if not wanted:
            return ()
        chunks = [wanted[i : i + PAGE_SIZE] for i in range(0, len(wanted), PAGE_SIZE)]
        rows: list[Any] = []
        if len(chunks) == 1:
            response = await self._client.call("user.get", self._params(chunks[0], select))
            rows.extend(USERS.rows(response.result))
        else:
            for start in range(0, len(chunks), 50):
                batch = Batch()
                for chunk in chunks[start : start + 50]:
                    batch.add("user.get", self._params(chunk, select))
                result = await self._client.batch(batch)
                for command in batch.commands:
                    rows.extend(USERS.rows(result[command.id]))
        users = parse("user.get", lambda: User.many_from_api(rows))
        return tuple(sorted({u.id: u for u in users}.values(), key=lambda u: u.id))

    @staticmethod
    def _params(ids: Sequence[int], select: Sequence[str] | None) -> dict[str, Any]:
        params: dict[str, Any] = {**USERS.order_params, "filter": {"@ID": list(ids)}}
        if select is not None:
            params["select"] = list(select)
        params["start"] = -1
        return params
