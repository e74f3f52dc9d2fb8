"""Actions are a queue, never a race: pressed twice, pressed while another waits, cancelled
while nothing was sent, undone after; each ends in exactly one message.

The whole app on the dashboard against the emulator over HTTP; the portal holds an answer
back (a ``timeout`` fault) to make the person faster than the portal.
"""

from __future__ import annotations

from textual.pilot import Pilot

from b24tui.actions import UNDER_WAY_SECONDS
from b24tui.app import B24App
from b24tui.emulator import DEMO_USER_ID
from b24tui.screens.confirm import ConfirmScreen
from b24tui.widgets import TaskTable
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text, row_ids
from tests.ui.test_actions import toasts, top, undoable
from tests.ui.waiting import settled, until_held

TITLE = "Prepare the demo for the client"


def my_pending_task(emulator: ServedEmulator) -> int:
    return next(
        t.id
        for t in emulator.portal.tasks.values()
        if t.title == TITLE and t.responsible_id == DEMO_USER_ID and t.status == 2
    )


async def on_row(pilot: Pilot[None], task_id: int) -> TaskTable:
    await settled(pilot)
    table = pilot.app.screen.query_one(TaskTable)
    table.move_cursor(row=row_ids(table).index(task_id))
    await pilot.pause()
    return table


def sent(emulator: ServedEmulator, method: str) -> int:
    return len(emulator.app.journal.entries(method))


async def test_a_second_press_while_the_first_waits_is_told_and_not_sent(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """s, then s again before the portal answers: one start sent, the row says Starting…,
    the second press is answered at once, and the start's own result shows when it lands."""
    task_id = my_pending_task(emulator)
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        assert cell_text(table, task_id, "status") == "Starting…"
        await pilot.press("s")
        await pilot.pause()
        assert toasts(app) == [f"Starting “{TITLE}” is already under way; its result will follow."]
        # A note about the key just pressed: gone soon, not lingering on the next screen.
        assert [n.timeout for n in app._notifications] == [UNDER_WAY_SECONDS]
        assert emulator.app.release_held() == 1
        await settled(pilot)
        assert sent(emulator, "tasks.task.start") == 1
        assert cell_text(table, task_id, "status") == "In progress"
        assert toasts(app)[1:] == [undoable(f"Started “{TITLE}”")]


async def test_complete_twice_asks_once_and_says_its_own_result(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """x y, then x again while the complete waits: no second question, no "not allowed";
    the first complete's result is what shows."""
    task_id = my_pending_task(emulator)
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.complete")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(top(app), ConfirmScreen)
        await pilot.press("y")
        await until_held(pilot, emulator)
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(top(app), ConfirmScreen)
        emulator.app.release_held()
        await settled(pilot)
        assert sent(emulator, "tasks.task.complete") == 1
        said = toasts(app)
        assert len(said) == 2
        assert "already under way" in said[0]
        assert said[1].startswith(f"Completed “{TITLE}”")
        assert not any("not available" in text or "not allowed" in text for text in said)


async def test_another_action_queues_behind_the_first_and_both_are_told(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """A held start, then mute: the mute waits its turn (the row says so), then runs; one
    message each, in order."""
    task_id = my_pending_task(emulator)
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        app.screen.run_task_action("mute")  # type: ignore[attr-defined]
        await pilot.pause()
        assert cell_text(table, task_id, "status") == "Starting… +1"
        assert sent(emulator, "tasks.task.mute") == 0, "not before the start has answered"
        emulator.app.release_held()
        await settled(pilot)
        assert sent(emulator, "tasks.task.mute") == 1
        assert emulator.portal.is_muted(DEMO_USER_ID, task_id)
        assert toasts(app) == [undoable(f"Started “{TITLE}”"), undoable(f"Muted “{TITLE}”")]


async def test_u_cancels_a_queued_action_and_nothing_of_it_is_sent(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = my_pending_task(emulator)
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_row(pilot, task_id)
        emulator.app.faults.inject("timeout", method="tasks.task.start")
        await pilot.press("s")
        await until_held(pilot, emulator)
        app.screen.run_task_action("mute")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("u")
        emulator.app.release_held()
        await settled(pilot)
        assert sent(emulator, "tasks.task.mute") == 0
        assert not emulator.portal.is_muted(DEMO_USER_ID, task_id)
        assert toasts(app) == [
            undoable(f"Started “{TITLE}”"),
            f"Mute task cancelled for “{TITLE}”: nothing was sent.",
        ]
        assert cell_text(table, task_id, "status") == "In progress"


async def test_u_after_a_start_pauses_it_again(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = my_pending_task(emulator)
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_row(pilot, task_id)
        await pilot.press("s")
        await settled(pilot)
        assert emulator.portal.tasks[task_id].status == 3
        await pilot.press("u")
        await settled(pilot)
        assert sent(emulator, "tasks.task.pause") == 1
        assert emulator.portal.tasks[task_id].status == 2
        assert cell_text(table, task_id, "status") == "Pending"
        assert toasts(app)[-1] == undoable(f"Paused “{TITLE}”")


async def test_u_with_nothing_to_undo_says_so(make_app: AppFactory) -> None:
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert toasts(app) == ["Nothing to undo."]


async def test_a_complete_that_awaits_control_does_not_offer_undo(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """Completed to the creator's control, the task offers its responsible no renew: the
    toast does not promise an undo that u cannot do."""
    title = "Migrate the mailing list"
    task_id = next(
        t.id
        for t in emulator.portal.tasks.values()
        if t.title == title
        and t.responsible_id == DEMO_USER_ID
        and t.created_by != DEMO_USER_ID
        and t.status == 2
    )
    app: B24App = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_row(pilot, task_id)
        await pilot.press("x", "y")
        await settled(pilot)
        assert emulator.portal.tasks[task_id].status == 4
        assert toasts(app) == [f"Completed “{title}”: awaiting the creator's control"]
        await pilot.press("u")
        await settled(pilot)
        assert sent(emulator, "tasks.task.renew") == 0
        assert toasts(app)[-1] == "Complete task cannot be undone."
