"""The documentation pages the model tests read their example bodies from, as they are.

The pages live outside the repository (``B24TUI_API_PAGES``, default ``/work/shared``): the
five seed pages under ``seeds/`` and the official doc pages under ``bitrix24-api/docs/``.
Bodies are cut out of the page text here rather than retyped, so a test parses exactly what
the documentation shows, quirks included.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

PAGES = Path(os.environ.get("B24TUI_API_PAGES", "/work/shared"))

needs_pages = pytest.mark.skipif(
    not (PAGES / "seeds").is_dir(), reason=f"documentation pages not found under {PAGES}"
)

_COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def page_text(name: str) -> str:
    """A page's text: ``seed:000`` for a seed page, else a path under the docs folder."""
    if name.startswith("seed:"):
        (path,) = sorted((PAGES / "seeds").glob(f"{name.removeprefix('seed:')}_*.txt"))
    else:
        path = PAGES / "bitrix24-api" / "docs" / name
    return path.read_text(encoding="utf-8")


def _decode_at(text: str, start: int) -> Any:
    """The JSON value starting at `start`, forgiving the docs' two slips.

    Pages elide parts with ``// ...`` lines and leave trailing commas (``],\n}``).
    """
    body = _TRAILING_COMMA.sub(r"\1", _COMMENT_LINE.sub("", text[start:]))
    value, _ = json.JSONDecoder().raw_decode(body)
    return value


def response_body(name: str, status: int = 200) -> Any:
    """The example response body shown after "HTTP status: `status`" on a page."""
    text = page_text(name)
    match = re.search(rf"HTTP status:\s*\**{status}\**", text, re.IGNORECASE)
    assert match is not None, f"{name} shows no HTTP {status} example"
    return _decode_at(text, text.index("{", match.end()))


def request_body(name: str) -> Any:
    """The JSON body of the first ``curl -d '...'`` example on a page."""
    text = page_text(name)
    match = re.search(r"-d '(\{.*?\})'", text, re.DOTALL)
    assert match is not None, f"{name} shows no curl body"
    return json.loads(match.group(1))


@needs_pages
@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_seed_task_pages_yield_a_task_body(seed: str) -> None:
    body = response_body(f"seed:{seed}")
    assert body["result"]["task"]["id"] == "8017"


@needs_pages
def test_elided_examples_still_decode() -> None:
    # The getaccess page elides the second user's map with a "// ..." line.
    body = response_body("api-reference/tasks/tasks-task-get-access.md")
    assert set(body["result"]["allowedActions"]) == {"503", "547"}


@needs_pages
def test_trailing_commas_in_examples_are_forgiven() -> None:
    body = response_body("api-reference/tasks/tasks-task-history-list.md")
    assert len(body["result"]["list"]) > 1


@needs_pages
def test_v3_update_page_request_is_camel_case() -> None:
    fields = request_body("seed:004")["fields"]
    assert fields["responsibleId"] == 1
    assert "RESPONSIBLE_ID" not in fields
