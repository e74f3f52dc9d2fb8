"""``b24tui login`` / ``logout`` against the served emulator and a real Secret Service,
then the dashboard opening from what the keyring holds."""

from __future__ import annotations

import io
import socket

import pytest

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.auth import KeyringStore, WebhookCredential, probe_keyring, run_login
from b24tui.clock import FrozenClock
from b24tui.config import load_settings
from b24tui.emulator import DEMO_USER_ID
from b24tui.services import Services
from b24tui.startup import endpoint_for_run
from b24tui.widgets import TaskTable
from tests.auth.conftest import CliRunner, Home, InProcessRunner
from tests.conftest import ServedEmulator


def _keyring() -> KeyringStore:
    status = probe_keyring()
    assert status.usable, status.detail
    return KeyringStore(status.backend)


def _other_user(emulator: ServedEmulator) -> int:
    return next(uid for uid in sorted(emulator.portal.users) if uid != DEMO_USER_ID)


async def test_login_from_piped_stdin_then_the_dashboard_opens_from_the_keyring(
    keyring_home: Home, emulator: ServedEmulator, run_cli: CliRunner, clock: FrozenClock
) -> None:
    result = run_cli(["login"], input=emulator.webhook_url + "\n")
    assert result.returncode == 0, result.stderr
    me = emulator.portal.users[DEMO_USER_ID]
    host = Webhook.parse(emulator.webhook_url).host
    assert f"Logged in as {me.name} {me.last_name} (user {DEMO_USER_ID}) on {host}" in result.stdout
    assert "keyring (SecretService)" in result.stdout
    assert emulator.webhook.code not in result.output
    assert _keyring().load("default") == WebhookCredential(emulator.webhook_url)
    profile = load_settings().profile("default")
    assert (profile.portal, profile.user_id) == (host, DEMO_USER_ID)
    assert emulator.webhook.code not in keyring_home.config_file.read_text(encoding="utf-8")

    endpoint = endpoint_for_run(None, interactive=False)
    assert isinstance(endpoint, Webhook)
    assert endpoint.secrets() == (emulator.webhook.code,)
    async with B24Client(endpoint) as client:
        app = B24App(Services(client=client, clock=clock))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            rows = [int(str(key.value)) for key in app.screen.query_one(TaskTable).rows]
    assert rows, "the dashboard lists the demo user's tasks"
    portal = emulator.portal
    assert all(
        DEMO_USER_ID in (portal.tasks[t].responsible_id, *portal.tasks[t].accomplices) for t in rows
    )
    _keyring().delete("default")


def test_logout_removes_the_stored_webhook(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    assert cli_main(["login", "--profile", "gone"], input=emulator.webhook_url)[0] == 0
    code, out, _err = cli_main(["logout", "--profile", "gone"])
    assert code == 0
    assert "Removed the webhook for profile 'gone'" in out
    assert _keyring().load("gone") is None
    code, out, _err = cli_main(["--profile", "gone", "logout"])
    assert code == 0
    assert "No webhook was stored for profile 'gone'" in out


def test_profiles_keep_separate_webhooks_and_the_first_becomes_default(
    keyring_home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    other = _other_user(emulator)
    lab = emulator.portal.credentials.add_webhook(other)
    lab_url = f"{emulator.base_url}/rest/{other}/{lab.code}/"
    assert cli_main(["login", "--profile", "work"], input=emulator.webhook_url)[0] == 0
    assert cli_main(["--profile", "lab", "login"], input=lab_url)[0] == 0
    settings = load_settings()
    assert settings.default_profile == "work"
    assert settings.profile("lab").user_id == other
    work_endpoint = endpoint_for_run(None, interactive=False)
    lab_endpoint = endpoint_for_run("lab", interactive=False)
    assert isinstance(work_endpoint, Webhook)
    assert isinstance(lab_endpoint, Webhook)
    assert (work_endpoint.user_id, lab_endpoint.user_id) == (DEMO_USER_ID, other)
    store = _keyring()
    store.delete("work")
    store.delete("lab")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong code", "did not accept the webhook code"),
        ("missing scope", "The webhook lacks the scope timeman."),
        ("unreachable", "Cannot reach 127.0.0.1:"),
        ("plain http", "Plain http:// is refused for portal.example.com"),
        ("not a webhook", "must look like https://<portal>/rest/<user id>/<code>/"),
    ],
)
def test_a_bad_webhook_gets_its_own_message_and_nothing_is_stored(
    keyring_home: Home, emulator: ServedEmulator, case: str, expected: str
) -> None:
    code = emulator.webhook.code
    if case == "wrong code":
        url = f"{emulator.base_url}/rest/{DEMO_USER_ID}/{code}x/"
    elif case == "missing scope":
        hook = emulator.portal.credentials.add_webhook(
            DEMO_USER_ID, scopes=frozenset({"task", "user"})
        )
        url, code = f"{emulator.base_url}/rest/{DEMO_USER_ID}/{hook.code}/", hook.code
    elif case == "unreachable":
        url = f"http://127.0.0.1:{_closed_port()}/rest/{DEMO_USER_ID}/{code}/"
    elif case == "plain http":
        url = f"http://portal.example.com/rest/{DEMO_USER_ID}/{code}/"
    else:
        url = f"https://portal.example.com/{code}/"
    stdout, stderr = io.StringIO(), io.StringIO()
    exit_code = run_login("bad", stdin=io.StringIO(url + "\n"), stdout=stdout, stderr=stderr)
    assert exit_code == 1
    assert expected in stderr.getvalue()
    assert stdout.getvalue() == ""
    assert code not in stderr.getvalue()
    assert _keyring().load("bad") is None
    assert keyring_home.files() == []


def test_an_empty_stdin_asks_for_the_url(keyring_home: Home, cli_main: InProcessRunner) -> None:
    code, _out, err = cli_main(["login"], input="")
    assert code == 1
    assert "no webhook URL given" in err
    assert "Developer resources" in err
    assert keyring_home.files() == []


def test_login_and_logout_say_when_the_variable_still_overrides_the_keyring(
    keyring_home: Home,
    emulator: ServedEmulator,
    cli_main: InProcessRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)
    code, out, _err = cli_main(["login", "--profile", "noted"], input=emulator.webhook_url)
    assert code == 0
    assert "B24TUI_WEBHOOK_URL is set and overrides the keyring" in out
    code, out, _err = cli_main(["logout", "--profile", "noted"])
    assert code == 0
    assert "B24TUI_WEBHOOK_URL is still set in this environment and still used." in out
    assert _keyring().load("noted") is None
