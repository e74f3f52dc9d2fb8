"""Task actions on a screen showing one task: keys, confirmations, exact requests, results.

The screen under test is a small test-only one that shows one task through
:class:`TaskActionsMixin`, the same contract the dashboard and the detail screen fulfil.
Every action is checked against the request the emulated portal received and the state
it then holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets._footer import FooterKey
from textual.worker import WorkerFailed

import b24tui.app
from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.journal import JournalEntry
from b24tui.emulator.seed import HOSTILE_ESCAPE_TITLE, HOSTILE_MARKUP_TITLE
from b24tui.messages import StoreUpdated
from b24tui.models import Task, TaskStatus
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.screens.base import PortalScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.task_actions import TaskActionsMixin
from b24tui.screens.user_picker import UserPickerScreen
from b24tui.services import Services
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text
from tests.ui.waiting import settled, until_held

ACTION_METHODS = {
    "tasks.task.start",
    "tasks.task.pause",
    "tasks.task.complete",
    "tasks.task.approve",
    "tasks.task.disapprove",
    "tasks.task.defer",
    "tasks.task.renew",
    "tasks.task.delegate",
    "tasks.task.mute",
    "tasks.task.unmute",
    "tasks.task.startwatch",
    "tasks.task.stopwatch",
    "tasks.task.favorite.add",
    "tasks.task.favorite.remove",
}


class OneTaskScreen(TaskActionsMixin, PortalScreen[None]):
    """Shows one task's title and status from the store; what the mixin needs, nothing
    more."""

    def __init__(self, services: Services, task: Task) -> None:
        super().__init__(services)
        self.shown_task = task
        self.changes_seen: list[Task] = []
        """The task each time the store told of a change to it."""

    def compose(self) -> ComposeResult:
        yield Label(id="title")
        yield Label(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_task(self.shown_task)

    def current_task(self) -> Task | None:
        return self.shown_task

    def current_user_id(self) -> int | None:
        return DEMO_USER_ID

    def show_task(self, task: Task) -> None:
        self.shown_task = task
        self.query_one("#title", Label).update(Content(task.title))
        self.query_one("#status", Label).update(task.status.label)

    def on_store_updated(self, message: StoreUpdated) -> None:
        if message.change.pending and not message.change.refreshed:
            return  # only the task's pending actions changed, not the task
        changed = self.services.store.task(self.shown_task.id)
        if self.shown_task.id in message.change.tasks and changed is not None:
            self.changes_seen.append(changed)
            self.show_task(changed)
            self.refresh_task_bindings()


class BrowserlessApp(B24App):
    """The app with the browser replaced by a list of the URLs it was asked to open."""

    CSS_PATH = str(Path(b24tui.app.__file__).parent / "styles" / "app.tcss")

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.opened: list[str] = []

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def task_titled(emulator: ServedEmulator, title: str) -> int:
    """The seeded task's id."""
    return next(task.id for task in emulator.portal.tasks.values() if task.title == title)


async def open_task(app: B24App, client: B24Client, task_id: int) -> OneTaskScreen:
    """Push a screen showing the task as the portal answers it now."""
    await app.workers.wait_for_complete()
    screen = OneTaskScreen(app.services, await client.tasks.get(task_id))
    await app.push_screen(screen)
    return screen


async def wait_for_users(pilot: Pilot[None]) -> UserPickerScreen:
    """The picker once its people are loaded (not waiting for the action's worker, which
    waits for the picker)."""
    for _ in range(50):
        picker = pilot.app.screen
        loading = [w for w in pilot.app.workers if w.group == "users"]
        if isinstance(picker, UserPickerScreen) and picker.users:
            return picker
        if loading:
            await pilot.app.workers.wait_for_complete(loading)
        await pilot.pause()
    raise AssertionError("the picker did not open with people in it")


async def settle(pilot: Pilot[None]) -> list[BaseException]:
    """Let the workers finish; the errors of those that failed (the app reports them)."""
    try:
        await settled(pilot)
    except WorkerFailed as failed:
        await pilot.pause()
        return [failed.error]
    await pilot.pause()
    return []


def action_calls(emulator: ServedEmulator) -> list[JournalEntry]:
    return [entry for entry in emulator.app.journal if entry.method in ACTION_METHODS]


def assert_single_call(
    emulator: ServedEmulator, method: str, params: dict[str, Any]
) -> JournalEntry:
    calls = action_calls(emulator)
    assert [entry.method for entry in calls] == [method]
    entry = calls[0]
    assert entry.api == "v1"
    assert not entry.via_batch
    assert entry.http_method == "POST"
    assert entry.ok, entry.error
    assert entry.params == params
    return entry


def top(app: App[Any]) -> Screen[Any]:
    """The screen on top now (a function, so earlier checks do not narrow it)."""
    return app.screen


def shown(screen: OneTaskScreen) -> Task:
    """The task the screen shows now."""
    return screen.shown_task


def footer_keys(screen: OneTaskScreen) -> set[str]:
    return {key.key for key in screen.query(FooterKey)}


def undoable(text: str) -> str:
    """A done action's toast when ``u`` can undo it."""
    return f"{text} · u undoes it"


def toasts(app: B24App) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


# --- each action: the exact request, then the portal's state on screen ----------------


async def test_start_sends_task_id_and_shows_the_task_in_progress(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await settled(pilot)
        assert "s" in footer_keys(screen)
        await pilot.press("s")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.start", {"taskId": task_id})
        assert emulator.portal.tasks[task_id].status == 3
        assert shown(screen).status is TaskStatus.IN_PROGRESS
        assert str(screen.query_one("#status", Label).content) == "In progress"
        read_back = emulator.app.journal.last("tasks.task.get").params
        assert isinstance(read_back, dict)
        assert read_back["taskId"] == task_id
        assert undoable("Started “Prepare the demo for the client”") in toasts(app)
        # Started: start is no longer offered, pause is.
        assert "s" not in footer_keys(screen)
        assert "p" in footer_keys(screen)


async def test_a_start_whose_answer_is_lost_is_read_back_not_sent_again(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        emulator.app.faults.inject("drop", method="tasks.task.start")
        await pilot.press("s")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.start", {"taskId": task_id})
        read_back = emulator.app.journal.last("tasks.task.get").params
        assert isinstance(read_back, dict)
        assert read_back["taskId"] == task_id
        # The portal did start it: the task read back shows it started (Start gone, Pause
        # offered), so the screen and the one toast say it is done.
        assert shown(screen).status is TaskStatus.IN_PROGRESS
        assert toasts(app) == [undoable("Started “Prepare the demo for the client”")]


async def test_pause_sends_task_id(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Fix the login timeout")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await pilot.press("p")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.pause", {"taskId": task_id})
        assert emulator.portal.tasks[task_id].status == 2
        assert shown(screen).status is TaskStatus.PENDING


async def test_complete_asks_first_and_y_completes(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(top(app), ConfirmScreen)
        assert action_calls(emulator) == [], "nothing is sent before the answer"
        await pilot.press("y")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.complete", {"taskId": task_id})
        assert emulator.portal.tasks[task_id].status == 5
        assert shown(screen).status is TaskStatus.COMPLETED
        assert top(app) is screen


async def test_complete_with_enter_is_yes(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.complete", {"taskId": task_id})


async def test_complete_answered_no_or_escape_sends_nothing(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        for answer in ("n", "escape"):
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(top(app), ConfirmScreen)
            await pilot.press(answer)
            await settled(pilot)
            await pilot.pause()
            assert top(app) is screen
        assert action_calls(emulator) == []
        assert emulator.portal.tasks[task_id].status == 2


async def test_complete_under_control_says_it_awaits_the_creator(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Write release notes for 2.4")
    emulator.portal.tasks[task_id].status = 3
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settled(pilot)
        assert emulator.portal.tasks[task_id].status == 4
        assert shown(screen).status is TaskStatus.SUPPOSEDLY_COMPLETED
        assert any("awaiting the creator's control" in toast for toast in toasts(app))


async def test_approve_and_disapprove_need_control_and_send_task_id(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    approve_id = task_titled(emulator, "Draft the supplier contract")
    disapprove_id = task_titled(emulator, "Design the new icons")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, approve_id)
        screen.run_task_action("approve")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.approve", {"taskId": approve_id})
        assert emulator.portal.tasks[approve_id].status == 5
        assert shown(screen).status is TaskStatus.COMPLETED

        emulator.app.journal.clear()
        other = await open_task(app, ui_client, disapprove_id)
        other.run_task_action("disapprove")
        await pilot.pause()
        assert isinstance(top(app), ConfirmScreen)
        await pilot.press("y")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.disapprove", {"taskId": disapprove_id})
        assert emulator.portal.tasks[disapprove_id].status == 2
        assert shown(other).status is TaskStatus.PENDING


async def test_defer_asks_then_renew_reopens(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Check the invoice numbering")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        screen.run_task_action("defer")
        await pilot.pause()
        assert isinstance(top(app), ConfirmScreen)
        await pilot.press("y")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.defer", {"taskId": task_id})
        assert shown(screen).status is TaskStatus.DEFERRED
        assert [a.id for a in screen.allowed_task_actions() if a.id == "renew"] == ["renew"]

        emulator.app.journal.clear()
        screen.run_task_action("renew")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.renew", {"taskId": task_id})
        assert emulator.portal.tasks[task_id].status == 2
        assert shown(screen).status is TaskStatus.PENDING


async def test_delegate_picks_a_person_by_name_confirms_and_sends_user_id(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    target = next(user for user in emulator.portal.users.values() if user.id != DEMO_USER_ID)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        screen.run_task_action("delegate")
        picker = await wait_for_users(pilot)
        assert DEMO_USER_ID not in {user.id for user in picker.users}, "not the responsible"
        await pilot.press(*target.last_name)
        await pilot.pause()
        wanted = target.last_name.casefold()
        assert target.id in {user.id for user in picker.shown}
        assert len(picker.shown) < len(picker.users), "typing narrows the list"
        for user in picker.shown:
            assert wanted in f"{user.full_name} {user.email} {user.work_position}".casefold()
        for _ in range(len(picker.shown)):
            if picker.shown[picker.query_one(OptionList).highlighted or 0].id == target.id:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert target.full_name in confirm.question
        assert action_calls(emulator) == []
        await pilot.press("y")
        await settled(pilot)
        assert_single_call(
            emulator, "tasks.task.delegate", {"taskId": task_id, "userId": target.id}
        )
        assert emulator.portal.tasks[task_id].responsible_id == target.id
        assert shown(screen).responsible_id == target.id


async def test_delegate_cancelled_in_the_picker_sends_nothing(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        screen.run_task_action("delegate")
        await wait_for_users(pilot)
        assert app.screen.query_one(Input).has_focus
        await pilot.press("escape")
        await settled(pilot)
        await pilot.pause()
        assert top(app) is screen
        assert action_calls(emulator) == []


async def test_mute_sends_id_and_unmute_follows(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        assert [a.id for a in screen.allowed_task_actions() if "mute" in a.id] == ["mute"]
        screen.run_task_action("mute")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.mute", {"id": task_id})
        assert emulator.portal.is_muted(DEMO_USER_ID, task_id)
        assert shown(screen).is_muted
        assert [a.id for a in screen.allowed_task_actions() if "mute" in a.id] == ["unmute"]

        emulator.app.journal.clear()
        screen.run_task_action("unmute")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.unmute", {"id": task_id})
        assert not emulator.portal.is_muted(DEMO_USER_ID, task_id)
        assert not shown(screen).is_muted


async def test_watch_and_stop_watching_send_task_id(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        screen.run_task_action("watch")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.startwatch", {"taskId": task_id})
        assert DEMO_USER_ID in emulator.portal.tasks[task_id].auditors
        assert DEMO_USER_ID in shown(screen).auditors

        emulator.app.journal.clear()
        screen.run_task_action("stop_watching")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.stopwatch", {"taskId": task_id})
        assert DEMO_USER_ID not in emulator.portal.tasks[task_id].auditors
        assert DEMO_USER_ID not in shown(screen).auditors


async def test_favourites_remove_then_add_send_task_id(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Fix the login timeout")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        assert shown(screen).is_favorite
        screen.run_task_action("favorite_remove")
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.favorite.remove", {"taskId": task_id})
        assert not emulator.portal.is_favorite(DEMO_USER_ID, task_id)
        assert not shown(screen).is_favorite

        emulator.app.journal.clear()
        screen.run_task_action("favorite_add")
        await settled(pilot)
        assert_single_call(emulator, "tasks.task.favorite.add", {"taskId": task_id})
        assert emulator.portal.is_favorite(DEMO_USER_ID, task_id)
        assert shown(screen).is_favorite
        assert undoable("Added to favourites “Fix the login timeout”") in toasts(app)


async def test_open_in_browser_and_copy_link_call_nothing_on_the_portal(
    ui_client: B24Client,
    emulator: ServedEmulator,
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")  # a desktop session
    task_id = task_titled(emulator, "Fix the login timeout")
    app = BrowserlessApp(make_app().services)
    expected = (
        f"{emulator.base_url}/company/personal/user/{DEMO_USER_ID}/tasks/task/view/{task_id}/"
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        emulator.app.journal.clear()
        await pilot.press("o")
        await pilot.press("y")
        await pilot.pause()
        assert app.opened == [expected]
        assert app.clipboard == expected
        assert len(emulator.app.journal) == 0
        assert any("Copied the link" in str(n.title) for n in app._notifications)


async def test_without_a_display_open_in_browser_copies_the_link_instead(
    ui_client: B24Client,
    emulator: ServedEmulator,
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)  # over SSH: a text browser would draw over us
    task_id = task_titled(emulator, "Fix the login timeout")
    app = BrowserlessApp(make_app().services)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        await pilot.press("o")
        await pilot.pause()
        assert app.opened == []
        assert app.clipboard.endswith(f"/tasks/task/view/{task_id}/")
        assert any("No graphical browser" in str(n.message) for n in app._notifications)


async def test_every_screen_showing_the_task_hears_of_the_change(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        below = await open_task(app, ui_client, task_id)
        above = await open_task(app, ui_client, task_id)
        above.run_task_action("start")
        await settled(pilot)
        await pilot.pause()
        assert [task.status for task in below.changes_seen] == [TaskStatus.IN_PROGRESS]
        assert [task.status for task in above.changes_seen] == [TaskStatus.IN_PROGRESS]


async def test_an_action_on_the_detail_screen_updates_the_dashboard_row_without_a_fetch(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        detail = TaskDetailScreen(app.services, task_id)
        await app.push_screen(detail)
        await settled(pilot)
        before = len(emulator.app.journal)
        detail.run_task_action("start")
        await settled(pilot)
        await pilot.pause()
        methods = [entry.method for entry in list(emulator.app.journal)[before:]]
        assert methods == ["tasks.task.start", "tasks.task.get"], "the action, its read-back"
        await pilot.press("escape")
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert cell_text(dashboard.query_one(TaskTable), task_id, "status") == "In progress"


async def test_an_action_outlives_the_screen_it_was_pressed_on(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """s, then esc before the portal answers: the start still lands, is told, and the
    dashboard shows it."""
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await app.push_screen(TaskDetailScreen(app.services, task_id))
        await settled(pilot)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert emulator.app.release_held() == 1
        await settled(pilot)
        await pilot.pause()
        assert cell_text(app.screen.query_one(TaskTable), task_id, "status") == "In progress"
        assert undoable("Started “Prepare the demo for the client”") in toasts(app)


# --- what is not allowed is not offered ----------------------------------------------


async def test_an_auditor_sees_no_status_keys(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Benchmark the search index")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await pilot.pause()
        assert shown(screen).actions is not None
        assert not shown(screen).allows("complete")
        keys = footer_keys(screen)
        assert {"x", "s", "p"}.isdisjoint(keys)
        assert {"o", "y"} <= set(screen.active_bindings), "open and copy are always there"
        await pilot.press("x")
        await pilot.pause()
        assert top(app) is screen, "a hidden key does nothing"
        offered = {action.id for action in screen.allowed_task_actions()}
        assert "stop_watching" in offered
        assert "watch" not in offered


# --- the portal says no ------------------------------------------------------------------


async def test_a_task_deleted_meanwhile_reads_not_found(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        del emulator.portal.tasks[task_id]
        for action_id in ("start", "mute", "watch", "favorite_add"):
            screen.run_task_action(action_id)
            assert await settle(pilot) == []
        said = [(str(n.title), str(n.message)) for n in app._notifications]
        assert [title for title, _ in said] == [
            "Start task: not done",
            "Mute task: not done",
            "Start watching: not done",
            "Add to favourites: not done",
        ]
        assert all("Task not found or you have no access" in message for _, message in said)
        assert all("1048584" not in str(n.message) for n in app._notifications)
        assert top(app) is screen
        assert shown(screen).status is TaskStatus.PENDING


async def test_an_action_refused_for_a_live_task_is_not_called_not_found(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        emulator.portal.tasks[task_id].status = 5  # completed elsewhere meanwhile
        screen.run_task_action("start")
        assert await settle(pilot) == []
        [toast] = app._notifications
        assert str(toast.title) == "Start task: refused by the portal"
        assert "This action is not allowed on the task" in str(toast.message)
        assert "Task not found" not in str(toast.message)
        assert shown(screen).status is TaskStatus.COMPLETED, "the screen shows the news"
        assert "s" not in footer_keys(screen)


# --- portal text is shown literally ---------------------------------------------------


async def test_hostile_titles_are_literal_in_dialogs_and_toasts(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    markup_id = task_titled(emulator, HOSTILE_MARKUP_TITLE)
    escape_id = task_titled(emulator, HOSTILE_ESCAPE_TITLE)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, markup_id)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        subject = dialog.query_one("#confirm-subject", Label)
        assert str(subject.content) == HOSTILE_MARKUP_TITLE
        await pilot.press("y")
        await settled(pilot)
        assert shown(screen).status is TaskStatus.COMPLETED
        assert undoable(f"Completed “{HOSTILE_MARKUP_TITLE}”") in toasts(app)
        assert all(n.markup is False for n in app._notifications)

        other = await open_task(app, ui_client, escape_id)
        other.run_task_action("pause")
        await settled(pilot)
        assert undoable("Paused “Log viewer prints red codes raw”") in toasts(app)
        assert not any("\x1b" in toast for toast in toasts(app))


async def test_the_person_picker_shows_hostile_names_literally(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    target = next(user for user in emulator.portal.users.values() if user.id != DEMO_USER_ID)
    target.name = HOSTILE_MARKUP_TITLE
    target.last_name = "\x1b[31mRed\x1b[0m"
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        screen.run_task_action("delegate")
        picker = await wait_for_users(pilot)
        options = picker.query_one(OptionList)
        labels = [
            str(options.get_option_at_index(index).prompt) for index in range(options.option_count)
        ]
        shown_label = next(label for label in labels if HOSTILE_MARKUP_TITLE in label)
        assert "Red" in shown_label
        assert "\x1b" not in shown_label
        await pilot.press("escape")
