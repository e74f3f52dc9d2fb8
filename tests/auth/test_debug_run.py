"""``--debug`` (or ``debug = true``) on a real run against the emulator: a log of the calls,
never the webhook code; without it no log at all. ``doctor`` says where the log is."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.auth.conftest import Home, InProcessRunner
from tests.conftest import ServedEmulator


def _log_file(home: Home) -> Path:
    return home.path / ".local" / "state" / "b24tui" / "log" / "b24tui.log"


def _debug_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("debug log"))


@pytest.fixture
def webhook_env(home: Home, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)


@pytest.mark.usefixtures("webhook_env")
def test_debug_logs_each_call_and_never_the_webhook_code(
    home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    code, out, err = cli_main(["--debug", "doctor"])
    path = _log_file(home)
    assert code == 0, out + err
    assert f"on, writing {path}" in _debug_line(out)
    text = path.read_text(encoding="utf-8")
    for method in ("profile", "scope", "tasks.task.get"):
        assert f"/***/{method}" in text
    assert " ms" in text
    assert emulator.webhook.code not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert err == ""


@pytest.mark.usefixtures("webhook_env")
def test_without_debug_nothing_is_written(home: Home, cli_main: InProcessRunner) -> None:
    code, out, _err = cli_main(["doctor"])
    assert code == 0, out
    line = _debug_line(out)
    assert "off (--debug or debug = true writes" in line
    assert str(_log_file(home)) in line
    assert not _log_file(home).parent.exists()


@pytest.mark.usefixtures("webhook_env")
def test_debug_true_in_the_config_turns_it_on(
    home: Home, emulator: ServedEmulator, cli_main: InProcessRunner
) -> None:
    home.config_file.parent.mkdir(parents=True)
    home.config_file.write_text("debug = true\n", encoding="utf-8")
    code, out, _err = cli_main(["doctor"])
    assert code == 0, out
    assert "on, writing" in _debug_line(out)
    text = _log_file(home).read_text(encoding="utf-8")
    assert "/***/scope" in text
    assert emulator.webhook.code not in text
