"""The Deadline field's language: what a person types, the moment it means, and the words
shown beside the field.

Headless: no Textual here. Everything counts from ``now`` in the person's ``zone``; case
and spaces do not matter. The forms, and the rules where a person could mean two things:

* Nothing (or ``none``): no deadline, :class:`NoDeadline`; the task's is cleared.
* A date: ``2026-03-20``, ``20.03.2026``, ``20.03`` (this year, or the next once that day
  has passed), each with a time or without one: a date alone is the end of that working
  day (``day_ends``, 18:00 unless said). ``2026-03-20T18:00`` too, and an ISO moment with
  an offset (``2026-03-20T18:00:00+02:00``, ``…Z``) is that instant.
* A time: ``18:00``, ``9:30``, ``6pm``, ``6:30 pm``, ``18h``, ``9h45``, ``noon``. Alone it
  is today's, or tomorrow's once it is not later than now.
* Words: ``today``, ``tomorrow``, ``eod`` (today's end of the working day, or tomorrow's
  once it has passed; calendar days, weekends included), ``eow`` (Friday's end of day, or
  next week's once this Friday's has passed). A weekday (``fri``, ``friday``, ``tues``…)
  is the next such day after today, 1 to 7 days on: on a Friday, ``fri`` is next week's,
  even with a time still ahead today (that is ``today 17:00``). ``next fri`` is a week
  after ``fri``, 8 to 14 days on. A day takes a time before or after it: ``tomorrow
  18:00``, ``mon at 10:00``, ``10:00 tomorrow``.
* A step from now: ``+2d``, ``+3h``, ``+30m``, ``+1w``, ``+1d 2h``, ``in 2 days``, ``in 3
  hours and 15 minutes``. Now counts to the minute. Weeks and days are calendar days at
  the same time of day (across a change of the clocks too); hours and minutes are time
  elapsed.

A time the clocks skip (02:30 on the night they go forward) means the first moment after
the jump (03:00); a time the clocks show twice (the night they go back) means the first
of the two, and an offset typed after it (``2026-10-25 02:30+01:00``) picks the other. A
moment in the past is taken, flagged (:attr:`Deadline.in_past`); what means no moment at
all is a :class:`DeadlineProblem` that says why, in a person's words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final, TypeAlias

from b24tui.humanize import deadline_label

__all__ = [
    "NOT_A_DATE",
    "Deadline",
    "DeadlineParse",
    "DeadlineProblem",
    "NoDeadline",
    "describe",
    "format_for_field",
    "parse_deadline",
]


@dataclass(frozen=True)
class NoDeadline:
    """Nothing typed: the task is to have no deadline."""


@dataclass(frozen=True)
class Deadline:
    """The moment typed."""

    moment: datetime
    """Aware, in the person's zone."""
    in_past: bool
    """Whether it is before now: taken all the same, and the form says so."""


@dataclass(frozen=True)
class DeadlineProblem:
    """What was typed means no moment."""

    message: str
    """Why, and what to type instead: ``No such date: 31 February 2026``."""


DeadlineParse: TypeAlias = NoDeadline | Deadline | DeadlineProblem
"""What :func:`parse_deadline` makes of a text: one of the three."""

NOT_A_DATE: Final = "Not a date: try 'tomorrow 18:00', 'fri', '+2d', '2026-03-20 18:00'"
"""The answer to a text that looks like none of the forms."""
_NOT_A_STEP: Final = "Not a step: try '+2d', '+3h', '+30m', '+1w' or 'in 2 days'"
_NEXT_WHAT: Final = "Next what? Try 'next fri' or 'next mon 10:00'"
_ADDS_NOTHING: Final = "That adds nothing: try '+1d' or '+2h'"
_TOO_FAR: Final = "Too far off: keep to the years 1 to 9999"

_LONGEST: Final = 100
"""Longer texts are no deadline anyone types (and are not searched)."""

_MONTHS: Final = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ISO_DATE: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DOTTED_DATE: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_DAY_MONTH: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.?", re.ASCII)
_CLOCK_24: Final = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_CLOCK_12: Final = re.compile(r"(\d{1,2})(?::(\d{2}))?([ap])\.?m\.?", re.ASCII)
_CLOCK_H: Final = re.compile(r"(\d{1,2})h(\d{2})?", re.ASCII)
_INSTANT: Final = re.compile(
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}) "
    r"(?P<clock>(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)"
    r" ?(?P<offset>z|(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2})(?::?(?P<os>\d{2}))?)?)",
    re.ASCII,
)
_STEP: Final = r"(\d+) ?([a-z]+)"
_STEPS: Final = re.compile(rf"{_STEP}(?:(?: ?[,+] ?| and | ?){_STEP})*", re.ASCII)
_STEP_UNITS: Final = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
}
_LONGEST_AMOUNT: Final = 7
"""Digits in a step's amount; more is beyond any calendar."""


def parse_deadline(
    text: str, *, now: datetime, zone: tzinfo, day_ends: time = time(18, 0)
) -> DeadlineParse:
    """The moment ``text`` means, counted from ``now`` in ``zone`` (see the module's forms).

    Never raises for any text: what means no moment is a :class:`DeadlineProblem`.
    ``day_ends`` is the end of the working day, the time of a day named without one.

    Raises:
        ValueError: ``now`` is naive.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    normalized = _normalized(text)
    if len(normalized) > _LONGEST:
        return DeadlineProblem(NOT_A_DATE)
    ends = time(day_ends.hour, day_ends.minute, day_ends.second)
    try:
        found = _parsed(normalized, now.astimezone(zone), zone, ends)
        if not isinstance(found, datetime):
            return found
        return Deadline(found.astimezone(zone), in_past=_utc(found) < _utc(now))
    except OverflowError:
        return DeadlineProblem(_TOO_FAR)


def describe(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """What the form shows beside the field: the moment in ``zone`` and how far off it is.

    ``today 18:00 · in 8 h 30 min``, ``Fri 20 Mar 18:00 · in 4 days``, ``today 09:00 · 30 min
    ago``. Today, tomorrow and yesterday are named as the task table names them; other
    days show their date, so that a weekday typed says which week. Under a day the
    distance is time elapsed; from a day on, calendar days.
    """
    local = moment.astimezone(zone)
    local_now = now.astimezone(zone)
    days = (local.date() - local_now.date()).days
    if -1 <= days <= 1:
        day = deadline_label(local, local_now)
    else:
        year = f" {local.year}" if local.year != local_now.year else ""
        day = f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"
    return f"{day} · {_distance(local, local_now, days)}"


def format_for_field(moment: datetime, zone: tzinfo) -> str:
    """The field's text for a deadline the task has: ``2026-03-20 18:00`` in ``zone``.

    :func:`parse_deadline` reads it back to the same minute; a time the clocks show twice
    carries its offset where it is the second of the two (``2026-10-25 02:30+01:00``).
    """
    local = moment.astimezone(zone)
    text = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
    read_back = _wall(local.date(), time(local.hour, local.minute), zone)
    if _utc(read_back) != _utc(local.replace(second=0, microsecond=0)):
        text += _offset_text(local.utcoffset() or timedelta())
    return text


# -- reading ------------------------------------------------------------------------------


def _normalized(text: str) -> str:
    """``text`` lower-case, its spaces one each, ``T`` after a date and ``6 pm`` joined."""
    joined = " ".join(text.lower().split())
    joined = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", joined, flags=re.ASCII)
    return re.sub(r"(\d) ([ap]\.?m\.?)(?= |$)", r"\1\2", joined, flags=re.ASCII)


def _parsed(
    text: str, now: datetime, zone: tzinfo, day_ends: time
) -> datetime | NoDeadline | DeadlineProblem:
    """What ``text`` (normalized) means; ``now`` is in ``zone``."""
    if text in ("", "none"):
        return NoDeadline()
    if text.startswith("+"):
        return _stepped(text[1:].strip(), now, zone)
    if text == "in" or text.startswith("in "):
        return _stepped(text[2:].strip(), now, zone)
    instant = _INSTANT.fullmatch(text)
    if instant is not None:
        return _instant(instant, zone)
    tokens = text.split()
    clocks = [(index, _clock(token)) for index, token in enumerate(tokens)]
    found = [(index, clock) for index, clock in clocks if clock is not None]
    if len(found) > 1:
        return DeadlineProblem(NOT_A_DATE)
    clock: time | None = None
    typed_clock = ""
    if found:
        index, read = found[0]
        if isinstance(read, DeadlineProblem):
            return read
        clock, typed_clock = read, tokens[index]
        start = index - 1 if index > 0 and tokens[index - 1] == "at" else index
        tokens = tokens[:start] + tokens[index + 1 :]
    spec = " ".join(tokens)
    today = now.date()
    if not spec:
        assert clock is not None, "a text of no tokens is empty"
        return _first_after(today, clock, now, zone, days=1)
    if spec in ("eod", "eow"):
        if clock is not None:
            day = "today" if spec == "eod" else "fri"
            return DeadlineProblem(f"'{spec}' has its time already: try '{day} {typed_clock}'")
        if spec == "eod":
            return _first_after(today, day_ends, now, zone, days=1)
        friday = today + timedelta(days=(calendar.FRIDAY - today.weekday()) % 7)
        return _first_after(friday, day_ends, now, zone, days=7)
    day_meant = _day(spec, today)
    if isinstance(day_meant, DeadlineProblem):
        return day_meant
    return _wall(day_meant, clock or day_ends, zone)


def _day(spec: str, today: date) -> date | DeadlineProblem:
    """The day ``spec`` names: a word, a weekday or a date."""
    if spec == "today":
        return today
    if spec == "tomorrow":
        return today + timedelta(days=1)
    words = spec.split()
    if words[0] == "next":
        weekday = _weekday(words[1]) if len(words) == 2 else None
        if weekday is None:
            return DeadlineProblem(_NEXT_WHAT)
        return _next_weekday(today, weekday) + timedelta(days=7)
    weekday = _weekday(spec)
    if weekday is not None:
        return _next_weekday(today, weekday)
    iso = _ISO_DATE.fullmatch(spec)
    if iso is not None:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]))
    dotted = _DOTTED_DATE.fullmatch(spec)
    if dotted is not None:
        return _date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    day_month = _DAY_MONTH.fullmatch(spec)
    if day_month is not None:
        day, month = int(day_month[1]), int(day_month[2])
        passed = (month, day) < (today.month, today.day)
        return _date(today.year + 1 if passed else today.year, month, day)
    return DeadlineProblem(NOT_A_DATE)


def _weekday(word: str) -> int | None:
    """The weekday ``word`` names (Monday 0), in full or from its first three letters."""
    if len(word) < 3:
        return None
    return next((n for n, name in enumerate(_WEEKDAYS) if name.startswith(word)), None)


def _next_weekday(today: date, weekday: int) -> date:
    """The first day after ``today`` that is a ``weekday``: 1 to 7 days on."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _date(year: int, month: int, day: int) -> date | DeadlineProblem:
    """That day, or why there is none."""
    if year < 1:
        return DeadlineProblem("No such date: there is no year 0")
    if year > 9999:
        return DeadlineProblem(_TOO_FAR)
    if not 1 <= month <= 12:
        return DeadlineProblem(f"No such date: there is no month {month}")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return DeadlineProblem(f"No such date: {day} {_MONTHS[month]} {year}")
    return date(year, month, day)


def _clock(token: str) -> time | DeadlineProblem | None:
    """The time of day ``token`` is, why it is none, or ``None`` if it is no time at all."""
    if token == "noon":
        return time(12, 0)
    twelve = _CLOCK_12.fullmatch(token)
    if twelve is not None:
        hour, minute = int(twelve[1]), int(twelve[2] or 0)
        if not 1 <= hour <= 12:
            return DeadlineProblem(f"No such time: {token} (with am or pm, hours go 1 to 12)")
        return _checked_clock(hour % 12 + (12 if twelve[3] == "p" else 0), minute, 0, token)
    full = _CLOCK_24.fullmatch(token) or _CLOCK_H.fullmatch(token)
    if full is None:
        return None
    seconds = full[3] if full.re is _CLOCK_24 else None
    return _checked_clock(int(full[1]), int(full[2] or 0), int(seconds or 0), token)


def _checked_clock(hour: int, minute: int, second: int, typed: str) -> time | DeadlineProblem:
    """That time of day, or why there is none (``typed`` is how it was written)."""
    for value, most, unit in (
        (hour, 23, "hours"),
        (minute, 59, "minutes"),
        (second, 59, "seconds"),
    ):
        if value > most:
            return DeadlineProblem(f"No such time: {typed} ({unit} go 0 to {most})")
    return time(hour, minute, second)


def _instant(found: re.Match[str], zone: tzinfo) -> datetime | DeadlineProblem:
    """The instant an ISO moment with an offset names."""
    year, month, day_of_month = (int(part) for part in found["date"].split("-"))
    day = _date(year, month, day_of_month)
    if isinstance(day, DeadlineProblem):
        return day
    clock = _checked_clock(int(found["h"]), int(found["m"]), int(found["s"] or 0), found["clock"])
    if isinstance(clock, DeadlineProblem):
        return clock
    offset = timedelta()
    if found["offset"] != "z":
        hours, minutes, seconds = int(found["oh"]), int(found["om"] or 0), int(found["os"] or 0)
        if hours > 23 or minutes > 59 or seconds > 59:
            return DeadlineProblem(f"No such offset: {found['offset']}")
        offset = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        if found["sign"] == "-":
            offset = -offset
    return datetime.combine(day, clock, tzinfo=timezone(offset)).astimezone(zone)


def _stepped(steps: str, now: datetime, zone: tzinfo) -> datetime | DeadlineProblem:
    """``now`` (to the minute) moved on by ``steps``: ``2d``, ``1d 2h``, ``3 hours``."""
    if _STEPS.fullmatch(steps) is None:
        return DeadlineProblem(_NOT_A_STEP)
    amounts = dict.fromkeys(("weeks", "days", "hours", "minutes"), 0)
    for amount, unit in re.findall(_STEP, steps, flags=re.ASCII):
        if unit not in _STEP_UNITS:
            return DeadlineProblem(_NOT_A_STEP)
        if len(amount) > _LONGEST_AMOUNT:
            return DeadlineProblem(_TOO_FAR)
        amounts[_STEP_UNITS[unit]] += int(amount)
    days = 7 * amounts["weeks"] + amounts["days"]
    elapsed = timedelta(hours=amounts["hours"], minutes=amounts["minutes"])
    if days == 0 and not elapsed:
        return DeadlineProblem(_ADDS_NOTHING)
    start = now.replace(second=0, microsecond=0)
    if days:
        start = _wall(start.date() + timedelta(days=days), start.time(), zone)
    return (_utc(start) + elapsed).astimezone(zone)


# -- the clocks of a zone -------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC: two moments of one zone compare (and subtract) by the wall
    clock, which is wrong in the hour the clocks show twice."""
    return moment.astimezone(UTC)


def _wall(day: date, clock: time, zone: tzinfo) -> datetime:
    """The moment ``zone``'s clocks show ``clock`` on ``day``: the first of two where they
    show it twice, the first moment after the jump where they skip it."""
    wall = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    shown = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    if shown.replace(tzinfo=None) == wall:
        return shown
    return _after_gap(wall, zone)


def _after_gap(wall: datetime, zone: tzinfo) -> datetime:
    """The first moment ``zone``'s clocks show later than ``wall``, a time they skip.

    Of the two readings of ``wall`` (with the offsets before and after the jump), the
    jump lies between: found to the second by halving.
    """
    early, late = sorted(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))

    def past(moment: datetime) -> bool:
        return moment.astimezone(zone).replace(tzinfo=None) > wall

    if not past(late):
        return late.astimezone(zone)
    before, after = 0, int((late - early).total_seconds())
    while after - before > 1:
        middle = (before + after) // 2
        if past(early + timedelta(seconds=middle)):
            after = middle
        else:
            before = middle
    return (early + timedelta(seconds=after)).astimezone(zone)


def _first_after(day: date, clock: time, now: datetime, zone: tzinfo, *, days: int) -> datetime:
    """``clock`` on ``day``, or ``days`` later while that is not later than ``now``."""
    moment = _wall(day, clock, zone)
    if _utc(moment) <= _utc(now):
        moment = _wall(day + timedelta(days=days), clock, zone)
    return moment


# -- showing --------------------------------------------------------------------------------


def _distance(moment: datetime, now: datetime, days: int) -> str:
    """How far ``moment`` is from ``now``: ``now``, ``in 8 h 30 min``, ``3 days ago``."""
    seconds = (_utc(moment) - _utc(now)).total_seconds()
    minutes = int(abs(seconds) // 60)
    if minutes == 0:
        return "now"
    if minutes < 60:
        words = f"{minutes} min"
    elif minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        words = f"{hours} h" + (f" {rest} min" if rest else "")
    else:
        count = max(1, abs(days))
        words = f"{count} day" if count == 1 else f"{count} days"
    return f"in {words}" if seconds > 0 else f"{words} ago"


def _offset_text(offset: timedelta) -> str:
    """An offset as ISO writes it: ``+01:00``, ``-03:30``, ``+00:53:28``."""
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
