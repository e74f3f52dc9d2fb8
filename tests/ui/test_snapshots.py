"""The look of the dashboard on the seeded demo at a frozen moment, wide and 80x24."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from textual.pilot import Pilot

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.screens.dashboard import DashboardScreen
from b24tui.screenshots import DEMO_MOMENT
from b24tui.services import Services

SnapCompare = Callable[..., bool]


async def _loaded(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _demo_app() -> B24App:
    clock = FrozenClock(DEMO_MOMENT)
    return B24App(Services(client=demo_client(demo_portal(clock)), clock=clock, demo=True))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_dashboard(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(_demo_app(), terminal_size=size, run_before=_loaded)


async def _with_pane(pilot: Pilot[None]) -> None:
    await _loaded(pilot)
    await pilot.press("j", "j")
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    screen.flush_detail()
    await _loaded(pilot)


def test_dashboard_with_pane(snap_compare: SnapCompare) -> None:
    assert snap_compare(_demo_app(), terminal_size=(160, 40), run_before=_with_pane)


async def _filtered_and_sorted(pilot: Pilot[None]) -> None:
    await _loaded(pilot)
    await pilot.press("slash", "r", "e", "p", "o", "r", "t", "enter", "S", "S", "S", "S")
    await pilot.pause()


def test_dashboard_filtered_and_sorted(snap_compare: SnapCompare) -> None:
    assert snap_compare(_demo_app(), terminal_size=(80, 24), run_before=_filtered_and_sorted)


def _offline(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_dashboard_whose_first_load_failed(snap_compare: SnapCompare) -> None:
    clock = FrozenClock(DEMO_MOMENT)
    client = B24Client(
        Webhook.parse("https://acme.bitrix24.com/rest/1/notshown/"),
        transport=httpx.MockTransport(_offline),
    )
    app = B24App(Services(client=client, clock=clock))
    assert snap_compare(app, terminal_size=(100, 30), run_before=_loaded)


async def _help(pilot: Pilot[None]) -> None:
    await _loaded(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


def test_help_over_the_dashboard(snap_compare: SnapCompare) -> None:
    """`?` at 120x36: the selected task's keys (marked when not for it now), the screen's,
    the palette's commands and the table's marks."""
    assert snap_compare(_demo_app(), terminal_size=(120, 36), run_before=_help)


async def _empty_view(pilot: Pilot[None]) -> None:
    await _loaded(pilot)
    await pilot.press("slash", "z", "z", "q", "enter")
    await pilot.pause()


def test_dashboard_with_no_match(snap_compare: SnapCompare) -> None:
    """A filter matching nothing says so where the rows would be; no task keys offered."""
    assert snap_compare(_demo_app(), terminal_size=(80, 24), run_before=_empty_view)
