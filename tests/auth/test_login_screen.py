"""The first-run login screen driven with Pilot against the served emulator."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Button, Input

from b24tui.auth import MemoryStore, VerifiedLogin, WebhookCredential
from b24tui.config import Settings, load_settings
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens.login import FirstRunApp, LoginScreen
from tests.conftest import ServedEmulator


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Shown:
    """What the login screen showed after the check."""

    status: str
    status_classes: frozenset[str]
    screenshot: str


async def _submit(app: FirstRunApp, url: str) -> Shown | None:
    """Paste ``url`` into the field and press enter, as a person would; what the screen
    shows afterwards, or ``None`` when it closed."""
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        field = screen.query_one("#login-url", Input)
        assert field.has_focus
        assert field.password
        field.post_message(events.Paste(url))
        await pilot.pause()
        assert field.value == url
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not isinstance(app.screen, LoginScreen):
            return None
        assert not screen.query_one("#login-submit", Button).disabled
        status = screen.query_one("#login-status")
        return Shown(screen.status_text, frozenset(status.classes), app.export_screenshot())


async def test_a_good_url_is_stored_and_the_screen_returns_who_logged_in(
    emulator: ServedEmulator, tmp_path: Path
) -> None:
    store = MemoryStore()
    settings = Settings(path=tmp_path / "config.toml")
    app = FirstRunApp(store, "default", settings)
    assert await _submit(app, emulator.webhook_url) is None
    result = app.return_value
    assert isinstance(result, VerifiedLogin)
    assert result.profile.id == DEMO_USER_ID
    assert store.load("default") == WebhookCredential(emulator.webhook_url)
    assert load_settings(settings.path).profile().user_id == DEMO_USER_ID


@pytest.mark.parametrize(
    ("case", "expected", "css_class"),
    [
        ("wrong code", "did not accept the webhook code", "-wrong_code"),
        ("missing scope", "The webhook lacks the scope timeman.", "-missing_scope"),
        ("unreachable", "Cannot reach 127.0.0.1:", "-unreachable"),
        ("plain http", "Plain http:// is refused for portal.example.com", "-insecure"),
    ],
)
async def test_a_bad_url_is_explained_and_nothing_is_stored(
    emulator: ServedEmulator, tmp_path: Path, case: str, expected: str, css_class: str
) -> None:
    code = emulator.webhook.code
    if case == "wrong code":
        url = f"{emulator.base_url}/rest/{DEMO_USER_ID}/{code}x/"
    elif case == "missing scope":
        hook = emulator.portal.credentials.add_webhook(
            DEMO_USER_ID, scopes=frozenset({"task", "user"})
        )
        url = f"{emulator.base_url}/rest/{DEMO_USER_ID}/{hook.code}/"
    elif case == "unreachable":
        url = f"http://127.0.0.1:{_closed_port()}/rest/{DEMO_USER_ID}/{code}/"
    else:
        url = f"http://portal.example.com/rest/{DEMO_USER_ID}/{code}/"
    store = MemoryStore()
    settings = Settings(path=tmp_path / "config.toml")
    app = FirstRunApp(store, "default", settings)
    shown = await _submit(app, url)
    assert shown is not None
    assert expected in shown.status
    assert {"-error", css_class} <= shown.status_classes
    assert url.rstrip("/").rsplit("/", 1)[-1] not in shown.screenshot
    assert store.load("default") is None
    assert not settings.path.exists()
    assert app.return_value is None


async def test_escape_leaves_without_logging_in(tmp_path: Path) -> None:
    store = MemoryStore()
    app = FirstRunApp(store, "default", Settings(path=tmp_path / "config.toml"))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is None
    assert store.load("default") is None
