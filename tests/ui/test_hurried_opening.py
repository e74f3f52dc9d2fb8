"""A key that opens a screen, pressed twice before the screen is up (a quick typist, or
keys arriving over SSH in one read), opens it once: one `esc` is always the way back."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen

from b24tui.screens.checklist import ChecklistScreen
from b24tui.screens.dashboard import DashboardScreen
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.screens.workday import WorkdayScreen
from tests.ui.bursts import burst
from tests.ui.conftest import AppFactory, loaded
from tests.ui.waiting import settled

OPENERS: list[tuple[str, type[Screen[Any]]]] = [
    ("enter", TaskDetailScreen),
    ("c", ChecklistScreen),
    ("w", WorkdayScreen),
]
"""Keys that open a screen with no field to type in (in a form, the second letter is typed
into the title; `?` shows and hides the help)."""


@pytest.mark.parametrize(("key", "opened"), OPENERS, ids=[key for key, _ in OPENERS])
async def test_a_key_pressed_twice_opens_its_screen_once(
    make_app: AppFactory, key: str, opened: type[Screen[Any]]
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        burst(app, key, key)
        await settled(pilot)
        assert [type(screen) for screen in app.screen_stack[1:]] == [DashboardScreen, opened]
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, DashboardScreen)
