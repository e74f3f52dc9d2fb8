"""Short, human renderings of moments and durations for narrow table cells."""

from __future__ import annotations

from datetime import datetime, timedelta


def deadline_label(deadline: datetime, now: datetime) -> str:
    """A deadline as a person reads it: ``today 18:00``, ``tomorrow 09:00``, ``Mon 12:00``.

    Shown in the deadline's own timezone (the portal's), so the label says what the web
    card says. Past days count back (``3 days ago``) so a weekday never means last week;
    dates more than a week ahead show the day and month (and year if not this one).
    """
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
