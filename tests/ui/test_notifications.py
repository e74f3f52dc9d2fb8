"""What the app says unasked after a refresh: each change I care about, once, literally."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.config import NOTICE_KINDS, NotifySettings, Settings
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import Task as PortalTask
from b24tui.screens import DashboardScreen
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.waiting import settled

HOSTILE = "Cleanup [bold]after[/] release [/WIP] \x1b[31m"
"""A title made of markup and an escape sequence: shown as written, the escape gone."""


def toasts(app: B24App) -> list[tuple[str, str]]:
    return [(str(n.title), str(n.message)) for n in app._notifications]


def colleague(portal: Portal) -> int:
    return min(user_id for user_id in portal.users if user_id != DEMO_USER_ID)


def new_task(portal: Portal, creator: int, responsible: int, title: str) -> PortalTask:
    task = portal.draft_task(creator)
    task.id = portal.next_id("task")
    task.title = title
    task.responsible_id = responsible
    portal.tasks[task.id] = task
    return task


def change(portal: Portal, task: PortalTask, by: int, *, status: int) -> None:
    task.status = status
    portal.touch(task, by)


async def refresh(app: B24App, pilot: Pilot[None], clock: FrozenClock) -> None:
    clock.advance(60)
    app.refresh_portal()
    await settled(pilot)


async def test_assigned_sent_back_awaiting_control_and_a_deadline_are_each_told_once(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    other = colleague(portal)
    in_review = new_task(portal, other, DEMO_USER_ID, "Write the release notes")
    in_review.status = 4
    mine_for_them = new_task(portal, DEMO_USER_ID, other, "Check the invoices")
    due = new_task(portal, other, DEMO_USER_ID, "Call the bank")
    due.status = 3
    due.deadline = portal.now() + timedelta(seconds=90)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert toasts(app) == [], "what stood at the first read is no news"
        assigned = new_task(portal, other, DEMO_USER_ID, HOSTILE)
        change(portal, in_review, other, status=2)
        change(portal, mine_for_them, other, status=4)
        await refresh(app, pilot, clock)
        name = portal.users[other].full_name
        assert toasts(app) == [
            (
                "Sent back for rework",
                f"#{in_review.id} “Write the release notes” was sent back by {name}",
            ),
            (
                "Awaiting your control",
                f"#{mine_for_them.id} “Check the invoices” is done by {name}: "
                "approve it or send it back (ctrl+p)",
            ),
            (
                "New task for you",
                f"#{assigned.id} “Cleanup [bold]after[/] release [/WIP]” by {name}",
            ),
        ]
        app.clear_notifications()
        await refresh(app, pilot, clock)
        assert toasts(app) == [
            ("Deadline passed", f"#{due.id} “Call the bank” was due 08:31 (UTC+1)")
        ], "the deadline passed in the minute since; nothing else is told again"
        app.clear_notifications()
        await refresh(app, pilot, clock)
        assert toasts(app) == []


async def test_my_own_changes_are_not_told_here_or_from_the_browser(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    other = colleague(portal)
    # Mine to check and to help with: sending it back here would be a send-back for me.
    sent_here = new_task(portal, DEMO_USER_ID, other, "Archive the old tickets")
    sent_here.accomplices = [DEMO_USER_ID]
    sent_here.status = 4
    in_review = new_task(portal, other, DEMO_USER_ID, "Proofread the FAQ")
    in_review.status = 4
    muted = new_task(portal, other, DEMO_USER_ID, "Rotate the logs")
    muted.status = 4
    portal.muted.setdefault(DEMO_USER_ID, set()).add(muted.id)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.query_one(TaskTable).choose_task(sent_here.id)
        await settled(pilot)
        dashboard.run_task_action("disapprove")
        await settled(pilot)
        await pilot.press("enter")  # "Send this task back for rework?"
        await settled(pilot)
        assert portal.tasks[sent_here.id].status == 2
        app.clear_notifications()
        # From the browser, as me: the task in review taken back to work; a task for me.
        change(portal, in_review, DEMO_USER_ID, status=2)
        new_task(portal, DEMO_USER_ID, DEMO_USER_ID, "Note to self")
        change(portal, muted, other, status=2)  # sent back, but I muted it
        await refresh(app, pilot, clock)
        assert toasts(app) == []


async def test_many_changes_at_once_come_as_one_summary_and_kinds_can_be_off(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    other = colleague(portal)
    kinds = frozenset(NOTICE_KINDS) - {"sent_back"}
    settings = Settings(path=Path("unused.toml"), notify=NotifySettings(kinds=kinds))
    in_review = new_task(portal, other, DEMO_USER_ID, "Update the price list")
    in_review.status = 4
    app = make_app(settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        for number in range(5):
            new_task(portal, other, DEMO_USER_ID, f"Task number {number}")
        change(portal, in_review, other, status=2)
        await refresh(app, pilot, clock)
        assert toasts(app) == [("5 changes", "5 new tasks for you")]


async def test_the_workday_minimum_is_told_when_reached_not_at_the_start(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert toasts(app) == []
        clock.advance(6 * 3600 + 17 * 60 + 53 - 60)  # a minute short of the minimum
        await refresh(app, pilot, clock)  # …and the minute passes
        assert toasts(app) == [
            (
                "Workday minimum reached",
                "Worked 08:00:00 today: the minimum of 08:00:00 is reached",
            )
        ]
        await refresh(app, pilot, clock)
        assert len(toasts(app)) == 1


async def test_the_bell_and_a_desktop_notification_when_asked_for(
    make_app: AppFactory,
    emulator: ServedEmulator,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portal = emulator.portal
    other = colleague(portal)
    notify = NotifySettings(bell=True, desktop="osc777")
    app = make_app(settings=Settings(path=Path("unused.toml"), notify=notify))
    written: list[str] = []
    rung: list[bool] = []
    monkeypatch.setattr(app, "write_to_terminal", written.append)
    monkeypatch.setattr(app, "bell", lambda: rung.append(True))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        task = new_task(portal, other, DEMO_USER_ID, "Reply; then \x07 [b]close[/b]")
        await refresh(app, pilot, clock)
        name = portal.users[other].full_name
        words = f"#{task.id} “Reply, then [b]close[/b]” by {name}"
        assert written == [f"\x1b]777;notify;New task for you;{words}\x1b\\"]
        assert rung == [True]
