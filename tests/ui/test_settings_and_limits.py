"""The config file reaches the app (theme, remapped keys), and waiting on limits shows."""

from __future__ import annotations

from pathlib import Path

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.config import Settings
from b24tui.screens import DashboardScreen
from b24tui.services import Services
from b24tui.widgets import AppHeader
from tests.conftest import ServedEmulator
from tests.ui.waiting import HeldWaits, settled


def _list_calls(emulator: ServedEmulator) -> int:
    return len(emulator.app.journal.entries("tasks.task.list"))


async def test_the_configured_theme_is_used(ui_client: B24Client, clock: FrozenClock) -> None:
    settings = Settings(path=Path("config.toml"), theme="nord")
    app = B24App(Services(client=ui_client, clock=clock, settings=settings))
    async with app.run_test(size=(120, 36)):
        assert app.theme == "nord"


async def test_an_unknown_theme_is_reported_and_the_app_still_opens(
    ui_client: B24Client, clock: FrozenClock
) -> None:
    settings = Settings(path=Path("config.toml"), theme="[bold]no-such-theme")
    app = B24App(Services(client=ui_client, clock=clock, settings=settings))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        messages = [str(notification.message) for notification in app._notifications]
        assert any("[bold]no-such-theme" in message for message in messages)


async def test_a_remapped_key_refreshes(
    ui_client: B24Client, clock: FrozenClock, emulator: ServedEmulator
) -> None:
    settings = Settings(path=Path("config.toml"), keys={"refresh": "f5"})
    app = B24App(Services(client=ui_client, clock=clock, settings=settings))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        before = _list_calls(emulator)
        await pilot.press("r")  # no longer bound: the config moved refresh to f5
        await settled(pilot)
        assert _list_calls(emulator) == before
        await pilot.press("f5")
        await settled(pilot)
        assert _list_calls(emulator) > before


async def test_the_header_says_when_calls_wait_for_the_portal_limits(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    waits = HeldWaits()
    policy = waits.policy
    emulator.app.faults.inject("429", method="user.current")
    async with B24Client(Webhook.parse(emulator.webhook_url), policy=policy) as client:
        app = B24App(Services(client=client, clock=clock))
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            for _ in range(50):
                if policy.state().parked:
                    break
                await pilot.pause(0.01)
            screen.tick()
            status = str(screen.query_one(AppHeader).status)
            assert status.startswith("waiting for user.current (portal limit), ")
            assert "user.current" in status
            waits.release()
            await settled(pilot)
            screen.tick()
            assert str(screen.query_one(AppHeader).status).startswith("updated")
