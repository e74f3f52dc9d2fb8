"""The documentation pages the model tests read their example bodies from, as they are.

The pages are kept in the repository (``tests/data``): the five seed pages under ``seeds/``
and the official doc pages under ``bitrix24-docs/``.
Bodies are cut out of the page text here rather than retyped, so a test parses exactly what
the documentation shows, quirks included.
"""

from __future__ import annotations

import pytest

from tests.pages import request_body, response_body


@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_seed_task_pages_yield_a_task_body(seed: str) -> None:
    body = response_body(f"seed:{seed}")
    assert body["result"]["task"]["id"] == "8017"


def test_elided_examples_still_decode() -> None:
    # The getaccess page elides the second user's map with a "// ..." line.
    body = response_body("api-reference/tasks/tasks-task-get-access.md")
    assert set(body["result"]["allowedActions"]) == {"503", "547"}


def test_trailing_commas_in_examples_are_forgiven() -> None:
    body = response_body("api-reference/tasks/tasks-task-history-list.md")
    assert len(body["result"]["list"]) > 1


def test_v3_update_page_request_is_camel_case() -> None:
    fields = request_body("seed:004")["fields"]
    assert fields["responsibleId"] == 1
    assert "RESPONSIBLE_ID" not in fields
