"""What the app remembers of a profile between runs: the theme, the dashboard's view and sort.

Each test runs the whole app twice on one state file in a temporary directory (never the
real home): what the first run leaves is what the second one starts with.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Tabs

from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.config import Settings
from b24tui.screens import DashboardScreen
from b24tui.services import Services
from b24tui.state import StateFile
from b24tui.views import VIEWS
from b24tui.widgets import TaskTable
from b24tui.widgets.task_table import SORT_MARKS
from tests.ui.test_actions import top
from tests.ui.test_palette import first_lines, open_palette, search
from tests.ui.waiting import settled

CONFIG_THEME = "gruvbox"
"""The config file's theme in these tests (not Textual's default)."""
PICKED_THEME = "nord"


def app_on(
    state: Path, client: B24Client, clock: FrozenClock, *, theme: str | None = CONFIG_THEME
) -> B24App:
    """The whole app, remembering in ``state``, with a config file that names ``theme``."""
    settings = Settings(path=state.parent / "config.toml", theme=theme)
    services = Services(client=client, clock=clock, settings=settings, remembered=StateFile(state))
    return B24App(services)


def dashboard(app: B24App) -> DashboardScreen:
    screen = top(app)
    assert isinstance(screen, DashboardScreen)
    return screen


def sorted_header(app: B24App) -> list[str]:
    """The task table's headers that show a sort mark."""
    table = dashboard(app).query_one(TaskTable)
    marks = tuple(SORT_MARKS.values())
    return [
        str(column.label) for column in table.columns.values() if str(column.label).endswith(marks)
    ]


async def test_a_theme_picked_in_the_palette_is_the_next_runs_theme(
    tmp_path: Path, ui_client: B24Client, clock: FrozenClock
) -> None:
    state = tmp_path / "state" / "work.json"
    first = app_on(state, ui_client, clock)
    async with first.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert first.theme == CONFIG_THEME, "nothing remembered: the config's theme"
        assert not state.parent.exists(), "nothing chosen, nothing written"
        await open_palette(pilot)
        assert first_lines(await search(pilot, "Change theme"))[0] == "Change theme"
        await pilot.press("enter")
        await pilot.pause()
        assert first_lines(await search(pilot, PICKED_THEME))[0] == PICKED_THEME
        await pilot.press("enter")
        await pilot.pause()
        assert first.theme == PICKED_THEME
    second = app_on(state, ui_client, clock)
    async with second.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert second.theme == PICKED_THEME, "the pick is newer than the config's default"


async def test_the_view_and_sort_left_are_the_ones_the_next_run_opens(
    tmp_path: Path, ui_client: B24Client, clock: FrozenClock
) -> None:
    state = tmp_path / "state" / "work.json"
    first = app_on(state, ui_client, clock)
    async with first.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("tab", "tab")  # the third view
        await pilot.press("S", "S", "R")  # the second column, descending
        await pilot.pause()
        left = dashboard(first)
        view, sort = left.view, left.sort
        assert view is VIEWS[2]
        assert sort is not None
        assert sort.descending
        headers = sorted_header(first)
        rows = [str(row.key.value) for row in left.query_one(TaskTable).ordered_rows]
    second = app_on(state, ui_client, clock)
    async with second.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        opened = dashboard(second)
        assert opened.query_one(Tabs).active == view.key
        assert (opened.view, opened.sort) == (view, sort)
        assert sorted_header(second) == headers
        assert [str(row.key.value) for row in opened.query_one(TaskTable).ordered_rows] == rows


async def test_a_corrupt_state_file_is_ignored_and_replaced(
    tmp_path: Path, ui_client: B24Client, clock: FrozenClock
) -> None:
    state = tmp_path / "work.json"
    state.write_bytes(b'{"version": 1, "theme": "nord", "view": \xff')
    app = app_on(state, ui_client, clock, theme=None)
    default_theme = B24App(Services(client=ui_client, clock=clock)).theme
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        screen = dashboard(app)
        assert app.theme == default_theme
        assert screen.view is VIEWS[0]
        assert screen.sort is None
        assert screen.query_one(Tabs).active == VIEWS[0].key
        assert sorted_header(app) == []
        await pilot.press("tab")
        await pilot.pause()
    assert json.loads(state.read_text(encoding="utf-8"))["view"] == VIEWS[1].key
