"""``tasks.task.list``'s ``filter`` and ``order`` (v1 syntax).

Filter keys are UPPER field names with an optional prefix: ``!`` not equal, ``<``,
``<=``, ``>``, ``>=``, ``%`` substring (``!%`` not), ``=`` equal, ``@``/``!@`` in / not in.
An array value means "any of". ``TITLE`` without a prefix matches a ``%``/``_`` pattern
(a substring when it has no wildcard). ``STATUS`` also takes the meta statuses ``-1``
overdue, ``-2`` not viewed and ``-3`` almost overdue; ``REAL_STATUS`` is the stored status.
``"::SUBFILTER-PARAMS": {"FAVORITE": "Y"}`` keeps the caller's favourites. Unknown keys
are ignored, as the portal does. ``MEMBER`` (any role) and ``DOER`` (responsible or
accomplice) are accepted like the portal's own list pages use them.

A multi-valued field (``TAG``, ``UF_CRM_TASK``, ``ACCOMPLICE``, ``AUDITOR``, ``MEMBER``,
``DOER``, ``DEPENDS_ON``) matches when one of its values equals one wanted; a wanted
value no element can be (text against user ids) matches nothing, and only an empty value
(``""``, ``null``) asks for an empty list (inferred).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from b24tui.emulator.methods._common import parse_dt, php_int
from b24tui.emulator.methods._task_view import is_almost_overdue, is_not_viewed, is_overdue
from b24tui.emulator.state import Portal, Task

SORTABLE: tuple[str, ...] = (
    "ID",
    "TITLE",
    "TIME_SPENT_IN_LOGS",
    "DATE_START",
    "CREATED_DATE",
    "CHANGED_DATE",
    "CLOSED_DATE",
    "ACTIVITY_DATE",
    "START_DATE_PLAN",
    "END_DATE_PLAN",
    "DEADLINE",
    "REAL_STATUS",
    "STATUS_COMPLETE",
    "PRIORITY",
    "MARK",
    "CREATED_BY_LAST_NAME",
    "RESPONSIBLE_LAST_NAME",
    "GROUP_ID",
    "TIME_ESTIMATE",
    "ALLOW_CHANGE_DEADLINE",
    "ALLOW_TIME_TRACKING",
    "MATCH_WORK_TIME",
    "FAVORITE",
    "SORTING",
    "IS_PINNED",
    "IS_PINNED_IN_GROUP",
)
"""The sort keys ``tasks.task.list`` documents; any other key is an error."""

_PREFIXES = ("!%", "!@", "!=", ">=", "<=", "!", "<", ">", "=", "%", "@")


class InvalidSortKey(ValueError):
    """``order`` named a field that cannot be sorted by."""


TaskValue = Callable[[Task], Any]

_SCALAR: dict[str, TaskValue] = {
    "ID": lambda t: t.id,
    "PARENT_ID": lambda t: t.parent_id or 0,
    "GROUP_ID": lambda t: t.group_id,
    "CREATED_BY": lambda t: t.created_by,
    "STATUS_CHANGED_BY": lambda t: t.status_changed_by,
    "PRIORITY": lambda t: t.priority,
    "FORUM_TOPIC_ID": lambda t: t.forum_topic_id,
    "RESPONSIBLE_ID": lambda t: t.responsible_id,
    "TITLE": lambda t: t.title,
    "REAL_STATUS": lambda t: t.status,
    "MARK": lambda t: t.mark,
    "SITE_ID": lambda t: "s1",
    "ADD_IN_REPORT": lambda t: "Y" if t.add_in_report else "N",
    "DATE_START": lambda t: t.date_start,
    "DEADLINE": lambda t: t.deadline,
    "CREATED_DATE": lambda t: t.created_date,
    "CLOSED_DATE": lambda t: t.closed_date,
    "CHANGED_DATE": lambda t: t.changed_date,
    "STAGE_ID": lambda t: t.stage_id,
    "SPRINT_ID": lambda t: None,
    "BACKLOG_ID": lambda t: None,
    "TASK_CONTROL": lambda t: "Y" if t.task_control else "N",
}
_MULTI: dict[str, tuple[type[int] | type[str], Callable[[Task], list[Any]]]] = {
    "ACCOMPLICE": (int, lambda t: list(t.accomplices)),
    "AUDITOR": (int, lambda t: list(t.auditors)),
    "MEMBER": (int, lambda t: sorted(t.members())),
    "DOER": (int, lambda t: [t.responsible_id, *t.accomplices]),
    "TAG": (str, lambda t: list(t.tags)),
    "UF_CRM_TASK": (str, lambda t: list(t.crm)),
    "DEPENDS_ON": (int, lambda t: []),
}
"""The multi-valued fields: the type of their elements and the task's values."""

_NO_ELEMENT = object()
"""A wanted value no element of the field can equal (text against user ids)."""


def _split(key: str) -> tuple[str, str]:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return prefix, key[len(prefix) :].upper()
    return "", key.upper()


def _values(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def _like(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _coerce(sample: Any, wanted: object, tz: tzinfo) -> Any:
    """``wanted`` converted to the type of the task's value ``sample``."""
    if wanted is None or wanted == "":
        return None
    if isinstance(sample, datetime):
        try:
            return parse_dt(wanted, tz)
        except ValueError:
            return None
    if isinstance(sample, int):
        return php_int(wanted)
    return str(wanted)


def _element(kind: type[int] | type[str], wanted: object) -> Any:
    """``wanted`` as an element of a multi-valued field of ``kind``.

    ``None`` for an empty value (it asks for an empty list); :data:`_NO_ELEMENT` for a
    value no element can be, which matches nothing (never "the list is empty").
    """
    if wanted is None or wanted == "":
        return None
    if kind is int:
        number = php_int(wanted)
        return _NO_ELEMENT if number is None else number
    if isinstance(wanted, bool | dict | list):
        return _NO_ELEMENT
    return str(wanted)


def _compare(op: str, actual: Any, wanted: Any) -> bool:
    if op in ("", "=", "@"):
        if wanted is None:
            return actual in (None, 0, "")
        return bool(actual == wanted)
    if actual is None or wanted is None:
        return False
    if op == "<":
        return bool(actual < wanted)
    if op == "<=":
        return bool(actual <= wanted)
    if op == ">":
        return bool(actual > wanted)
    if op == ">=":
        return bool(actual >= wanted)
    return False


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "@": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _single_test(
    scalar: TaskValue, compare: Callable[[Any, Any], bool], target: Any
) -> Callable[[Task], bool]:
    """A fast test for the common one-value condition (``>ID: 5000``)."""

    def test(task: Task) -> bool:
        actual = scalar(task)
        return actual is not None and bool(compare(actual, target))

    return test


def _never(task: Task) -> bool:
    """The test of a comparison with no value: it holds for no task."""
    return False


def _negated(test: Callable[[Task], bool]) -> Callable[[Task], bool]:
    return lambda task: not test(task)


class TaskFilter:
    """A compiled v1 task filter for one caller."""

    def __init__(self, portal: Portal, user_id: int, now: datetime, raw: object) -> None:
        self.portal = portal
        self.user_id = user_id
        self.now = now
        self.tests: list[Callable[[Task], bool]] = []
        self.matches_nothing = False
        """Whether one of the tests fails for every task (no need to look at any)."""
        if isinstance(raw, dict):
            for key, value in raw.items():
                self._add(str(key), value)

    def _add(self, key: str, value: object) -> None:
        if key.upper() == "::SUBFILTER-PARAMS":
            if isinstance(value, dict) and str(value.get("FAVORITE", "")).upper() == "Y":
                favorites = self.portal.favorites.get(self.user_id, set())
                self.tests.append(lambda task: task.id in favorites)
            return
        if key.startswith("::"):
            return
        prefix, name = _split(key)
        negate = prefix.startswith("!")
        op = prefix.lstrip("!") or "="
        wanted = _values(value)
        test = self._field_test(name, op, wanted)
        if test is None:
            return
        if test is _never and not negate:
            self.matches_nothing = True
        self.tests.append(_negated(test) if negate else test)

    def _field_test(self, name: str, op: str, wanted: list[Any]) -> Callable[[Task], bool] | None:
        tz = self.portal.tz
        if name == "STATUS":
            return lambda task: any(self._status_matches(task, op, item) for item in wanted)
        if name == "ONLY_ROOT_TASKS":
            only_root = str(wanted[0]).upper() == "Y" if wanted else False
            return lambda task: not only_root or task.parent_id is None
        if name == "TITLE" or (op == "%" and name in _SCALAR):
            return self._text_test(name, op, wanted)
        if name in _MULTI:
            kind, getter = _MULTI[name]
            targets = [_element(kind, item) for item in wanted]
            empty_wanted = op == "=" and None in targets
            elements = [target for target in targets if target not in (None, _NO_ELEMENT)]

            def multi(task: Task) -> bool:
                actual = getter(task)
                if not actual:
                    return empty_wanted
                return any(_compare(op, value, target) for target in elements for value in actual)

            return multi
        if name in _SCALAR:
            scalar = _SCALAR[name]
            sample_task = Task(0, "", 0, 0, self.now, deadline=self.now, date_start=self.now)
            sample_task.closed_date = sample_task.changed_date = self.now
            sample = scalar(sample_task)
            if name in ("FORUM_TOPIC_ID", "STATUS_CHANGED_BY", "SPRINT_ID", "BACKLOG_ID"):
                sample = 0
            if name == "MARK":
                sample = ""
            targets = [_coerce(sample, item, tz) for item in wanted]
            if op in _OPERATORS and op not in ("=", "@") and all(t is None for t in targets):
                return _never  # compared with nothing (`>ID: ""`): no task is greater
            if len(targets) == 1 and targets[0] is not None and op in _OPERATORS:
                return _single_test(scalar, _OPERATORS[op], targets[0])

            def scalar_test(task: Task) -> bool:
                actual = scalar(task)
                return any(_compare(op, actual, target) for target in targets)

            return scalar_test
        return None

    def _text_test(self, name: str, op: str, wanted: list[Any]) -> Callable[[Task], bool]:
        getter = _SCALAR[name]
        patterns: list[re.Pattern[str] | None] = []
        for item in wanted:
            text = str(item)
            if op == "%" or (op == "=" and name == "TITLE" and not any(c in text for c in "%_")):
                patterns.append(_like(f"%{text}%"))
            elif op == "=":
                patterns.append(_like(text))
            else:
                patterns.append(None)

        def text_test(task: Task) -> bool:
            actual = str(getter(task) or "")
            for pattern, item in zip(patterns, wanted, strict=True):
                if pattern is not None:
                    if pattern.match(actual):
                        return True
                elif _compare(op, actual.lower(), str(item).lower()):
                    return True
            return False

        return text_test

    def _status_matches(self, task: Task, op: str, item: object) -> bool:
        wanted = php_int(item)
        if wanted is None:
            return False
        if op == "=" and wanted < 0:
            if wanted == -1:
                return is_overdue(task, self.now)
            if wanted == -2:
                return task.status in (2, 3) and is_not_viewed(task, self.user_id)
            if wanted == -3:
                return is_almost_overdue(task, self.now)
            return False
        return _compare(op, task.status, wanted)

    def __call__(self, task: Task) -> bool:
        return all(test(task) for test in self.tests)


def _sort_value(portal: Portal, user_id: int, key: str) -> Callable[[Task], Any]:
    def last_name(user_id_of: Callable[[Task], int]) -> Callable[[Task], Any]:
        def value(task: Task) -> Any:
            user = portal.users.get(user_id_of(task))
            return user.last_name.lower() if user else None

        return value

    table: dict[str, Callable[[Task], Any]] = {
        "ID": lambda t: t.id,
        "TITLE": lambda t: t.title.lower(),
        "TIME_SPENT_IN_LOGS": lambda t: t.time_spent_in_logs,
        "DATE_START": lambda t: t.date_start,
        "CREATED_DATE": lambda t: t.created_date,
        "CHANGED_DATE": lambda t: t.changed_date,
        "CLOSED_DATE": lambda t: t.closed_date,
        "ACTIVITY_DATE": lambda t: t.activity_date,
        "START_DATE_PLAN": lambda t: t.start_date_plan,
        "END_DATE_PLAN": lambda t: t.end_date_plan,
        "DEADLINE": lambda t: t.deadline,
        "REAL_STATUS": lambda t: t.status,
        "STATUS_COMPLETE": lambda t: 2 if t.status == 5 else 1,
        "PRIORITY": lambda t: t.priority,
        "MARK": lambda t: t.mark,
        "CREATED_BY_LAST_NAME": last_name(lambda t: t.created_by),
        "RESPONSIBLE_LAST_NAME": last_name(lambda t: t.responsible_id),
        "GROUP_ID": lambda t: t.group_id,
        "TIME_ESTIMATE": lambda t: t.time_estimate,
        "ALLOW_CHANGE_DEADLINE": lambda t: t.allow_change_deadline,
        "ALLOW_TIME_TRACKING": lambda t: t.allow_time_tracking,
        "MATCH_WORK_TIME": lambda t: t.match_work_time,
        "FAVORITE": lambda t: portal.is_favorite(user_id, t.id),
        "SORTING": lambda t: None,
        "IS_PINNED": lambda t: user_id in t.pinned_by,
        "IS_PINNED_IN_GROUP": lambda t: False,
    }
    return table[key]


def id_order(order: object) -> bool | None:
    """Whether ``order`` sorts by ID alone: ``True`` descending (also the default, no
    order), ``False`` ascending, ``None`` by anything else."""
    if not isinstance(order, dict) or not order:
        return True
    if len(order) != 1:
        return None
    [(key, direction)] = order.items()
    if str(key).upper() != "ID":
        return None
    return str(direction).strip().lower() == "desc"


def id_floor(raw: object) -> int | None:
    """The smallest ID a task matching the filter ``raw`` can have, from its ``>ID`` or
    ``>=ID`` (``None``: the filter sets none that is a plain number)."""
    return _id_bound(raw, {">": 1, ">=": 0}, max)


def id_ceiling(raw: object) -> int | None:
    """The largest ID a task matching the filter ``raw`` can have, from its ``<ID`` or
    ``<=ID`` (``None``: the filter sets none that is a plain number)."""
    return _id_bound(raw, {"<": -1, "<=": 0}, min)


def _id_bound(
    raw: object, offsets: dict[str, int], tightest: Callable[[int, int], int]
) -> int | None:
    if not isinstance(raw, dict):
        return None
    bound: int | None = None
    for key, value in raw.items():
        prefix, name = _split(str(key))
        if name != "ID" or prefix not in offsets:
            continue
        text = str(value).strip() if isinstance(value, int | str) else ""
        if not text.isdigit():
            continue
        found = int(text) + offsets[prefix]
        bound = found if bound is None else tightest(bound, found)
    return bound


def sort_tasks(portal: Portal, user_id: int, tasks: list[Task], order: object) -> list[Task]:
    """Sort like the portal's SQL: the given keys in turn, ``NULL`` first when ascending.

    Raises:
        InvalidSortKey: a key is not one of :data:`SORTABLE`.
    """
    pairs: list[tuple[str, bool]] = []
    if isinstance(order, dict) and order:
        for raw_key, raw_direction in order.items():
            key = str(raw_key).upper()
            if key not in SORTABLE:
                raise InvalidSortKey(key)
            pairs.append((key, str(raw_direction).strip().lower() == "desc"))
    else:
        pairs.append(("ID", True))
    if not any(key == "ID" for key, _ in pairs):
        pairs.append(("ID", pairs[0][1]))
    ordered = list(tasks)
    for key, descending in reversed(pairs):
        ordered.sort(key=_null_first(_sort_value(portal, user_id, key)), reverse=descending)
    return ordered


def _null_first(value: Callable[[Task], Any]) -> Callable[[Task], tuple[bool, Any]]:
    """A sort key putting ``None`` before every value (after them when reversed)."""

    def key(task: Task) -> tuple[bool, Any]:
        actual = value(task)
        return (actual is not None, 0 if actual is None else actual)

    return key
