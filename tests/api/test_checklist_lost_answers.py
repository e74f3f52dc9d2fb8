"""Checklist writes whose answer is lost, with PacingPolicy (which retries what is safe to
repeat) against the emulated portal: none is sent again by the client; each ends in
OutcomeUnknown, applied exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from b24tui.api import B24Client, Webhook
from b24tui.api.errors import OutcomeUnknown
from b24tui.api.pacing import PacingPolicy
from b24tui.clock import FrozenClock
from tests.conftest import ServedEmulator
from tests.ui.checklists import Nested, put_nested_checklist

Write = Callable[[B24Client, Nested], Awaitable[object]]

WRITES: dict[str, Write] = {
    "task.checklistitem.complete": lambda c, n: c.checklist.complete(n.task_id, n.tell),
    "task.checklistitem.renew": lambda c, n: c.checklist.renew(n.task_id, n.draft),
    "task.checklistitem.add": lambda c, n: c.checklist.add(n.task_id, "Call", parent_id=n.ship),
    "task.checklistitem.update": lambda c, n: c.checklist.update(n.task_id, n.ship, title="S"),
    "task.checklistitem.delete": lambda c, n: c.checklist.delete(n.task_id, n.level5),
    "task.checklistitem.moveafteritem": lambda c, n: c.checklist.move_after(
        n.task_id, n.notes, n.ship
    ),
}


@pytest.fixture
async def paced(emulator: ServedEmulator, clock: FrozenClock) -> AsyncIterator[B24Client]:
    """The demo user's client with PacingPolicy; its waits move the portal's clock."""

    def now() -> float:
        return clock.now().timestamp()

    async def wait(seconds: float) -> None:
        await asyncio.sleep(0)
        clock.advance(seconds)

    policy = PacingPolicy(clock=now, wall=now, sleep=wait, seed=1)
    async with B24Client(
        Webhook.parse(emulator.webhook_url),
        policy=policy,
        sleep=wait,
        timeout=httpx.Timeout(5.0, connect=2.0),
    ) as client:
        yield client


@pytest.mark.parametrize("method", list(WRITES))
async def test_a_checklist_write_whose_answer_is_lost_is_sent_once(
    emulator: ServedEmulator, paced: B24Client, method: str
) -> None:
    nested = put_nested_checklist(emulator.portal)
    emulator.app.faults.inject("drop", method=method)
    with pytest.raises(OutcomeUnknown):
        await WRITES[method](paced, nested)
    assert len(emulator.app.journal.entries(method)) == 1, "sent once, not again"
