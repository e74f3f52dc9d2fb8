"""The look of the workday on the seeded demo at a frozen moment, in each status: the strip
on the dashboard (wide and 80x24) and the workday screen (``w``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, timedelta, tzinfo

import pytest
from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Pause
from b24tui.screens.workday import WorkdayScreen
from b24tui.screenshots import DEMO_MOMENT
from b24tui.services import Services
from b24tui.widgets.workday_strip import WorkdayStrip
from tests.ui.waiting import settled

SnapCompare = Callable[..., bool]


def _paused(portal: Portal) -> None:
    """On a break since 09:20, first seen so: no worked figure is invented."""
    day = portal.workdays[DEMO_USER_ID]
    day.pauses.append(Pause(portal.now() - timedelta(minutes=10)))


def _closed(portal: Portal) -> None:
    """Finished at 09:20, short of the minimum."""
    portal.workdays[DEMO_USER_ID].time_finish = portal.now() - timedelta(minutes=10)


def _expired(portal: Portal) -> None:
    """Opened yesterday morning and never finished."""
    day = portal.workdays[DEMO_USER_ID]
    day.time_start -= timedelta(days=1)
    for pause in day.pauses:
        pause.start -= timedelta(days=1)
        pause.end = pause.end - timedelta(days=1) if pause.end is not None else None


def _unavailable(portal: Portal) -> None:
    """The webhook lacks the timeman scope: the tasks load, the workday cannot be read."""
    hooks = portal.credentials.webhooks
    for code, hook in list(hooks.items()):
        if hook.user_id == DEMO_USER_ID:
            hooks[code] = dataclasses.replace(hook, scopes=hook.scopes - {"timeman"})


STATUSES: dict[str, Callable[[Portal], None]] = {
    "open": lambda portal: None,
    "paused": _paused,
    "closed": _closed,
    "expired": _expired,
    "unavailable": _unavailable,
}
"""Each status, as the portal's state is set for it (the seed's day is open)."""


def _workday_app(status: str, terminal: tzinfo | None = None) -> B24App:
    clock = FrozenClock(DEMO_MOMENT, local_zone=terminal)
    portal = demo_portal(clock)
    STATUSES[status](portal)
    return B24App(Services(client=demo_client(portal), clock=clock, demo=True))


def _on_the_dashboard(status: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        assert status in pilot.app.screen.query_one(WorkdayStrip).text

    return run_before


def _on_the_workday_screen(status: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("w")
        await settled(pilot)
        assert isinstance(pilot.app.screen, WorkdayScreen)

    return run_before


@pytest.mark.parametrize("status", list(STATUSES))
@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_the_strip(snap_compare: SnapCompare, status: str, size: tuple[int, int]) -> None:
    assert snap_compare(
        _workday_app(status), terminal_size=size, run_before=_on_the_dashboard(status)
    )


@pytest.mark.parametrize("status", list(STATUSES))
def test_the_workday_screen(snap_compare: SnapCompare, status: str) -> None:
    assert snap_compare(
        _workday_app(status), terminal_size=(100, 30), run_before=_on_the_workday_screen(status)
    )


def test_the_strip_in_a_terminal_in_another_zone(snap_compare: SnapCompare) -> None:
    """The day's zone named beside its start (UTC+2, the terminal in UTC): at 80 columns the
    hint to press w gives way to it."""
    app = _workday_app("open", terminal=UTC)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_on_the_dashboard("UTC+2"))
