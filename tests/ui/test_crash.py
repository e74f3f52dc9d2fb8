"""Even a crash never shows a secret: tracebacks are printed without local variables."""

from __future__ import annotations

import pytest

from b24tui.api import B24Client
from b24tui.cli import _run_app
from b24tui.clock import FrozenClock
from b24tui.screens.dashboard import DashboardScreen
from tests.ui.conftest import AppFactory

SECRET_CODE = "s3cr3tw3bh00kcode"


class BrokenDashboard(DashboardScreen):
    def on_mount(self) -> None:
        webhook_url = f"https://portal.example/rest/1/{SECRET_CODE}/"
        raise RuntimeError(f"broken while holding a URL of {len(webhook_url)} characters")


async def test_crash_traceback_names_the_error_but_not_the_locals(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("b24tui.app.DashboardScreen", BrokenDashboard)
    app = make_app()
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "RuntimeError" in shown
    assert "broken while holding a URL" in shown
    assert SECRET_CODE not in shown


async def test_a_crash_exits_non_zero(
    ui_client: B24Client,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("b24tui.app.DashboardScreen", BrokenDashboard)
    code = await _run_app(ui_client, clock, demo=False, headless=True)
    assert code == 1
    assert "RuntimeError" in capsys.readouterr().err
