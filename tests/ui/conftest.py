"""UI fixtures: the app on a frozen clock, its client talking to the served emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.config import Settings
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Task as PortalTask
from b24tui.services import Services
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.hosts import BareApp

AppFactory = Callable[..., B24App]


@pytest.fixture(autouse=True)
def _steady_cursor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a snapshot the cursor stays lit, as at the moment its field took focus.

    Inputs and text areas blink every half second: on a busy machine the moment a
    snapshot is taken falls on either phase, and the snapshot would flicker with it.
    """
    if "snap_compare" not in request.fixturenames:
        return
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
async def ui_client(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    """A client for the demo user's webhook over real loopback HTTP."""
    async with B24Client(Webhook.parse(emulator.webhook_url)) as client:
        yield client


@pytest.fixture
def make_app(ui_client: B24Client, clock: FrozenClock) -> AppFactory:
    """Build the app around the served emulator (``demo=`` sets the DEMO badge)."""

    def make(
        *, demo: bool = False, client: B24Client | None = None, settings: Settings | None = None
    ) -> B24App:
        return B24App(
            Services(client=client or ui_client, clock=clock, demo=demo, settings=settings)
        )

    return make


@pytest.fixture
def bare_app(ui_client: B24Client, clock: FrozenClock) -> BareApp:
    """The app around the served emulator, on a blank screen instead of the dashboard."""
    return BareApp(Services(client=ui_client, clock=clock))


OPEN_STATUSES = (1, 2, 3, 4)
"""The portal's statuses that are neither completed (5) nor deferred (6)."""


def expected_view_ids(
    portal: Portal, view: str, now: datetime, me: int = DEMO_USER_ID
) -> list[int]:
    """A view's task ids restated from the portal's own records, in the spec's order.

    Written from PRODUCT.md's table of views, independently of ``b24tui.views``.
    """

    def doing(task: PortalTask) -> bool:
        return task.responsible_id == me or me in task.accomplices

    def is_open(task: PortalTask) -> bool:
        return task.status in OPEN_STATUSES

    def overdue(task: PortalTask) -> bool:
        # Open and not awaiting control (4), as the Overdue view's row of the table says.
        in_work = is_open(task) and task.status != 4
        return in_work and task.deadline is not None and task.deadline < now

    rules: dict[str, Callable[[PortalTask], bool]] = {
        "active": lambda t: doing(t) and is_open(t),
        "in_progress": lambda t: t.responsible_id == me and t.status == 3,
        "assigned": lambda t: t.responsible_id == me and is_open(t),
        "created": lambda t: t.created_by == me and is_open(t),
        "helping": lambda t: me in t.accomplices and is_open(t),
        "watching": lambda t: me in t.auditors and is_open(t),
        "overdue": lambda t: doing(t) and overdue(t),
        "control": lambda t: t.created_by == me and t.status == 4,
        "all": lambda t: doing(t) or me in t.auditors or t.created_by == me,
    }

    def order(task: PortalTask) -> tuple[bool, float, int, int]:
        deadline = task.deadline.timestamp() if task.deadline else float("inf")
        return (not overdue(task), deadline, -task.priority, task.id)

    return [task.id for task in sorted(filter(rules[view], portal.tasks.values()), key=order)]


def row_ids(table: TaskTable) -> list[int]:
    """The task ids of the table's rows, top to bottom."""
    return [int(str(row.key.value)) for row in table.ordered_rows]


def cell_text(table: TaskTable, task_id: int, column: str) -> str:
    """A cell's text as shown."""
    value = table.get_cell(str(task_id), column)
    return value.plain if isinstance(value, Text) else str(value)


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the background loads have finished and the screen has settled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
