"""The one-line header: which portal, who I am, and badges (DEMO, READ-ONLY, OFFLINE, stale)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Label

from b24tui.text import clean


class AppHeader(Horizontal):
    """Shows the portal, the signed-in user, DEMO, READ-ONLY and connection badges and a
    short status."""

    DEFAULT_CSS = """
    AppHeader { height: 1; }
    AppHeader > Label { width: auto; }
    AppHeader > #header-spacer { width: 1fr; }
    """

    portal: reactive[str] = reactive("")
    """The portal's host name."""
    user_name: reactive[str] = reactive("")
    """The signed-in user's name, as the portal spells it."""
    demo: reactive[bool] = reactive(False)
    """Whether the app talks to the built-in emulated portal."""
    read_only: reactive[bool] = reactive(False)
    """Whether nothing is offered or sent that would change the portal."""
    status: reactive[str] = reactive("")
    """A short state such as "loading…" or "updated 5s ago"."""
    connection: reactive[str] = reactive("")
    """A connection badge: "" (all well), "OFFLINE", or why the data is stale ("portal
    error", "webhook refused", "missing scope", "stale")."""

    def compose(self) -> ComposeResult:
        yield Label("b24tui", id="header-title")
        yield Label(id="header-portal")
        yield Label(id="header-user")
        yield Label("DEMO", id="header-demo")
        yield Label("READ-ONLY", id="header-read-only")
        yield Label(id="header-connection")
        yield Label(id="header-spacer")
        yield Label(id="header-status")

    def watch_portal(self, portal: str) -> None:
        self.query_one("#header-portal", Label).update(Content(clean(portal, single_line=True)))

    def watch_user_name(self, name: str) -> None:
        self.query_one("#header-user", Label).update(Content(clean(name, single_line=True)))

    def watch_demo(self, demo: bool) -> None:
        self.query_one("#header-demo", Label).display = demo

    def watch_read_only(self, read_only: bool) -> None:
        self.query_one("#header-read-only", Label).display = read_only

    def watch_status(self, status: str) -> None:
        self.query_one("#header-status", Label).update(Content(status))

    def watch_connection(self, connection: str) -> None:
        badge = self.query_one("#header-connection", Label)
        badge.update(Content(connection))
        badge.display = bool(connection)
        badge.set_class(connection == "OFFLINE", "-offline")
        badge.set_class(bool(connection) and connection != "OFFLINE", "-stale")
