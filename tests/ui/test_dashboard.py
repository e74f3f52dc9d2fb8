"""The first dashboard: my tasks from the portal, in views, safe to read, kept in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Input, Label, Tab, Tabs
from textual.widgets._footer import FooterKey

from b24tui.api import B24Client, Webhook
from b24tui.clock import FrozenClock
from b24tui.config import Settings
from b24tui.emulator import DEMO_USER_ID, JournalEntry
from b24tui.emulator.state import Portal, Task
from b24tui.screens.dashboard import DashboardScreen
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.views import VIEWS
from b24tui.widgets import AppHeader, TaskTable
from b24tui.widgets.task_pane import TaskPane
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text, expected_view_ids, loaded, row_ids
from tests.ui.waiting import next_frame, settled, until_held


def _expected_active(portal: Portal, now: datetime) -> list[int]:
    """The Active view restated from the portal's own records and the spec's order."""
    mine = [
        task
        for task in portal.tasks.values()
        if (task.responsible_id == DEMO_USER_ID or DEMO_USER_ID in task.accomplices)
        and task.status not in (5, 6)
    ]

    def order(task: Task) -> tuple[bool, float, int, int]:
        # Awaiting control (4) is not overdue (PRODUCT.md, as the portal's counters).
        overdue = task.deadline is not None and task.deadline < now and task.status != 4
        deadline = task.deadline.timestamp() if task.deadline else float("inf")
        return (not overdue, deadline, -task.priority, task.id)

    return [task.id for task in sorted(mine, key=order)]


def _row_ids(table: TaskTable) -> list[int]:
    return [int(str(key.value)) for key in table.rows]


def _cell(table: TaskTable, task_id: int, column: str) -> str:
    value = table.get_cell(str(task_id), column)
    return value.plain if isinstance(value, Text) else str(value)


async def test_active_view_lists_my_open_tasks_overdue_first(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        expected = _expected_active(emulator.portal, clock.now())
        assert expected, "the seeded demo has active tasks"
        assert _row_ids(table) == expected
        first = emulator.portal.tasks[expected[0]]
        assert _cell(table, first.id, "title") == first.title
        assert (
            _cell(table, first.id, "responsible")
            == emulator.portal.users[first.responsible_id].full_name
        )


async def test_header_names_portal_and_user_and_marks_the_demo(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app(demo=True)
    async with app.run_test() as pilot:
        await settled(pilot)
        await pilot.pause()
        header = app.screen.query_one(AppHeader)
        assert header.portal == urlsplit(emulator.base_url).netloc
        assert header.user_name == emulator.portal.users[DEMO_USER_ID].full_name
        assert app.screen.query_one("#header-demo", Label).display

    app = make_app(demo=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#header-demo", Label).display


async def test_tab_moves_to_the_next_view(make_app: AppFactory, emulator: ServedEmulator) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one(Tabs).active == "in_progress"
        table = app.screen.query_one(TaskTable)
        in_progress = {
            task.id
            for task in emulator.portal.tasks.values()
            if task.responsible_id == DEMO_USER_ID and task.status == 3
        }
        assert in_progress
        assert set(_row_ids(table)) == in_progress
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.screen.query_one(Tabs).active == "active"


async def test_portal_text_is_shown_literally_and_without_escape_sequences(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    portal = emulator.portal
    markup = next(t for t in portal.tasks.values() if "[bold]" in t.title)
    escape = next(t for t in portal.tasks.values() if "\x1b" in t.title)
    for task in (markup, escape):
        task.responsible_id = DEMO_USER_ID
        task.status = 2
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        assert _cell(table, markup.id, "title") == markup.title
        shown = _cell(table, escape.id, "title")
        assert "\x1b" not in shown
        assert shown == escape.title.replace("\x1b[31m", "").replace("\x1b[0m", "")
        screen = app.export_screenshot()
        assert "[bold]x[/]" in screen.replace("&#160;", " ")


async def test_refresh_keeps_the_selected_task(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j", "j")
        table = app.screen.query_one(TaskTable)
        chosen = table.selected_task_id
        assert chosen is not None
        row_before = table.cursor_row
        # Someone makes a task of mine overdue for longer: it sorts to the top.
        last = _row_ids(table)[-1]
        emulator.portal.tasks[last].deadline = clock.now() - timedelta(days=30)
        emulator.portal.touch(emulator.portal.tasks[last], 2)
        await pilot.press("r")
        await settled(pilot)
        await pilot.pause()
        assert _row_ids(table)[0] == last
        assert table.selected_task_id == chosen
        assert table.cursor_row == row_before + 1


def named_filter(entry: JournalEntry) -> dict[str, Any]:
    """The ``filter`` a journaled ``tasks.task.list`` call was made with."""
    assert isinstance(entry.params, dict)
    found = entry.params.get("filter", {})
    assert isinstance(found, dict)
    return found


async def test_a_refresh_is_one_http_request_for_every_role(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        journal = emulator.app.journal
        before, lists_before = journal.http_requests, len(journal.entries("tasks.task.list"))
        await pilot.press("r")
        await settled(pilot)
        assert journal.http_requests - before == 1
        lists = journal.entries("tasks.task.list")[lists_before:]
        roles = {key for entry in lists for key in named_filter(entry) if key[0] not in "!>"}
        assert roles == {"RESPONSIBLE_ID", "ACCOMPLICE", "CREATED_BY", "AUDITOR"}


# --------------------------------------------------------------------------- views


@pytest.mark.parametrize("view", [view.key for view in VIEWS])
async def test_each_view_lists_its_tasks_in_the_default_order(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock, view: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        app.screen.query_one(Tabs).active = view
        await pilot.pause()
        expected = expected_view_ids(emulator.portal, view, clock.now())
        table = app.screen.query_one(TaskTable)
        assert row_ids(table) == expected
        tab = app.screen.query_one(f"#{view}", Tab)
        assert str(tab.label).endswith(f" {len(expected)}")


async def test_tabs_fit_80_columns_with_every_label_whole(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        tabs = list(app.screen.query(Tab))
        assert len(tabs) == len(VIEWS)
        for tab, view in zip(tabs, VIEWS, strict=True):
            label = str(tab.label)
            count = len(expected_view_ids(emulator.portal, view.key, clock.now()))
            assert label.endswith(f" {count}")
            assert tab.region.right <= 80, f"{label!r} is cut off"
            assert tab.region.width >= len(label)
        shown = app.export_screenshot().replace("&#160;", " ")
        for tab in tabs:
            assert str(tab.label) in shown


# --------------------------------------------------------------------------- open and pane


async def test_enter_opens_the_selected_task(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "G", "k")
        table = app.screen.query_one(TaskTable)
        assert table.cursor_row == table.row_count - 2
        chosen = table.selected_task_id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailScreen)
        assert app.screen.task_id == chosen
        await pilot.press("escape")
        await pilot.press("g")
        assert app.screen.query_one(TaskTable).cursor_row == 0


async def test_pane_follows_the_cursor_and_fetches_the_rested_task_once(
    make_app: AppFactory, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the explicit flush fetches: the test does not race the debounce timer.
    monkeypatch.setattr(DashboardScreen, "DETAIL_DELAY", 3600.0)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        pane = screen.query_one(TaskPane)
        assert pane.display
        table = screen.query_one(TaskTable)
        gets_before = len(emulator.app.journal.entries("tasks.task.get"))
        await pilot.press(*["j"] * 20)
        chosen = table.selected_task_id
        assert chosen is not None
        # The list's data shows at once, before any fetch.
        assert pane.task_id == chosen
        assert pane.shown_task is not None
        assert pane.shown_task.id == chosen
        screen.flush_detail()
        await loaded(pilot)
        gets = emulator.app.journal.entries("tasks.task.get")[gets_before:]
        assert len(gets) == 1, "holding j must not fetch every task passed over"
        last = gets[-1].params
        assert isinstance(last, dict)
        assert str(last["taskId"]) == str(chosen)
        assert pane.complete
        assert pane.shown_task is not None
        assert pane.shown_task.description == emulator.portal.tasks[chosen].description
        # Coming back to a task already fetched (unchanged) needs no new request.
        await pilot.press("k", "j")
        screen.flush_detail()
        await loaded(pilot)
        assert len(emulator.app.journal.entries("tasks.task.get")) == gets_before + len(gets)
        assert pane.complete


async def test_pane_is_hidden_below_its_width(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        assert not app.screen.query_one(TaskPane).display


async def test_pane_shows_hostile_text_literally(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    portal = emulator.portal
    markup = next(t for t in portal.tasks.values() if "[bold]" in t.title)
    markup.responsible_id = DEMO_USER_ID
    markup.status = 2
    markup.description = "Keep [b]this[/b] and [bold]that[/bold]\x1b[2J as typed"
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("slash", *f"#{markup.id}", "enter")
        screen.flush_detail()
        await loaded(pilot)
        pane = screen.query_one(TaskPane)
        assert pane.task_id == markup.id
        assert pane.complete
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Fix [bold]x[/] in the export" in shown
        assert "[bold]that[/bold]" in shown
        assert "\x1b" not in shown


# --------------------------------------------------------------------------- live


async def test_updated_label_ticks_from_the_clock(make_app: AppFactory, clock: FrozenClock) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        header = screen.query_one(AppHeader)
        assert header.status == "updated just now"
        clock.advance(42)
        screen.tick()
        assert header.status == "updated 42s ago"
        clock.advance(120)
        screen.tick()
        assert header.status == "updated 2m ago"


async def test_a_refresh_is_one_http_request_with_the_pane_open(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.flush_detail()  # the pane reads the highlighted task in full
        await loaded(pilot)
        before = emulator.app.journal.http_requests
        await pilot.press("r")
        await loaded(pilot)
        assert emulator.app.journal.http_requests - before == 1
        assert emulator.app.journal.last().method == "batch"
        assert screen.query_one(AppHeader).status == "updated just now"


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """Over SSH a fast typist's "/review" can arrive in one packet: every letter after the
    slash is filter text (the "r" was a refresh, the rest were lost)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        before = emulator.app.journal.http_requests
        for key, character in [("slash", "/"), *((c, c) for c in "review")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await loaded(pilot)
        assert app.screen.query_one("#filter-input", Input).value == "review"
        assert emulator.app.journal.http_requests == before, "no refresh was asked for"
        await pilot.press("slash", "x")
        assert app.screen.query_one("#filter-input", Input).value == "review/x"


async def test_a_slow_refresh_says_how_long_it_has_waited(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        header = screen.query_one(AppHeader)
        emulator.app.faults.inject("timeout", method="batch")
        await pilot.press("r", "r")  # the second press joins the refresh under way
        await until_held(pilot, emulator)
        assert header.status == "refreshing…"
        clock.advance(12)
        screen.tick()
        assert header.status == "refreshing… 12 s"
        assert emulator.app.release_held() == 1
        await loaded(pilot)
        assert header.status == "updated just now"


async def test_interval_refresh_updates_rows_in_place_and_keeps_the_view(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    settings = Settings(path=Path("unused.toml"), refresh_interval=5)
    app = make_app(settings=settings)
    async with app.run_test(size=(120, 12)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.services.refresh_interval == 5
        table = screen.query_one(TaskTable)
        await pilot.press(*["j"] * 12)
        await pilot.pause()
        chosen, row, scroll = table.selected_task_id, table.cursor_row, table.scroll_y
        assert chosen is not None
        assert scroll > 0
        emulator.portal.tasks[chosen].title = "Renamed while you looked"
        emulator.portal.touch(emulator.portal.tasks[chosen], 2)
        lists_before = len(emulator.app.journal.entries("tasks.task.list"))
        clock.advance(5)
        app.refresh_portal()
        await loaded(pilot)
        assert len(emulator.app.journal.entries("tasks.task.list")) > lists_before
        assert cell_text(table, chosen, "title") == "Renamed while you looked"
        assert (table.selected_task_id, table.cursor_row, table.scroll_y) == (chosen, row, scroll)
        assert screen.query_one(AppHeader).status == "updated just now"


def _badge_shown(screen: DashboardScreen) -> bool:
    return screen.query_one("#header-connection", Label).display


class SwitchableTransport(httpx.AsyncBaseTransport):
    """Real loopback HTTP that a test can cut off, as if the network had gone."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is unreachable", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_offline_keeps_the_data_shows_a_badge_and_recovers(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    transport = SwitchableTransport()
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=transport) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await loaded(pilot)
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            table = screen.query_one(TaskTable)
            header = screen.query_one(AppHeader)
            rows = row_ids(table)
            assert not _badge_shown(screen)
            await pilot.press("j", "j")
            chosen = table.selected_task_id

            transport.down = True
            for _ in range(2):  # the first failure is reported, the next only keep the badge
                clock.advance(60)
                app.refresh_portal()
                await loaded(pilot)
            assert header.connection == "OFFLINE"
            assert _badge_shown(screen)
            assert "OFFLINE" in app.export_screenshot()
            assert row_ids(table) == rows
            assert table.selected_task_id == chosen
            assert header.status == "updated 2m ago"
            assert len(app._notifications) == 1

            transport.down = False
            app.refresh_portal()
            await loaded(pilot)
            assert header.connection == ""
            assert not _badge_shown(screen)
            assert header.status == "updated just now"
            assert table.selected_task_id == chosen


async def test_a_refused_refresh_names_the_cause_and_keeps_the_rows(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        rows = row_ids(screen.query_one(TaskTable))
        webhooks = emulator.portal.credentials.webhooks
        revoked = webhooks.pop(emulator.webhook.code)
        await pilot.press("r")
        await loaded(pilot)
        assert screen.query_one(AppHeader).connection == "webhook refused"
        assert row_ids(screen.query_one(TaskTable)) == rows
        webhooks[revoked.code] = revoked
        await pilot.press("r")
        await loaded(pilot)
        assert screen.query_one(AppHeader).connection == ""


async def test_the_header_shows_a_hostile_user_name_literally(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    me = emulator.portal.users[DEMO_USER_ID]
    me.name, me.last_name = "[bold]Eve[/]", "\x1b]0;owned\x07Smith"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        label = app.screen.query_one("#header-user", Label)
        shown = str(label.render())
        assert shown == "[bold]Eve[/] Smith"


async def test_a_key_acts_on_the_selected_row_and_the_row_shows_the_result(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task = next(
        t
        for t in emulator.portal.tasks.values()
        if t.title == "Prepare the demo for the client"
        and t.responsible_id == DEMO_USER_ID
        and t.status == 2
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        table.move_cursor(row=row_ids(table).index(task.id))
        await pilot.pause()
        checklist_before = cell_text(table, task.id, "checklist")
        await pilot.press("s")
        await loaded(pilot)
        starts = emulator.app.journal.entries("tasks.task.start")
        assert [entry.params for entry in starts] == [{"taskId": task.id}]
        assert emulator.portal.tasks[task.id].status == 3
        assert cell_text(table, task.id, "status") == "In progress"
        assert cell_text(table, task.id, "checklist") == checklist_before != ""
        assert table.selected_task_id == task.id


def footer_keys(screen: Screen[object]) -> set[str]:
    """The keys the footer shows."""
    return {key.key for key in screen.query(FooterKey)}


async def test_after_an_action_the_next_row_offers_its_own_keys(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    pending = sorted(
        t.id
        for t in emulator.portal.tasks.values()
        if t.responsible_id == DEMO_USER_ID and t.status == 2
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        first, second = (task_id for task_id in row_ids(table) if task_id in pending[:2])
        table.move_cursor(row=row_ids(table).index(first))
        await pilot.pause()
        await pilot.press("s")
        await settled(pilot)
        assert {"p"} <= footer_keys(app.screen)
        assert "s" not in footer_keys(app.screen)
        table.move_cursor(row=row_ids(table).index(second))
        await next_frame(pilot)  # the footer takes its new keys after a refresh
        assert "s" in footer_keys(app.screen)
        assert "p" not in footer_keys(app.screen)


async def test_a_task_whose_deadline_passes_moves_up_the_next_time_the_list_is_shown(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    """The view's selection is kept while a filter is typed, and no longer than until the
    next deadline: past it, the task is overdue, and first."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(TaskTable)
        before = _expected_active(emulator.portal, clock.now())
        await pilot.press("slash", "x")  # a filter: the view's tasks are selected once
        await pilot.press("escape")
        await pilot.pause()
        assert _row_ids(table) == before
        ahead = [
            deadline
            for task_id in before
            if (deadline := emulator.portal.tasks[task_id].deadline) is not None
            and deadline > clock.now()
        ]
        assert ahead, "the seeded demo has a deadline ahead"
        clock.advance((min(ahead) - clock.now()).total_seconds() + 60)
        await pilot.press("slash", "x")
        await pilot.press("escape")
        await pilot.pause()
        after = _expected_active(emulator.portal, clock.now())
        assert after != before
        assert _row_ids(table) == after


def test_a_selection_holds_until_the_next_deadline_and_for_the_same_tasks_only() -> None:
    from b24tui.models import Task as Model
    from b24tui.screens.dashboard import Selection
    from b24tui.views import VIEWS_BY_KEY

    now = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    due = now + timedelta(hours=2)
    tasks = [
        Model(id=1, title="later", responsible_id=DEMO_USER_ID, deadline=due),
        Model(id=2, title="none", responsible_id=DEMO_USER_ID),
        Model(id=3, title="late", responsible_id=DEMO_USER_ID, deadline=now - timedelta(1)),
    ]
    active = VIEWS_BY_KEY["active"]
    selection = Selection.of(active, DEMO_USER_ID, tasks, now)
    assert [task.id for task in selection.tasks] == [3, 1, 2]
    assert selection.holds(active, DEMO_USER_ID, tasks, due)
    assert not selection.holds(active, DEMO_USER_ID, tasks, due + timedelta(seconds=1))
    assert not selection.holds(active, DEMO_USER_ID, list(tasks), now)  # other tasks
    assert not selection.holds(VIEWS_BY_KEY["overdue"], DEMO_USER_ID, tasks, now)
    assert not selection.holds(active, DEMO_USER_ID, tasks, now - timedelta(seconds=1))


def test_a_selection_takes_changed_tasks_in_where_a_new_selection_puts_them() -> None:
    import random

    from b24tui.models import Task as Model
    from b24tui.models import TaskStatus
    from b24tui.screens.dashboard import Selection
    from b24tui.views import VIEWS_BY_KEY

    rng = random.Random(7)
    now = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)

    def some_task(task_id: int) -> Model:
        deadline = (
            now + timedelta(minutes=rng.randint(-50, 50) * 30 + 15) if rng.random() < 0.7 else None
        )
        return Model(
            id=task_id,
            title=f"Task {task_id}",
            responsible_id=DEMO_USER_ID if rng.random() < 0.8 else DEMO_USER_ID + 1,
            status=rng.choice(list(TaskStatus)),
            deadline=deadline,
        )

    tasks = [some_task(task_id) for task_id in range(1, 301)]
    tried = 0
    for key in ("active", "overdue", "in_progress") * 20:
        view = VIEWS_BY_KEY[key]
        selection = Selection.of(view, DEMO_USER_ID, tasks, now)
        later = now + timedelta(seconds=rng.choice((0, 30, 60)))
        changed = set(rng.sample(range(1, 320), 20))  # some new, some gone, some changed
        by_id = {task.id: task for task in tasks}
        for task_id in changed:
            if task_id in by_id and rng.random() < 0.3:
                del by_id[task_id]
            else:
                by_id[task_id] = some_task(task_id)
        among = list(by_id.values())
        moved = selection.moved(view, DEMO_USER_ID, changed, among, by_id, later)
        if moved is None:  # a deadline passed in that minute: selected again
            assert selection.until is not None
            assert selection.until < later
            continue
        tried += 1
        again = Selection.of(view, DEMO_USER_ID, among, later)
        assert [task.id for task in moved.tasks] == [task.id for task in again.tasks]
        assert moved.until == again.until or (
            moved.until is not None and again.until is not None and moved.until <= again.until
        )
    assert tried > 30
