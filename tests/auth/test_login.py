"""``b24tui login`` / ``logout`` against the served emulator and a real Secret Service,
then the dashboard opening from what the keyring holds."""

from __future__ import annotations

import asyncio
import io
import socket
import ssl
from dataclasses import dataclass

import httpx
import pytest

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.auth import (
    KeyringStore,
    LoginError,
    LoginProblem,
    OAuthCredential,
    WebhookCredential,
    probe_keyring,
    run_login,
    verify_webhook,
)
from b24tui.auth.oauth import ENV_OAUTH_TOKEN_URL, run_oauth_login
from b24tui.clock import FrozenClock
from b24tui.config import load_settings
from b24tui.emulator import DEMO_USER_ID, EmulatorApp, Portal, RunningEmulator, serve_in_thread
from b24tui.emulator.oauth_server import OAuthServer, with_oauth
from b24tui.emulator.server import AppSlot
from b24tui.emulator.tls import throwaway_tls
from b24tui.services import Services
from b24tui.startup import endpoint_for_run, plan_run
from b24tui.widgets import TaskTable
from tests.auth.conftest import CliRunner, Home, InProcessRunner
from tests.conftest import FIXED_NOW, ServedEmulator, demo_webhook_of


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


def test_a_failed_login_prints_only_its_own_message(
    keyring_home: Home, emulator: ServedEmulator, run_cli: CliRunner
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/rest/{DEMO_USER_ID}/{emulator.webhook.code}/"
    result = run_cli(["login", "--profile", "quiet"], input=url + "\n")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("b24tui: Cannot reach 127.0.0.1:")
    assert "POST" not in result.stderr


class _Terminal(io.StringIO):
    """A stdin that says it is a terminal (the answers come from ``read_hidden``)."""

    def isatty(self) -> bool:
        return True


@dataclass
class _Typist:
    """Types one answer per hidden prompt and keeps the prompts it saw."""

    answers: list[str]
    prompts: list[str]

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)


def test_an_interactive_login_asks_again_with_the_reason(
    keyring_home: Home, emulator: ServedEmulator
) -> None:
    code = emulator.webhook.code
    typist = _Typist(
        [
            "https://portal.example.com/nope/",
            f"{emulator.base_url}/rest/{DEMO_USER_ID}/{code}x/",
            emulator.webhook_url,
        ],
        [],
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    exit_code = run_login(
        "again", stdin=_Terminal(), stdout=stdout, stderr=stderr, read_hidden=typist
    )
    assert exit_code == 0, stderr.getvalue()
    assert typist.prompts == [
        "Inbound webhook URL (hidden): ",
        "Inbound webhook URL (hidden, try 2 of 3): ",
        "Inbound webhook URL (hidden, try 3 of 3): ",
    ]
    failures = [line for line in stderr.getvalue().splitlines() if line.startswith("b24tui: ")]
    assert len(failures) == 2
    assert "must look like https://<portal>/rest/<user id>/<code>/" in failures[0]
    assert "did not accept the webhook code" in failures[1]
    assert "Logged in as" in stdout.getvalue()
    assert code not in stderr.getvalue() + stdout.getvalue()
    assert _keyring().load("again") == WebhookCredential(emulator.webhook_url)
    _keyring().delete("again")


def test_an_interactive_login_stops_after_three_tries(
    keyring_home: Home, emulator: ServedEmulator
) -> None:
    typist = _Typist(["", "https://portal.example.com/nope/", "not a url"], [])
    stdout, stderr = io.StringIO(), io.StringIO()
    exit_code = run_login(
        "thrice", stdin=_Terminal(), stdout=stdout, stderr=stderr, read_hidden=typist
    )
    assert exit_code == 1
    assert len(typist.prompts) == 3
    failures = [line for line in stderr.getvalue().splitlines() if line.startswith("b24tui: ")]
    assert len(failures) == 3
    assert "no webhook URL given" in failures[0]
    assert "must look like" in failures[2]
    assert stdout.getvalue() == ""
    assert _keyring().load("thrice") is None
    assert emulator.app.journal.entries("profile") == []


def test_an_interactive_login_ends_when_the_input_ends(keyring_home: Home) -> None:
    def closed(prompt: str) -> str:
        raise EOFError

    stderr = io.StringIO()
    exit_code = run_login(
        "eof", stdin=_Terminal(), stdout=io.StringIO(), stderr=stderr, read_hidden=closed
    )
    assert exit_code == 1
    assert stderr.getvalue().splitlines()[-1] == "b24tui: no webhook URL given."


def test_a_piped_login_fails_at_once_and_reads_no_further(
    keyring_home: Home, emulator: ServedEmulator
) -> None:
    stdin = io.StringIO("https://portal.example.com/nope/\n" + emulator.webhook_url + "\n")
    stderr = io.StringIO()
    exit_code = run_login("piped", stdin=stdin, stdout=io.StringIO(), stderr=stderr)
    assert exit_code == 1
    assert stderr.getvalue().count("b24tui: ") == 1
    assert "must look like" in stderr.getvalue()
    assert stdin.readline().strip() == emulator.webhook_url
    assert _keyring().load("piped") is None


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


async def test_an_untrusted_certificate_is_named_with_what_to_do(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    hook = demo_webhook_of(portal)
    with throwaway_tls() as tls, serve_in_thread(EmulatorApp(portal), tls=tls) as served:
        url = f"https://127.0.0.1:{served.port}/rest/{hook.user_id}/{hook.code}/"
        with pytest.raises(LoginError) as refused:
            await verify_webhook(WebhookCredential(url))
    assert refused.value.problem is LoginProblem.UNREACHABLE
    text = refused.value.full_text
    assert text.startswith(f"Cannot reach 127.0.0.1:{served.port}: the portal's TLS certificate")
    assert "SSL_CERT_FILE" in text
    assert "network connection" not in text
    assert hook.code not in text


def _failing_handshake(code: int, message: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        failure = ssl.SSLCertVerificationError(1, f"certificate verify failed: {message}")
        failure.verify_code, failure.verify_message = code, message
        raise httpx.ConnectError(str(failure), request=request) from failure

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("verify_code", "verify_message", "cert_file", "expected"),
    [
        (62, "Hostname mismatch", "", "for another name than acme.example: check the portal"),
        (10, "certificate has expired", "", "administrator must renew the certificate"),
        (20, "unable to get local issuer certificate", "", "set SSL_CERT_FILE to a PEM file"),
        (19, "self-signed certificate in certificate chain", "/etc/corp.pem", "/etc/corp.pem"),
    ],
)
async def test_each_certificate_failure_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
    verify_code: int,
    verify_message: str,
    cert_file: str,
    expected: str,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", cert_file)
    url = f"https://acme.example/rest/{DEMO_USER_ID}/c0desecret42/"
    transport = _failing_handshake(verify_code, verify_message)
    with pytest.raises(LoginError) as refused:
        await verify_webhook(WebhookCredential(url), transport=transport)
    text = refused.value.full_text
    assert f"the portal's TLS certificate is not trusted ({verify_message})" in text
    assert expected in text
    assert "c0desecret42" not in text


# --- login --oauth ----------------------------------------------------------------------


@dataclass(frozen=True)
class OAuthPortal:
    """The served emulator with its token endpoint, and the demo app's keys."""

    emulator: ServedEmulator
    server: OAuthServer
    client_id: str
    client_secret: str

    def refresh_token(self, client_id: str | None = None) -> str:
        portal = self.emulator.portal
        return portal.credentials.issue_refresh_token(
            client_id or self.client_id, DEMO_USER_ID, portal.now()
        ).value

    def answers(self, *, secret: str | None = None, refresh_token: str | None = None) -> str:
        lines = (
            self.emulator.base_url,
            self.client_id,
            self.client_secret if secret is None else secret,
            self.refresh_token() if refresh_token is None else refresh_token,
        )
        return "\n".join(lines) + "\n"


@pytest.fixture
def oauth_portal(
    emulator: ServedEmulator,
    _emulator_server: tuple[AppSlot, RunningEmulator],
    monkeypatch: pytest.MonkeyPatch,
) -> OAuthPortal:
    slot, _running = _emulator_server
    server = with_oauth(emulator.app)
    slot.app = server
    monkeypatch.setenv(ENV_OAUTH_TOKEN_URL, f"{emulator.base_url}/oauth/token/")
    app = next(iter(emulator.portal.credentials.oauth.apps.values()))
    return OAuthPortal(emulator, server, app.client_id, app.client_secret)


def _oauth_login(profile: str, answers: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_oauth_login(profile, stdin=io.StringIO(answers), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


async def test_oauth_login_exchanges_the_refresh_token_and_stores_the_rotated_pair(
    keyring_home: Home, oauth_portal: OAuthPortal
) -> None:
    entered = oauth_portal.refresh_token()
    code, out, err = await asyncio.to_thread(
        _oauth_login, "app", oauth_portal.answers(refresh_token=entered)
    )
    assert code == 0, err
    me = oauth_portal.emulator.portal.users[DEMO_USER_ID]
    host = Webhook.parse(oauth_portal.emulator.webhook_url).host
    assert (
        f"Logged in as {me.name} {me.last_name} (user {DEMO_USER_ID}) on {host} over OAuth" in out
    )
    stored = _keyring().load("app")
    assert isinstance(stored, OAuthCredential)
    assert (stored.client_id, stored.client_secret) == (
        oauth_portal.client_id,
        oauth_portal.client_secret,
    )
    assert stored.refresh_token not in (None, entered)
    assert oauth_portal.server.stats()["refresh"] == 1
    for secret in (oauth_portal.client_secret, entered, stored.refresh_token, stored.access_token):
        assert secret is not None
        assert secret not in out + err
        assert secret not in keyring_home.config_file.read_text(encoding="utf-8")
    profile = load_settings().profile("app")
    assert (profile.portal, profile.user_id) == (host, DEMO_USER_ID)
    async with B24Client(stored.endpoint()) as client:
        assert (await client.users.current()).id == DEMO_USER_ID
    _keyring().delete("app")


def _other_app_token(oauth_portal: OAuthPortal) -> str:
    other = oauth_portal.emulator.portal.credentials.add_app()
    return oauth_portal.refresh_token(other.client_id)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong secret", "did not accept the client_id or the client_secret"),
        ("used refresh token", "did not accept the refresh token"),
        ("another app's token", "did not accept the refresh token"),
        ("missing scope", "The application lacks the scope timeman."),
        ("plain http portal", "plain http:// for portal.example.com"),
        ("unreachable token server", "Cannot reach the token server 127.0.0.1"),
    ],
)
def test_a_failed_oauth_login_says_why_and_stores_nothing(
    keyring_home: Home,
    oauth_portal: OAuthPortal,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    expected: str,
) -> None:
    credentials = oauth_portal.emulator.portal.credentials
    secret, token = oauth_portal.client_secret, oauth_portal.refresh_token()
    answers = oauth_portal.answers(refresh_token=token)
    if case == "wrong secret":
        secret = "not-the-app-secret"
        answers = oauth_portal.answers(secret=secret, refresh_token=token)
    elif case == "used refresh token":
        assert credentials.redeem("refresh_token", token, oauth_portal.client_id, FIXED_NOW)
    elif case == "another app's token":
        token = _other_app_token(oauth_portal)
        answers = oauth_portal.answers(refresh_token=token)
    elif case == "missing scope":
        narrow = credentials.add_app(scopes=frozenset({"task", "user"}))
        secret, token = narrow.client_secret, oauth_portal.refresh_token(narrow.client_id)
        answers = f"{oauth_portal.emulator.base_url}\n{narrow.client_id}\n{secret}\n{token}\n"
    elif case == "plain http portal":
        answers = answers.replace(oauth_portal.emulator.base_url, "http://portal.example.com")
    else:
        monkeypatch.setenv(ENV_OAUTH_TOKEN_URL, f"http://127.0.0.1:{_closed_port()}/oauth/token/")
    code, out, err = _oauth_login("bad", answers)
    assert code == 1
    assert expected in err
    assert out == ""
    assert secret not in err
    assert token not in err
    if case == "missing scope":
        assert "has been exchanged and no longer works" in err
    assert _keyring().load("bad") is None
    assert keyring_home.files() == []


def test_oauth_login_needs_the_app_keys(keyring_home: Home, oauth_portal: OAuthPortal) -> None:
    code, _out, err = _oauth_login("bad", oauth_portal.emulator.base_url + "\n")
    assert code == 1
    assert "client_id and client_secret are needed" in err
    assert oauth_portal.server.stats()["requests"] == 0
    assert keyring_home.files() == []


def test_oauth_login_on_a_terminal_hides_the_secret_and_the_token(
    keyring_home: Home, oauth_portal: OAuthPortal
) -> None:
    visible = iter([oauth_portal.emulator.base_url, oauth_portal.client_id])
    hidden = iter([oauth_portal.client_secret, oauth_portal.refresh_token()])
    prompts: dict[str, list[str]] = {"visible": [], "hidden": []}

    def read_visible(prompt: str) -> str:
        prompts["visible"].append(prompt)
        return next(visible)

    def read_hidden(prompt: str) -> str:
        prompts["hidden"].append(prompt)
        return next(hidden)

    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_oauth_login(
        "tty",
        stdin=_Terminal(),
        stdout=stdout,
        stderr=stderr,
        read_visible=read_visible,
        read_hidden=read_hidden,
    )
    assert code == 0, stderr.getvalue()
    assert [p.split()[0] for p in prompts["visible"]] == ["Portal", "Application"]
    assert "client_secret" in prompts["hidden"][0]
    assert "Refresh token" in prompts["hidden"][1]
    assert "Local application" in stderr.getvalue()
    assert _keyring().delete("tty")


async def test_the_oauth_login_of_the_command_line_keeps_working_after_the_hour(
    keyring_home: Home,
    oauth_portal: OAuthPortal,
    cli_main: InProcessRunner,
    clock: FrozenClock,
) -> None:
    code, _out, err = await asyncio.to_thread(
        cli_main, ["login", "--oauth", "--profile", "app"], oauth_portal.answers()
    )
    assert code == 0, err
    first = _keyring().load("app")
    assert isinstance(first, OAuthCredential)
    clock.advance(2 * 3600)  # the access token lives an hour
    plan = plan_run("app", interactive=False)
    assert plan.token_refresher is not None
    async with B24Client(plan.endpoint, token_refresher=plan.token_refresher) as client:
        assert (await client.users.current()).id == DEMO_USER_ID
    renewed = _keyring().load("app")
    assert isinstance(renewed, OAuthCredential)
    assert renewed.refresh_token != first.refresh_token  # the rotated pair was saved
    assert renewed.access_token != first.access_token
    _keyring().delete("app")
