"""``client.timeman``: the caller's workday (``timeman.*``).

The app acts on the current user only, so ``USER_ID`` is never sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from b24tui.api.resources._base import Query, Resource, parse
from b24tui.models import Workday, WorkdaySettings

__all__ = ["TimemanResource"]


def _moment_params(time: datetime | None, report: str | None) -> dict[str, Any]:
    """``TIME`` in ATOM form (seconds, with offset) and ``REPORT``, when given."""
    params: dict[str, Any] = {}
    if time is not None:
        if time.tzinfo is None:
            raise ValueError("the workday time needs a timezone")
        params["TIME"] = time.replace(microsecond=0).isoformat()
    if report is not None:
        params["REPORT"] = report
    return params


class TimemanResource(Resource):
    """The workday of the webhook's (or token's) user."""

    async def status(self) -> Workday:
        """``timeman.status``: the current day's state."""
        return await self._workday("timeman.status", {})

    def status_query(self) -> Query[Workday]:
        """:meth:`status` as a read that can ride in a batch."""
        return Query("timeman.status", {}, Workday.from_api)

    async def open(self, time: datetime | None = None, report: str | None = None) -> Workday:
        """``timeman.open``: start a new day, or resume a paused one.

        ``time`` (today, only when the day is closed) sets the start explicitly; a
        ``report`` is then required on non-flexible schedules.
        """
        return await self._workday("timeman.open", _moment_params(time, report))

    async def pause(self) -> Workday:
        """``timeman.pause``: take a break (resume with :meth:`open`)."""
        return await self._workday("timeman.pause", {})

    async def close(self, time: datetime | None = None, report: str | None = None) -> Workday:
        """``timeman.close``: finish the day, now or at ``time`` (the day's start date).

        An expired day needs ``time`` (its ``time_finish_default``) and usually a report.
        """
        return await self._workday("timeman.close", _moment_params(time, report))

    async def settings(self) -> WorkdaySettings:
        """``timeman.settings``: the user's schedule rules."""
        response = await self._client.call("timeman.settings", {})
        return parse("timeman.settings", lambda: WorkdaySettings.from_api(response.result))

    def settings_query(self) -> Query[WorkdaySettings]:
        """:meth:`settings` as a read that can ride in a batch."""
        return Query("timeman.settings", {}, WorkdaySettings.from_api)

    async def _workday(self, method: str, params: dict[str, Any]) -> Workday:
        response = await self._client.call(method, params)
        return parse(method, lambda: Workday.from_api(response.result))
