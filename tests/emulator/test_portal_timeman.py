"""The ``timeman.*`` handlers: the workday's life, its quirks and its errors."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.seed import ADMIN_USER_ID
from tests.pages import response_body

ME = DEMO_USER_ID
STATUS_KEYS = set(response_body("api-reference/timeman/base/timeman-open.md")["result"])


def call(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    scopes = DEFAULT_SCOPES | {"basic"}
    return found.handler(Call(portal, user, scopes, "v1", params or {}, portal.now()))


def error(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> RestError:
    with pytest.raises(RestError) as caught:
        call(portal, method, params, user=user)
    return caught.value


def seconds(text: str) -> int:
    hours, minutes, secs = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + secs


def test_the_demo_day_is_open_with_breaks_and_no_duration(portal: Portal) -> None:
    status = call(portal, "timeman.status")
    assert set(status) == STATUS_KEYS
    assert status["STATUS"] == "OPENED"
    assert status["TIME_FINISH"] is None
    assert status["DURATION"] == "00:00:00"
    assert seconds(status["TIME_LEAKS"]) > 0
    assert status["TZ_OFFSET"] == 7200
    assert status["TIME_START"].startswith(portal.today().isoformat())


def test_pause_open_close_account_for_breaks(portal: Portal, clock: FrozenClock) -> None:
    before = seconds(call(portal, "timeman.status")["TIME_LEAKS"])
    assert call(portal, "timeman.pause")["STATUS"] == "PAUSED"
    clock.advance(600)
    assert seconds(call(portal, "timeman.status")["TIME_LEAKS"]) == before + 600
    assert call(portal, "timeman.open")["STATUS"] == "OPENED"
    clock.advance(3600)
    closed = call(portal, "timeman.close")
    assert closed["STATUS"] == "CLOSED"
    assert closed["TIME_FINISH"] == portal.now().isoformat(timespec="seconds")
    day = portal.workdays[ME]
    worked = (portal.now() - day.time_start).total_seconds() - (before + 600)
    assert seconds(closed["DURATION"]) == int(worked)
    assert closed["IP_CLOSE"]


def test_pause_on_a_closed_day_resumes_it_counting_the_gap_as_work(
    portal: Portal, clock: FrozenClock
) -> None:
    leaks = seconds(call(portal, "timeman.status")["TIME_LEAKS"])
    call(portal, "timeman.close")
    clock.advance(900)
    resumed = call(portal, "timeman.pause")
    assert resumed["STATUS"] == "OPENED"
    assert resumed["TIME_FINISH"] is None
    assert seconds(resumed["TIME_LEAKS"]) == leaks


def test_open_on_a_closed_day_counts_the_gap_as_a_break(portal: Portal, clock: FrozenClock) -> None:
    leaks = seconds(call(portal, "timeman.status")["TIME_LEAKS"])
    call(portal, "timeman.close")
    clock.advance(900)
    reopened = call(portal, "timeman.open")
    assert reopened["STATUS"] == "OPENED"
    assert seconds(reopened["TIME_LEAKS"]) == leaks + 900


def test_a_day_left_open_overnight_expires(portal: Portal, clock: FrozenClock) -> None:
    tomorrow = datetime.combine(portal.today() + timedelta(days=1), time(8), tzinfo=portal.tz)
    clock.set(tomorrow)
    status = call(portal, "timeman.status")
    assert status["STATUS"] == "EXPIRED"
    assert status["TIME_FINISH_DEFAULT"].startswith(
        (portal.today() - timedelta(days=1)).isoformat()
    )
    refused = error(portal, "timeman.close")
    assert (refused.code, refused.description) == (
        "WRONG_DATETIME",
        "Day close date should correspond to the day open date",
    )
    closed = call(
        portal,
        "timeman.close",
        {"TIME": status["TIME_FINISH_DEFAULT"], "REPORT": "Forgot to close the workday"},
    )
    assert closed["STATUS"] == "CLOSED"
    assert closed["ACTIVE"] is False  # a change far from now awaits confirmation
    assert seconds(closed["DURATION"]) > 0


def test_open_with_time_needs_a_closed_day_today_and_a_report(
    portal: Portal, clock: FrozenClock
) -> None:
    call(portal, "timeman.pause")
    paused = error(portal, "timeman.open", {"TIME": portal.now().isoformat(), "REPORT": "x"})
    assert (paused.code, paused.description) == ("TIME", "Unable to set time, work day is paused")
    call(portal, "timeman.close")
    clock.advance(timedelta(days=1).total_seconds())
    yesterday = (portal.now() - timedelta(days=1)).isoformat()
    wrong = error(portal, "timeman.open", {"TIME": yesterday, "REPORT": "x"})
    assert (wrong.code, wrong.description) == (
        "WRONG_DATETIME",
        "Day open date should correspond to the current date",
    )
    early = portal.now().replace(hour=7, minute=55, second=0)
    assert error(portal, "timeman.open", {"TIME": early.isoformat()}).code
    opened = call(
        portal,
        "timeman.open",
        {"TIME": early.isoformat(), "REPORT": "I forgot to start the workday", "LAT": 53.5},
    )
    assert opened["STATUS"] == "OPENED"
    assert opened["TIME_START"] == early.isoformat(timespec="seconds")
    assert opened["LAT_OPEN"] == pytest.approx(53.5)


def test_time_with_its_own_offset_is_kept_in_that_timezone(portal: Portal) -> None:
    call(portal, "timeman.close")
    portal.workdays.clear()
    elsewhere = portal.now().astimezone(timezone(timedelta(hours=-5)))
    stamp = elsewhere.replace(microsecond=0).isoformat()
    opened = call(portal, "timeman.open", {"TIME": stamp, "REPORT": "x"})
    assert opened["TIME_START"] == stamp
    assert opened["TZ_OFFSET"] == -5 * 3600


def test_other_people_need_the_admin_right(portal: Portal) -> None:
    denied = error(portal, "timeman.status", {"USER_ID": 5})
    assert denied.code == "ACCESS_DENIED"
    expired = call(portal, "timeman.status", {"USER_ID": "5"}, user=ADMIN_USER_ID)
    assert expired["STATUS"] == "EXPIRED"
    nobody = error(portal, "timeman.status", {"USER_ID": 999}, user=ADMIN_USER_ID)
    assert (nobody.code, nobody.description) == ("", "User not found")


def test_settings_show_admin_only_for_oneself(portal: Portal) -> None:
    example = response_body("api-reference/timeman/base/timeman-settings.md")["result"]
    mine = call(portal, "timeman.settings")
    assert set(mine) == set(example)
    assert mine["ADMIN"] is False
    assert call(portal, "timeman.settings", user=ADMIN_USER_ID)["ADMIN"] is True
    other = call(portal, "timeman.settings", {"USER_ID": ME}, user=ADMIN_USER_ID)
    assert "ADMIN" not in other


def test_someone_without_any_day_is_closed_and_can_open(portal: Portal) -> None:
    assert 7 not in portal.workdays
    status = call(portal, "timeman.status", user=7)
    assert status["STATUS"] == "CLOSED"
    assert status["TIME_START"] is None
    opened = call(portal, "timeman.open", user=7)
    assert opened["STATUS"] == "OPENED"
    assert opened["TIME_START"] == portal.now().isoformat(timespec="seconds")
