"""Serving the emulator: the test-thread server and the ``b24tui emulator`` command."""

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
from b24tui.emulator import EmulatorApp, Portal, build_portal, serve_in_thread
from b24tui.emulator.cli import main
from b24tui.emulator.server import AppSlot
from tests.conftest import demo_webhook_of

REPO_ROOT = Path(b24tui.__file__).resolve().parents[1]
FIRST_LINE_TIMEOUT = 30.0
CLI_OPTIONS = ("--seed", "3", "--limits", "off", "--faults", "0", "--delay-ms", "0")


def test_serve_in_thread_listens_on_loopback_and_stops(portal: Portal) -> None:
    webhook = demo_webhook_of(portal)
    with serve_in_thread(EmulatorApp(portal)) as running:
        assert running.base_url == f"http://127.0.0.1:{running.port}"
        url = f"{running.base_url}/rest/{webhook.user_id}/{webhook.code}/scope"
        assert httpx.get(url).json()["result"] == sorted(webhook.scopes)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_an_empty_slot_answers_503_until_an_app_is_plugged_in(portal: Portal) -> None:
    slot = AppSlot()
    with serve_in_thread(slot) as running, httpx.Client() as http:
        assert http.get(running.base_url + "/_emulator/stats").status_code == 503
        slot.app = EmulatorApp(portal)
        assert http.get(running.base_url + "/_emulator/stats").status_code == 200


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--limits", "cloud"], "--limits cloud is not available yet"),
        (["--faults", "0.1"], "--faults is not available yet"),
        (["--tls"], "--tls is not available yet"),
        (["--delay-ms", "-1"], "--delay-ms cannot be negative"),
    ],
)
def test_unavailable_options_exit_2_with_one_line(
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
def served_cli() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``python -m b24tui.emulator.cli`` running, with the first line it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "b24tui.emulator.cli", *CLI_OPTIONS],
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
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "scope" in stderr  # request log lines go to stderr
    assert webhook.code not in stderr
