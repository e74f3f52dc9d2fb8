"""A large portal's first load shows its rows as they arrive, says how far it has come, and
holds the person's place; when it is whole the progress goes.

The portal gets enough tasks of mine to take two requests; the second one's answer is held
back on the way, so the test looks at the dashboard between the two.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from textual.pilot import Pilot
from textual.widgets import Tab

from b24tui.api import B24Client, Webhook
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Task as PortalTask
from b24tui.widgets import AppHeader, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, expected_view_ids, row_ids
from tests.ui.test_first_load import problem_of
from tests.ui.waiting import POLLS, settled

MORE_TASKS = 900
"""Tasks added for me: more than the first request of a load reads (before and after the
change that made the load show its parts)."""


class HeldTransport(httpx.AsyncBaseTransport):
    """Real loopback HTTP that holds back the second batch request until released (and
    then, with :attr:`cut`, fails it as a lost network would)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.batches = 0
        self.holding = asyncio.Event()
        self.release = asyncio.Event()
        self.cut = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.rstrip("/").split("/")[-1].startswith("batch"):
            self.batches += 1
            if self.batches == 2:
                self.holding.set()
                await self.release.wait()
                if self.cut:
                    raise httpx.ConnectError("network is unreachable", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def add_my_tasks(portal: Portal, count: int) -> None:
    """``count`` tasks of mine, long overdue, each an hour more than the one before: the
    tasks read later sort above those read earlier (and above every other)."""
    now = portal.now()
    for index in range(count):
        task_id = portal.next_id("task")
        portal.tasks[task_id] = PortalTask(
            id=task_id,
            title=f"Bulk task {index}",
            created_by=2,
            responsible_id=DEMO_USER_ID,
            created_date=now - timedelta(days=1),
            changed_date=now - timedelta(days=1),
            deadline=now - timedelta(days=60, hours=index),
            viewed_by={2, DEMO_USER_ID},
        )


async def until_holding(pilot: Pilot[None], network: HeldTransport) -> None:
    """Until the second request is held back and the screen has shown what came before."""
    for _ in range(POLLS):
        if network.holding.is_set():
            break
        await pilot.pause(0.01)
    else:
        raise AssertionError("the load never sent a second request")
    for _ in range(3):
        await pilot.pause()


def tab_label(pilot: Pilot[None], key: str) -> str:
    return str(pilot.app.screen.query_one(f"#{key}", Tab).label)


async def test_a_large_first_load_fills_the_table_as_it_arrives(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    add_my_tasks(emulator.portal, MORE_TASKS)
    everything = expected_view_ids(emulator.portal, "all", clock.now())
    active = expected_view_ids(emulator.portal, "active", clock.now())
    network = HeldTransport()
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=network) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await until_holding(pilot, network)
            table = app.screen.query_one(TaskTable)
            header = app.screen.query_one(AppHeader)
            shown = row_ids(table)
            assert 0 < len(shown) < len(active), "the first part is on screen, not all"
            assert shown == [task_id for task_id in active if task_id in set(shown)]
            progress = re.fullmatch(r"loading ([\d,]+) of ([\d,]+)…", header.status)
            assert progress is not None, header.status
            read, total = (int(number.replace(",", "")) for number in progress.groups())
            assert total == len(everything)
            assert 0 < read < total
            assert tab_label(pilot, "all") == f"All {read:,}…"
            assert tab_label(pilot, "active") == f"Active {len(shown):,}…"

            await pilot.press("j", "j", "j")
            chosen = table.selected_task_id
            line = table.cursor_row - table.scroll_y
            assert line == 3

            network.release.set()
            await settled(pilot)
            assert row_ids(table) == active
            assert table.selected_task_id == chosen, "the cursor stays on the chosen task"
            assert table.cursor_row > 3, "tasks read later sort above it"
            assert table.cursor_row - table.scroll_y == line, "…on the same line of the screen"
            assert header.status == "updated just now"
            assert tab_label(pilot, "all") == f"All {len(everything):,}"
            assert tab_label(pilot, "active") == f"Active {len(active):,}"


async def test_until_the_person_moves_the_cursor_it_stays_on_the_top_row(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    add_my_tasks(emulator.portal, MORE_TASKS)
    active = expected_view_ids(emulator.portal, "active", clock.now())
    network = HeldTransport()
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=network) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await until_holding(pilot, network)
            table = app.screen.query_one(TaskTable)
            first_shown = table.selected_task_id
            assert first_shown is not None, "the first part is on screen"
            assert table.cursor_row == 0
            network.release.set()
            await settled(pilot)
            assert row_ids(table) == active
            assert (table.cursor_row, table.scroll_y) == (0, 0)
            assert table.selected_task_id == active[0]
            assert active[0] != first_shown, "a task read later sorts first"


async def test_a_first_load_cut_short_says_why_and_the_next_try_reads_it_all(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    add_my_tasks(emulator.portal, MORE_TASKS)
    active = expected_view_ids(emulator.portal, "active", clock.now())
    network = HeldTransport()
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=network) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await until_holding(pilot, network)
            header = app.screen.query_one(AppHeader)
            assert header.status.startswith("loading ")
            network.cut = True
            network.release.set()
            await settled(pilot)
            assert "No answer from the portal" in problem_of(app)
            assert header.connection == "OFFLINE"
            assert "loading" not in header.status, "the progress goes with the load"

            network.cut = False
            await pilot.press("r")
            await settled(pilot)
            assert problem_of(app) == ""
            assert row_ids(app.screen.query_one(TaskTable)) == active
            assert header.status == "updated just now"
            assert tab_label(pilot, "active") == f"Active {len(active):,}"
