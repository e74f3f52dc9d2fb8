"""The portal's self-description over HTTP: ``scope``, ``method.get``, ``methods``,
``app.info``; and the app used in-process, as the demo uses it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from b24tui.emulator import EmulatorApp, Portal
from tests.conftest import ServedEmulator, demo_webhook_of, probe_registry


@pytest.fixture
def emulator_app(portal: Portal) -> EmulatorApp:
    return EmulatorApp(portal, registry=probe_registry())


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def test_scope_lists_granted_scopes_and_full_lists_all(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    granted = http.post(emulator.webhook_url + "scope", json={}).json()["result"]
    everything = http.post(emulator.webhook_url + "scope", json={"full": True}).json()["result"]
    assert granted == sorted(emulator.webhook.scopes)
    assert set(granted) < set(everything)
    assert "crm" in everything  # the probe method's scope is one the portal knows
    assert "basic" not in everything


def test_method_get_tells_existing_from_available(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    def method_get(name: str) -> dict[str, bool]:
        response = http.post(emulator.webhook_url + "method.get", json={"name": name})
        result: dict[str, bool] = response.json()["result"]
        return result

    assert method_get("test.echo") == {"isExisting": True, "isAvailable": True}
    assert method_get("test.crm") == {"isExisting": True, "isAvailable": False}
    assert method_get("no.such") == {"isExisting": False, "isAvailable": False}
    assert method_get("") == {"isExisting": False, "isAvailable": False}
    assert method_get("test.v3fail") == {"isExisting": True, "isAvailable": True}
    emulator.portal.v3_enabled = False
    assert method_get("test.v3fail") == {"isExisting": False, "isAvailable": False}


def test_methods_by_availability_scope_and_full(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    def methods(params: dict[str, object]) -> list[str]:
        result: list[str] = http.post(emulator.webhook_url + "methods", json=params).json()[
            "result"
        ]
        return result

    available, everything = methods({}), methods({"full": True})
    assert "test.echo" in available
    assert "test.crm" not in available
    assert "test.crm" in everything
    assert "test.v3fail" not in everything  # a REST 3.0 method, not listed here
    assert methods({"scope": "crm"}) == ["test.crm"]
    assert {"batch", "scope", "methods", "method.get"} <= set(methods({"scope": ""}))


def test_app_info_needs_an_application(emulator: ServedEmulator, http: httpx.Client) -> None:
    by_webhook = http.post(emulator.webhook_url + "app.info", json={})
    assert by_webhook.status_code == 400
    assert by_webhook.json() == {
        "error": "ACCESS_DENIED",
        "error_description": "Access denied! Application context required",
    }
    token = emulator.portal.credentials.issue_token(
        1, frozenset({"task"}), emulator.portal.now(), timedelta(hours=1)
    )
    by_app = http.post(emulator.base_url + "/rest/app.info", json={"auth": token.token})
    assert by_app.json()["result"]["INSTALLED"] is True


async def test_in_process_transport_and_artificial_delay(portal: Portal) -> None:
    webhook = demo_webhook_of(portal)
    app = EmulatorApp(portal, delay_ms=40)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://portal.test") as client:
        started = time.perf_counter()
        response = await client.post(f"/rest/{webhook.user_id}/{webhook.code}/scope", json={})
        elapsed = time.perf_counter() - started
    assert response.json()["result"] == sorted(webhook.scopes)
    assert elapsed >= 0.04
    assert app.journal.last().method == "scope"


def test_unknown_limit_modes_are_refused(portal: Portal) -> None:
    with pytest.raises(ValueError, match="unknown rate-limit mode"):
        EmulatorApp(portal, limits="free")  # type: ignore[arg-type]
