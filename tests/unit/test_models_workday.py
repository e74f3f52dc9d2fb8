"""The workday status object, worked time, and the user's schedule settings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from b24tui.models import ModelError, Workday, WorkdaySettings, WorkdayStatus
from tests.pages import response_body

PLUS_TWO = timezone(timedelta(hours=2))
DAY_START = datetime(2025, 3, 27, 8, 0, 1, tzinfo=PLUS_TWO)


def opened(leaks: str = "00:00:00") -> Workday:
    """An open day that started at 08:00:01+02:00, as timeman.open answers."""
    return Workday.from_api(
        {
            "STATUS": "OPENED",
            "TIME_START": "2025-03-27T08:00:01+02:00",
            "TIME_FINISH": None,
            "DURATION": "00:00:00",
            "TIME_LEAKS": leaks,
            "ACTIVE": True,
            "TZ_OFFSET": 7200,
        }
    )


# --------------------------------------------------------------------------- doc examples


def test_status_example_is_an_expired_day_with_a_suggested_finish() -> None:
    body = response_body("api-reference/timeman/base/timeman-status.md")
    day = Workday.from_api(body["result"])
    assert day.status is WorkdayStatus.EXPIRED
    assert day.status.label == "expired"
    assert day.time_start == DAY_START
    assert day.time_finish is None
    assert day.time_leaks == timedelta(minutes=17, seconds=53)
    assert day.active is False
    assert day.tz_offset == 7200
    assert day.time_finish_default == datetime(2025, 3, 27, 17, 0, tzinfo=PLUS_TWO)
    # never closed: no figure to show, whatever the clock says
    assert day.worked(datetime(2025, 3, 28, 9, 0, tzinfo=UTC)) is None


def test_close_example_shows_the_duration_the_portal_computed() -> None:
    body = response_body("api-reference/timeman/base/timeman-close.md")
    day = Workday.from_api(body["result"])
    assert day.status is WorkdayStatus.CLOSED
    assert day.time_finish == datetime(2025, 3, 27, 19, 0, 1, tzinfo=PLUS_TWO)
    assert day.ip_close == "83.219.151.30"
    expected = timedelta(hours=9, minutes=37, seconds=4)
    assert day.worked(datetime(2025, 3, 27, 20, 0, tzinfo=PLUS_TWO)) == expected
    assert day.worked(datetime(2030, 1, 1, tzinfo=UTC)) == expected


def test_pause_seed_gives_no_invented_figure() -> None:
    day = Workday.from_api(response_body("seed:002")["result"])
    assert day.status is WorkdayStatus.PAUSED
    assert day.status.label == "paused"
    assert day.time_start == DAY_START
    assert day.worked(DAY_START + timedelta(hours=3)) is None


def test_open_example_ticks_from_the_start() -> None:
    day = Workday.from_api(response_body("api-reference/timeman/base/timeman-open.md")["result"])
    assert day.is_running
    assert day.worked(DAY_START + timedelta(hours=1, minutes=30)) == timedelta(hours=1, minutes=30)


def test_settings_example_reads_the_schedule() -> None:
    body = response_body("api-reference/timeman/base/timeman-settings.md")
    settings = WorkdaySettings.from_api(body["result"])
    assert settings.enabled is True
    assert settings.flexible is False
    assert settings.max_start == time(9, 15)
    assert settings.min_finish == time(17, 45)
    assert settings.min_duration == timedelta(hours=8)
    assert settings.allowed_delta == timedelta(minutes=15)
    assert settings.admin is True


# --------------------------------------------------------------------------- worked time


def test_open_day_subtracts_breaks() -> None:
    day = opened(leaks="00:30:00")
    now = DAY_START + timedelta(hours=4)
    assert day.worked(now) == timedelta(hours=3, minutes=30)


def test_worked_time_follows_the_given_clock_across_offsets() -> None:
    day = opened()
    now_in_utc = datetime(2025, 3, 27, 8, 0, 1, tzinfo=UTC)  # 10:00:01+02:00
    assert day.worked(now_in_utc) == timedelta(hours=2)


def test_worked_time_is_never_negative() -> None:
    assert opened().worked(DAY_START - timedelta(minutes=5)) == timedelta(0)
    assert opened(leaks="05:00:00").worked(DAY_START + timedelta(hours=1)) == timedelta(0)


def test_paused_day_has_no_worked_figure() -> None:
    paused = Workday(status=WorkdayStatus.PAUSED, time_start=DAY_START)
    assert paused.worked(DAY_START + timedelta(hours=2)) is None


def test_closed_day_uses_duration_not_the_clock() -> None:
    closed = Workday(
        status=WorkdayStatus.CLOSED,
        time_start=DAY_START,
        duration=timedelta(hours=7),
        time_leaks=timedelta(hours=1),
    )
    assert closed.worked(DAY_START + timedelta(hours=20)) == timedelta(hours=7)


# --------------------------------------------------------------------------- parsing edges


def test_wrapped_result_and_lowercase_status_are_accepted() -> None:
    day = Workday.from_api({"result": {"STATUS": "closed", "DURATION": "01:00:00"}})
    assert day.status is WorkdayStatus.CLOSED
    assert day.time_start is None


@pytest.mark.parametrize("status", [None, "", "LUNCH"])
def test_missing_or_unknown_status_names_the_field(status: object) -> None:
    with pytest.raises(ModelError, match=r"^STATUS:"):
        Workday.from_api({"STATUS": status, "TIME_START": "2025-03-27T08:00:01+02:00"})


def test_malformed_duration_names_the_field() -> None:
    with pytest.raises(ModelError, match="TIME_LEAKS"):
        Workday.from_api({"STATUS": "OPENED", "TIME_LEAKS": "a while"})


def test_settings_tolerate_missing_fields_and_string_flags() -> None:
    settings = WorkdaySettings.from_api({"UF_TIMEMAN": "Y", "UF_TM_FREE": "Y"})
    assert settings.enabled
    assert settings.flexible
    assert settings.max_start is None
    assert settings.admin is False


def test_settings_refuse_an_impossible_time_of_day() -> None:
    with pytest.raises(ModelError, match="UF_TM_MAX_START"):
        WorkdaySettings.from_api({"UF_TIMEMAN": True, "UF_TM_MAX_START": "25:00:00"})
