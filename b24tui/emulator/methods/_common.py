"""Shared helpers for the method handlers: PHP-like coercion, dates, names, people."""

from __future__ import annotations

import re
from datetime import datetime, time, tzinfo
from typing import Any

from b24tui.emulator.registry import Call
from b24tui.emulator.state import Portal, User

DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png"

_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RU_DATE_RE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$")


def named(call: Call) -> dict[str, Any]:
    """The call's named parameters (a positional list becomes ``{"0": …, "1": …}``)."""
    if isinstance(call.params, dict):
        return call.params
    return {str(index): value for index, value in enumerate(call.params)}


def positional(call: Call) -> list[Any]:
    """The call's parameters by position, as legacy ``task.*item.*`` methods read them.

    A list is taken as it is. A dict is read in its key order, whatever the keys are
    called: that is how the portal treats these methods, so named keys in the wrong
    order are misread. Keys that are all digits (``0=…&1[…]=…``) are ordered by number.
    """
    if isinstance(call.params, list):
        return list(call.params)
    items = [(key, value) for key, value in call.params.items() if key.lower() != "auth"]
    if items and all(key.isdigit() for key, _ in items):
        items.sort(key=lambda pair: int(pair[0]))
    return [value for _, value in items]


def php_int(value: object) -> int | None:
    """``value`` as an int the way PHP accepts it (``8017`` or ``"8017"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_RE.match(value):
        return int(value)
    return None


def php_bool(value: object) -> bool:
    """A flag sent as ``true``, ``1``, ``"Y"``, ``"true"``, ``"1"`` (anything else is false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().upper() in ("Y", "TRUE", "1")
    return False


def as_list(value: object) -> list[Any] | None:
    """A PHP array as a list: a list, or a dict with index keys (``users[0]=…``); else ``None``."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return None


def yn(flag: bool) -> str:
    """``"Y"`` or ``"N"``."""
    return "Y" if flag else "N"


def fmt_dt(moment: datetime | None, tz: tzinfo) -> str | None:
    """An ISO-8601 date-time with offset in the portal's timezone, or ``None``."""
    if moment is None:
        return None
    return moment.astimezone(tz).isoformat(timespec="seconds")


def parse_dt(value: object, tz: tzinfo) -> datetime | None:
    """Parse a date sent by a client: ISO-8601 (with or without offset), ``YYYY-MM-DD``,
    or the portal's ``DD.MM.YYYY[ HH:MM[:SS]]``. Empty values give ``None``.

    Raises:
        ValueError: the value is not a recognisable date.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    match = _DATE_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day, tzinfo=tz)
    match = _RU_DATE_RE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups()[:3])
        hour, minute, second = (int(part or 0) for part in match.groups()[3:])
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def hms(seconds: float) -> str:
    """Seconds as ``HH:MM:SS``."""
    whole = max(int(seconds), 0)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def parse_hms(text: str) -> time:
    """``HH:MM:SS`` as a time of day."""
    hour, minute, second = (int(part) for part in text.split(":"))
    return time(hour, minute, second)


def camel_to_upper(name: str) -> str:
    """``responsibleId`` → ``RESPONSIBLE_ID``; ``edit.originator`` → ``EDIT.ORIGINATOR``."""
    if name.isupper() or not any(char.isupper() for char in name):
        return name.upper()
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def upper_to_camel(name: str) -> str:
    """``RESPONSIBLE_ID`` → ``responsibleId``."""
    head, *rest = name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def user_link(user_id: int) -> str:
    return f"/company/personal/user/{user_id}/"


def user_brief(portal: Portal, user_id: int) -> dict[str, str]:
    """The ``creator``/``responsible`` object of a v1 task."""
    user = portal.users.get(user_id)
    if user is None:
        return {
            "id": str(user_id),
            "name": "",
            "link": user_link(user_id),
            "icon": DEFAULT_AVATAR,
            "workPosition": "",
        }
    return {
        "id": str(user.id),
        "name": user.full_name,
        "link": user_link(user.id),
        "icon": avatar(portal, user),
        "workPosition": user.work_position,
    }


def avatar(portal: Portal, user: User) -> str:
    """The user's avatar link (the default picture when none was uploaded)."""
    if user.photo is None:
        return DEFAULT_AVATAR
    return f"https://{portal.domain}{user.photo}"
