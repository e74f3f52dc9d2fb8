"""A tick whose answer is lost, with the client the app really runs (PacingPolicy, which
retries what is safe to repeat): it is sent once, never again by the client, and the tree
shows the checklist as the portal has it, read back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from b24tui.api import B24Client, Webhook
from b24tui.api.pacing import PacingPolicy
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.screens.checklist import ChecklistScreen
from b24tui.services import Services
from b24tui.widgets.checklist_tree import ChecklistTree
from tests.conftest import ServedEmulator
from tests.ui.checklists import put_nested_checklist
from tests.ui.waiting import settled


@pytest.fixture
async def paced_client(emulator: ServedEmulator, clock: FrozenClock) -> AsyncIterator[B24Client]:
    """The demo user's client with the app's pacing and retries; its waits move the
    portal's frozen clock instead of sleeping."""

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


@pytest.mark.parametrize(
    ("method", "item", "shown"),
    [
        ("task.checklistitem.complete", "tell", "☑ Tell the team"),
        ("task.checklistitem.renew", "draft", "☐ Draft"),
    ],
)
async def test_a_tick_whose_answer_is_lost_is_sent_once_and_read_back(
    emulator: ServedEmulator,
    paced_client: B24Client,
    clock: FrozenClock,
    method: str,
    item: str,
    shown: str,
) -> None:
    nested = put_nested_checklist(emulator.portal)
    item_id: int = getattr(nested, item)
    was_done = emulator.portal.checklist_items[item_id].is_complete
    app = B24App(Services(client=paced_client, clock=clock))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await app.push_screen(ChecklistScreen(app.services, nested.task_id))
        await settled(pilot)
        tree = app.screen.query_one(ChecklistTree)
        tree.show_cursor_on(item_id)
        await pilot.pause()
        reads_before = len(emulator.app.journal.entries("task.checklistitem.getlist"))
        emulator.app.faults.inject("drop", method=method)
        await pilot.press("space")
        await settled(pilot)
        sent = emulator.app.journal.entries(method)
        assert [entry.params for entry in sent] == [[nested.task_id, item_id]], "sent once"
        assert emulator.portal.checklist_items[item_id].is_complete is not was_done
        reads = emulator.app.journal.entries("task.checklistitem.getlist")
        assert len(reads) > reads_before, "the checklist was read back"
        label = tree.label_of(item_id)
        assert label is not None
        assert label.plain == shown, "shown as the portal has it"
        toasts = [str(n.message) for n in app._notifications]
        assert any("answer was lost" in toast for toast in toasts), toasts
