"""The look of the task detail screen on the seeded demo at a frozen moment, wide and 80x24."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.screenshots import DEMO_MOMENT
from b24tui.services import Services

SnapCompare = Callable[..., bool]

SHOWN_TITLE = "Draft the supplier contract"
"""A demo task with a BBCode description (list, link, mention), a checklist and a deadline."""


async def _loaded(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _detail_app(title: str) -> B24App:
    clock = FrozenClock(DEMO_MOMENT)
    portal = demo_portal(clock)
    task_id = next(task.id for task in portal.tasks.values() if task.title == title)
    services = Services(client=demo_client(portal), clock=clock, demo=True)
    return B24App(services, task_id=task_id)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_task_detail(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(_detail_app(SHOWN_TITLE), terminal_size=size, run_before=_loaded)
