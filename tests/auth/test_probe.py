"""The keyring probe: a real child process per probe, with the backend keyring would pick."""

from __future__ import annotations

import time

import pytest

from b24tui.auth import (
    KeyringProbe,
    KeyringStatus,
    Verdict,
    cryptfile_installed,
    keyring_guidance,
    probe_keyring,
)
from tests.auth.conftest import Home, running_secret_service
from tests.fresh import printed_by

HANGING = "tests.auth.backends.HangingKeyring"
PLAINTEXT = "tests.auth.backends.PlaintextKeyring"
WEBHOOK = "https://portal.example.com/rest/1/f2394f2ef196bdff/"


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


def test_a_probe_started_early_answers_as_the_probe_does(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started before the dashboard's imports, the probe's child runs meanwhile; asked
    later, it gives the same finding, for each of the config's choices."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", PLAINTEXT)
    probe = KeyringProbe()
    try:
        assert probe(timeout=10).verdict == "plaintext"
        assert probe(allow_plaintext=True, timeout=10).verdict == "ok"
    finally:
        probe.close()


def test_an_early_probe_that_never_answers_is_given_up_on_and_stopped(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", HANGING)
    probe = KeyringProbe()
    status = probe(timeout=1.0)
    assert status.verdict == "timeout"
    assert "did not answer within 1 s" in status.detail
    assert probe(timeout=1.0) is status  # asked again: the same finding, no new wait
    assert not probe.running  # the child is gone


def test_an_early_probe_whose_answer_is_not_needed_is_stopped(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", HANGING)
    probe = KeyringProbe()
    assert probe.running
    probe.close()
    assert not probe.running


def test_a_start_reads_its_entry_in_the_probe_and_loads_no_keyring_itself(
    keyring_home: Home,
) -> None:
    """The probe's child reads the profile's entry as it checks the keyring, so the start
    neither imports keyring (some 50 ms with its backends) nor asks D-Bus again."""
    code = (
        "import sys\n"
        "from b24tui.auth import KeyringStore, WebhookCredential\n"
        "KeyringStore().save('work', WebhookCredential(sys.argv[1]))\n"
    )
    printed_by(code, WEBHOOK)
    code = (
        "import sys\n"
        "from b24tui.auth import KeyringProbe\n"
        "from b24tui.startup import plan_run\n"
        "probe = KeyringProbe(profile='work')\n"
        "plan = plan_run('work', interactive=False, probe=probe)\n"
        "print(plan.endpoint.host, 'keyring' in sys.modules)\n"
    )
    printed = printed_by(code)
    assert printed.split() == ["portal.example.com", "False"]
    assert "f2394f2ef196bdff" not in printed


def test_an_early_probe_for_another_profile_leaves_the_read_to_the_store(
    keyring_home: Home,
) -> None:
    from b24tui.auth import KeyringStore, WebhookCredential
    from b24tui.startup import plan_run

    KeyringStore().save("work", WebhookCredential(WEBHOOK))
    probe = KeyringProbe(profile="home")
    try:
        plan = plan_run("work", interactive=False, probe=probe)
    finally:
        probe.close()
    assert plan.endpoint.host == "portal.example.com"
