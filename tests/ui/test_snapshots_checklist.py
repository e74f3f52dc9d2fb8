"""The look of the checklist tree on the seeded demo at a frozen moment, wide and 80x24:
as opened (everything expanded), collapsed with `-`, after a tick, and with done items
hidden (`h`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens.checklist import ChecklistScreen
from b24tui.screenshots import DEMO_MOMENT
from b24tui.services import Services
from b24tui.widgets.checklist_tree import ChecklistTree
from tests.ui.waiting import settled

SnapCompare = Callable[..., bool]

SHOWN_TITLE = "Record the product video"
"""The title of the demo user's task with the longest checklist (two checklists three
levels deep, done, important and assigned items among them); other tasks share it."""

TICKED_TITLE = "Agree on details with the client"
"""An open, important item of the first checklist, the fifth line: ticked by the test."""

SIZES = [(120, 36), (80, 24)]


def _checklist_app() -> B24App:
    clock = FrozenClock(DEMO_MOMENT)
    portal = demo_portal(clock)
    task_id = max(
        (
            task.id
            for task in portal.tasks.values()
            if task.title == SHOWN_TITLE and task.responsible_id == DEMO_USER_ID
        ),
        key=lambda task_id: len(portal.checklist_of(task_id)),
    )
    services = Services(client=demo_client(portal), clock=clock, demo=True)
    return B24App(services, task_id=task_id, checklist=True)


def _tree(pilot: Pilot[None]) -> ChecklistTree:
    screen = pilot.app.screen
    assert isinstance(screen, ChecklistScreen), f"on {type(screen).__name__}"
    return screen.query_one(ChecklistTree)


def _label(tree: ChecklistTree, item_id: int) -> str:
    label = tree.label_of(item_id)
    assert label is not None, f"item {item_id} is not shown"
    return label.plain


async def _opened(pilot: Pilot[None]) -> None:
    await settled(pilot)
    assert len(_tree(pilot).shown_ids) == 15, "the task's whole checklist is shown"


async def _collapsed(pilot: Pilot[None]) -> None:
    await _opened(pilot)
    await pilot.press("minus")
    await pilot.pause()


async def _ticked(pilot: Pilot[None]) -> None:
    await _opened(pilot)
    await pilot.press("down", "down", "down", "down")
    tree = _tree(pilot)
    item_id = tree.cursor_item_id
    assert item_id is not None
    assert _label(tree, item_id).startswith(f"☐ {TICKED_TITLE}")
    await pilot.press("space")
    await settled(pilot)
    assert _label(tree, item_id).startswith(f"☑ {TICKED_TITLE}"), "sent and done"


async def _done_hidden(pilot: Pilot[None]) -> None:
    await _opened(pilot)
    await pilot.press("h")
    await pilot.pause()


STATES: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "expanded": _opened,
    "collapsed": _collapsed,
    "ticked": _ticked,
    "done_hidden": _done_hidden,
}


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
@pytest.mark.parametrize("state", list(STATES))
def test_checklist_tree(snap_compare: SnapCompare, state: str, size: tuple[int, int]) -> None:
    assert snap_compare(_checklist_app(), terminal_size=size, run_before=STATES[state])
