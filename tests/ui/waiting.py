"""Waiting, in UI tests, for what the portal does meanwhile (polling, never a fixed sleep)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

from b24tui.api import PacingPolicy
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


async def settled(pilot: Pilot[None]) -> None:
    """Until the app's workers are done and the screens have handled what they posted.

    A worker that changes the store finishes before the screens have repainted from the
    ``StoreUpdated`` it posted, so waiting for the workers alone races the repaint.
    """
    for _ in range(POLLS):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            await next_frame(pilot)
            return
    raise AssertionError("the app's workers kept running")


async def next_frame(pilot: Pilot[None]) -> None:
    """Until the screen has been painted once more and what waited for it has run.

    Widgets that change after a refresh (``call_after_refresh``: the footer's keys) have
    done so when this returns, however quickly the pilot's pauses come back.
    """
    painted = asyncio.Event()
    screen = pilot.app.screen
    screen.call_after_refresh(painted.set)
    screen.refresh()
    await painted.wait()
    await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Until ``condition`` holds, polling a hundredth of a second at a time."""
    for _ in range(POLLS):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never held")


class HeldWaits:
    """A pacing policy whose waits last until the test calls :meth:`release`; then the
    policy's own time has passed by the wait (no wall-clock sleep)."""

    def __init__(self) -> None:
        self._released = asyncio.Event()
        self._now = 1000.0
        self.policy = PacingPolicy(sleep=self._held, clock=self._clock, wall=self._clock)

    def _clock(self) -> float:
        return self._now

    async def _held(self, seconds: float) -> None:
        await self._released.wait()
        self._now += seconds

    def release(self) -> None:
        """Let every wait, and those to come, pass."""
        self._released.set()
