"""The keyring store against a real Secret Service (gnome-keyring on a private bus)."""

from __future__ import annotations

from datetime import timedelta

import secretstorage

from b24tui.api import B24Client, OAuthToken
from b24tui.auth import (
    KEYRING_SERVICE,
    KeyringStore,
    OAuthCredential,
    SavingTokenRefresher,
    WebhookCredential,
    probe_keyring,
)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.credentials import DEFAULT_SCOPES
from tests.auth.conftest import Home
from tests.conftest import ServedEmulator

WORK = WebhookCredential("https://acme.bitrix24.com/rest/7/workcode1234/")
HOME = WebhookCredential("https://home.bitrix24.eu/rest/1/homecode5678/")


def _store() -> KeyringStore:
    status = probe_keyring()
    assert status.usable, status.detail
    return KeyringStore(status.backend, timeout=5)


def _entries(profile: str) -> list[str]:
    """The Secret Service items b24tui keeps for ``profile``, by their attributes."""
    connection = secretstorage.dbus_init()
    try:
        items = secretstorage.search_items(
            connection, {"service": KEYRING_SERVICE, "username": profile}
        )
        return [item.get_secret().decode() for item in items]
    finally:
        connection.close()


def test_store_load_overwrite_delete(keyring_home: Home) -> None:
    store = _store()
    assert store.load("ss-basic") is None
    store.save("ss-basic", WORK)
    assert store.load("ss-basic") == WORK
    store.save("ss-basic", HOME)
    assert store.load("ss-basic") == HOME
    assert len(_entries("ss-basic")) == 1
    assert store.delete("ss-basic") is True
    assert store.load("ss-basic") is None
    assert _entries("ss-basic") == []
    assert store.delete("ss-basic") is False


def test_two_profiles_are_two_entries(keyring_home: Home) -> None:
    store = _store()
    store.save("ss-work", WORK)
    store.save("ss-home", HOME)
    assert store.load("ss-work") == WORK
    assert store.load("ss-home") == HOME
    store.delete("ss-work")
    assert store.load("ss-home") == HOME
    assert store.load("ss-work") is None
    store.delete("ss-home")


def test_non_ascii_profiles_and_values_survive(keyring_home: Home) -> None:
    store = _store()
    credential = WebhookCredential("https://портал.пример.рф/rest/3/kod12345/")
    oauth = OAuthCredential("portal.example", "jeton-é-ß-✓", "обновить-токен", client_id="app-ü")
    store.save("проект", credential)
    store.save("ñandú", oauth)
    assert store.load("проект") == credential
    assert store.load("ñandú") == oauth
    assert store.delete("проект")
    assert store.delete("ñandú")


def test_a_hand_made_entry_holding_just_the_url_is_read(keyring_home: Home) -> None:
    import keyring.core

    backend = keyring.core.load_keyring("keyring.backends.SecretService.Keyring")
    backend.set_password(KEYRING_SERVICE, "ss-manual", WORK.url)
    try:
        assert _store().load("ss-manual") == WORK
    finally:
        backend.delete_password(KEYRING_SERVICE, "ss-manual")


async def test_rotated_oauth_tokens_are_in_the_keyring_at_once(
    keyring_home: Home, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal

    def issue(lifetime: timedelta) -> str:
        return portal.credentials.issue_token(
            DEMO_USER_ID, DEFAULT_SCOPES, portal.now(), lifetime
        ).token

    store = _store()
    stored = OAuthCredential(
        emulator.base_url, issue(timedelta(minutes=1)), "refresh-1", client_id="local.b24tui"
    )
    store.save("ss-oauth", stored)
    clock.advance(120)
    renewed: list[str] = []

    async def renew(expired: OAuthToken) -> OAuthToken:
        renewed.append(expired.refresh_token or "")
        return OAuthToken(expired.portal, issue(timedelta(hours=1)), "refresh-2")

    refresher = SavingTokenRefresher(renew, store, "ss-oauth", stored)
    async with B24Client(stored.endpoint(), token_refresher=refresher) as client:
        assert (await client.users.current()).id == DEMO_USER_ID
        saved = store.load("ss-oauth")
        assert isinstance(saved, OAuthCredential)
        assert saved.access_token == client.endpoint.secrets()[0]
    assert renewed == ["refresh-1"]
    assert saved.refresh_token == "refresh-2"
    assert saved.client_id == "local.b24tui"
    store.delete("ss-oauth")
