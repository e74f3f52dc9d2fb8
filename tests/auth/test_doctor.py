"""``b24tui doctor``: one line per check, the right verdicts, never the secret."""

from __future__ import annotations

import socket

import pytest

from b24tui.auth import KeyringStore, WebhookCredential, probe_keyring
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal, serve_in_thread
from b24tui.emulator.tls import throwaway_tls
from tests.auth.conftest import CliRunner, Home, InProcessRunner
from tests.conftest import ServedEmulator, demo_webhook_of


def _lines(out: str) -> dict[str, str]:
    """``check -> line``; the check name is everything before the verdict column."""
    lines: dict[str, str] = {}
    for line in out.splitlines():
        for verdict in ("  ok  ", "  FAIL  ", "  --  "):
            if verdict in line:
                lines[line.split(verdict)[0].strip()] = line
                break
    return lines


def _store_webhook(profile: str, url: str) -> KeyringStore:
    status = probe_keyring()
    assert status.usable, status.detail
    store = KeyringStore(status.backend)
    store.save(profile, WebhookCredential(url))
    return store


def test_doctor_reports_a_healthy_profile(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    store = _store_webhook("dr-good", emulator.webhook_url)
    code, out, err = cli_main(["doctor", "--profile", "dr-good"])
    lines = _lines(out)
    assert code == 0, out
    assert list(lines) == [
        "config",
        "profile",
        "debug log",
        "keyring",
        "secret",
        "portal",
        "scopes",
        "rate limit",
        "REST 3.0",
    ]
    assert "SecretService" in lines["keyring"]
    assert "found in the keyring (SecretService): http://127.0.0.1:" in lines["secret"]
    assert f"/rest/{DEMO_USER_ID}/***/" in lines["secret"]
    assert f"(user {DEMO_USER_ID})" in lines["portal"]
    assert lines["scopes"].endswith("task, timeman, user")
    assert "FAIL" not in out
    assert emulator.webhook.code not in out + err
    store.delete("dr-good")


def test_doctor_says_when_the_portal_has_no_rest_3(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    emulator.portal.v3_enabled = False
    store = _store_webhook("dr-v1", emulator.webhook_url)
    code, out, _err = cli_main(["--profile", "dr-v1", "doctor"])
    assert code == 0
    assert "not available: b24tui uses the classic API" in _lines(out)["REST 3.0"]
    store.delete("dr-v1")


def test_doctor_names_a_missing_scope(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    hook = emulator.portal.credentials.add_webhook(DEMO_USER_ID, scopes=frozenset({"task"}))
    store = _store_webhook("dr-scope", f"{emulator.base_url}/rest/{DEMO_USER_ID}/{hook.code}/")
    code, out, err = cli_main(["doctor", "--profile", "dr-scope"])
    assert code == 1
    assert "FAIL" in _lines(out)["scopes"]
    assert _lines(out)["scopes"].endswith("missing: user, timeman")
    assert hook.code not in out + err
    store.delete("dr-scope")


def test_doctor_reports_a_rejected_code_without_showing_it(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    hook = emulator.portal.credentials.add_webhook(DEMO_USER_ID)
    store = _store_webhook("dr-gone", f"{emulator.base_url}/rest/{DEMO_USER_ID}/{hook.code}/")
    del emulator.portal.credentials.webhooks[hook.code]
    code, out, err = cli_main(["doctor", "--profile", "dr-gone"])
    assert code == 1
    assert "did not accept the webhook" in _lines(out)["portal"]
    assert "scopes" not in _lines(out)
    assert hook.code not in out + err
    store.delete("dr-gone")


def test_doctor_without_a_stored_webhook_says_how_to_log_in(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    code, out, _err = cli_main(["doctor", "--profile", "dr-none"])
    assert code == 1
    assert "run 'b24tui login --profile dr-none'" in _lines(out)["secret"]
    assert "portal" not in _lines(out)
    assert emulator.app.journal.entries("profile") == []


def test_doctor_names_an_untrusted_certificate_and_what_to_do(
    keyring_home: Home,
    portal: Portal,
    cli_main: InProcessRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    hook = demo_webhook_of(portal)
    with (
        throwaway_tls() as tls,
        serve_in_thread(EmulatorApp(portal), tls=tls) as served,
    ):
        host = f"127.0.0.1:{served.port}"
        store = _store_webhook("dr-tls", f"https://{host}/rest/{hook.user_id}/{hook.code}/")
        code, out, err = cli_main(["doctor", "--profile", "dr-tls"])
    line = _lines(out)["portal"]
    assert code == 1
    assert "FAIL" in line
    assert "Cannot connect" not in line
    assert "TLS certificate" in line
    assert "unable to get local issuer certificate" in line
    assert "SSL_CERT_FILE" in line
    assert f"If the certificate of {host} is signed by a company CA" in line
    assert hook.code not in out + err
    store.delete("dr-tls")


def test_doctor_prints_its_report_and_no_log_line(
    keyring_home: Home,
    emulator: ServedEmulator,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = f"http://127.0.0.1:{port}/rest/{DEMO_USER_ID}/{emulator.webhook.code}/"
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", url)
    result = run_cli(["doctor"])
    assert result.returncode == 1
    assert "Cannot connect to the portal" in _lines(result.stdout)["portal"]
    assert result.stderr == ""
