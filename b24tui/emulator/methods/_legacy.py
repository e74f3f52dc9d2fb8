"""Shared pieces of the legacy positional ``task.*item.*`` methods (comments, time spent).

These methods read their parameters **by position**, whatever the keys are called (see
:func:`~b24tui.emulator.methods._common.positional`): a page's warning "pass parameters
in the order of the table" is how the portal behaves. Errors name the PHP class behind
the method (``ctaskcommentitem``) and the parameter at fault, as the pages show them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._common import parse_dt, php_int, positional
from b24tui.emulator.registry import Call

_TAGS = {
    4: "ACTION_NOT_ALLOWED",
    8: "ACTION_FAILED_TO_BE_PROCESSED",
    256: "WRONG_ARGUMENTS",
    512: "ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE",
}
FILTER_PREFIXES = ("<=", ">=", "!", "<", ">")
"""The filter prefixes the legacy pages list (``=`` is the default)."""


def legacy_error(number: int, text: str, *, end: str = ".<br>") -> RestError:
    """``ERROR_CORE`` ``TASKS_ERROR_EXCEPTION_#n; text; n/TE/TAG`` + ``end``."""
    return RestError(
        400,
        "ERROR_CORE",
        f"TASKS_ERROR_EXCEPTION_#{number}; {text}; {number}/TE/{_TAGS[number]}{end}",
    )


class LegacyArgs:
    """The positional arguments of one call to ``<php_class>::<method>()``."""

    def __init__(
        self, call: Call, php_class: str, method: str, names: tuple[str, ...], *, end: str
    ) -> None:
        self.values = positional(call)
        self.php_class = php_class
        self.method = method
        self.names = names
        self.end = end

    def error(self, number: int, text: str) -> RestError:
        """A ``TASKS_ERROR_EXCEPTION`` in this class's style."""
        return legacy_error(number, text, end=self.end)

    def missing(self, index: int) -> RestError:
        return self.error(
            256,
            f"Param #{index} ({self.names[index]}) expected by method "
            f"{self.php_class}::{self.method}(), but not given.",
        )

    def wrong_type(self, index: int, kind: str) -> RestError:
        return self.error(
            256,
            f"Param #{index} ({self.names[index]}) for method {self.php_class}::{self.method}() "
            f'expected to be of type "{kind}", but given something else.',
        )

    def wrong_key(self, index: int, key: str) -> RestError:
        return self.error(
            256,
            f"Param #{index} ({self.names[index]}) for method {self.php_class}::{self.method}() "
            f'must not contain key "{key}".',
        )

    def integer(self, index: int) -> int:
        """Argument ``index`` as an integer (PHP coercion: ``"13"`` is fine)."""
        if index >= len(self.values) or self.values[index] is None:
            raise self.missing(index)
        value = php_int(self.values[index])
        if value is None:
            raise self.wrong_type(index, "integer")
        return value

    def array(self, index: int) -> dict[str, Any]:
        """Argument ``index`` as an object (a PHP array); missing when absent or empty."""
        value = self.optional_array(index)
        if value is None:
            raise self.missing(index)
        return value

    def optional_array(self, index: int) -> dict[str, Any] | None:
        """Argument ``index`` as an object, or ``None`` when absent or empty."""
        if index >= len(self.values) or self.values[index] in (None, "", [], {}):
            return None
        value = self.values[index]
        if isinstance(value, list):
            value = {str(position): item for position, item in enumerate(value)}
        if not isinstance(value, dict):
            raise self.wrong_type(index, "array")
        return value

    def check_all(self) -> None:
        """Fail on the first missing argument, as the portal counts them first."""
        if len(self.values) < len(self.names):
            raise self.missing(len(self.values))


def split_prefix(key: str) -> tuple[str, str]:
    """``">=POST_DATE"`` → ``(">=", "POST_DATE")``."""
    for prefix in FILTER_PREFIXES:
        if key.startswith(prefix):
            return prefix, key[len(prefix) :].upper()
    return "", key.upper()


def matches(value: int | str | datetime, prefix: str, wanted: object, tz: tzinfo) -> bool:
    """One legacy filter condition; a list of wanted values matches if any does (``!``:
    if none does). A value that cannot be read as the field's type matches nothing."""
    choices = wanted if isinstance(wanted, list) else [wanted]
    if prefix == "!":
        return not any(matches(value, "", choice, tz) for choice in choices)
    return any(_compare(value, prefix, choice, tz) for choice in choices)


def _compare(value: int | str | datetime, prefix: str, wanted: object, tz: tzinfo) -> bool:
    other: int | str | datetime | None
    if isinstance(value, datetime):
        try:
            other = parse_dt(wanted, tz)
        except ValueError:
            return False
    elif isinstance(value, int):
        other = php_int(wanted)
    else:
        other = str(wanted).lower()
        value = value.lower()
    if other is None:
        return False
    tests: dict[str, Callable[[Any, Any], bool]] = {
        "": lambda a, b: a == b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    return tests[prefix](value, other)


def ordered(
    rows: Iterable[Any],
    order: dict[str, Any],
    keys: dict[str, Callable[[Any], Any]],
    args: LegacyArgs,
    index: int,
) -> list[Any]:
    """``rows`` sorted by ``order`` (``{"POST_DATE": "asc"}``), the first key first."""
    pairs: list[tuple[Callable[[Any], Any], bool]] = []
    for raw_key, direction in order.items():
        key = keys.get(str(raw_key).upper())
        if key is None:
            raise args.wrong_key(index, str(raw_key))
        pairs.append((key, str(direction).strip().lower() == "desc"))
    result = list(rows)
    for key, descending in reversed(pairs):
        result.sort(key=key, reverse=descending)
    return result
