"""Fixtures for the command line's tests: a private HOME and config, the served emulator's
webhook in ``B24TUI_WEBHOOK_URL``, and a runner on the portal's frozen clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from b24tui.cli import build_parser
from b24tui.clock import FrozenClock
from b24tui.workday_cli import run_workday_command
from tests.conftest import ServedEmulator


@dataclass(frozen=True)
class Ran:
    """A finished command: its exit code and what it printed."""

    code: int
    out: str
    err: str


Runner = Callable[[Sequence[str]], Ran]


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, the XDG directories and the config file under ``tmp_path``; no secret set."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("B24TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("B24TUI_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture
def workday_cli(
    private_home: Path,
    emulator: ServedEmulator,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Runner:
    """Run ``b24tui workday ARGS`` against the served emulator, on its frozen clock."""
    monkeypatch.setenv("B24TUI_WEBHOOK_URL", emulator.webhook_url)

    def run(args: Sequence[str]) -> Ran:
        capsys.readouterr()
        options = build_parser().parse_args(["workday", *args])
        code = run_workday_command(options, clock=clock)
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
