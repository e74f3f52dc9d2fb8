"""Short, human renderings of moments and durations for narrow table cells, in the
person's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from b24tui.clock import Clock


def zone_named(name: str) -> tzinfo | None:
    """The zone a profile names (``Europe/Berlin``); ``None`` when empty or unknown here."""
    if not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def offset_label(offset: timedelta) -> str:
    """An offset from UTC as a person reads it: ``UTC``, ``UTC+3``, ``UTC-3:30``."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@dataclass(frozen=True)
class ShownZone:
    """The zone times are shown in, and the terminal's, to say so where they differ.

    The default shows each moment as the portal wrote it and never marks it.
    """

    zone: tzinfo | None = None
    """The person's zone (their profile's); ``None``: the portal's, as each moment came."""
    local: Clock | None = None
    """What tells the terminal's offset; ``None``: never mark a time."""

    @classmethod
    def of(cls, zone_name: str, clock: Clock) -> ShownZone:
        """Times in the zone ``zone_name`` names (the portal's when it names none known),
        marked where it is not the terminal's zone."""
        return cls(zone_named(zone_name), clock)

    def at(self, moment: datetime) -> datetime:
        """``moment`` on the clocks of the zone shown."""
        return moment.astimezone(self.zone) if self.zone is not None else moment

    def mark(self, moment: datetime) -> str:
        """The zone ``moment`` is shown in (``UTC+3``) when the terminal's differs then,
        else ``""``."""
        if self.local is None:
            return ""
        offset = self.at(moment).utcoffset() or timedelta()
        return "" if offset == self.local.local_offset(moment) else offset_label(offset)


def deadline_label(deadline: datetime, now: datetime, zone: ShownZone | None = None) -> str:
    """A deadline as a person reads it: ``today 18:00``, ``tomorrow 09:00``, ``Mon 12:00``.

    Shown in ``zone`` (by default the deadline's own, the portal's). Past days count back
    (``3 days ago``) so a weekday never means last week; dates more than a week ahead
    show the day and month (and year if not this one).
    """
    if zone is not None:
        deadline = zone.at(deadline)
    local_now = now.astimezone(deadline.tzinfo)
    days = (deadline.date() - local_now.date()).days
    clock = deadline.strftime("%H:%M")
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if days < -1:
        return f"{-days} days ago"
    if days <= 6:
        return f"{deadline.strftime('%a')} {clock}"
    if deadline.year == local_now.year:
        return f"{deadline.day} {deadline.strftime('%b')}"
    return f"{deadline.day} {deadline.strftime('%b %Y')}"


def ago(moment: datetime, now: datetime) -> str:
    """How long ago ``moment`` was: ``just now``, ``5s ago``, ``3m ago``, ``2h ago``, ``4d ago``."""
    seconds = int((now - moment).total_seconds())
    if seconds < 2:
        return "just now"
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def duration(span: timedelta) -> str:
    """A duration as ``H:MM:SS`` (hours may exceed 24)."""
    total = max(0, int(span.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"
