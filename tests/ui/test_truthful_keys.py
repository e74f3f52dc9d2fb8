"""Every key press answered: an empty view says so, a key with no effect says why, a key
pressed while an action is under way is queued or dropped for a reason, quitting with
actions under way asks, and the scrolling keys scroll the detail and help screens.

The whole app against the emulator over HTTP; the portal holds an answer back (a
``timeout`` fault) to make the person faster than the portal.
"""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.widgets._footer import FooterKey

from b24tui.app import B24App
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.help import NO_TASK, HelpScreen
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.widgets import TaskDetail, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text
from tests.ui.hosts import BareApp
from tests.ui.test_action_queue import TITLE, my_pending_task, on_row, sent
from tests.ui.test_actions import toasts, top, undoable
from tests.ui.waiting import next_frame, settled, until_held


def footer_keys(app: B24App) -> set[str]:
    return {key.key for key in app.screen.query(FooterKey)}


async def test_a_filter_matching_nothing_says_so_and_offers_no_task_keys(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"zzq", "enter")
        await pilot.pause()
        table = app.screen.query_one(TaskTable)
        assert table.row_count == 0
        said = "No task matches “zzq” in Active. esc clears the filter."
        assert said in table.render_line(2).text, "the table's place says why it is empty"
        assert {"s", "x", "p"}.isdisjoint(footer_keys(app))
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = top(app)
        assert isinstance(help_screen, HelpScreen)
        task_rows = dict(help_screen.sections)["The selected task"]
        assert ("s", f"Start task  ({NO_TASK})") in task_rows
        await pilot.press("escape", "escape")  # close the help, clear the filter
        await pilot.pause()
        assert table.row_count > 0
        assert table.render_line(2).text.strip() != said


async def test_r_on_the_default_order_says_how_to_reverse(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(TaskTable)
        before = [row.task.id for row in table.ordered_rows]
        await pilot.press("R")
        await pilot.pause()
        assert [row.task.id for row in table.ordered_rows] == before
        assert toasts(app) == [
            "The default order (overdue first, then by deadline) has no reverse: "
            "S sorts by a column, then R reverses it."
        ]
        await pilot.press("S", "R")
        await pilot.pause()
        assert [row.task.id for row in table.ordered_rows] != before, "after S, R reverses"


async def test_pause_pressed_while_the_start_waits_is_queued_then_done(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """s on a pending task, then p before the portal answered: p was not offered by the
    task as it was, yet the start will offer it; it waits its turn and runs."""
    task_id = my_pending_task(emulator)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_row(pilot, task_id)
        assert "p" not in footer_keys(app)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        await next_frame(pilot)
        assert "p" in footer_keys(app), "the start under way offers the pause after it"
        await pilot.press("p")
        await pilot.pause()
        assert cell_text(table, task_id, "status") == "Starting… +1"
        assert sent(emulator, "tasks.task.pause") == 0
        emulator.app.release_held()
        await settled(pilot)
        assert sent(emulator, "tasks.task.pause") == 1
        assert toasts(app) == [undoable(f"Started “{TITLE}”"), undoable(f"Paused “{TITLE}”")]


async def test_a_hurried_x_y_x_y_answers_the_dialog_it_meant_and_copies_nothing(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = my_pending_task(emulator)
    app = make_app()
    copied: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign, assignment]
        await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.complete")
        await pilot.press("x", "y")
        await until_held(pilot, emulator)
        await pilot.press("x", "y")
        await pilot.pause()
        assert copied == [], "the second y was meant for a dialog, not for copy link"
        assert not any("Copied" in text for text in toasts(app))
        await pilot.press("y")
        await pilot.pause()
        assert len(copied) == 1, "a y after that is copy link again"
        emulator.app.release_held()
        await settled(pilot)
        assert sent(emulator, "tasks.task.complete") == 1


def burst(app: B24App, *keys: str) -> None:
    """Keys typed faster than the app answers: all queued before the first is handled
    (Pilot's ``press`` waits for each key's effects, which hides any race)."""
    for key in keys:
        app.post_message(events.Key(key, key))


async def test_x_y_typed_in_one_burst_answers_the_dialog_not_the_screen(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """The y after x is the dialog's even when it arrives before the dialog could paint:
    it had been taken by the dashboard (copy link), and the dialog opened after it."""
    task_id = my_pending_task(emulator)
    app = make_app()
    copied: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign, assignment]
        await on_row(pilot, task_id)
        burst(app, "x", "y")
        await settled(pilot)
        assert copied == []
        assert not isinstance(top(app), ConfirmScreen)
        assert sent(emulator, "tasks.task.complete") == 1
        said = toasts(app)
        assert len(said) == 1
        assert said[0].startswith(f"Completed “{TITLE}”")


async def test_quitting_with_an_action_under_way_asks_first(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = my_pending_task(emulator)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        await pilot.press("q")
        await pilot.pause()
        dialog = top(app)
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.question == "1 action under way. Quit anyway?"
        assert f"Starting “{TITLE}” (sent: the portal may do it)" in dialog.subject
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        emulator.app.release_held()
        await settled(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running, "nothing under way: q quits at once"


async def test_j_k_g_G_scroll_the_detail_and_the_help(
    bare_app: BareApp, emulator: ServedEmulator
) -> None:
    task_id = my_pending_task(emulator)
    app = bare_app
    async with app.run_test(size=(80, 14)) as pilot:
        await app.push_screen(TaskDetailScreen(app.services, task_id))
        await settled(pilot)
        detail = app.screen.query_one(TaskDetail)
        assert detail.max_scroll_y > 1
        await pilot.press("j")
        assert detail.scroll_y == 1
        await pilot.press("G")
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("k")
        assert detail.scroll_y == detail.max_scroll_y - 1
        await pilot.press("g")
        assert detail.scroll_y == 0
        await pilot.press("question_mark")
        await pilot.pause()
        box = top(app).query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 1
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0
        await pilot.press("j")
        assert box.scroll_y == 1
