"""``timeman.*``: the workday (scope ``timeman``).

The status object's ``STATUS`` is ``OPENED``, ``PAUSED``, ``CLOSED`` or ``EXPIRED`` (opened
before the current calendar day in the portal's timezone and never closed). ``DURATION``
is filled only once the day is closed (``00:00:00`` before); ``TIME_LEAKS`` sums the
breaks. ``timeman.open`` starts a day or resumes a paused or closed one (the gap after a
close counts as a break); ``TIME`` is accepted only for a closed day and must be today;
``REPORT`` is needed with ``TIME`` unless the schedule is flexible. ``timeman.pause`` on
a closed day resumes it and counts the time since closing as work (the documented
quirk). ``USER_ID`` of someone else needs the caller's ``ADMIN`` right.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._common import hms, named, parse_dt, parse_hms, php_int
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import Pause, Portal, TimemanSettings, Workday

LOOPBACK_IP = "127.0.0.1"


def _user_not_found() -> RestError:
    return RestError(400, "", "User not found")


def _target(call: Call) -> int:
    """The ``USER_ID`` acted on: the caller by default; others need the ``ADMIN`` right."""
    params = named(call)
    raw = params.get("USER_ID")
    if raw in (None, ""):
        return call.user_id
    user_id = php_int(raw)
    if user_id is None or user_id not in call.portal.users:
        raise _user_not_found()
    if user_id != call.user_id and not call.portal.is_admin(call.user_id):
        raise RestError(403, "ACCESS_DENIED", "Access denied!")
    return user_id


def _settings(portal: Portal, user_id: int) -> TimemanSettings:
    return portal.timeman_settings.setdefault(user_id, TimemanSettings())


def _state(day: Workday | None, now: datetime) -> str:
    if day is None or day.closed:
        return "CLOSED"
    local_now = now.astimezone(day.time_start.tzinfo)
    if day.time_start.date() < local_now.date():
        return "EXPIRED"
    return "PAUSED" if day.paused else "OPENED"


def status_object(portal: Portal, user_id: int) -> dict[str, Any]:
    """The documented status object of ``user_id``'s current workday."""
    now = portal.now()
    day = portal.workdays.get(user_id)
    state = _state(day, now)
    if day is None:
        offset = now.utcoffset() or timedelta()
        return {
            "STATUS": "CLOSED",
            "TIME_START": None,
            "TIME_FINISH": None,
            "DURATION": "00:00:00",
            "TIME_LEAKS": "00:00:00",
            "ACTIVE": True,
            "IP_OPEN": "",
            "IP_CLOSE": "",
            "LAT_OPEN": 0,
            "LON_OPEN": 0,
            "LAT_CLOSE": 0,
            "LON_CLOSE": 0,
            "TZ_OFFSET": int(offset.total_seconds()),
        }
    tz = day.time_start.tzinfo
    leaks_until = day.time_finish or now
    answer: dict[str, Any] = {
        "STATUS": state,
        "TIME_START": day.time_start.isoformat(timespec="seconds"),
        "TIME_FINISH": (
            day.time_finish.astimezone(tz).isoformat(timespec="seconds")
            if day.time_finish
            else None
        ),
        "DURATION": hms(day.duration().total_seconds()),
        "TIME_LEAKS": hms(day.leaks(leaks_until).total_seconds()),
        "ACTIVE": day.active,
        "IP_OPEN": day.ip_open,
        "IP_CLOSE": day.ip_close,
        "LAT_OPEN": day.lat_open,
        "LON_OPEN": day.lon_open,
        "LAT_CLOSE": day.lat_close,
        "LON_CLOSE": day.lon_close,
        "TZ_OFFSET": int((day.time_start.utcoffset() or timedelta()).total_seconds()),
    }
    if state == "EXPIRED":
        finish = datetime.combine(
            day.time_start.date(), parse_hms(_settings(portal, user_id).min_finish), tzinfo=tz
        )
        answer["TIME_FINISH_DEFAULT"] = max(finish, day.time_start).isoformat(timespec="seconds")
    return answer


def _time_param(call: Call, error_text: str) -> datetime | None:
    raw = named(call).get("TIME")
    if raw in (None, ""):
        return None
    try:
        moment = parse_dt(raw, call.portal.tz)
    except ValueError:
        raise RestError(400, "WRONG_DATETIME", error_text) from None
    return moment


def _require_report(call: Call, user_id: int) -> str:
    """``REPORT`` is required with ``TIME`` unless the person's schedule is flexible."""
    report = str(named(call).get("REPORT") or "").strip()
    if not report and not _settings(call.portal, user_id).flexible:
        raise RestError(400, "REPORT_REQUIRED", "A reason for changing the workday is required")
    return report


def _within_delta(call: Call, user_id: int, moment: datetime) -> bool:
    delta = parse_hms(_settings(call.portal, user_id).allowed_delta)
    allowed = timedelta(hours=delta.hour, minutes=delta.minute, seconds=delta.second)
    return abs(call.portal.now() - moment) <= allowed


def _coordinates(call: Call) -> tuple[float, float]:
    params = named(call)

    def number(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            return 0.0

    return number(params.get("LAT")), number(params.get("LON"))


@REGISTRY.method("timeman.status", scope="timeman")
def timeman_status(call: Call) -> dict[str, Any]:
    """``USER_ID`` → the workday status object."""
    return status_object(call.portal, _target(call))


@REGISTRY.method("timeman.open", scope="timeman")
def timeman_open(call: Call) -> dict[str, Any]:
    """Start a new day or resume a paused or closed one (``TIME``, ``REPORT``, ``LAT``, ``LON``)."""
    portal = call.portal
    user_id = _target(call)
    now = portal.now()
    day = portal.workdays.get(user_id)
    state = _state(day, now)
    moment = _time_param(call, "Day open date should correspond to the current date")
    report = ""
    active = True
    if moment is not None:
        if state != "CLOSED":
            reason = "paused" if state == "PAUSED" else "not closed"
            raise RestError(400, "TIME", f"Unable to set time, work day is {reason}")
        if moment.date() != now.astimezone(moment.tzinfo).date():
            raise RestError(
                400, "WRONG_DATETIME", "Day open date should correspond to the current date"
            )
        report = _require_report(call, user_id)
        active = _settings(portal, user_id).flexible or _within_delta(call, user_id, moment)
    lat, lon = _coordinates(call)
    start = moment or now
    if state == "PAUSED" and day is not None:
        day.pauses[-1].end = now
    elif state == "CLOSED":
        if (
            day is not None
            and day.time_finish is not None
            and (day.time_start.date() == start.astimezone(day.time_start.tzinfo).date())
        ):
            day.extra_leaks += max(start - day.time_finish, timedelta())
            day.time_finish = None
            day.ip_close = ""
            day.lat_close = day.lon_close = 0.0
        else:
            day = Workday(
                user_id=user_id,
                time_start=start,
                ip_open=LOOPBACK_IP,
                lat_open=lat,
                lon_open=lon,
            )
            portal.workdays[user_id] = day
        if moment is not None:
            day.active = active
            day.report = report
    return status_object(portal, user_id)


@REGISTRY.method("timeman.pause", scope="timeman")
def timeman_pause(call: Call) -> dict[str, Any]:
    """Pause the day; on a day closed today it resumes it instead (the documented quirk)."""
    portal = call.portal
    user_id = _target(call)
    now = portal.now()
    day = portal.workdays.get(user_id)
    state = _state(day, now)
    if day is not None:
        if state == "OPENED":
            day.pauses.append(Pause(now))
        elif (
            state == "CLOSED"
            and day.time_finish is not None
            and day.time_start.date() == now.astimezone(day.time_start.tzinfo).date()
        ):
            day.time_finish = None
            day.ip_close = ""
            day.lat_close = day.lon_close = 0.0
    return status_object(portal, user_id)


@REGISTRY.method("timeman.close", scope="timeman")
def timeman_close(call: Call) -> dict[str, Any]:
    """Close the day now or at ``TIME`` (on the day's start date; ``REPORT`` with ``TIME``)."""
    portal = call.portal
    user_id = _target(call)
    now = portal.now()
    day = portal.workdays.get(user_id)
    wrong_date = "Day close date should correspond to the day open date"
    moment = _time_param(call, wrong_date)
    if day is None or day.closed:
        return status_object(portal, user_id)
    tz = day.time_start.tzinfo
    finish = (moment or now).astimezone(tz)
    if finish.date() != day.time_start.date() or finish < day.time_start:
        raise RestError(400, "WRONG_DATETIME", wrong_date)
    if moment is not None:
        day.report = _require_report(call, user_id)
        day.active = _settings(portal, user_id).flexible or _within_delta(call, user_id, moment)
    if day.paused:
        day.pauses[-1].end = max(finish, day.pauses[-1].start)
    lat, lon = _coordinates(call)
    day.time_finish = finish
    day.ip_close = LOOPBACK_IP
    day.lat_close, day.lon_close = lat, lon
    return status_object(portal, user_id)


@REGISTRY.method("timeman.settings", scope="timeman")
def timeman_settings(call: Call) -> dict[str, Any]:
    """``USER_ID`` → work-time settings; ``ADMIN`` only for the caller's own settings."""
    user_id = _target(call)
    settings = _settings(call.portal, user_id)
    answer: dict[str, Any] = {
        "UF_TIMEMAN": settings.enabled,
        "UF_TM_FREE": settings.flexible,
        "UF_TM_MAX_START": settings.max_start,
        "UF_TM_MIN_FINISH": settings.min_finish,
        "UF_TM_MIN_DURATION": settings.min_duration,
        "UF_TM_ALLOWED_DELTA": settings.allowed_delta,
    }
    if user_id == call.user_id:
        answer["ADMIN"] = call.portal.is_admin(call.user_id)
    return answer
