"""Coercion helpers: Bitrix24 JSON values into plain Python values.

Bitrix24 sends numbers as strings (``"8017"``), booleans as ``"Y"``/``"N"`` (and sometimes
as JSON booleans or ``"1"``/``"0"``), empty strings and nulls for "no value", ``[]`` where
an object is empty, and durations as ``HH:MM:SS``. Every model reads its fields through
these helpers so that each quirk is handled in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

__all__ = [
    "ModelError",
    "brief",
    "first_key",
    "require",
    "require_id",
    "require_mapping",
    "to_bool",
    "to_datetime",
    "to_duration",
    "to_id_tuple",
    "to_int",
    "to_list",
    "to_mapping",
    "to_str",
    "to_timestamp",
]

_TRUE_WORDS = frozenset({"y", "yes", "true", "1", "on"})
_FALSE_WORDS = frozenset({"n", "no", "false", "0", "off", ""})
_DURATION = re.compile(r"^(-)?(\d+):([0-5]?\d)(?::([0-5]?\d))?$")
_MISSING: Any = object()


def brief(value: object, limit: int = 60) -> str:
    """`repr(value)` cut to `limit` characters, for error messages that stay one line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ModelError(ValueError):
    """A Bitrix24 answer could not be turned into a model; names the field at fault.

    Attributes:
        field: The name of the offending field as it appears in the answer.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def first_key(data: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    """The value of the first of `keys` present in `data` (camelCase or UPPER spellings)."""
    for key in keys:
        if key in data:
            return data[key]
    return default


def to_int(value: object, field: str = "value") -> int | None:
    """An int from ``8017``, ``"8017"``, ``"8017.0"``; None from ``None``, ``""``, ``[]``.

    Raises:
        ModelError: The value is something else (a word, a dict, a bool).
    """
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        raise ModelError(field, f"expected a number, got {brief(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ModelError(field, f"expected a whole number, got {brief(value)}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise ModelError(field, f"expected a number, got {brief(value)}") from None
        if number.is_integer():
            return int(number)
    raise ModelError(field, f"expected a number, got {brief(value)}")


def to_bool(value: object, field: str = "value", *, default: bool = False) -> bool:
    """A bool from ``"Y"``/``"N"``, ``true``/``false``, ``"1"``/``"0"``, ``1``/``0``.

    ``None`` gives `default`.

    Raises:
        ModelError: The value is not one of the known spellings.
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ModelError(field, f"expected a yes/no flag, got {brief(value)}")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ModelError(field, f"expected a yes/no flag, got {brief(value)}")


def to_str(value: object, field: str = "value") -> str:
    """A string; ``None`` and ``[]`` give ``""``, numbers are written out.

    Raises:
        ModelError: The value is an object or a non-empty list.
    """
    if value is None or value == [] or value is False:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ModelError(field, f"expected text, got {type(value).__name__}")


def to_datetime(value: object, field: str = "value", *, assume_tz: tzinfo = UTC) -> datetime | None:
    """An aware datetime from ISO 8601 text (``2025-09-11T08:00:00+02:00``, ``...Z``).

    ``None``, ``""``, ``[]`` and ``{}`` give None. Text without an offset is taken in
    `assume_tz` (UTC unless told). A bare date is its midnight. A number is a Unix timestamp.

    Raises:
        ModelError: The value is not a date.
    """
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = _legacy_datetime(text, field)
    else:
        raise ModelError(field, f"expected a date and time, got {brief(value)}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=assume_tz)
    return moment


def _legacy_datetime(text: str, field: str) -> datetime:
    """Parse the portal's ``dd.mm.yyyy[ hh:mm[:ss]]`` form (seen in older answers)."""
    for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ModelError(field, f"expected a date and time, got {brief(text)}")


def to_timestamp(moment: datetime | date) -> str:
    """ISO 8601 text with an offset, as Bitrix24 accepts it (``2025-12-31T23:59:59+02:00``).

    A naive datetime is taken as UTC; a date is its UTC midnight.
    """
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def to_duration(value: object, field: str = "value") -> timedelta | None:
    """A timedelta from ``HH:MM:SS`` (or ``HH:MM``) or a number of seconds.

    ``None`` and ``""`` give None; ``"00:00:00"`` is a zero timedelta.

    Raises:
        ModelError: The value is not a duration.
    """
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match:
            sign, hours, minutes, seconds = match.groups()
            span = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
            return -span if sign else span
        seconds_value = to_int(value, field)
        if seconds_value is not None:
            return timedelta(seconds=seconds_value)
    raise ModelError(field, f"expected a duration like HH:MM:SS, got {brief(value)}")


def to_list(value: object, field: str = "value") -> list[Any]:
    """A list from a list, the values of a dict (``{"3": {...}}``), or ``None``/``""``.

    A single scalar becomes a one-item list.
    """
    if value is None or value == "" or value is False:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return list(value.values())
    return [value]


def to_mapping(value: object, field: str = "value") -> Mapping[str, Any]:
    """A mapping; ``None``, ``""``, ``false`` and ``[]`` (PHP's empty array) give ``{}``.

    Raises:
        ModelError: The value is a non-empty list or a scalar.
    """
    if value is None or value == "" or value is False:
        return {}
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list | tuple) and not value:
        return {}
    raise ModelError(field, f"expected an object, got {type(value).__name__}")


def to_id_tuple(value: object, field: str = "value") -> tuple[int, ...]:
    """Ids from ``["3", "11"]``, ``[3, 11]``, ``{"3": ..., "11": ...}`` keys, or ``None``.

    Zero and empty entries are dropped; order is kept and duplicates removed.
    """
    if isinstance(value, Mapping):
        items: Iterable[object] = value.keys()
    else:
        items = to_list(value, field)
    seen: dict[int, None] = {}
    for item in items:
        number = to_int(item.get("id") if isinstance(item, Mapping) else item, field)
        if number:
            seen.setdefault(number, None)
    return tuple(seen)


def require(value: object, field: str) -> object:
    """`value`, or a ModelError naming `field` when it is absent (None or ``""``)."""
    if value is None or value == "" or value is _MISSING:
        raise ModelError(field, "is missing")
    return value


def require_id(data: Mapping[str, Any], *keys: str) -> int:
    """The positive id under the first of `keys`; a ModelError naming the field otherwise."""
    field = keys[0]
    raw = first_key(data, *keys, default=_MISSING)
    if raw is _MISSING or raw is None or raw == "":
        raise ModelError(field, "is missing")
    number = to_int(raw, field)
    if number is None or number <= 0:
        raise ModelError(field, f"expected a positive id, got {brief(raw)}")
    return number


def require_mapping(value: object, what: str) -> Mapping[str, Any]:
    """`value` as a mapping, or a ModelError saying `what` was expected."""
    if not isinstance(value, Mapping):
        raise ModelError(what, f"expected an object, got {type(value).__name__}")
    return value
