"""UI fixtures: the app on a frozen clock, its client talking to the served emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.services import Services
from tests.conftest import ServedEmulator

AppFactory = Callable[..., B24App]


@pytest.fixture
async def ui_client(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    """A client for the demo user's webhook over real loopback HTTP."""
    async with B24Client(Webhook.parse(emulator.webhook_url)) as client:
        yield client


@pytest.fixture
def make_app(ui_client: B24Client, clock: FrozenClock) -> AppFactory:
    """Build the app around the served emulator (``demo=`` sets the DEMO badge)."""

    def make(*, demo: bool = False, client: B24Client | None = None) -> B24App:
        return B24App(Services(client=client or ui_client, clock=clock, demo=demo))

    return make
