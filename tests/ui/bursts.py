"""Keys typed faster than the app answers, as a terminal delivers them in one read."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App

CHARACTERS = {"enter": "\r", "escape": "\x1b", "space": " ", "tab": "\t"}
"""The character a terminal sends for each named key (others are their own character)."""


def burst(app: App[Any], *keys: str) -> None:
    """Queue every key before the first is handled: Pilot's ``press`` waits for each key's
    effects (a dialog mounted, a field focused, a message handled), which hides the races
    a quick typist meets."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))
