"""Deadlines and durations read the way a person says them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from b24tui.humanize import ago, deadline_label, duration

PORTAL = timezone(timedelta(hours=2))
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=PORTAL)  # a Monday


@pytest.mark.parametrize(
    ("deadline", "label"),
    [
        (datetime(2026, 3, 16, 18, 0, tzinfo=PORTAL), "today 18:00"),
        (datetime(2026, 3, 17, 9, 0, tzinfo=PORTAL), "tomorrow 09:00"),
        (datetime(2026, 3, 15, 12, 0, tzinfo=PORTAL), "yesterday 12:00"),
        (datetime(2026, 3, 20, 12, 0, tzinfo=PORTAL), "Fri 12:00"),
        (datetime(2026, 3, 13, 12, 0, tzinfo=PORTAL), "3 days ago"),
        (datetime(2026, 4, 2, 12, 0, tzinfo=PORTAL), "2 Apr"),
        (datetime(2027, 1, 5, 12, 0, tzinfo=PORTAL), "5 Jan 2027"),
    ],
)
def test_deadline_label(deadline: datetime, label: str) -> None:
    assert deadline_label(deadline, NOW) == label


def test_deadline_label_uses_the_deadlines_timezone_for_the_day() -> None:
    # 23:30 UTC on the 15th is already the 16th at the portal.
    now_utc = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)
    assert deadline_label(datetime(2026, 3, 16, 18, 0, tzinfo=PORTAL), now_utc) == "today 18:00"


def test_ago_and_duration() -> None:
    assert ago(NOW - timedelta(seconds=1), NOW) == "just now"
    assert ago(NOW - timedelta(seconds=42), NOW) == "42s ago"
    assert ago(NOW - timedelta(minutes=5), NOW) == "5m ago"
    assert ago(NOW - timedelta(hours=3), NOW) == "3h ago"
    assert duration(timedelta(hours=26, minutes=3, seconds=9)) == "26:03:09"
    assert duration(timedelta(seconds=-5)) == "0:00:00"
