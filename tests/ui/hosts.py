"""Small host apps for UI tests that show one dialog or one screen, with nothing loading.

Booting :class:`~b24tui.app.B24App` pushes the dashboard, which reads the portal; a test
of a dialog or of the help and palette over a task screen needs none of that.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App

import b24tui.app
from b24tui.app import B24App

__all__ = ["BareApp", "DialogHost"]


class DialogHost(App[None]):
    """An empty app to push a dialog onto: no client, no portal, no dashboard."""

    BINDINGS = B24App.BINDINGS
    """The app's own keys (`q` quits), which a dialog on top must not let through."""


class BareApp(B24App):
    """The app with its keys, command palette and help, on a blank screen: the dashboard
    is never pushed, so nothing is read from the portal until a test asks."""

    CSS_PATH = str(Path(b24tui.app.__file__).parent / "styles" / "app.tcss")
    """The app's own stylesheet (a relative path would be read next to this file)."""

    def _on_mount(self, event: events.Mount) -> None:
        # Stops B24App.on_mount, which would push the dashboard: Textual runs the mount
        # handler of every class along the hierarchy, this one first, unless one prevents
        # the rest.
        event.prevent_default()
