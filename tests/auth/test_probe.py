"""The keyring probe: a real child process per probe, with the backend keyring would pick."""

from __future__ import annotations

import time

import pytest

from b24tui.auth import (
    KeyringStatus,
    Verdict,
    cryptfile_installed,
    keyring_guidance,
    probe_keyring,
)
from tests.auth.conftest import Home, running_secret_service

HANGING = "tests.auth.backends.HangingKeyring"
PLAINTEXT = "tests.auth.backends.PlaintextKeyring"


def test_without_any_keyring_the_probe_says_so_quickly(home: Home) -> None:
    status = probe_keyring(timeout=10)
    assert status.verdict == "none"
    assert status.backend == "keyring.backends.fail.Keyring"
    assert not status.usable
    assert status.seconds < 10
    assert home.files() == []


@pytest.mark.parametrize(
    "backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]
)
def test_the_fail_and_null_backends_are_refused(
    home: Home, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    status = probe_keyring()
    assert status.verdict == "none"
    assert status.backend == backend


def test_a_plaintext_backend_needs_the_config_to_opt_in(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", PLAINTEXT)
    refused = probe_keyring()
    assert refused.verdict == "plaintext"
    assert "allow_plaintext_keyring = true" in refused.detail
    assert probe_keyring(allow_plaintext=True).verdict == "ok"


def test_a_keyring_that_never_answers_is_given_up_on_at_the_deadline(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", HANGING)
    started = time.monotonic()
    status = probe_keyring(timeout=1.0)
    assert status.verdict == "timeout"
    assert "did not answer within 1 s" in status.detail
    assert time.monotonic() - started < 5


def test_an_unloadable_backend_variable_is_named(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.module.Keyring")
    status = probe_keyring()
    assert status.verdict == "error"
    assert "PYTHON_KEYRING_BACKEND=no.such.module.Keyring cannot be loaded" in status.detail


def test_a_running_secret_service_is_found_and_usable(keyring_home: Home) -> None:
    status = probe_keyring()
    assert status.verdict == "ok", status.detail
    assert status.backend == "keyring.backends.SecretService.Keyring"
    assert status.backend_label == "SecretService"


def test_python_keyring_backend_is_honoured_over_the_detected_one(
    keyring_home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    assert probe_keyring().verdict == "none"


def test_a_locked_collection_is_reported_as_locked(
    home: Home, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secretstorage

    with running_secret_service(tmp_path_factory.mktemp("locked-keyring")) as service:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
        finally:
            connection.close()
        status = probe_keyring(timeout=10)
    assert status.verdict == "locked", status.detail
    assert "unlock the keyring" in keyring_guidance(status)


def _status(verdict: Verdict) -> KeyringStatus:
    return KeyringStatus(verdict, "keyring.backends.fail.Keyring", "no keyring is available")


def test_the_guidance_offers_every_way_out() -> None:
    text = keyring_guidance(_status("none"))
    assert "export B24TUI_WEBHOOK_URL=" in text
    assert "dbus-run-session" in text
    assert "gnome-keyring-daemon --unlock" in text
    assert ("keyrings.cryptfile" in text) == cryptfile_installed()
    assert "allow_plaintext_keyring" not in text


def test_the_guidance_for_a_plaintext_backend_names_the_config_file(home: Home) -> None:
    text = keyring_guidance(_status("plaintext"), config_path=home.config_file)
    assert f"allow_plaintext_keyring = true in {home.config_file}" in text
