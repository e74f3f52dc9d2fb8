"""The worked time shown for a day: ticking while open, and while paused the figure of the
moment the pause was seen, never an invented one."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

from b24tui.models import Workday, WorkdaySettings, WorkdayStatus
from b24tui.models.workday import WorkdaySeen, hms

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 3, 16, 8, 0, tzinfo=ZONE)
NINE = datetime(2026, 3, 16, 9, 0, tzinfo=ZONE)


def day(status: WorkdayStatus, leaks: int = 0, start: datetime = START) -> Workday:
    return Workday(status, time_start=start, time_leaks=timedelta(minutes=leaks), tz_offset=7200)


def test_hms_counts_hours_past_a_day_and_never_goes_negative() -> None:
    assert hms(timedelta(hours=25, minutes=3, seconds=4)) == "25:03:04"
    assert hms(timedelta(seconds=-5)) == "00:00:00"


def test_an_open_day_ticks() -> None:
    seen = WorkdaySeen.first(day(WorkdayStatus.OPENED, leaks=10), NINE)
    assert seen.worked(NINE) == timedelta(minutes=50)
    assert seen.worked(NINE + timedelta(seconds=7)) == timedelta(minutes=50, seconds=7)


def test_a_day_first_seen_paused_has_no_figure() -> None:
    seen = WorkdaySeen.first(day(WorkdayStatus.PAUSED), NINE)
    assert seen.worked(NINE + timedelta(hours=1)) is None


def test_our_own_pause_keeps_the_figure_of_its_answer() -> None:
    opened = WorkdaySeen.first(day(WorkdayStatus.OPENED, leaks=10), NINE)
    paused = opened.then(
        day(WorkdayStatus.PAUSED, leaks=10), NINE + timedelta(minutes=5), paused_here=True
    )
    assert paused.worked(NINE + timedelta(hours=2)) == timedelta(minutes=55)


def test_a_pause_seen_by_a_read_keeps_the_last_open_read_s_figure_then_stays() -> None:
    opened = WorkdaySeen.first(day(WorkdayStatus.OPENED), NINE)
    paused = opened.then(day(WorkdayStatus.PAUSED, leaks=30), NINE + timedelta(minutes=45))
    assert paused.worked(NINE + timedelta(hours=3)) == timedelta(hours=1)
    again = paused.then(day(WorkdayStatus.PAUSED, leaks=40), NINE + timedelta(minutes=55))
    assert again.worked(NINE + timedelta(hours=3)) == timedelta(hours=1)


def test_a_pause_of_another_day_is_not_given_this_one_s_figure() -> None:
    opened = WorkdaySeen.first(day(WorkdayStatus.OPENED), NINE)
    tomorrow = START + timedelta(days=1)
    other = opened.then(day(WorkdayStatus.PAUSED, start=tomorrow), tomorrow + timedelta(hours=2))
    assert other.worked(tomorrow + timedelta(hours=3)) is None


def test_late_start_and_short_day_in_the_day_s_own_zone() -> None:
    settings = WorkdaySettings(max_start=time(7, 45), min_duration=timedelta(hours=8))
    assert settings.late_start(day(WorkdayStatus.OPENED))
    utc_start = Workday(
        WorkdayStatus.OPENED,
        time_start=datetime(2026, 3, 16, 5, 30, tzinfo=UTC),
        tz_offset=7200,
    )
    assert not settings.late_start(utc_start)  # 07:30 where the day started
    assert settings.short_by(timedelta(hours=7)) == timedelta(hours=1)
    assert settings.short_by(timedelta(hours=8)) is None
    assert settings.short_by(None) is None
