"""`?` help: the keys of the screen below, read from its live bindings.

Help over a task screen is shown in the app without its dashboard (:class:`BareApp`): the
keys come from the task screen and the app, and nothing else needs loading.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from b24tui.api import B24Client
from b24tui.screens.help import NOT_NOW, HelpScreen
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.hosts import BareApp
from tests.ui.test_actions import open_task, task_titled, top
from tests.ui.waiting import settled


def rows(help_screen: HelpScreen) -> dict[str, list[tuple[str, str]]]:
    return dict(help_screen.sections)


def shown_text(help_screen: HelpScreen) -> str:
    return "\n".join(str(static.content) for static in help_screen.query(Static))


async def press_help(pilot: Pilot[None]) -> HelpScreen:
    await pilot.press("question_mark")
    await pilot.pause()
    screen = top(pilot.app)
    assert isinstance(screen, HelpScreen)
    return screen


async def test_help_lists_the_task_keys_the_task_allows(
    bare_app: BareApp, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        help_screen = await press_help(pilot)
        sections = rows(help_screen)
        # Keyed task actions read as the palette names them, not by their footer word;
        # every one is listed, the ones the task does not allow now marked so.
        task_keys = sections["This task"]
        assert ("s", "Start task") in task_keys
        assert ("x", "Complete task") in task_keys
        assert ("o", "Open in browser") in task_keys
        assert ("p", f"Pause task  ({NOT_NOW})") in task_keys, "pending: no pause now"
        assert ("u", next(text for key, text in task_keys if key == "u")) in task_keys
        quit_keys = next(keys for keys, text in sections["Everywhere"] if text == "Quit")
        assert "q" in quit_keys.split()
        assert ("?", "This help") in sections["Everywhere"]
        palette = [name for _, name in sections["Command palette (^p)"]]
        assert f"Approve task  ({NOT_NOW})" in palette, "my own task: no approval"
        assert "Mute task" in palette
        assert "Go to task…" in palette
        assert not any(name.startswith("Start task") for name in palette), "keyed: above"
        text = shown_text(help_screen)
        assert "Start task" in text
        assert "Approve task" in text


async def test_help_for_a_task_i_only_watch_has_no_status_keys(
    bare_app: BareApp, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Benchmark the search index")
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        sections = rows(await press_help(pilot))
        offered = {key for key, text in sections["This task"] if not text.endswith(")")}
        assert {"s", "p", "x"}.isdisjoint(offered)
        assert {"o", "y"} <= offered
        marked = {key for key, text in sections["This task"] if text.endswith(f"({NOT_NOW})")}
        assert {"s", "p", "x"} <= marked, "listed, and marked as not for this task now"


async def test_help_on_the_dashboard_shows_its_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        dashboard = top(app)
        help_screen = await press_help(pilot)
        listed = [row for entries in rows(help_screen).values() for row in entries]
        assert ("r", "Read the portal again now") in listed
        assert ("n", "A new task: the task form") in listed
        assert ("", "New task") in rows(help_screen)["Command palette (^p)"]
        listed_keys = {key for keys, _ in listed for key in keys.split()}
        footer = {key.key_display for key in dashboard.query(FooterKey)}
        assert footer - {"^p"} <= listed_keys, "every key in the footer is in the help"
        assert {"j", "k", "g", "G", "S", "R", "/", "⏎", "esc"} <= listed_keys
        text = shown_text(help_screen)
        for textual_own in ("Copy selected text", "TaskTable", "Scroll", "Focus", "Cursor"):
            assert textual_own not in text, "help speaks our words, not Textual's"
        legend = dict(rows(help_screen)["Marks in the list"])
        assert {"M", "W", "★"} <= set(legend)


async def test_escape_and_question_mark_close_help(bare_app: BareApp) -> None:
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        below = top(app)
        await press_help(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert top(app) is below
        await press_help(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert top(app) is below


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_footer_keeps_quit_and_help_in_view(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        await pilot.pause()
        keys = {
            footer_key.key: footer_key.region
            for footer_key in app.screen.query(FooterKey)
            if footer_key.display and not footer_key.has_class("-command-palette")
        }
        assert {"q", "question_mark"} <= set(keys)
        palette = app.screen.query_one(Footer).query_one(".-command-palette")
        for region in keys.values():
            assert region.right <= palette.region.x, "a footer key is hidden under the palette"
