"""Users: ``user.current`` / ``user.get`` rows and the ``profile`` of the credential's owner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from b24tui.models._coerce import (
    ModelError,
    first_key,
    require_id,
    require_mapping,
    to_bool,
    to_datetime,
    to_id_tuple,
    to_list,
    to_str,
)

__all__ = ["InactiveProfileError", "Profile", "User", "full_name"]


def full_name(name: str, last_name: str, *, email: str = "", user_id: int = 0) -> str:
    """ "Name Last", falling back to the e-mail, then to "User #id" when names are empty."""
    joined = " ".join(part.strip() for part in (name, last_name) if part and part.strip())
    return joined or email.strip() or f"User #{user_id}"


@dataclass(frozen=True, slots=True)
class User:
    """A portal user as ``user.current`` and ``user.get`` describe them.

    Attributes:
        departments: Ids of the user's departments (``UF_DEPARTMENT``).
        is_online: Whether the portal sees the user online now.
        user_type: ``employee``, ``extranet`` or ``email`` ("" when not sent).
        time_zone: The zone the user set in their profile (``Europe/Berlin``); "" when
            the portal's applies. Times are shown in it.
    """

    id: int
    name: str = ""
    last_name: str = ""
    second_name: str = ""
    email: str = ""
    active: bool = True
    work_position: str = ""
    is_online: bool = False
    departments: tuple[int, ...] = ()
    last_login: datetime | None = None
    photo: str = ""
    user_type: str = ""
    time_zone: str = ""

    @property
    def full_name(self) -> str:
        """ "Name Last", or the e-mail, or "User #id" when the portal has no name."""
        return full_name(self.name, self.last_name, email=self.email, user_id=self.id)

    @classmethod
    def from_api(cls, data: object) -> User:
        """From a ``user.current`` result or a ``user.get`` row (UPPER keys; camelCase read too).

        Raises:
            ModelError: The row has no id, or a field is malformed.
        """
        raw: Mapping[str, Any] = require_mapping(data, "result")

        def get(upper: str, camel: str) -> Any:
            return first_key(raw, upper, camel)

        return cls(
            id=require_id(raw, "ID", "id"),
            name=to_str(get("NAME", "name"), "NAME"),
            last_name=to_str(get("LAST_NAME", "lastName"), "LAST_NAME"),
            second_name=to_str(get("SECOND_NAME", "secondName"), "SECOND_NAME"),
            email=to_str(get("EMAIL", "email"), "EMAIL"),
            active=to_bool(get("ACTIVE", "active"), "ACTIVE", default=True),
            work_position=to_str(get("WORK_POSITION", "workPosition"), "WORK_POSITION"),
            is_online=to_bool(get("IS_ONLINE", "isOnline"), "IS_ONLINE"),
            departments=to_id_tuple(get("UF_DEPARTMENT", "ufDepartment"), "UF_DEPARTMENT"),
            last_login=to_datetime(get("LAST_LOGIN", "lastLogin"), "LAST_LOGIN"),
            photo=to_str(get("PERSONAL_PHOTO", "personalPhoto"), "PERSONAL_PHOTO"),
            user_type=to_str(get("USER_TYPE", "userType"), "USER_TYPE"),
            time_zone=to_str(get("TIME_ZONE", "timeZone"), "TIME_ZONE"),
        )

    def to_api(self) -> dict[str, Any]:
        """This user as a ``user.get`` row (UPPER keys), which :meth:`from_api` reads back
        equal: the form a snapshot cache keeps."""
        return {
            "ID": str(self.id),
            "NAME": self.name,
            "LAST_NAME": self.last_name,
            "SECOND_NAME": self.second_name,
            "EMAIL": self.email,
            "ACTIVE": self.active,
            "WORK_POSITION": self.work_position,
            "IS_ONLINE": "Y" if self.is_online else "N",
            "UF_DEPARTMENT": list(self.departments),
            "LAST_LOGIN": None if self.last_login is None else self.last_login.isoformat(),
            "PERSONAL_PHOTO": self.photo,
            "USER_TYPE": self.user_type,
            "TIME_ZONE": self.time_zone,
        }

    @classmethod
    def many_from_api(cls, result: object) -> tuple[User, ...]:
        """Every row of a ``user.get`` result (``[]`` and null give none)."""
        return tuple(cls.from_api(row) for row in to_list(result, "result"))


class InactiveProfileError(ModelError):
    """``profile`` answered an empty ``result``: the credential's user is inactive."""

    def __init__(self) -> None:
        super().__init__("result", "is empty: the user behind these credentials is inactive")


@dataclass(frozen=True, slots=True)
class Profile:
    """``profile``: who the credentials belong to (works with the ``basic`` scope alone).

    Attributes:
        admin: Whether the user is a portal administrator.
        time_zone: The user's time zone name ("" when the portal's default applies).
    """

    id: int
    admin: bool = False
    name: str = ""
    last_name: str = ""
    time_zone: str = ""
    photo: str = ""
    gender: str = ""

    @property
    def full_name(self) -> str:
        """ "Name Last", or "User #id" when the portal has no name."""
        return full_name(self.name, self.last_name, user_id=self.id)

    @classmethod
    def from_api(cls, data: object) -> Profile:
        """From the method's ``result``.

        Raises:
            InactiveProfileError: ``result`` is empty (``[]``, ``{}`` or null), which the
                portal answers for an inactive user.
            ModelError: The profile has no id, or a field is malformed.
        """
        if data is None or data == [] or data == {} or data == "":
            raise InactiveProfileError
        raw: Mapping[str, Any] = require_mapping(data, "result")
        return cls(
            id=require_id(raw, "ID", "id"),
            admin=to_bool(raw.get("ADMIN"), "ADMIN"),
            name=to_str(raw.get("NAME"), "NAME"),
            last_name=to_str(raw.get("LAST_NAME"), "LAST_NAME"),
            time_zone=to_str(raw.get("TIME_ZONE"), "TIME_ZONE"),
            photo=to_str(raw.get("PERSONAL_PHOTO"), "PERSONAL_PHOTO"),
            gender=to_str(raw.get("PERSONAL_GENDER"), "PERSONAL_GENDER"),
        )
