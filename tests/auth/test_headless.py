"""Over SSH with no keyring: guidance and exit 1 within seconds, nothing on disk; with
``B24TUI_WEBHOOK_URL`` set, the keyring is never touched and everything works."""

from __future__ import annotations

from typing import Any

import pytest

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.auth import KeyringStatus
from b24tui.clock import FrozenClock
from b24tui.services import Services
from b24tui.startup import endpoint_for_run
from b24tui.widgets import TaskTable
from tests.auth.conftest import CliRunner, Home, InProcessRunner
from tests.conftest import ServedEmulator

FAST = 10.0
"""Seconds within which a headless refusal must come (the probe's own deadline is 5)."""


@pytest.mark.parametrize(
    ("args", "stdin"),
    [([], ""), (["login"], "https://portal.example.com/rest/1/headlesscode99/\n")],
)
def test_without_a_keyring_b24tui_and_login_explain_and_exit_1(
    home: Home, run_cli: CliRunner, args: list[str], stdin: str
) -> None:
    result = run_cli(args, input=stdin)
    assert result.returncode == 1
    assert result.seconds < FAST
    assert result.stdout == ""
    assert "cannot keep the webhook safely: no keyring is available" in result.stderr
    assert "export B24TUI_WEBHOOK_URL=" in result.stderr
    assert "dbus-run-session" in result.stderr
    assert "headlesscode99" not in result.output
    assert home.files() == []


def _no_probe(**_: Any) -> KeyringStatus:
    raise AssertionError("the keyring must not be probed when B24TUI_WEBHOOK_URL is set")


async def test_with_the_variable_set_the_dashboard_opens_without_touching_the_keyring(
    home: Home, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch, clock: FrozenClock
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)
    endpoint = endpoint_for_run(None, interactive=False, probe=_no_probe)
    assert isinstance(endpoint, Webhook)
    assert endpoint.secrets() == (emulator.webhook.code,)
    async with B24Client(endpoint) as client:
        app = B24App(Services(client=client, clock=clock))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen.query_one(TaskTable).row_count > 0
    assert home.files() == []


def test_with_the_variable_set_doctor_reaches_the_portal(
    home: Home, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch, run_cli: CliRunner
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)
    result = run_cli(["doctor"])
    assert result.returncode == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "(not needed: B24TUI_WEBHOOK_URL is set)" in lines["keyring"]
    assert "found in B24TUI_WEBHOOK_URL" in lines["secret"]
    assert "/rest/1/***/" in lines["secret"]
    assert " ok " in lines["portal"]
    assert "answers" in lines["portal"]
    assert "task, timeman, user" in lines["scopes"]
    assert emulator.webhook.code not in result.output
    assert home.files() == []


def test_a_bad_variable_is_named_and_refused(
    home: Home, monkeypatch: pytest.MonkeyPatch, run_cli: CliRunner
) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", "http://portal.example.com/rest/1/envcode77/")
    result = run_cli([])
    assert result.returncode == 1
    assert result.stderr.startswith("b24tui: B24TUI_WEBHOOK_URL: ")
    assert "plain http://" in result.stderr
    assert "envcode77" not in result.output


def test_a_bad_config_file_is_named_with_its_key(home: Home, cli_main: InProcessRunner) -> None:
    home.config_file.parent.mkdir(parents=True)
    home.config_file.write_text("refresh_interval = 'often'\n", encoding="utf-8")
    for args in ([], ["login"], ["logout"]):
        code, out, err = cli_main(args, input="")
        assert code == 1
        assert out == ""
        assert f"{home.config_file}: refresh_interval: expected a number of seconds" in err
