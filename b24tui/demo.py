"""The demo: the real client talking to the built-in emulated portal, in-process.

No account and no network: requests go through ``httpx.ASGITransport`` straight into
the emulator's ASGI app, so the demo exercises exactly the code a real portal would.
"""

from __future__ import annotations

import httpx

from b24tui.api import B24Client, Webhook
from b24tui.clock import Clock
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal, build_portal


def demo_portal(clock: Clock, seed: int = 0) -> Portal:
    """The seeded demo portal, its data laid out around ``clock``'s today."""
    return build_portal("demo", seed=seed, clock=clock)


DEMO_JOURNAL_SIZE = 100
"""Calls the in-process demo portal remembers (the served emulator keeps 2,000 for tests)."""


def demo_client(portal: Portal, *, read_only: bool = False) -> B24Client:
    """A client for the demo user's webhook on ``portal``, served in-process (sending only
    reads when ``read_only``)."""
    webhook = next(
        hook for hook in portal.credentials.webhooks.values() if hook.user_id == DEMO_USER_ID
    )
    endpoint = Webhook.parse(f"https://{portal.domain}/rest/{webhook.user_id}/{webhook.code}/")
    # Nobody reads the demo's call journal: keep a short one, not a day's worth of calls.
    emulator = EmulatorApp(portal, journal_size=DEMO_JOURNAL_SIZE)
    return B24Client(endpoint, transport=httpx.ASGITransport(app=emulator), read_only=read_only)
