"""An uncounted page (``start=-1``) in ID order answers what the counted page does.

The emulator walks the IDs for such a page instead of sorting every task (a ``>ID``
chain over 10,000 tasks took it 20 to 60 ms a page); the rows, their order and who may
see them must stay those of the sorted list, over real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.emulator import DEMO_USER_ID, Portal
from tests.conftest import ServedEmulator


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def page_ids(
    emulator: ServedEmulator, http: httpx.Client, query: dict[str, Any], start: int
) -> list[int]:
    """The task ids of one ``tasks.task.list`` page, in the order answered."""
    answer = http.post(
        f"{emulator.webhook_url}tasks.task.list",
        json={**query, "select": ["ID"], "start": start},
    )
    assert answer.status_code == 200, answer.text
    return [int(row["id"]) for row in answer.json()["result"]["tasks"]]


def middle_id(portal: Portal) -> int:
    ids = sorted(portal.tasks)
    return ids[len(ids) // 2]


QUERIES: list[dict[str, Any]] = [
    {},
    {"order": {"ID": "asc"}},
    {"order": {"ID": "desc"}},
    {"order": {"id": "ASC"}, "filter": {"RESPONSIBLE_ID": DEMO_USER_ID}},
    {"order": {"ID": "asc"}, "filter": {">ID": "MIDDLE"}},
    {"order": {"ID": "asc"}, "filter": {">=ID": "MIDDLE", "REAL_STATUS": [2, 3]}},
    {"order": {"ID": "desc"}, "filter": {">ID": "MIDDLE"}},
    {"order": {"ID": "desc"}, "filter": {"<ID": "MIDDLE"}},
    {"order": {"ID": "desc"}, "filter": {"<=ID": "MIDDLE", "<ID": 10**9, ">ID": 3}},
    {"order": {"ID": "desc"}, "filter": {"<ID": "1"}},
    {"order": {"ID": "asc"}, "filter": {">ID": ""}},
    {"order": {"ID": "asc"}, "filter": {">ID": "-3"}},
    {"order": {"ID": "asc"}, "filter": {">ID": 10**9}},
    {"order": {"ID": "asc"}, "filter": {"!>ID": "MIDDLE"}},
    {"order": {"ID": "asc"}, "filter": {"!>ID": ""}},
    {"filter": {"<DEADLINE": ""}},
    {"order": {"TITLE": "asc"}, "filter": {">ID": ""}},
]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_an_uncounted_page_in_id_order_is_the_counted_page(
    emulator: ServedEmulator, http: httpx.Client, query: dict[str, Any]
) -> None:
    middle = str(middle_id(emulator.portal))
    filled = {
        **query,
        "filter": {
            key: middle if value == "MIDDLE" else value
            for key, value in query.get("filter", {}).items()
        },
    }
    counted = page_ids(emulator, http, filled, 0)
    assert page_ids(emulator, http, filled, -1) == counted


def test_an_uncounted_page_shows_only_what_the_caller_may_read(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    portal = emulator.portal
    readable = sorted(
        task.id for task in portal.tasks.values() if portal.can_read(DEMO_USER_ID, task)
    )
    assert len(readable) < len(portal.tasks), "the demo has tasks the demo user cannot see"
    answered = page_ids(emulator, http, {"order": {"ID": "asc"}}, -1)
    assert answered == readable[:50]


def test_a_filter_that_matches_nothing_still_checks_the_order(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    for start in (0, -1):
        answer = http.post(
            f"{emulator.webhook_url}tasks.task.list",
            json={"order": {"NO_SUCH_KEY": "asc"}, "filter": {">ID": ""}, "start": start},
        )
        assert answer.status_code == 400, answer.text
        assert "Invalid sorting key" in answer.json()["error_description"]
