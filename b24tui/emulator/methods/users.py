"""``user.current``, ``user.get`` (scope ``user``) and ``profile`` (scope ``basic``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from b24tui.emulator.methods._common import as_list, fmt_dt, named, php_bool, php_int
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.state import Portal, User

PAGE_SIZE = 50
_RESERVED = {"SORT", "ORDER", "FILTER", "SELECT", "START", "ADMIN_MODE", "IMAGE_RESIZE", "AUTH"}
_PREFIXES = ("!%=", "!=%", "!@", "!%", "=%", "%=", ">=", "<=", "!=", "!", "@", "%", ">", "<", "=")


def user_fields(portal: Portal, user: User, *, current: bool = False) -> dict[str, Any]:
    """A user as ``user.get`` returns it (all fields the ``user`` scope allows).

    The keys and their order are those the ``user.get`` page shows on its fullest user.
    ``TIMESTAMP_X`` and ``LAST_ACTIVITY_DATE`` come as ``{}`` there: the portal hands PHP
    date objects to the JSON encoder, which writes an object without properties; real
    portals answer the same. ``user.current`` (``current=True``) writes both as text, as
    its own page and the batch page's ``user.current`` show: ``"24.08.2023 13:19:39"`` (the
    portal's date format) and ``"2024-08-29 10:30:11"``.
    """
    changed: Any = {}
    last_activity: Any = {}
    if current:
        changed = _local(portal, user.profile_changed, "%d.%m.%Y %H:%M:%S")
        last_activity = _local(portal, user.last_login, "%Y-%m-%d %H:%M:%S")
    birthday = datetime.combine(user.birthday, time(0), tzinfo=portal.tz) if user.birthday else None
    answer: dict[str, Any] = {
        "ID": str(user.id),
        "ACTIVE": user.active,
        "NAME": user.name,
        "LAST_NAME": user.last_name,
        "SECOND_NAME": user.second_name,
        "EMAIL": user.email,
        "LAST_LOGIN": fmt_dt(user.last_login, portal.tz),
        "DATE_REGISTER": fmt_dt(user.date_register, portal.tz),
        "TIME_ZONE": user.time_zone,
        "IS_ONLINE": "Y" if user.is_online else "N",
        "TIMESTAMP_X": changed,
        "LAST_ACTIVITY_DATE": last_activity,
        "PERSONAL_GENDER": user.gender,
        "PERSONAL_WWW": user.personal_www,
        "PERSONAL_BIRTHDAY": fmt_dt(birthday, portal.tz) or "",
        "PERSONAL_MOBILE": user.personal_mobile,
        "PERSONAL_CITY": user.personal_city,
        "WORK_PHONE": user.work_phone,
        "WORK_POSITION": user.work_position,
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": list(user.departments),
        "USER_TYPE": "employee",
    }
    if user.photo is not None:
        answer["PERSONAL_PHOTO"] = f"https://{portal.domain}{user.photo}"
    return answer


def _local(portal: Portal, moment: datetime | None, pattern: str) -> str:
    return moment.astimezone(portal.tz).strftime(pattern) if moment else ""


@REGISTRY.method("user.current", scope="user")
def user_current(call: Call) -> Any:
    """The caller (for a webhook, its owner); ``[]`` if that person no longer exists."""
    user = call.portal.users.get(call.user_id)
    if user is None:
        return []
    return user_fields(call.portal, user, current=True)


def _split(key: str) -> tuple[str, str]:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return prefix, key[len(prefix) :].upper()
    return "", key.upper()


def _like(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if char == "%" else re.escape(char) for char in pattern)
    return re.compile("^" + body + "$", re.IGNORECASE | re.DOTALL)


def _matches(value: Any, op: str, wanted: Any) -> bool:
    """One filter condition on one field value (lists match if any element does)."""
    if isinstance(value, list):
        return any(_matches(item, op, wanted) for item in value)
    if op in ("", "=", "!", "!=", "@", "!@"):
        if isinstance(value, bool):
            return value == php_bool(wanted)
        if isinstance(value, int):
            return value == php_int(wanted)
        if "%" in str(wanted):  # "NAME": "Iv%", as the page's own example filters
            return bool(_like(str(wanted)).match(str(value)))
        return str(value).lower() == str(wanted).lower()
    if op in ("%", "!%"):
        return str(wanted).lower() in str(value).lower()
    if op in ("=%", "%=", "!=%", "!%="):
        return bool(_like(str(wanted)).match(str(value)))
    if isinstance(value, int) and not isinstance(value, bool):
        number = php_int(wanted)
        if number is None:
            return False
        return {
            ">": value > number,
            ">=": value >= number,
            "<": value < number,
            "<=": value <= number,
        }.get(op, False)
    text, other = str(value), str(wanted)
    return {">": text > other, ">=": text >= other, "<": text < other, "<=": text <= other}.get(
        op, False
    )


def _field_value(user: User, name: str) -> Any:
    table: dict[str, Callable[[User], Any]] = {
        "ID": lambda u: u.id,
        "ACTIVE": lambda u: u.active,
        "NAME": lambda u: u.name,
        "LAST_NAME": lambda u: u.last_name,
        "SECOND_NAME": lambda u: u.second_name,
        "EMAIL": lambda u: u.email,
        "LOGIN": lambda u: u.login,
        "WORK_POSITION": lambda u: u.work_position,
        "PERSONAL_GENDER": lambda u: u.gender,
        "PERSONAL_CITY": lambda u: u.personal_city,
        "PERSONAL_WWW": lambda u: u.personal_www,
        "PERSONAL_MOBILE": lambda u: u.personal_mobile,
        "WORK_PHONE": lambda u: u.work_phone,
        "UF_DEPARTMENT": lambda u: list(u.departments),
        "IS_ONLINE": lambda u: "Y" if u.is_online else "N",
        "USER_TYPE": lambda u: "employee",
        "TIME_ZONE": lambda u: u.time_zone,
    }
    getter = table.get(name)
    return None if getter is None else getter(user)


def _filter(user: User, conditions: dict[str, Any]) -> bool:
    for key, wanted in conditions.items():
        prefix, name = _split(str(key))
        if name == "NAME_SEARCH":
            haystack = f"{user.name} {user.last_name} {user.email}".lower()
            if str(wanted).lower() not in haystack:
                return False
            continue
        value = _field_value(user, name)
        if value is None:
            continue
        choices = as_list(wanted) if isinstance(wanted, list | dict) else [wanted]
        hit = any(_matches(value, prefix, choice) for choice in choices or [])
        if prefix.startswith("!"):
            hit = not hit
        if not hit:
            return False
    return True


def _sort_key(field: str) -> Callable[[User], tuple[Any, int]]:
    def key(user: User) -> tuple[Any, int]:
        value = _field_value(user, field)
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, user.id)
        return (str(value or "").lower(), user.id)

    return key


@REGISTRY.method("user.get", scope="user")
def user_get(call: Call) -> Page:
    """``filter``/``FILTER`` (or top-level keys), ``sort``, ``order``, ``select``, ``start``."""
    params = named(call)
    conditions: dict[str, Any] = {}
    for key, value in params.items():
        if key.upper() == "FILTER" and isinstance(value, dict):
            conditions.update(value)
        elif key.upper() not in _RESERVED:
            conditions[key] = value
    portal = call.portal
    users = [user for user in portal.users.values() if _filter(user, conditions)]
    sort_field = str(params.get("sort") or params.get("SORT") or "ID").upper()
    descending = str(params.get("order") or params.get("ORDER") or "ASC").upper() == "DESC"
    users.sort(key=_sort_key(sort_field), reverse=descending)
    select = as_list(params.get("select") or params.get("SELECT"))
    wanted = {str(name).upper() for name in select or []}

    def shape(user: User) -> dict[str, Any]:
        row = user_fields(portal, user)
        if not wanted or "*" in wanted:
            return row
        return {key: value for key, value in row.items() if key in wanted or key == "ID"}

    start = php_int(params.get("start", 0))
    if start == -1:
        return Page([shape(user) for user in users[:PAGE_SIZE]], 0, None)
    offset = max(start or 0, 0)
    page = [shape(user) for user in users[offset : offset + PAGE_SIZE]]
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < len(users) else None
    return Page(page, len(users), following)


@REGISTRY.method("profile", scope="basic")
def profile(call: Call) -> Any:
    """The caller's basic data; empty for an inactive user."""
    user = call.portal.users.get(call.user_id)
    if user is None or not user.active:
        return []
    answer: dict[str, Any] = {
        "ID": str(user.id),
        "ADMIN": user.admin,
        "NAME": user.name,
        "LAST_NAME": user.last_name,
        "PERSONAL_GENDER": user.gender,
        "TIME_ZONE": user.time_zone,
    }
    if user.photo is not None:
        answer["PERSONAL_PHOTO"] = f"https://{call.portal.domain}{user.photo}"
    return answer
