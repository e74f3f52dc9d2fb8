"""Users from user.current / user.get and the credential owner's profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from b24tui.models import InactiveProfileError, ModelError, Profile, User
from tests.pages import response_body


def test_current_user_example_reads_name_and_presence() -> None:
    body = response_body("api-reference/user/user-current.md")
    me = User.from_api(body["result"])
    assert me.id == 3
    assert me.full_name == "John Smith"
    assert me.email == "test@gmail.com"
    assert me.active is True
    assert me.is_online is True  # "IS_ONLINE": "Y"
    assert me.departments == (1,)
    assert me.work_position == ""
    assert me.last_login == datetime(2024, 7, 23, 8, 7, 26, tzinfo=UTC)


def test_user_get_example_reads_every_row() -> None:
    body = response_body("api-reference/user/user-get.md")
    users = User.many_from_api(body["result"])
    assert [(user.id, user.full_name, user.is_online) for user in users] == [
        (1, "Vadim Valeev", True),
        (3, "John Smith", False),
    ]
    assert users[0].user_type == "employee"


def test_profile_example_reads_the_owner() -> None:
    body = response_body("api-reference/common/users/profile.md")
    profile = Profile.from_api(body["result"])
    assert profile.id == 1
    assert profile.admin is True
    assert profile.full_name == "Vadim Valeev"
    assert profile.time_zone == ""


@pytest.mark.parametrize("empty", [[], {}, None])
def test_empty_profile_means_an_inactive_user(empty: object) -> None:
    with pytest.raises(InactiveProfileError, match="inactive") as caught:
        Profile.from_api(empty)
    assert isinstance(caught.value, ModelError)
    assert isinstance(caught.value, ValueError)


def test_full_name_falls_back_to_email_then_to_the_id() -> None:
    assert User.from_api({"ID": "7", "NAME": "", "LAST_NAME": "", "EMAIL": "a@b.c"}).full_name == (
        "a@b.c"
    )
    assert User.from_api({"ID": "7", "NAME": " ", "LAST_NAME": None}).full_name == "User #7"
    assert User.from_api({"ID": "7", "NAME": "Ann"}).full_name == "Ann"
    assert User.from_api({"ID": "7", "LAST_NAME": "Lee"}).full_name == "Lee"


def test_user_tolerates_php_empty_objects_and_unknown_keys() -> None:
    user = User.from_api(
        {"ID": 4, "LAST_LOGIN": {}, "UF_DEPARTMENT": [], "SOMETHING": {"x": 1}, "ACTIVE": "N"}
    )
    assert user.last_login is None
    assert user.departments == ()
    assert user.active is False


def test_user_without_id_names_the_field() -> None:
    with pytest.raises(ModelError, match=r"^ID:"):
        User.from_api({"NAME": "Nobody"})
    with pytest.raises(ModelError, match=r"^ID:"):
        Profile.from_api({"NAME": "Nobody"})
