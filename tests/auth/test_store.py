"""Credential stores and credentials: round trips, read-only env, no secret in any repr."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from b24tui.auth import (
    EnvStore,
    KeyringStore,
    KeyringTimeout,
    KeyringUnavailable,
    MemoryStore,
    OAuthCredential,
    StoreError,
    WebhookCredential,
    decode_credential,
    encode_credential,
)

CODE = "s3cr3tc0de42xyz"
URL = f"https://acme.bitrix24.com/rest/7/{CODE}/"
OAUTH = OAuthCredential(
    portal="acme.bitrix24.com",
    access_token="access-AAAA1111",
    refresh_token="refresh-BBBB2222",
    expires_at=datetime(2026, 3, 16, 10, 30, tzinfo=UTC),
    client_id="local.app.1",
    client_secret="client-secret-CCCC3333",
)


def test_a_webhook_round_trips_and_a_bare_url_is_accepted() -> None:
    credential = WebhookCredential(URL)
    assert decode_credential(encode_credential(credential), where="x") == credential
    assert decode_credential(f"  {URL}\n", where="x") == credential
    assert credential.endpoint().user_id == 7
    assert credential.secrets() == (CODE,)


def test_an_oauth_pair_round_trips_with_the_app_secret() -> None:
    assert decode_credential(encode_credential(OAUTH), where="x") == OAUTH
    assert OAUTH.endpoint().auth_params() == {"auth": "access-AAAA1111"}


@pytest.mark.parametrize(
    "text", ["not json at all s3cr3t", '{"kind": "webhook"}', '{"kind": "password", "v": "s3cr3t"}']
)
def test_an_unreadable_entry_is_reported_without_its_content(text: str) -> None:
    with pytest.raises(StoreError, match="the entry for work") as caught:
        decode_credential(text, where="the entry for work")
    assert "s3cr3t" not in str(caught.value)


def test_no_repr_or_str_shows_a_secret() -> None:
    shown = " ".join(
        [repr(WebhookCredential(URL)), str(WebhookCredential(URL)), repr(OAUTH), str(OAUTH)]
    )
    assert "acme.bitrix24.com" in shown
    for secret in (CODE, *OAUTH.secrets()):
        assert secret not in shown
    assert "s3cr3t" not in repr(WebhookCredential("https://bad url/s3cr3t"))


def test_memory_store_keeps_profiles_apart() -> None:
    store = MemoryStore()
    store.save("work", WebhookCredential(URL))
    store.save("home", OAUTH)
    assert store.load("work") == WebhookCredential(URL)
    assert store.load("home") == OAUTH
    assert store.delete("work") is True
    assert store.delete("work") is False
    assert store.load("work") is None
    assert CODE not in repr(store)


def test_env_store_reads_the_variable_for_any_profile_and_refuses_writes() -> None:
    store = EnvStore({"B24TUI_WEBHOOK_URL": f" {URL} "})
    assert store.load("default") == WebhookCredential(URL)
    assert store.load("other") == WebhookCredential(URL)
    with pytest.raises(StoreError, match="B24TUI_WEBHOOK_URL"):
        store.save("default", OAUTH)
    with pytest.raises(StoreError, match="B24TUI_WEBHOOK_URL"):
        store.delete("default")
    assert EnvStore({"B24TUI_WEBHOOK_URL": "  "}).load("default") is None
    assert CODE not in repr(store)


class _StuckBackend:
    """A backend whose every call blocks until released (a locked collection's prompt)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()


class _RefusingBackend:
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def stuck_backend() -> Iterator[_StuckBackend]:
    backend = _StuckBackend()
    yield backend
    backend.release.set()


def test_a_keyring_that_never_answers_times_out_instead_of_hanging(
    stuck_backend: _StuckBackend,
) -> None:
    store = KeyringStore(backend=stuck_backend, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(KeyringTimeout, match=r"did not answer within 0\.2 s"):
        store.load("work")
    with pytest.raises(KeyringTimeout) as caught:
        store.save("work", WebhookCredential(URL))
    assert time.monotonic() - started < 5
    assert CODE not in str(caught.value)


def test_a_keyring_failure_becomes_a_store_error_without_the_secret() -> None:
    store = KeyringStore(backend=_RefusingBackend(), timeout=2)
    with pytest.raises(KeyringUnavailable, match="ServiceUnknown") as caught:
        store.save("work", WebhookCredential(URL))
    assert CODE not in str(caught.value)
    assert caught.value.__cause__ is None
