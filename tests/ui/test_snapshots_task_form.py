"""The look of the task form on the seeded demo at a frozen moment: as it opens, with the
errors of a save, with a conflict, and for a new task; wide and 80x24."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.emulator import Portal
from b24tui.screens.task_conflict import ConflictScreen
from b24tui.screenshots import DEMO_MOMENT
from b24tui.services import Services
from tests.ui.waiting import settled, until

SnapCompare = Callable[..., bool]

SHOWN_TITLE = "Draft the supplier contract"
"""A demo task the demo user created: a BBCode description, a deadline, another person
responsible."""
SIZES = [(120, 36), (80, 24)]


def _form_app() -> tuple[B24App, Portal, FrozenClock]:
    clock = FrozenClock(DEMO_MOMENT)
    portal = demo_portal(clock)
    task_id = next(task.id for task in portal.tasks.values() if task.title == SHOWN_TITLE)
    services = Services(client=demo_client(portal), clock=clock, demo=True)
    return B24App(services, task_id=task_id), portal, clock


async def _opened(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("e")
    await settled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_task_form(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app, _, _ = _form_app()
    assert snap_compare(app, terminal_size=size, run_before=_opened)


async def _errors(pilot: Pilot[None]) -> None:
    await _opened(pilot)
    await pilot.press("ctrl+u", "tab", "tab", "ctrl+u", *"+2x", "ctrl+s")
    await settled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_task_form_with_field_errors(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app, _, _ = _form_app()
    assert snap_compare(app, terminal_size=size, run_before=_errors)


@pytest.mark.parametrize("size", SIZES)
def test_task_form_with_a_conflict(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app, portal, clock = _form_app()

    async def conflict(pilot: Pilot[None]) -> None:
        await _opened(pilot)
        await pilot.press("end", *" (v2)")
        task = next(task for task in portal.tasks.values() if task.title == SHOWN_TITLE)
        clock.advance(90)
        task.title = "Draft the supplier contract, final"
        task.priority = 0
        portal.touch(task, 4)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConflictScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=conflict)


async def _new(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("escape")
    await settled(pilot)
    await pilot.press("n")
    await settled(pilot)
    await pilot.press(*"Book the venue", "tab", "tab", *"fri 15:00")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_new_task_form(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app, _, _ = _form_app()
    assert snap_compare(app, terminal_size=size, run_before=_new)
