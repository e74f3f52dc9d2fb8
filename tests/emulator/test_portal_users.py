"""``user.current``, ``user.get`` and ``profile``."""

from __future__ import annotations

from typing import Any

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal, build_portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.seed import ADMIN_USER_ID
from b24tui.emulator.state import User
from tests.conftest import FIXED_NOW
from tests.pages import response_body

ME = DEMO_USER_ID


def call(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    scopes = DEFAULT_SCOPES | {"basic"}
    return found.handler(Call(portal, user, scopes, "v1", params or {}, portal.now()))


def ids(page: Page) -> list[int]:
    return [int(row["ID"]) for row in page.result]


def test_current_is_the_webhook_owner_in_the_documented_shape(portal: Portal) -> None:
    example = response_body("api-reference/user/user-current.md")["result"]
    me = call(portal, "user.current")
    assert set(example) <= set(me)
    assert me["ID"] == str(ME)
    assert me["ACTIVE"] is True
    assert me["UF_DEPARTMENT"] == [1]


def test_get_filters_by_id_array_and_selects(portal: Portal) -> None:
    page = call(
        portal,
        "user.get",
        {"filter": {"@ID": [1, 3, 503]}, "select": ["ID", "NAME", "LAST_NAME"], "start": -1},
    )
    assert ids(page) == [1, 3]
    assert set(page.result[0]) == {"ID", "NAME", "LAST_NAME"}
    assert (page.total, page.next) == (0, None)


def test_get_accepts_upper_filter_top_level_keys_and_patterns(portal: Portal) -> None:
    assert ids(call(portal, "user.get", {"FILTER": {"ID": "5"}})) == [5]
    assert ids(call(portal, "user.get", {"ID": 7})) == [7]
    starts = call(portal, "user.get", {"filter": {"NAME": "Gr%"}})
    assert all(row["NAME"].startswith("Gr") for row in starts.result)
    like = call(portal, "user.get", {"filter": {"%LAST_NAME": "son"}})
    assert all("son" in row["LAST_NAME"].lower() for row in like.result)
    not_like = call(portal, "user.get", {"filter": {"!%LAST_NAME": "a"}})
    assert not_like.result
    assert all("a" not in row["LAST_NAME"].lower() for row in not_like.result)
    newer = call(portal, "user.get", {"filter": {">ID": 8}})
    assert ids(newer) == [9, 10]


def test_get_sorts_and_pages_by_fifty() -> None:
    portal = build_portal("empty", clock=FrozenClock(FIXED_NOW))
    for user_id in range(11, 131):
        portal.users[user_id] = User(user_id, f"Person {user_id}", "Test", f"p{user_id}@x.example")
    first = call(portal, "user.get", {})
    assert (len(first.result), first.total, first.next) == (50, 130, 50)
    last = call(portal, "user.get", {"start": "100"})
    assert (len(last.result), last.next) == (30, None)
    backwards = call(portal, "user.get", {"sort": "ID", "order": "DESC"})
    assert ids(backwards)[0] == 130


def test_profile_is_basic_and_says_admin(portal: Portal) -> None:
    example = response_body("api-reference/common/users/profile.md")["result"]
    mine = call(portal, "profile")
    assert set(example) <= set(mine)
    assert mine["ADMIN"] is False
    assert call(portal, "profile", user=ADMIN_USER_ID)["ADMIN"] is True
    portal.users[ME].active = False
    assert call(portal, "profile") == []
