"""Shared fixtures: a frozen clock, a seeded portal, its ASGI app and the app served over
real loopback HTTP.

The portal and app are built fresh for every test (their state mutates). Only the
listening server is shared by the session: each test plugs its own app into it, so no
request of one test can reach another test's portal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import textual._wait as textual_wait
import textual.constants as textual_constants

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal, build_portal
from b24tui.emulator.credentials import Webhook
from b24tui.emulator.errors import V3Error
from b24tui.emulator.registry import REGISTRY, Call, Page, Registry
from b24tui.emulator.server import AppSlot, RunningEmulator, serve_in_thread

# Pilot waits for "idle" in steps of textual._wait.SLEEP_GRANULARITY (20 ms): at least
# 20 ms per pause and 40 ms per key, most of it with nothing left to do. Steps of 5 ms
# (idle still meaning under 5% of a step spent computing) halve the wall time of the UI
# tests; what a test must wait for, it waits for explicitly (tests/ui/waiting.py).
textual_wait.SLEEP_GRANULARITY = 0.005
textual_wait.SLEEP_IDLE = textual_wait.SLEEP_GRANULARITY / 20

# Pilot's key presses wait for every animation to end: a tab's underline slides for
# 0.3 s, a scroll glides. Without animations each ends where it would have ended, at
# once, so a test sees the same screens and none of the waiting.
vars(textual_constants)["TEXTUAL_ANIMATIONS"] = "none"

FIXED_NOW = datetime(2026, 3, 16, 9, 30, tzinfo=timezone(timedelta(hours=2)))
"""The moment every test's clock starts at: a Monday morning in the portal's timezone."""


@dataclass(frozen=True)
class ServedEmulator:
    """An emulated portal served on 127.0.0.1 for one test."""

    base_url: str
    """``http://127.0.0.1:PORT``."""
    app: EmulatorApp
    """The app behind it: ``app.journal`` holds every call it answered."""
    portal: Portal
    webhook: Webhook
    """The demo user's webhook."""

    @property
    def webhook_url(self) -> str:
        """The demo user's v1 webhook URL, ``http://127.0.0.1:PORT/rest/<U>/<CODE>/``."""
        return f"{self.base_url}/rest/{self.webhook.user_id}/{self.webhook.code}/"

    @property
    def v3_url(self) -> str:
        """The same webhook's REST 3.0 base, ``…/rest/api/<U>/<CODE>/``."""
        return f"{self.base_url}/rest/api/{self.webhook.user_id}/{self.webhook.code}/"


def demo_webhook_of(portal: Portal) -> Webhook:
    """The webhook seeded for the demo user."""
    return next(
        hook for hook in portal.credentials.webhooks.values() if hook.user_id == DEMO_USER_ID
    )


def probe_registry() -> Registry:
    """The portal's methods plus probe methods for tests of the HTTP layer.

    ``test.echo`` (v1 and v3) answers the parameters it got, ``test.page`` is a 120-row
    list, ``test.crm`` needs the ``crm`` scope, ``test.v3fail`` raises a v3 error,
    ``test.crash`` has a bug and ``test.unjsonable`` answers a value JSON cannot carry.
    The shared method table is left untouched.
    """
    registry = Registry(methods=dict(REGISTRY.methods))

    @registry.method("test.echo", scope="basic")
    def echo(call: Call) -> Any:
        return {"params": call.params, "user": call.user_id}

    @registry.method("test.echo", scope="basic", api="v3")
    def echo_v3(call: Call) -> Any:
        return {"item": call.params}

    @registry.method("test.page", scope="basic")
    def page(call: Call) -> Page:
        start = int(call.params.get("start", 0)) if isinstance(call.params, dict) else 0
        rows = [{"ID": str(n)} for n in range(start, min(start + 50, 120))]
        return Page(rows, total=120, next=start + 50 if start + 50 < 120 else None)

    @registry.method("test.crm", scope="crm")
    def crm(call: Call) -> Any:
        return True

    @registry.method("test.crm", scope="crm", api="v3")
    def crm_v3(call: Call) -> Any:
        return True

    @registry.method("test.v3fail", scope="basic", api="v3")
    def v3fail(call: Call) -> Any:
        raise V3Error(400, "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION", "Nope")

    @registry.method("test.crash", scope="basic")
    def crash(call: Call) -> Any:
        raise RuntimeError("handler bug")

    @registry.method("test.unjsonable", scope="basic")
    def unjsonable(call: Call) -> Any:
        return {"when": FIXED_NOW}

    return registry


@pytest.fixture
def clock() -> FrozenClock:
    """The portal's clock, frozen at :data:`FIXED_NOW`; move it with ``advance``/``set``."""
    return FrozenClock(FIXED_NOW)


@pytest.fixture
def portal(clock: FrozenClock) -> Portal:
    """A freshly seeded demo portal (seed 0) on the frozen clock."""
    return build_portal("demo", seed=0, clock=clock)


@pytest.fixture
def demo_webhook(portal: Portal) -> Webhook:
    """The demo user's webhook on ``portal``."""
    return demo_webhook_of(portal)


@pytest.fixture
def emulator_app(portal: Portal) -> EmulatorApp:
    """The ASGI app over ``portal`` (for ``httpx.ASGITransport`` or serving)."""
    return EmulatorApp(portal)


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[tuple[AppSlot, RunningEmulator]]:
    slot = AppSlot()
    with serve_in_thread(slot) as running:
        yield slot, running


@pytest.fixture
def emulator(
    emulator_app: EmulatorApp, _emulator_server: tuple[AppSlot, RunningEmulator]
) -> Iterator[ServedEmulator]:
    """``emulator_app`` served over real HTTP on 127.0.0.1 for this test."""
    slot, running = _emulator_server
    slot.app = emulator_app
    try:
        yield ServedEmulator(
            base_url=running.base_url,
            app=emulator_app,
            portal=emulator_app.portal,
            webhook=demo_webhook_of(emulator_app.portal),
        )
    finally:
        slot.app = None
