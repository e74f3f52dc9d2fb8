"""The fields ``user.get`` and ``user.current`` send, as their pages show them on every user."""

from __future__ import annotations

import re
from typing import Any

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.registry import REGISTRY, Call, Page
from tests.pages import response_body


def call(portal: Portal, method: str, params: Any = None) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    return found.handler(
        Call(portal, DEMO_USER_ID, DEFAULT_SCOPES, "v1", params or {}, portal.now())
    )


def kinds(record: dict[str, Any]) -> dict[str, str]:
    return {key: type(value).__name__ for key, value in record.items()}


def test_every_user_get_row_has_every_field_and_type_of_the_pages_fullest_user(
    portal: Portal,
) -> None:
    documented = response_body("api-reference/user/user-get.md")["result"][0]
    page = call(portal, "user.get")
    assert isinstance(page, Page)
    assert page.result
    for row in page.result:
        assert set(documented) <= set(row), sorted(set(documented) - set(row))
        assert {key: kinds(row)[key] for key in documented} == kinds(documented)


def test_user_current_has_the_fields_and_types_of_its_page_and_the_batch_page(
    portal: Portal,
) -> None:
    me = call(portal, "user.current")
    for documented in (
        response_body("api-reference/user/user-current.md")["result"],
        response_body("settings/how-to-call-rest-api/batch.md")["result"]["result"]["get_user"],
    ):
        assert {key: kinds(me)[key] for key in documented} == kinds(documented)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", me["TIMESTAMP_X"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", me["LAST_ACTIVITY_DATE"])


def test_the_new_fields_carry_plausible_seeded_values(portal: Portal) -> None:
    rows = call(portal, "user.get").result
    assert any(row["WORK_PHONE"].startswith("+") for row in rows)
    assert any(row["PERSONAL_MOBILE"].startswith("+") for row in rows)
    assert any(row["PERSONAL_WWW"].startswith("https://") for row in rows)
    birthdays = [row["PERSONAL_BIRTHDAY"] for row in rows if row["PERSONAL_BIRTHDAY"]]
    assert birthdays
    assert all(day.endswith("T00:00:00+02:00") for day in birthdays)
    assert len({row["WORK_PHONE"] for row in rows}) == len(rows)  # nobody shares a line


def test_the_new_fields_can_be_selected_and_filtered(portal: Portal) -> None:
    phone = call(portal, "user.get", {"FILTER": {"ID": 5}}).result[0]["WORK_PHONE"]
    page = call(portal, "user.get", {"filter": {"WORK_PHONE": phone}, "select": ["WORK_PHONE"]})
    assert page.result == [{"ID": "5", "WORK_PHONE": phone}]


def test_a_name_with_a_wildcard_finds_the_names_it_starts(portal: Portal) -> None:
    # The page's "Filtering by a name starting with John": {"filter": {"NAME": "Iv%"}}.
    found = call(portal, "user.get", {"filter": {"NAME": "Gr%"}}).result
    assert [row["NAME"] for row in found] == ["Gregory"]
    assert call(portal, "user.get", {"filter": {"NAME": "Gr"}}).result == []
