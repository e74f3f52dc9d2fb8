"""Waiting, in UI tests, for what the portal does meanwhile (polling, never a fixed sleep)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.conftest import ServedEmulator

POLLS = 500
"""Turns of the app's loop to wait at most (a hundredth of a second each)."""


async def until_held(pilot: Pilot[None], emulator: ServedEmulator) -> None:
    """Until the portal holds back an answer (a ``timeout`` fault) for the app's request."""
    for _ in range(POLLS):
        if emulator.app.held:
            return
        await pilot.pause(0.01)
    raise AssertionError("the portal never got the request whose answer it was to hold")
