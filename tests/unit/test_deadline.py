"""What a person types in the Deadline field, the moment it means, and what is shown beside it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b24tui.deadline import (
    NOT_A_DATE,
    Deadline,
    DeadlineParse,
    DeadlineProblem,
    NoDeadline,
    describe,
    format_for_field,
    parse_deadline,
)
from tests.conftest import FIXED_NOW

PORTAL = timezone(timedelta(hours=2))
"""The zone FIXED_NOW is given in: Monday 2026-03-16 09:30 there."""
BERLIN = ZoneInfo("Europe/Berlin")
"""Summer time from Sunday 2026-03-29 02:00 (to 03:00) until Sunday 2026-10-25 03:00 (to 02:00)."""


def at(day: str, clock: str = "18:00", zone: tzinfo = PORTAL) -> datetime:
    """``day`` at ``clock`` in ``zone`` (an ambiguous time: its first occurrence)."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=zone)


def moment_of(text: str, *, now: datetime = FIXED_NOW, zone: tzinfo = PORTAL) -> datetime:
    """The moment ``text`` means; fails the test where it means no moment."""
    parsed = parse_deadline(text, now=now, zone=zone)
    assert isinstance(parsed, Deadline), f"{text!r} gave {parsed!r}"
    return parsed.moment


def same_instant(left: datetime, right: datetime) -> bool:
    """Whether two aware moments are the same instant (``==`` within one zone compares the
    wall clock, which the hour a clock goes back has twice)."""
    return left.astimezone(UTC) == right.astimezone(UTC)


# -- what each form means -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        # Absolute: a date alone is the end of that working day.
        ("2026-03-20 18:00", at("2026-03-20")),
        ("2026-03-20T18:00", at("2026-03-20")),
        ("2026-03-20 9:05", at("2026-03-20", "09:05")),
        ("2026-03-20", at("2026-03-20")),
        ("20.03.2026 18:00", at("2026-03-20")),
        ("20.03.2026", at("2026-03-20")),
        ("20.03", at("2026-03-20")),
        ("20.03 18:00", at("2026-03-20")),
        ("20.03. 12:00", at("2026-03-20", "12:00")),
        ("18:00 20.03", at("2026-03-20")),
        ("16.03", at("2026-03-16")),
        ("10.03", at("2027-03-10")),
        ("10.03 08:00", at("2027-03-10", "08:00")),
        ("2026-03-20T18:00:00+02:00", at("2026-03-20")),
        ("2026-03-20T18:00:00+00:00", at("2026-03-20", "20:00")),
        ("2026-03-20T16:00Z", at("2026-03-20")),
        ("2026-03-20 19:30+0330", at("2026-03-20", "18:00")),
        # A time alone: today, or tomorrow once it has passed (09:30 is now: tomorrow's).
        ("18:00", at("2026-03-16")),
        ("9:45", at("2026-03-16", "09:45")),
        ("9:30", at("2026-03-17", "09:30")),
        ("09:00", at("2026-03-17", "09:00")),
        ("6pm", at("2026-03-16")),
        ("6 PM", at("2026-03-16")),
        ("6:30pm", at("2026-03-16", "18:30")),
        ("10a.m.", at("2026-03-16", "10:00")),
        ("12pm", at("2026-03-16", "12:00")),
        ("12am", at("2026-03-17", "00:00")),
        ("18h", at("2026-03-16")),
        ("9h45", at("2026-03-16", "09:45")),
        ("noon", at("2026-03-16", "12:00")),
        # Words.
        ("today", at("2026-03-16")),
        ("today 15:30", at("2026-03-16", "15:30")),
        ("tomorrow", at("2026-03-17")),
        ("tomorrow 18:00", at("2026-03-17")),
        ("tomorrow at 9:00", at("2026-03-17", "09:00")),
        ("10:00 tomorrow", at("2026-03-17", "10:00")),
        ("eod", at("2026-03-16")),
        ("eow", at("2026-03-20")),
        # A weekday is the next such day after today: on this Monday, 'mon' is the next one.
        ("fri", at("2026-03-20")),
        ("friday", at("2026-03-20")),
        ("fri at 6pm", at("2026-03-20")),
        ("tue", at("2026-03-17")),
        ("tues 9:00", at("2026-03-17", "09:00")),
        ("thursday", at("2026-03-19")),
        ("sun", at("2026-03-22")),
        ("mon", at("2026-03-23")),
        ("mon 10:00", at("2026-03-23", "10:00")),
        # 'next' is a week further on.
        ("next fri", at("2026-03-27")),
        ("next tue 11:00", at("2026-03-24", "11:00")),
        ("next mon", at("2026-03-30")),
        # Relative: days and weeks keep the time of day, hours and minutes count from now.
        ("+2d", at("2026-03-18", "09:30")),
        ("+3h", at("2026-03-16", "12:30")),
        ("+30m", at("2026-03-16", "10:00")),
        ("+1w", at("2026-03-23", "09:30")),
        ("+1d 2h", at("2026-03-17", "11:30")),
        ("+1d2h", at("2026-03-17", "11:30")),
        ("+ 90 min", at("2026-03-16", "11:00")),
        ("in 2 days", at("2026-03-18", "09:30")),
        ("in 3h", at("2026-03-16", "12:30")),
        ("in 1 week", at("2026-03-23", "09:30")),
        ("in 2 hours and 15 minutes", at("2026-03-16", "11:45")),
        ("in 1 day, 1 hour", at("2026-03-17", "10:30")),
        # Case and spaces do not matter.
        ("  FRI  ", at("2026-03-20")),
        ("Next   Fri", at("2026-03-27")),
        ("TOMORROW 18:00", at("2026-03-17")),
        ("\t+2D\n", at("2026-03-18", "09:30")),
    ],
)
def test_a_typed_moment_means(text: str, meant: datetime) -> None:
    parsed = parse_deadline(text, now=FIXED_NOW, zone=PORTAL)
    assert parsed == Deadline(meant, in_past=False)
    assert isinstance(parsed, Deadline)
    assert parsed.moment.utcoffset() == timedelta(hours=2), "shown in the person's zone"


@pytest.mark.parametrize("text", ["", "   ", "\t", "none", "None"])
def test_nothing_typed_clears_the_deadline(text: str) -> None:
    assert parse_deadline(text, now=FIXED_NOW, zone=PORTAL) == NoDeadline()


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("today 8:00", at("2026-03-16", "08:00")),
        ("2026-03-13", at("2026-03-13")),
        ("1.1.2020 10:00", at("2020-01-01", "10:00")),
        ("2026-03-16T07:00:00+00:00", at("2026-03-16", "09:00")),
    ],
)
def test_a_moment_in_the_past_is_taken_and_flagged(text: str, meant: datetime) -> None:
    assert parse_deadline(text, now=FIXED_NOW, zone=PORTAL) == Deadline(meant, in_past=True)


def test_the_working_day_ends_when_the_person_says() -> None:
    five = time(17, 0)
    assert parse_deadline("fri", now=FIXED_NOW, zone=PORTAL, day_ends=five) == Deadline(
        at("2026-03-20", "17:00"), in_past=False
    )
    assert parse_deadline("eod", now=FIXED_NOW, zone=PORTAL, day_ends=five) == Deadline(
        at("2026-03-16", "17:00"), in_past=False
    )
    # A time typed wins over the end of the day.
    assert moment_of("fri 10:00") == at("2026-03-20", "10:00")


def test_end_of_day_and_week_once_they_have_passed() -> None:
    evening = at("2026-03-16", "19:00")
    assert moment_of("eod", now=evening) == at("2026-03-17")
    assert moment_of("eow", now=evening) == at("2026-03-20")
    assert moment_of("today", now=evening) == at("2026-03-16"), "'today' is today, passed or not"
    friday_noon = at("2026-03-20", "12:00")
    assert moment_of("eow", now=friday_noon) == at("2026-03-20")
    friday_evening = at("2026-03-20", "18:30")
    assert moment_of("eow", now=friday_evening) == at("2026-03-27")
    assert moment_of("eow", now=at("2026-03-21", "10:00")) == at("2026-03-27")
    assert moment_of("eod", now=friday_evening) == at("2026-03-21"), "calendar days"
    # On a Friday, 'fri' is next week's, even with a time still ahead today.
    assert moment_of("fri 17:00", now=friday_noon) == at("2026-03-27", "17:00")
    assert moment_of("next fri", now=friday_noon) == at("2026-04-03")


def test_a_date_without_a_year_rolls_over_the_new_year() -> None:
    december = at("2026-12-30", "10:00")
    assert moment_of("02.01", now=december) == at("2027-01-02")
    assert moment_of("30.12", now=december) == at("2026-12-30")
    assert moment_of("+3d", now=december) == at("2027-01-02", "10:00")


def test_now_in_another_zone_counts_in_the_persons() -> None:
    # 23:30 UTC on the 15th is already Monday the 16th at UTC+2.
    late = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)
    assert moment_of("today", now=late) == at("2026-03-16")
    assert moment_of("tue", now=late) == at("2026-03-17")
    assert moment_of("+1d", now=late) == at("2026-03-17", "01:30")


def test_relative_forms_count_from_the_minute() -> None:
    now = at("2026-03-16", "09:30:45")
    assert moment_of("+30m", now=now) == at("2026-03-16", "10:00")
    assert moment_of("+1d", now=now) == at("2026-03-17", "09:30")


# -- summer time in Europe/Berlin -------------------------------------------------------------

BERLIN_FRIDAY = at("2026-03-27", "10:00", BERLIN)
"""Two days before the clocks go forward."""


@pytest.mark.parametrize(
    ("text", "meant_utc"),
    [
        ("+2d", "2026-03-29T08:00"),  # the same 10:00, now at UTC+2: 47 hours on
        ("+48h", "2026-03-29T09:00"),  # 48 hours on: 11:00 in summer time
        ("sun 18:00", "2026-03-29T16:00"),
        ("sun", "2026-03-29T16:00"),
        ("2026-03-28 18:00", "2026-03-28T17:00"),
        ("29.03 01:59", "2026-03-29T00:59"),
        # 02:00 to 03:00 that night does not exist: the first moment after it, 03:00.
        ("29.03 02:00", "2026-03-29T01:00"),
        ("2026-03-29 02:30", "2026-03-29T01:00"),
        ("29.03 03:00", "2026-03-29T01:00"),
        # 02:00 to 03:00 on 25 October is there twice: the first, in summer time.
        ("2026-10-25 02:30", "2026-10-25T00:30"),
        ("25.10 01:59", "2026-10-24T23:59"),
        ("25.10 03:00", "2026-10-25T02:00"),
        # An offset typed says which of the two.
        ("2026-10-25 02:30+01:00", "2026-10-25T01:30"),
    ],
)
def test_wall_times_in_a_zone_with_summer_time(text: str, meant_utc: str) -> None:
    meant = datetime.fromisoformat(meant_utc).replace(tzinfo=UTC)
    moment = moment_of(text, now=BERLIN_FRIDAY, zone=BERLIN)
    assert same_instant(moment, meant), f"{text!r}: {moment.isoformat()}"
    assert moment.tzinfo is BERLIN


def test_plus_one_day_over_the_change_is_23_hours() -> None:
    saturday = at("2026-03-28", "12:00", BERLIN)
    sunday = moment_of("+1d", now=saturday, zone=BERLIN)
    assert (sunday.astimezone(UTC) - saturday.astimezone(UTC)) == timedelta(hours=23)
    assert f"{sunday:%H:%M}" == "12:00"
    # From the second 02:30 of 25 October, a day on is 02:30 the next day.
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC).astimezone(BERLIN)
    assert moment_of("+1d", now=second, zone=BERLIN) == at("2026-10-26", "02:30", BERLIN)
    assert same_instant(
        moment_of("+30m", now=second, zone=BERLIN), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    )


def test_past_or_not_counts_instants_in_the_hour_that_repeats() -> None:
    # Now is the second 02:40; the first 02:50 came before it, an hour ago.
    second = datetime(2026, 10, 25, 1, 40, tzinfo=UTC).astimezone(BERLIN)
    parsed = parse_deadline("2026-10-25 02:50", now=second, zone=BERLIN)
    assert isinstance(parsed, Deadline)
    assert parsed.in_past
    # A time alone that came an hour ago is tomorrow's.
    assert moment_of("02:50", now=second, zone=BERLIN) == at("2026-10-26", "02:50", BERLIN)


# -- what is not a moment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", NOT_A_DATE),
        ("asap please", NOT_A_DATE),
        ("18", NOT_A_DATE),
        ("fri fri", NOT_A_DATE),
        ("18:00 19:00", NOT_A_DATE),
        ("tomorrow at", NOT_A_DATE),
        ("2026/03/20", NOT_A_DATE),
        ("-2d", NOT_A_DATE),
        ("fr", NOT_A_DATE),
        ("next", "Next what? Try 'next fri' or 'next mon 10:00'"),
        ("next week", "Next what? Try 'next fri' or 'next mon 10:00'"),
        ("next tomorrow", "Next what? Try 'next fri' or 'next mon 10:00'"),
        ("+2x", "Not a step: try '+2d', '+3h', '+30m', '+1w' or 'in 2 days'"),
        ("in 2", "Not a step: try '+2d', '+3h', '+30m', '+1w' or 'in 2 days'"),
        ("in a while", "Not a step: try '+2d', '+3h', '+30m', '+1w' or 'in 2 days'"),
        ("+", "Not a step: try '+2d', '+3h', '+30m', '+1w' or 'in 2 days'"),
        ("+0d", "That adds nothing: try '+1d' or '+2h'"),
        ("in 0 minutes", "That adds nothing: try '+1d' or '+2h'"),
        ("31.02.2026", "No such date: 31 February 2026"),
        ("29.02.2026 10:00", "No such date: 29 February 2026"),
        ("2026-04-31", "No such date: 31 April 2026"),
        ("0.03.2026", "No such date: 0 March 2026"),
        ("32.03", "No such date: 32 March 2026"),
        ("29.02", "No such date: 29 February 2027"),
        ("13.13.2026", "No such date: there is no month 13"),
        ("2026-00-10", "No such date: there is no month 0"),
        ("0000-01-10", "No such date: there is no year 0"),
        ("25:00", "No such time: 25:00 (hours go 0 to 23)"),
        ("24:00", "No such time: 24:00 (hours go 0 to 23)"),
        ("fri 18:60", "No such time: 18:60 (minutes go 0 to 59)"),
        ("2026-03-20 10:00:61", "No such time: 10:00:61 (seconds go 0 to 59)"),
        ("13pm", "No such time: 13pm (with am or pm, hours go 1 to 12)"),
        ("0am", "No such time: 0am (with am or pm, hours go 1 to 12)"),
        ("25h", "No such time: 25h (hours go 0 to 23)"),
        ("2026-03-20T25:00:00+02:00", "No such time: 25:00:00 (hours go 0 to 23)"),
        ("2026-03-20T18:00+25:00", "No such offset: +25:00"),
        ("eod 15:00", "'eod' has its time already: try 'today 15:00'"),
        ("eow 15:00", "'eow' has its time already: try 'fri 15:00'"),
        ("+99999999d", "Too far off: keep to the years 1 to 9999"),
        ("+10000000000000w", "Too far off: keep to the years 1 to 9999"),
        ("9999-12-31 23:00+00:00", "Too far off: keep to the years 1 to 9999"),
        ("0001-01-01 00:30", "Too far off: keep to the years 1 to 9999"),
    ],
)
def test_what_is_not_a_moment_says_why(text: str, message: str) -> None:
    assert parse_deadline(text, now=FIXED_NOW, zone=PORTAL) == DeadlineProblem(message)


def test_the_hint_names_forms_that_parse() -> None:
    assert NOT_A_DATE == "Not a date: try 'tomorrow 18:00', 'fri', '+2d', '2026-03-20 18:00'"
    for example in ("tomorrow 18:00", "fri", "+2d", "2026-03-20 18:00"):
        assert isinstance(parse_deadline(example, now=FIXED_NOW, zone=PORTAL), Deadline)


def test_a_naive_now_is_a_mistake_of_the_caller() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_deadline("fri", now=datetime(2026, 3, 16, 9, 30), zone=PORTAL)


# -- what is shown beside the field -----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (at("2026-03-16"), "today 18:00 · in 8 h 30 min"),
        (at("2026-03-16", "10:00"), "today 10:00 · in 30 min"),
        (at("2026-03-16", "10:30"), "today 10:30 · in 1 h"),
        (at("2026-03-16", "09:30"), "today 09:30 · now"),
        (at("2026-03-16", "09:30:40"), "today 09:30 · now"),
        (at("2026-03-16", "09:00"), "today 09:00 · 30 min ago"),
        (at("2026-03-17", "09:00"), "tomorrow 09:00 · in 23 h 30 min"),
        (at("2026-03-17", "18:00"), "tomorrow 18:00 · in 1 day"),
        (at("2026-03-15", "12:00"), "yesterday 12:00 · 21 h 30 min ago"),
        (at("2026-03-20"), "Fri 20 Mar 18:00 · in 4 days"),
        (at("2026-03-13"), "Fri 13 Mar 18:00 · 3 days ago"),
        (at("2026-04-02", "12:00"), "Thu 2 Apr 12:00 · in 17 days"),
        (at("2027-01-05", "12:00"), "Tue 5 Jan 2027 12:00 · in 295 days"),
        (at("2025-12-31", "12:00"), "Wed 31 Dec 2025 12:00 · 75 days ago"),
        (datetime(2026, 3, 20, 16, 0, tzinfo=UTC), "Fri 20 Mar 18:00 · in 4 days"),
    ],
)
def test_describe(moment: datetime, shown: str) -> None:
    assert describe(moment, FIXED_NOW, PORTAL) == shown


def test_describe_counts_elapsed_time_over_the_change() -> None:
    saturday = at("2026-03-28", "12:00", BERLIN)
    assert describe(at("2026-03-29", "12:00", BERLIN), saturday, BERLIN) == (
        "tomorrow 12:00 · in 23 h"
    )
    assert describe(at("2026-03-29", "03:00", BERLIN), saturday, BERLIN) == (
        "tomorrow 03:00 · in 14 h"
    )


# -- the field's text for a deadline the task has ---------------------------------------------


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (at("2026-03-20"), "2026-03-20 18:00"),
        (at("2026-03-20", "09:05:59"), "2026-03-20 09:05"),
        (datetime(2026, 3, 20, 16, 0, tzinfo=UTC), "2026-03-20 18:00"),
        (datetime(99, 1, 2, 3, 4, tzinfo=PORTAL), "0099-01-02 03:04"),
    ],
)
def test_format_for_field(moment: datetime, text: str) -> None:
    assert format_for_field(moment, PORTAL) == text


def test_format_for_field_names_the_offset_of_a_time_there_twice() -> None:
    first = at("2026-10-25", "02:30", BERLIN)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert format_for_field(first, BERLIN) == "2026-10-25 02:30"
    assert format_for_field(second, BERLIN) == "2026-10-25 02:30+01:00"
    assert same_instant(moment_of(format_for_field(second, BERLIN), zone=BERLIN), second)


# -- properties ---------------------------------------------------------------------------

ZONES: tuple[tzinfo, ...] = (
    UTC,
    PORTAL,
    timezone(timedelta(hours=-3, minutes=-30)),
    BERLIN,
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),  # summer time of half an hour
    ZoneInfo("Pacific/Chatham"),  # UTC+12:45
    ZoneInfo("Asia/Kolkata"),
)

zones = st.sampled_from(ZONES)


@st.composite
def nows(draw: st.DrawFn) -> tuple[datetime, tzinfo]:
    """A moment between 1990 and 2090, and the zone it is in."""
    zone = draw(zones)
    naive = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
    return datetime.fromtimestamp(naive.replace(tzinfo=UTC).timestamp(), zone), zone


WORDS = [
    "today",
    "tomorrow",
    "eod",
    "eow",
    "next",
    "in",
    "at",
    "and",
    "none",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "friday",
    "am",
    "pm",
    "noon",
    "h",
    "m",
    "d",
    "w",
    "min",
    "days",
    "hours",
    "week",
    "+",
    "-",
    ":",
    ".",
    ",",
    "t",
    "z",
]
numbers = st.integers(min_value=0, max_value=10_000).map(str)
fragments = st.lists(st.one_of(st.sampled_from(WORDS), numbers), max_size=6)
typed = st.one_of(
    st.text(max_size=30),
    fragments.map(" ".join),
    fragments.map("".join),
    st.lists(st.one_of(numbers, st.sampled_from(list("-.:+ tTzZ"))), max_size=12).map("".join),
)


@settings(max_examples=250, deadline=None)
@given(typed, nows())
def test_any_text_gives_one_of_the_three_results(text: str, when: tuple[datetime, tzinfo]) -> None:
    now, zone = when
    parsed: DeadlineParse = parse_deadline(text, now=now, zone=zone)
    assert isinstance(parsed, NoDeadline | Deadline | DeadlineProblem)
    if isinstance(parsed, Deadline):
        assert parsed.moment.tzinfo is zone
        assert parsed.in_past == (parsed.moment.astimezone(UTC) < now.astimezone(UTC))
        describe(parsed.moment, now, zone)
    if isinstance(parsed, DeadlineProblem):
        assert parsed.message


minutes_1990_2090 = st.integers(
    min_value=int(datetime(1990, 1, 1, tzinfo=UTC).timestamp()) // 60,
    max_value=int(datetime(2090, 1, 1, tzinfo=UTC).timestamp()) // 60,
)


@settings(max_examples=200, deadline=None)
@given(minutes_1990_2090, zones)
def test_the_fields_text_reads_back_to_the_same_minute(minute: int, zone: tzinfo) -> None:
    moment = datetime.fromtimestamp(minute * 60, UTC)
    text = format_for_field(moment, zone)
    assert same_instant(moment_of(text, now=FIXED_NOW, zone=zone), moment), text


def exists(wall: datetime, zone: tzinfo) -> bool:
    """Whether the clocks of ``zone`` ever show ``wall`` (naive)."""
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@settings(max_examples=150, deadline=None)
@given(nows(), st.integers(min_value=1, max_value=3660), st.sampled_from(["+{}d", "in {} days"]))
def test_plus_n_days_is_n_calendar_days_on_at_the_same_time(
    when: tuple[datetime, tzinfo], days: int, form: str
) -> None:
    now, zone = when
    local_now = now.astimezone(zone)
    moment = moment_of(form.format(days), now=now, zone=zone)
    assert moment.date() == local_now.date() + timedelta(days=days)
    wanted = datetime.combine(
        moment.date(), local_now.time().replace(second=0, microsecond=0, fold=0)
    )
    if exists(wanted, zone):
        assert moment.replace(tzinfo=None) == wanted
    else:  # the first moment after the clocks' jump
        assert moment.replace(tzinfo=None) > wanted
        assert not exists(moment.replace(tzinfo=None) - timedelta(minutes=1), zone)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@settings(max_examples=150, deadline=None)
@given(nows(), st.integers(min_value=0, max_value=6), st.booleans(), st.booleans())
def test_a_weekday_is_within_the_next_week_on_that_day(
    when: tuple[datetime, tzinfo], weekday: int, short: bool, next_one: bool
) -> None:
    now, zone = when
    name = WEEKDAYS[weekday][:3] if short else WEEKDAYS[weekday]
    moment = moment_of(f"next {name}" if next_one else name, now=now, zone=zone)
    ahead = (moment.date() - now.astimezone(zone).date()).days
    assert moment.weekday() == weekday
    assert (8 <= ahead <= 14) if next_one else (1 <= ahead <= 7)
    assert moment.time() == time(18, 0)


steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=500), st.sampled_from("wdhm")),
    min_size=1,
    max_size=4,
).filter(lambda parts: any(amount for amount, _ in parts))


@settings(max_examples=120, deadline=None)
@given(nows(), steps, st.booleans())
def test_a_relative_moment_is_never_before_now(
    when: tuple[datetime, tzinfo], parts: list[tuple[int, str]], spelled: bool
) -> None:
    now, zone = when
    units = {"w": " weeks", "d": " days", "h": " hours", "m": " minutes"}
    if spelled:
        text = "in " + " ".join(f"{amount}{units[unit]}" for amount, unit in parts)
    else:
        text = "+" + " ".join(f"{amount}{unit}" for amount, unit in parts)
    parsed = parse_deadline(text, now=now, zone=zone)
    assert isinstance(parsed, Deadline), f"{text!r} gave {parsed!r}"
    assert parsed.moment.tzinfo is zone
    assert parsed.moment.astimezone(UTC) > now.astimezone(UTC)
    assert not parsed.in_past
