"""Serving the emulator in a test thread (``b24tui emulator`` itself: ``test_cli.py``)."""

from __future__ import annotations

import httpx
import pytest

from b24tui.emulator import EmulatorApp, Portal, serve_in_thread
from b24tui.emulator.server import AppSlot
from tests.conftest import demo_webhook_of


def test_serve_in_thread_listens_on_loopback_and_stops(portal: Portal) -> None:
    webhook = demo_webhook_of(portal)
    with serve_in_thread(EmulatorApp(portal)) as running:
        assert running.base_url == f"http://127.0.0.1:{running.port}"
        url = f"{running.base_url}/rest/{webhook.user_id}/{webhook.code}/scope"
        assert httpx.get(url).json()["result"] == sorted(webhook.scopes)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_an_empty_slot_answers_503_until_an_app_is_plugged_in(portal: Portal) -> None:
    slot = AppSlot()
    with serve_in_thread(slot) as running, httpx.Client() as http:
        assert http.get(running.base_url + "/_emulator/stats").status_code == 503
        slot.app = EmulatorApp(portal)
        assert http.get(running.base_url + "/_emulator/stats").status_code == 200
