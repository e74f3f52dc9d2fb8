"""``server.time`` and ``scope`` with ``full=true`` over real HTTP, as their pages say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from tests.conftest import FIXED_NOW, ServedEmulator
from tests.pages import page_text


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def test_server_time_is_the_portal_clock_in_the_servers_zone(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    answer = http.post(emulator.webhook_url + "server.time", json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == "2026-03-16T09:30:00+02:00"
    assert set(answer.json()["time"]) >= {"start", "finish", "duration", "operating"}
    http.post(emulator.base_url + "/_emulator/clock", json={"advance": 90})
    later = http.get(emulator.webhook_url + "server.time").json()["result"]
    assert (datetime.fromisoformat(later) - FIXED_NOW).total_seconds() == 90


def test_server_time_needs_no_scope_and_runs_in_a_batch(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    hook = emulator.portal.credentials.add_webhook(emulator.webhook.user_id, frozenset({"task"}))
    url = f"{emulator.base_url}/rest/{hook.user_id}/{hook.code}/"
    assert http.post(url + "server.time", json={}).status_code == 200
    batch = http.post(url + "batch", json={"cmd": {"now": "server.time"}}).json()["result"]
    assert batch["result"] == {"now": "2026-03-16T09:30:00+02:00"}


def documented_scopes() -> set[str]:
    """Every scope code the permissions page lists: its table's codes, the user scope's
    versions and the three deprecated task scopes of its footnote."""
    text = page_text("api-reference/scopes/permissions.md")
    codes: set[str] = set()
    for cell in re.findall(r"^\|\| \*\*([^*]+)\*\* \|", text, re.MULTILINE):
        codes |= {code.strip() for code in cell.split(",")}
    codes |= set(re.findall(r"^- \*\*([a-z_]+)\*\* —", text, re.MULTILINE))
    footnote = re.search(r"three deprecated scopes are available — ([^.]+)\.", text)
    assert footnote is not None
    codes |= {code.strip() for code in footnote.group(1).split(",")}
    return codes - {"Scope Code"}


def test_scope_full_lists_every_scope_of_the_permissions_page(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    documented = documented_scopes()
    assert {"crm", "task", "user_brief", "sonet_group", "socialnetwork", "tasks_extended"} <= (
        documented
    )
    full = http.post(emulator.webhook_url + "scope", json={"full": True}).json()["result"]
    assert full == sorted(documented)
    granted = http.post(emulator.webhook_url + "scope", json={}).json()["result"]
    assert granted == sorted(emulator.webhook.scopes)
