"""The client with an OAuth access token against the emulated portal: ``auth`` in the body
(or in the query for positional calls), and one refresh when the token has expired."""

from __future__ import annotations

from datetime import timedelta

import pytest

from b24tui.api import B24Client, OAuthToken, TokenExpired
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.models import TaskChanges
from tests.conftest import ServedEmulator


def issue(emulator: ServedEmulator, lifetime: timedelta = timedelta(hours=1)) -> str:
    portal = emulator.portal
    return portal.credentials.issue_token(
        DEMO_USER_ID, DEFAULT_SCOPES, portal.now(), lifetime
    ).token


async def test_oauth_calls_on_both_generations_and_positional(emulator: ServedEmulator) -> None:
    token = OAuthToken(emulator.base_url, issue(emulator))
    task_id = next(
        t.id
        for t in sorted(emulator.portal.tasks.values(), key=lambda t: t.id)
        if t.created_by == DEMO_USER_ID and emulator.portal.checklist_of(t.id)
    )
    async with B24Client(token) as client:
        assert (await client.system.profile()).id == DEMO_USER_ID
        assert await client.checklist.items(task_id)
        updated = await client.tasks.update(task_id, TaskChanges(title="Over OAuth"))
    assert updated.title == "Over OAuth"
    journal = emulator.app.journal
    assert journal.last("task.checklistitem.getlist").params == [
        task_id,
        {"PARENT_ID": "asc", "SORT_INDEX": "asc"},
    ]
    assert journal.last("tasks.task.update").api == "v3"
    assert all(entry.user_id == DEMO_USER_ID for entry in journal)


async def test_an_expired_token_is_refreshed_once(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    expiring = OAuthToken(emulator.base_url, issue(emulator, timedelta(minutes=1)))
    clock.advance(120)
    refreshed: list[str] = []

    async def refresh(old: OAuthToken) -> OAuthToken:
        refreshed.append(old.host)
        return OAuthToken(old.portal, issue(emulator))

    async with B24Client(expiring, token_refresher=refresh) as client:
        me = await client.users.current()
        assert me.id == DEMO_USER_ID
        assert client.endpoint is not expiring
    assert len(refreshed) == 1
    assert [entry.error for entry in emulator.app.journal.entries("user.current")] == [
        "expired_token",
        None,
    ]


async def test_an_expired_token_without_a_refresher(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    expiring = OAuthToken(emulator.base_url, issue(emulator, timedelta(minutes=1)))
    clock.advance(120)
    async with B24Client(expiring) as client:
        with pytest.raises(TokenExpired):
            await client.users.current()
