"""First run: no credential yet. Explain where to get a webhook, take it masked, check it.

The checks are those of ``b24tui login`` (:func:`~b24tui.auth.verify_webhook`): shape,
``https://``, ``profile`` and ``scope``. Only a URL that passes them all is stored; the
screen then dismisses with the :class:`~b24tui.auth.VerifiedLogin`.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

import httpx
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from b24tui.auth import (
    REQUIRED_SCOPES,
    CredentialStore,
    LoginError,
    StoreError,
    VerifiedLogin,
    WebhookCredential,
    save_login,
    verify_webhook,
)
from b24tui.config import Settings
from b24tui.widgets import AppFooter

__all__ = ["FirstRunApp", "LoginScreen"]

_STEPS = (
    "b24tui works through an [b]inbound webhook[/b], a private URL that acts as you:\n"
    "1. In Bitrix24 open [b]Applications > Developer resources[/b].\n"
    "2. Choose [b]Ready-made scenarios > Other > Incoming webhook[/b].\n"
    f"3. Tick the scopes [b]{', '.join(REQUIRED_SCOPES)}[/b] and save.\n"
    "4. Copy the webhook URL and paste it below.\n"
    "It is checked with the portal, then kept in your system keyring, never in a file."
)


class LoginScreen(Screen[VerifiedLogin | None]):
    """Takes a webhook URL (masked), checks it against the portal and stores it.

    Args:
        store: where a checked webhook is saved (the keyring).
        profile: the profile it is saved for.
        settings: the config, updated with the portal and user of the webhook.
        transport: an httpx transport for the checks (tests); default: the network.
    """

    CSS_PATH = "login.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Quit", id="cancel"),
    ]

    def __init__(
        self,
        store: CredentialStore,
        profile: str,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.settings = settings
        self._transport = transport

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static("Connect b24tui to your Bitrix24", id="login-title")
            yield Static(_STEPS, id="login-steps")
            yield Input(
                placeholder="https://<portal>/rest/<user id>/<code>/",
                password=True,
                id="login-url",
            )
            yield Static("", id="login-status", markup=False)
            with Horizontal(id="login-buttons"):
                yield Button("Check and save", variant="primary", id="login-submit")
                yield Button("Quit", id="login-cancel")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#login-url", Input).focus()

    @on(Input.Submitted, "#login-url")
    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        """Check the URL in the field (in a worker: it calls the portal)."""
        field = self.query_one("#login-url", Input)
        credential = WebhookCredential(field.value.strip())
        if not credential.url:
            self._show("Paste the webhook URL first.", "error")
            return
        self._show("Checking the webhook with the portal…", "busy")
        self.query_one("#login-submit", Button).disabled = True
        self._check(credential)

    @on(Button.Pressed, "#login-cancel")
    def action_cancel(self) -> None:
        """Leave without logging in."""
        self.dismiss(None)

    @work(exclusive=True, exit_on_error=False, group="login")
    async def _check(self, credential: WebhookCredential) -> None:
        try:
            verified = await verify_webhook(credential, transport=self._transport)
        except LoginError as error:
            self._failed(error.full_text, error.problem.value)
            return
        try:
            warning = await asyncio.to_thread(
                save_login, verified, self.store, self.profile, self.settings
            )
        except StoreError as error:
            self._failed(f"The webhook works but could not be stored: {error}", "store")
            return
        if warning:
            self.notify(warning, severity="warning", markup=False)
        self._show(f"Logged in as {verified.summary}.", "ok")
        self.dismiss(verified)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.group == "login":
            error = event.worker.error
            self._failed(f"The check failed unexpectedly ({type(error).__name__}).", "crash")

    def _failed(self, message: str, problem: str) -> None:
        self.query_one("#login-submit", Button).disabled = False
        self._show(message, "error")
        self.query_one("#login-status", Static).set_class(True, f"-{problem}")
        self.query_one("#login-url", Input).focus()

    def _show(self, message: str, state: str) -> None:
        status = self.query_one("#login-status", Static)
        for name in list(status.classes):
            status.remove_class(name)
        status.add_class(f"-{state}")
        status.update(message)

    @property
    def status_text(self) -> str:
        """The message shown under the field (what tests and screen readers see)."""
        return str(self.query_one("#login-status", Static).content)


class FirstRunApp(App[VerifiedLogin | None]):
    """Only the login screen: run before the dashboard when no credential is stored."""

    TITLE = "b24tui"

    def __init__(
        self,
        store: CredentialStore,
        profile: str,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self._login = LoginScreen(store, profile, settings, transport=transport)
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme

    def on_mount(self) -> None:
        self.push_screen(self._login, callback=self.exit)
