"""The workday: the ``timeman.*`` status object and the user's ``timeman.settings``."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from b24tui.models._coerce import (
    ModelError,
    brief,
    first_key,
    require_mapping,
    to_bool,
    to_datetime,
    to_duration,
    to_int,
    to_str,
)

__all__ = ["Workday", "WorkdaySeen", "WorkdaySettings", "WorkdayStatus", "hms"]


def hms(span: timedelta) -> str:
    """A duration as ``HH:MM:SS`` (hours past 24 stay hours; never negative)."""
    seconds = max(int(span.total_seconds()), 0)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class WorkdayStatus(enum.StrEnum):
    """Where the day stands.

    ``EXPIRED`` is a day opened before the current calendar day and never closed.
    """

    OPENED = "OPENED"
    PAUSED = "PAUSED"
    CLOSED = "CLOSED"
    EXPIRED = "EXPIRED"

    @property
    def label(self) -> str:
        """A word for people: "open", "paused", "closed", "expired"."""
        return {"OPENED": "open", "PAUSED": "paused", "CLOSED": "closed", "EXPIRED": "expired"}[
            self.value
        ]

    @classmethod
    def from_api(cls, value: object) -> WorkdayStatus:
        """From the ``STATUS`` text (any case).

        Raises:
            ModelError: The value is not a known status.
        """
        text = to_str(value, "STATUS").strip().upper()
        try:
            return cls(text)
        except ValueError:
            raise ModelError("STATUS", f"unknown workday status {brief(value)}") from None


@dataclass(frozen=True, slots=True)
class Workday:
    """The status object answered by ``timeman.status``, ``open``, ``pause`` and ``close``.

    Attributes:
        time_start: When the day started, in the start-of-day timezone; None for a user who
            has never opened a day.
        time_finish: When it ended; None while it is not finished.
        duration: The worked time, filled only once the day is closed (``00:00:00`` before).
        time_leaks: The total of breaks.
        active: False while a change waits for a supervisor's confirmation.
        tz_offset: The offset of the start-of-day timezone, in seconds.
        time_finish_default: The suggested end time; only for an expired day.
    """

    status: WorkdayStatus
    time_start: datetime | None = None
    time_finish: datetime | None = None
    duration: timedelta = timedelta(0)
    time_leaks: timedelta = timedelta(0)
    active: bool = True
    tz_offset: int = 0
    time_finish_default: datetime | None = None
    ip_open: str = ""
    ip_close: str = ""

    @property
    def is_running(self) -> bool:
        """Whether the clock is ticking (the day is open)."""
        return self.status is WorkdayStatus.OPENED

    @property
    def zone(self) -> timezone:
        """The zone the day started in (``TZ_OFFSET``): its times are shown in it."""
        return timezone(timedelta(seconds=self.tz_offset))

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the zone the day started in."""
        return moment.astimezone(self.zone)

    def started_on(self) -> date | None:
        """The date the day started, in its own zone."""
        return self.local(self.time_start).date() if self.time_start is not None else None

    def worked(self, now: datetime) -> timedelta | None:
        """How long the user has worked today, never negative.

        While ``OPENED``: `now` minus ``TIME_START`` minus ``TIME_LEAKS``. ``CLOSED``: ``DURATION``.
        ``PAUSED``: None, because the portal gives no pause start (show the last figure seen).
        ``EXPIRED``: ``DURATION`` if the portal filled it, otherwise None (the day was never
        closed, so "now" means nothing for it).
        """
        if self.status is WorkdayStatus.OPENED:
            if self.time_start is None:
                return None
            return max(now - self.time_start - self.time_leaks, timedelta(0))
        if self.status is WorkdayStatus.CLOSED:
            return max(self.duration, timedelta(0))
        if self.status is WorkdayStatus.EXPIRED and self.duration > timedelta(0):
            return self.duration
        return None

    @classmethod
    def from_api(cls, data: object) -> Workday:
        """From a timeman status object (or a ``{"result": {...}}`` wrapper).

        Raises:
            ModelError: ``STATUS`` is missing or unknown, or a field is malformed.
        """
        raw: Mapping[str, Any] = require_mapping(data, "result")
        if "STATUS" not in raw and isinstance(raw.get("result"), Mapping):
            raw = raw["result"]
        if raw.get("STATUS") in (None, ""):
            raise ModelError("STATUS", "is missing")
        return cls(
            status=WorkdayStatus.from_api(raw["STATUS"]),
            time_start=to_datetime(raw.get("TIME_START"), "TIME_START"),
            time_finish=to_datetime(raw.get("TIME_FINISH"), "TIME_FINISH"),
            duration=to_duration(raw.get("DURATION"), "DURATION") or timedelta(0),
            time_leaks=to_duration(raw.get("TIME_LEAKS"), "TIME_LEAKS") or timedelta(0),
            active=to_bool(raw.get("ACTIVE"), "ACTIVE", default=True),
            tz_offset=to_int(raw.get("TZ_OFFSET"), "TZ_OFFSET") or 0,
            time_finish_default=to_datetime(raw.get("TIME_FINISH_DEFAULT"), "TIME_FINISH_DEFAULT"),
            ip_open=to_str(raw.get("IP_OPEN"), "IP_OPEN"),
            ip_close=to_str(raw.get("IP_CLOSE"), "IP_CLOSE"),
        )

    def to_api(self) -> dict[str, Any]:
        """This day as a status object, which :meth:`from_api` reads back equal (the
        durations in seconds): the form a snapshot cache keeps."""

        def moment(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "STATUS": self.status.value,
            "TIME_START": moment(self.time_start),
            "TIME_FINISH": moment(self.time_finish),
            "DURATION": self.duration.total_seconds(),
            "TIME_LEAKS": self.time_leaks.total_seconds(),
            "ACTIVE": self.active,
            "TZ_OFFSET": self.tz_offset,
            "TIME_FINISH_DEFAULT": moment(self.time_finish_default),
            "IP_OPEN": self.ip_open,
            "IP_CLOSE": self.ip_close,
        }


@dataclass(frozen=True, slots=True)
class WorkdaySeen:
    """The workday as last read, and what it had worked when its pause was seen.

    The portal gives no pause start, so a paused day's worked time is the figure of the
    moment the pause was seen: our own pause's answer, or the last read that found the day
    open (a day first seen paused has no figure, rather than an invented one).

    Attributes:
        day: The status object as last read.
        seen_at: When it was read.
        worked_at_pause: The worked time as of the moment the pause was seen (only while
            ``PAUSED``).
    """

    day: Workday
    seen_at: datetime
    worked_at_pause: timedelta | None = None

    def worked(self, now: datetime) -> timedelta | None:
        """The worked time to show at ``now``: ticking while open, still while paused."""
        if self.day.status is WorkdayStatus.PAUSED:
            return self.worked_at_pause
        return self.day.worked(now)

    def then(self, day: Workday, now: datetime, *, paused_here: bool = False) -> WorkdaySeen:
        """What is known after ``day`` was read at ``now`` (``paused_here``: it is the
        answer to our own pause, so the pause began about ``now``)."""
        return WorkdaySeen(day, now, _worked_at_pause(self, day, now, paused_here=paused_here))

    @classmethod
    def first(cls, day: Workday, now: datetime) -> WorkdaySeen:
        """The first reading: a paused day has no figure yet."""
        return cls(day, now)


def _worked_at_pause(
    before: WorkdaySeen, day: Workday, now: datetime, *, paused_here: bool
) -> timedelta | None:
    if day.status is not WorkdayStatus.PAUSED or day.time_start != before.day.time_start:
        return None
    if before.day.status is WorkdayStatus.OPENED:
        return before.day.worked(now if paused_here else before.seen_at)
    if before.day.status is WorkdayStatus.PAUSED:
        return before.worked_at_pause
    return None


def _clock_time(value: object, field: str) -> time | None:
    """A time of day from ``HH:MM:SS``; None for empty values."""
    span = to_duration(value, field)
    if span is None:
        return None
    seconds = int(span.total_seconds())
    if not 0 <= seconds < 24 * 3600:
        raise ModelError(field, f"expected a time of day, got {brief(value)}")
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


@dataclass(frozen=True, slots=True)
class WorkdaySettings:
    """``timeman.settings``: the user's schedule rules.

    Attributes:
        enabled: Whether time tracking is on for the user (``UF_TIMEMAN``).
        flexible: A flexible schedule needs no reasons or approval (``UF_TM_FREE``).
        max_start: The latest start of the day.
        min_finish: The earliest finish.
        min_duration: The shortest day.
        allowed_delta: Edits smaller than this need no approval.
        admin: Whether the user may manage other people's days.
    """

    enabled: bool = False
    flexible: bool = False
    max_start: time | None = None
    min_finish: time | None = None
    min_duration: timedelta | None = None
    allowed_delta: timedelta | None = None
    admin: bool = False

    @classmethod
    def from_api(cls, data: object) -> WorkdaySettings:
        """From the method's ``result`` (or a ``{"result": {...}}`` wrapper).

        Raises:
            ModelError: A field is malformed.
        """
        raw: Mapping[str, Any] = require_mapping(data, "result")
        if "UF_TIMEMAN" not in raw and isinstance(raw.get("result"), Mapping):
            raw = raw["result"]
        return cls(
            enabled=to_bool(first_key(raw, "UF_TIMEMAN"), "UF_TIMEMAN"),
            flexible=to_bool(first_key(raw, "UF_TM_FREE"), "UF_TM_FREE"),
            max_start=_clock_time(raw.get("UF_TM_MAX_START"), "UF_TM_MAX_START"),
            min_finish=_clock_time(raw.get("UF_TM_MIN_FINISH"), "UF_TM_MIN_FINISH"),
            min_duration=to_duration(raw.get("UF_TM_MIN_DURATION"), "UF_TM_MIN_DURATION"),
            allowed_delta=to_duration(raw.get("UF_TM_ALLOWED_DELTA"), "UF_TM_ALLOWED_DELTA"),
            admin=to_bool(raw.get("ADMIN"), "ADMIN"),
        )

    def late_start(self, day: Workday) -> bool:
        """Whether ``day`` started after the latest start (in the day's own zone)."""
        if self.max_start is None or day.time_start is None:
            return False
        return day.local(day.time_start).time() > self.max_start

    def short_by(self, worked: timedelta | None) -> timedelta | None:
        """How much ``worked`` falls short of the minimum day; None when it does not."""
        if self.min_duration is None or worked is None or worked >= self.min_duration:
            return None
        return self.min_duration - worked
