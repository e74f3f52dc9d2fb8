"""The task detail screen: what a person reads about one task, and the way back."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerFailed

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.seed import HOSTILE_ESCAPE_TITLE, HOSTILE_MARKUP_TITLE
from b24tui.emulator.state import Portal
from b24tui.emulator.state import Task as PortalTask
from b24tui.models import ChecklistItem, Task, User
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services
from b24tui.widgets import AppHeader, TaskDetail, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text
from tests.ui.waiting import HeldWaits, settled, until, until_held

NOT_FOUND = "Task not found or you have no access"


def shown_text(app: App[None]) -> str:
    """Everything the detail screen's body shows, as a person would read it."""
    screen = app.screen
    parts = [screen.query_one("#detail-state", Static)]
    detail = screen.query_one(TaskDetail)
    if detail.display:
        parts.extend(detail.query(Static))
    return "\n".join(str(part.visual) for part in parts if part.display)


async def open_task(app: B24App, pilot: Pilot[None], task_id: int) -> TaskDetailScreen:
    """Open the detail screen of ``task_id`` above the current screen and let it load."""
    await pilot.app.workers.wait_for_complete()
    screen = TaskDetailScreen(app.services, task_id)
    await app.push_screen(screen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def visible(portal: Portal, task: PortalTask) -> bool:
    return portal.can_read(DEMO_USER_ID, task)


def full_name(portal: Portal, user_id: int) -> str:
    user = portal.users[user_id]
    return f"{user.name} {user.last_name}"


def the_task(portal: Portal, title: str) -> PortalTask:
    return next(task for task in portal.tasks.values() if task.title == title)


async def test_hostile_title_and_description_are_shown_literally(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = the_task(emulator.portal, HOSTILE_MARKUP_TITLE)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, pilot, task.id)
        text = shown_text(app)
        assert f"#{task.id} {HOSTILE_MARKUP_TITLE}" in text
        assert "[bold]not bold[/bold]" in text
        assert "[link=https://x.example]y[/link]" in text
        assert "\x1b" not in text
        assert "an escape  that must not clear the screen" in text


async def test_escape_sequences_in_a_title_are_removed(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = the_task(emulator.portal, HOSTILE_ESCAPE_TITLE)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, pilot, task.id)
        title = str(app.screen.query_one("#detail-title", Static).visual)
        assert title == f"#{task.id} Log viewer prints red codes raw"


async def test_description_bbcode_is_rendered(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    task.description = (
        "[B]Goal:[/B] ship it.\n[LIST]\n[*]Hero block\n[*]FAQ\n[/LIST]\n"
        "Board: [URL=https://example.com/b]design board[/URL]. Ask [USER=5]Greg[/USER].\n"
        "[QUOTE]It hangs at 99 %.[/QUOTE]\n[CODE]SELECT [B]1[/B];[/CODE]"
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, pilot, task.id)
        body = app.screen.query_one("#detail-description", Static).visual
        assert str(body) == (
            "Goal: ship it.\n• Hero block\n• FAQ\n"
            f"Board: design board. Ask @{full_name(emulator.portal, 5)}.\n"
            "│ It hangs at 99 %.\n  SELECT [B]1[/B];"
        )


async def test_fields_people_and_checklist_are_shown(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    task = next(
        t
        for t in portal.tasks.values()
        if visible(portal, t)
        and t.auditors
        and t.deadline is not None
        and t.group_id
        and any(item.task_id == t.id for item in portal.checklist_items.values())
    )
    task.accomplices = [9, 10]
    task.time_estimate = 5400
    task.comments_count = 7
    items = [item for item in portal.checklist_items.values() if item.task_id == task.id]
    roots = [item for item in items if item.parent_id == 0]
    leaves = [item for item in items if item.parent_id != 0]
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_task(app, pilot, task.id)
        text = shown_text(app)
        lines = {line.split("  ", 1)[0]: line for line in text.splitlines() if "  " in line}
        assert full_name(portal, task.responsible_id) in lines["Responsible"]
        assert full_name(portal, task.created_by) in lines["Creator"]
        assert lines["Accomplices"].endswith(f"{full_name(portal, 9)}, {full_name(portal, 10)}")
        for auditor in task.auditors:
            assert full_name(portal, auditor) in lines["Auditors"]
        assert portal.groups[task.group_id].name in lines["Group"]
        assert task.deadline is not None
        mine = ZoneInfo(portal.users[DEMO_USER_ID].time_zone)  # times in the user's zone
        assert f"{task.deadline.astimezone(mine):%Y-%m-%d %H:%M}" in lines["Deadline"]
        assert "1:30:00 estimated" in lines["Time"]
        assert lines["Comments"].endswith("7")
        done = sum(1 for item in leaves if item.is_complete)
        assert f"Checklist {done}/{len(leaves)}" in text
        for root in roots:
            assert root.title in text


async def test_a_missing_task_says_so(make_app: AppFactory, emulator: ServedEmulator) -> None:
    missing = max(emulator.portal.tasks) + 1000
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_task(app, pilot, missing)
        text = shown_text(app)
        assert text == NOT_FOUND
        assert screen.current_task() is None
        assert app.is_running
        assert not list(app._notifications)


async def test_a_task_the_user_cannot_see_says_the_same(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    portal = emulator.portal
    hidden = next(t for t in portal.tasks.values() if not visible(portal, t))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_task(app, pilot, hidden.id)
        text = shown_text(app)
        assert text == NOT_FOUND
        assert hidden.title not in text


async def test_loading_is_visible_until_an_unknown_task_arrives(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = emulator.portal.tasks[122]  # in a group of mine, with no role of mine: not listed
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert app.services.store.task(task.id) is None
        # The portal holds its answer back until the test lets it go.
        emulator.app.faults.inject("timeout", method="tasks.task.get")
        await app.push_screen(TaskDetailScreen(app.services, task.id))
        await until_held(pilot, emulator)
        assert shown_text(app) == f"Loading task #{task.id}…"
        assert emulator.app.release_held() == 1
        await settled(pilot)
        await pilot.pause()
        assert task.title in shown_text(app)
        assert "Loading" not in shown_text(app)


async def test_a_listed_task_shows_at_once_while_its_full_record_loads(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        emulator.app.faults.inject("timeout", method="tasks.task.get")
        screen = TaskDetailScreen(app.services, task.id)
        await app.push_screen(screen)
        await until_held(pilot, emulator)
        assert f"#{task.id} {task.title}" in shown_text(app), "the dashboard's row, at once"
        assert screen.query_one(AppHeader).status == "loading…"
        emulator.app.release_held()
        await settled(pilot)
        await pilot.pause()
        assert screen.query_one(AppHeader).status == "updated just now"


async def test_the_screens_clock_ticks_no_screen_while_the_app_closes(
    make_app: AppFactory, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's clock ticks each open screen once a second; a tick that came while the
    app was closing found the detail screen without its widgets and crashed the exit."""
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await app.push_screen(TaskDetailScreen(app.services, task.id))
        await settled(pilot)
        # The clock's tick comes as the detail's widgets are being taken down.
        monkeypatch.setattr(TaskDetail, "_on_unmount", lambda _: app.tick_screens(), raising=False)
    assert app.return_code in (None, 0)


async def test_escape_goes_back_to_the_dashboard(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, pilot, task.id)
        assert isinstance(app.screen, TaskDetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_opening_on_a_task_puts_the_dashboard_underneath(
    ui_client: B24Client, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    app = B24App(Services(client=ui_client, clock=clock), task_id=task.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailScreen)
        assert task.title in shown_text(app)
        await pilot.press("escape")
        await settled(pilot)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.tasks, "the dashboard loaded its tasks underneath"


async def test_refresh_reads_the_task_again_and_reuses_the_names_it_knows(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    task.accomplices = [5, 9]
    task.auditors = [3, 10]
    journal = emulator.app.journal
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        names_before = len(journal.entries("user.get"))
        await open_task(app, pilot, task.id)
        assert len(journal.entries("user.get")) == names_before + 1
        task.title = "Renamed on the portal"
        await pilot.press("r")
        await settled(pilot)
        await pilot.pause()
        assert f"#{task.id} Renamed on the portal" in shown_text(app)
        assert len(journal.entries("user.get")) == names_before + 1, "no name asked twice"


async def test_r_reads_the_open_task_along_with_the_one_refresh(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, pilot, task.id)
        task.title = "Renamed on the portal"
        task.description = "A new description"
        before = emulator.app.journal.http_requests
        await pilot.press("r")
        await settled(pilot)
        await pilot.pause()
        assert emulator.app.journal.http_requests - before == 1, "one request a refresh"
        text = shown_text(app)
        assert f"#{task.id} Renamed on the portal" in text
        assert "A new description" in text
        assert screen.query_one(AppHeader).status == "updated just now"
        await pilot.press("escape")
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert cell_text(dashboard.query_one(TaskTable), task.id, "title") == (
            "Renamed on the portal"
        )


async def test_a_failed_load_is_reported_and_the_body_says_so(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    wrong = Webhook.parse(f"{emulator.base_url}/rest/{DEMO_USER_ID}/notthecode/")
    async with B24Client(wrong) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await settled(pilot)
            screen = TaskDetailScreen(app.services, 101)
            await app.push_screen(screen)
            with pytest.raises(WorkerFailed):
                await settled(pilot)
            await pilot.pause()
            assert "Could not load task #101" in shown_text(app)
            assert "notthecode" not in shown_text(app)
            assert app.is_running


# --------------------------------------------------------------------------- the widget alone


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TaskDetail()


NOW = datetime(2026, 3, 16, 9, 30).astimezone()


def a_task(**changes: object) -> Task:
    base = Task(
        id=7,
        title="Write [i]docs[/i]",
        description="[B]Why[/B]: nobody knows",
        responsible_id=2,
        created_by=3,
        accomplices=(4,),
        auditors=(1,),
        deadline=NOW - timedelta(hours=2),
        created_date=NOW - timedelta(days=3),
        changed_date=NOW - timedelta(minutes=5),
        changed_by=2,
        time_spent=3725,
        is_muted=True,
        checklist=(
            ChecklistItem(id=1, task_id=7, parent_id=0, title="Prep"),
            ChecklistItem(id=2, task_id=7, parent_id=1, title="a", is_complete=True),
            ChecklistItem(id=3, task_id=7, parent_id=1, title="b"),
        ),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


PEOPLE = {
    1: User(id=1, name="Me", last_name="Myself"),
    2: User(id=2, name="Rita", last_name="Ruiz"),
    3: User(id=3, name="Cem", last_name="Demir"),
    4: User(id=4, name="Ana", last_name="Silva"),
}


async def test_widget_shows_every_field_and_says_overdue() -> None:
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(), NOW, people=PEOPLE, me=1)
        await pilot.pause()
        text = "\n".join(str(s.visual) for s in detail.query(Static) if s.display)
        assert "#7 Write [i]docs[/i]" in text
        assert "Pending  overdue" in text
        assert "today" in text
        assert "Rita Ruiz" in text
        assert "Creator      Cem Demir" in text
        assert "Accomplices  Ana Silva" in text
        assert "Auditors     Me Myself" in text
        assert "Changed" in text
        assert "5m ago) by Rita Ruiz" in text
        assert "1:02:05 spent" in text
        assert "muted, watching" in text
        assert "Checklist 1/2" in text
        assert "Prep  1/2" in text
        assert "Why: nobody knows" in text
        assert detail.shown_task is not None


async def test_widget_compact_form_is_shorter() -> None:
    app = DetailApp()
    async with app.run_test(size=(60, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(), NOW, people=PEOPLE, compact=True)
        await pilot.pause()
        fields = "\n".join(str(s.visual) for s in detail.query(Static) if s.display)
        assert "Responsible  Rita Ruiz" in fields
        assert "Created" not in fields
        assert "Comments" not in fields
        assert "Creator" not in fields
        detail.clear()
        await pilot.pause()
        assert str(detail.query_one("#detail-title", Static).visual) == "No task selected"
        assert detail.shown_task is None


async def test_widget_plain_description_is_not_parsed() -> None:
    app = DetailApp()
    async with app.run_test(size=(60, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(description_in_bbcode=False), NOW)
        await pilot.pause()
        body = detail.query_one("#detail-description", Static).visual
        assert str(body) == "[B]Why[/B]: nobody knows"
        assert isinstance(detail.query_one("#detail-title", Static).content, Text)


async def test_the_no_access_error_code_reads_as_not_found(clock: FrozenClock) -> None:
    """Some portals refuse a hidden task with error 1048584 instead of ``result: []``."""

    def portal(request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1].removesuffix(".json")
        if method == "tasks.task.get":
            body = {"error": "1048584", "error_description": "a:0:{}"}
            return httpx.Response(400, json=body)
        if method == "user.current":
            return httpx.Response(200, json={"result": {"ID": "1", "NAME": "Alex"}})
        return httpx.Response(200, json={"result": []})

    webhook = Webhook.parse("https://portal.example/rest/1/secretcode/")
    async with B24Client(webhook, transport=httpx.MockTransport(portal)) as client:
        app = B24App(Services(client=client, clock=clock))
        async with app.run_test(size=(80, 24)) as pilot:
            await settled(pilot)
            await open_task(app, pilot, 42)
            assert shown_text(app) == NOT_FOUND
            assert "1048584" not in app.export_screenshot()


async def test_a_failed_load_is_reported_once(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = emulator.portal.tasks[122]  # not among my listed tasks: nothing to show yet
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        before = len(app._notifications)
        emulator.app.faults.inject("500", method="tasks.task.get")
        screen = TaskDetailScreen(app.services, task.id)
        await app.push_screen(screen)
        with pytest.raises(WorkerFailed):
            await settled(pilot)
        await pilot.pause()
        await pilot.pause()
        assert len(app._notifications) - before == 1, "one failure, one message"
        assert "Press r to try again" in shown_text(app)


async def test_a_parked_user_current_does_not_hold_the_task_screen(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """The portal parks ``user.current`` (OPERATION_TIME_LIMIT): the task still shows."""
    waits = HeldWaits()
    policy = waits.policy
    emulator.app.faults.inject("429", method="user.current")
    task = next(t for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID)
    async with B24Client(Webhook.parse(emulator.webhook_url), policy=policy) as client:
        app = B24App(Services(client=client, clock=clock), task_id=task.id)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: bool(policy.state().parked))  # user.current waits
            await until(pilot, lambda: f"#{task.id} {task.title}" in shown_text(app))
            assert policy.state().parked, "user.current is still held by the limits"
            waits.release()
            await settled(pilot)
