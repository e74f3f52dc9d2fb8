"""Where the documentation pages used as test material live inside the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
DOCS = DATA / "bitrix24-docs"
"""The official doc pages, same relative paths as in the docs repository."""
SEEDS = DATA / "seeds"
"""The five seed pages."""

_COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def page_text(name: str) -> str:
    """A page's text: ``seed:000`` for a seed page, else a path under the docs folder."""
    if name.startswith("seed:"):
        (path,) = sorted(SEEDS.glob(f"{name.removeprefix('seed:')}_*.txt"))
    else:
        path = DOCS / name
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
    return json.loads(_TRAILING_COMMA.sub(r"\1", match.group(1)))
