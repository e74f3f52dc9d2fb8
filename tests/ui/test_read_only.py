"""Read-only mode in the app: no write is offered, a write key says so, nothing is sent.

The app runs against the served emulator with a read-only client (what ``--read-only`` or
a profile's ``read_only = true`` builds); the portal's own counters show what was called.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from textual.widgets import Label, Static

from b24tui.actions import READ_ONLY_MESSAGE, TASK_ACTIONS, TASK_ACTIONS_BY_ID
from b24tui.api import B24Client, Webhook
from b24tui.api.read_only import READ_METHODS
from b24tui.app import B24App
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.help import HelpScreen
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, row_ids
from tests.ui.test_actions import action_calls, toasts, top
from tests.ui.test_dashboard import footer_keys
from tests.ui.test_palette import first_lines, offered, open_palette
from tests.ui.waiting import settled

WRITE_KEYS = ("s", "p", "x", "e", "n")
"""The keys of the writes that have one: start, pause, complete, edit, new task."""


@pytest.fixture
async def read_only_client(emulator: ServedEmulator) -> AsyncIterator[B24Client]:
    async with B24Client(Webhook.parse(emulator.webhook_url), read_only=True) as client:
        yield client


async def portal_methods(emulator: ServedEmulator) -> dict[str, Any]:
    """``GET /_emulator/stats``: the calls per method the portal answered."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{emulator.base_url}/_emulator/stats")
    methods: dict[str, Any] = answer.json()["methods"]
    return methods


def startable_task(emulator: ServedEmulator) -> int:
    """A task of mine the portal lets me start (so its keys would be on offer)."""
    return next(
        t.id
        for t in emulator.portal.tasks.values()
        if t.title == "Prepare the demo for the client"
        and t.responsible_id == DEMO_USER_ID
        and t.status == 2
    )


async def on_the_task(app: B24App, emulator: ServedEmulator) -> DashboardScreen:
    """The dashboard, loaded, with the startable task's row selected."""
    dashboard = top(app)
    assert isinstance(dashboard, DashboardScreen)
    table = dashboard.query_one(TaskTable)
    table.move_cursor(row=row_ids(table).index(startable_task(emulator)))
    return dashboard


async def test_the_header_says_read_only(make_app: AppFactory, read_only_client: B24Client) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        badge = app.screen.query_one("#header-read-only", Label)
        assert badge.display
        assert str(badge.render()) == "READ-ONLY"


async def test_a_normal_run_has_no_read_only_badge(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert not app.screen.query_one("#header-read-only", Label).display


async def test_write_keys_are_not_shown_and_say_read_only_once_each(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        dashboard = await on_the_task(app, emulator)
        await pilot.pause()
        assert not footer_keys(dashboard) & set(WRITE_KEYS)
        assert [a.id for a in dashboard.allowed_task_actions()] == [
            "open_checklist",
            "open_browser",
            "copy_link",
        ]
        for number, key in enumerate(WRITE_KEYS, 1):
            await pilot.press(key)
            await settled(pilot)
            assert not isinstance(top(app), ConfirmScreen), f"{key} asked a question"
            assert toasts(app) == [READ_ONLY_MESSAGE] * number, key
        assert action_calls(emulator) == []
        called = await portal_methods(emulator)
        assert called, "the dashboard read the portal"
        assert set(called) <= READ_METHODS | {"batch"}
        assert "tasks.task.list" in called or "batch" in called


async def test_the_detail_screen_refuses_write_keys_too(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await on_the_task(app, emulator)
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(top(app), TaskDetailScreen)
        await pilot.press("s")
        await settled(pilot)
        assert toasts(app) == [READ_ONLY_MESSAGE]
        assert action_calls(emulator) == []


async def test_the_palette_offers_only_the_local_actions(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await on_the_task(app, emulator)
        await open_palette(pilot)
        names = first_lines(await offered(pilot))
        assert names[:3] == ["Open checklist", "Open in browser", "Copy link"]
        writes = {"Start task", "Complete task", "Mute task", "Start watching", "Edit task"}
        assert not writes & set(names)
        assert "New task" not in names


async def test_copy_link_still_works(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await on_the_task(app, emulator)
        await pilot.press("y")
        await pilot.pause()
        assert any("Copied the link" in str(n.title) for n in app._notifications)
        assert READ_ONLY_MESSAGE not in toasts(app)


async def test_a_write_that_reaches_the_queue_is_refused_by_the_client_unsent(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    """Defence in depth: a screen that forgot read-only mode still changes nothing."""
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        task = app.services.store.task(startable_task(emulator))
        assert task is not None
        app.services.actions.submit(TASK_ACTIONS_BY_ID["start"], task)
        await settled(pilot)
        [toast] = toasts(app)
        assert READ_ONLY_MESSAGE in toast
        assert "It was not sent." in toast
        assert action_calls(emulator) == []
        assert emulator.portal.tasks[task.id].status == 2


async def test_help_lists_no_write(
    make_app: AppFactory, read_only_client: B24Client, emulator: ServedEmulator
) -> None:
    app = make_app(client=read_only_client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await on_the_task(app, emulator)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = top(app)
        assert isinstance(help_screen, HelpScreen)
        shown = "\n".join(str(static.content) for static in help_screen.query(Static))
        assert "Copy link" in shown
        assert "Open in browser" in shown
        for write in TASK_ACTIONS:
            if write.writes:
                assert write.palette not in shown, write.palette
        assert "New task" not in shown
        assert "A new task" not in shown
