"""The emulator over HTTPS with a throwaway CA: trusted with the CA file, refused without."""

from __future__ import annotations

import ssl
import stat
from collections.abc import Iterator

import httpx
import pytest

from b24tui.api import B24Client, ConnectError, Webhook
from b24tui.emulator import EmulatorApp, Portal, RunningEmulator, serve_in_thread
from b24tui.emulator.tls import TlsMaterial, throwaway_tls
from tests.conftest import demo_webhook_of


@pytest.fixture
def tls() -> Iterator[TlsMaterial]:
    with throwaway_tls() as material:
        yield material


@pytest.fixture
def served(portal: Portal, tls: TlsMaterial) -> Iterator[RunningEmulator]:
    with serve_in_thread(EmulatorApp(portal), tls=tls) as running:
        yield running


def webhook_url(running: RunningEmulator, portal: Portal, host: str = "127.0.0.1") -> str:
    hook = demo_webhook_of(portal)
    return f"https://{host}:{running.port}/rest/{hook.user_id}/{hook.code}/"


def test_a_client_trusting_the_ca_gets_an_answer(
    served: RunningEmulator, portal: Portal, tls: TlsMaterial
) -> None:
    assert served.base_url.startswith("https://127.0.0.1:")
    trusting = ssl.create_default_context(cafile=str(tls.ca_file))
    for host in ("127.0.0.1", "localhost"):
        with httpx.Client(verify=trusting, timeout=10) as http:
            answer = http.get(webhook_url(served, portal, host) + "scope")
        assert answer.json()["result"] == sorted(demo_webhook_of(portal).scopes)


def test_a_client_not_trusting_the_ca_fails_verification(
    served: RunningEmulator, portal: Portal
) -> None:
    with httpx.Client(timeout=10) as http, pytest.raises(httpx.ConnectError) as caught:
        http.get(webhook_url(served, portal) + "scope")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


async def test_b24client_works_with_the_ca_file_and_refuses_without(
    served: RunningEmulator, portal: Portal, tls: TlsMaterial
) -> None:
    webhook = Webhook.parse(webhook_url(served, portal))
    async with B24Client(webhook, ca_file=str(tls.ca_file)) as client:
        assert (await client.system.profile()).id == demo_webhook_of(portal).user_id
    async with B24Client(webhook) as client:
        with pytest.raises(ConnectError) as caught:
            await client.system.profile()
    assert demo_webhook_of(portal).code not in f"{caught.value} {caught.value.description}"


def test_the_files_are_private_and_removed_afterwards() -> None:
    with throwaway_tls() as material:
        files = (material.ca_file, material.cert_file, material.key_file)
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert material.ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
        assert "PRIVATE KEY" in material.key_file.read_text()
    assert not any(path.exists() for path in files)
