"""``b24tui emulator``: options, the first line, HTTPS with the printed CA, OAuth, limits."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

import b24tui
from b24tui.api import B24Client, Webhook
from b24tui.api.oauth import OAuthApp, TokenServerRefresher
from b24tui.emulator import build_portal
from b24tui.emulator.cli import main
from tests.conftest import demo_webhook_of

REPO_ROOT = Path(b24tui.__file__).resolve().parents[1]
FIRST_LINE_TIMEOUT = 30.0
PLAIN_OPTIONS = ("--seed", "3", "--limits", "off", "--faults", "0", "--delay-ms", "0")
TLS_OPTIONS = ("--seed", "3", "--tls", "--limits", "cloud")


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--faults", "1.5"], "--faults must be between 0 and 1"),
        (["--faults", "-0.1"], "--faults must be between 0 and 1"),
        (["--delay-ms", "-1"], "--delay-ms cannot be negative"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--user", "999999"], "the demo portal has no user 999999"),
        (["--tasks", "100"], "--tasks needs --preset large"),
        (["--preset", "large", "--tasks", "-1"], "--tasks cannot be negative"),
    ],
)
def test_unusable_option_values_exit_2_with_one_line(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert complaint in captured.err
    assert captured.err.count("\n") == 1


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--preset", "huge"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.fixture
def served_cli(request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``python -m b24tui.emulator.cli <options>`` running, with the first line it printed."""
    options: tuple[str, ...] = request.param
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "b24tui.emulator.cli", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=FIRST_LINE_TIMEOUT):
                pytest.fail("the emulator printed nothing")
        yield process, process.stdout.readline()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def stop(process: subprocess.Popen[str]) -> str:
    """Interrupt the emulator as Ctrl+C would; its stderr (exit code checked)."""
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    return stderr


@pytest.mark.parametrize("served_cli", [PLAIN_OPTIONS], indirect=True)
def test_cli_prints_the_webhook_url_first_and_serves_it(
    served_cli: tuple[subprocess.Popen[str], str],
) -> None:
    process, first_line = served_cli
    webhook = demo_webhook_of(build_portal("demo", seed=3))
    assert first_line.startswith("http://127.0.0.1:")
    assert first_line.endswith(f"/rest/{webhook.user_id}/{webhook.code}/\n")
    url = first_line.strip()
    with httpx.Client(timeout=10) as http:
        assert http.get(url + "scope").json()["result"] == sorted(webhook.scopes)
        base = url.split("/rest/")[0]
        before = http.get(base + "/_emulator/clock").json()["now"]
        moved = http.post(base + "/_emulator/clock", json={"advance": 86400}).json()["now"]
        jump = datetime.fromisoformat(moved) - datetime.fromisoformat(before)
        assert timedelta(days=1) <= jump < timedelta(days=1, minutes=1)
        assert http.get(base + "/_emulator/stats").json()["limits"] is None
    stderr = stop(process)
    assert "scope" in stderr  # request log lines go to stderr
    assert webhook.code not in stderr


@pytest.mark.parametrize("served_cli", [TLS_OPTIONS], indirect=True)
async def test_cli_with_tls_prints_the_ca_and_serves_https_with_cloud_limits(
    served_cli: tuple[subprocess.Popen[str], str],
) -> None:
    process, first_line = served_cli
    url, ca_file = first_line.split()
    assert url.startswith("https://127.0.0.1:")
    assert Path(ca_file).read_text().startswith("-----BEGIN CERTIFICATE-----")  # noqa: ASYNC240
    webhook = Webhook.parse(url)
    async with B24Client(webhook, ca_file=ca_file) as client:
        assert (await client.system.profile()).id == webhook.user_id
    async with httpx.AsyncClient(verify=False, timeout=10) as http:
        stats = (await http.get(webhook.base_url + "/_emulator/stats")).json()
        grant = (await http.post(webhook.base_url + "/_emulator/oauth/grant", json={})).json()
    assert stats["limits"] is not None  # cloud limits are on when served
    app = OAuthApp(grant["client_id"], grant["client_secret"], webhook.base_url + "/oauth/token/")
    pair = await TokenServerRefresher(app, ca_file=ca_file).refresh(grant["refresh_token"])
    assert pair.client_endpoint == webhook.base_url + "/rest/"
    async with B24Client(pair.token(), ca_file=ca_file) as client:
        assert (await client.users.current()).id == grant["user_id"]
    stderr = stop(process)
    assert not Path(ca_file).exists()  # noqa: ASYNC240 (the throwaway CA goes with the emulator)
    for secret in (webhook.code, grant["client_secret"], grant["refresh_token"]):
        assert secret not in stderr


@pytest.mark.parametrize("served_cli", [("--limits", "off", "--user", "2")], indirect=True)
def test_cli_prints_the_webhook_of_the_user_asked_for(
    served_cli: tuple[subprocess.Popen[str], str],
) -> None:
    process, first_line = served_cli
    assert "/rest/2/" in first_line
    with httpx.Client(timeout=10) as http:
        me = http.get(first_line.strip() + "user.current").json()["result"]
    assert me["ID"] == "2"
    stop(process)
