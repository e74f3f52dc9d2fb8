"""The client over the emulated portal served on real loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from b24tui.api import B24Client, Webhook
from b24tui.emulator import JournalEntry
from tests.conftest import ServedEmulator


@pytest.fixture
async def client(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    """A :class:`B24Client` on the demo user's webhook of the served ``emulator``."""
    async with B24Client(Webhook.parse(emulator.webhook_url)) as api_client:
        yield api_client


def named(entry: JournalEntry) -> dict[str, Any]:
    """A journaled call's named parameters (fails the test if they were positional)."""
    assert isinstance(entry.params, dict), f"{entry.method} was sent positionally"
    return entry.params
