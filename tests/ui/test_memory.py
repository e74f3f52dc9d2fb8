"""A dashboard kept open all day does not keep the screens and widgets it has stopped showing.

Each check holds weak references to the very screens and widgets that were shown and are
gone, collects garbage, and asserts that nothing else still holds them. Nothing here relies
on an idle CPU: screens are pushed and dismissed with ``await``, and the checks run after
the app's workers have finished.

asyncio keeps a cancelled timer on its schedule until the moment it would have fired, and
with it the context it was started in: a closed screen's refresh timer, or the timeout of a
request its worker sent, points at the screen for up to a minute more. That is a delay, not
a leak, and these tests do not wait on the wall clock for it: before looking, they have the
loop drop its cancelled timers (see :func:`drop_cancelled_timers`).
"""

from __future__ import annotations

import asyncio
import gc
import weakref

from textual.pilot import Pilot
from textual.widget import Widget

from b24tui.emulator import DEMO_USER_ID
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.widgets import AppFooter
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, loaded

Refs = list[tuple[str, weakref.ref[Widget]]]
"""Weak references to widgets, each with a name to report it by."""


THROWAWAY_TIMERS = 10_000
"""Far more than the app ever has scheduled: enough to make most of the schedule cancelled."""


async def drop_cancelled_timers() -> None:
    """Have the event loop forget its cancelled timers (and the contexts they hold) now.

    CPython's loop rebuilds its schedule without the cancelled timers as soon as more than
    half of it is cancelled; cancelling many throwaway timers gets it there at the next
    turn. Only references from cancelled timers go: a screen that something in the app
    still holds stays alive.
    """
    loop = asyncio.get_running_loop()
    for _ in range(THROWAWAY_TIMERS):
        loop.call_later(3600, lambda: None).cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)


def refs_to(*widgets: Widget) -> Refs:
    """Weak references to ``widgets`` and to every widget inside them."""
    everything = [
        node for widget in widgets for node in widget.walk_children(Widget, with_self=True)
    ]
    return [(_name(node), weakref.ref(node)) for node in everything]


def _name(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__


async def still_alive(refs: Refs) -> list[str]:
    """The names of the referenced widgets that garbage collection could not free."""
    await drop_cancelled_timers()
    gc.collect()
    return [name for name, ref in refs if ref() is not None]


def footer_keys(pilot: Pilot[None]) -> list[Widget]:
    """The keys the current screen's footer shows now."""
    return list(pilot.app.screen.query_one(AppFooter).query("FooterKey"))


async def test_closed_task_screens_are_freed_with_their_widgets(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    mine = [t.id for t in emulator.portal.tasks.values() if t.responsible_id == DEMO_USER_ID]
    app = make_app()
    closed: Refs = []
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        for task_id in mine[:5]:
            screen = TaskDetailScreen(app.services, task_id)
            await app.push_screen(screen)
            await loaded(pilot)
            assert app.screen is screen
            closed += refs_to(screen)
            await screen.dismiss(None)
            await loaded(pilot)
            del screen
        assert isinstance(app.screen, DashboardScreen)
        assert len(closed) > 5 * 5, "each screen had its header, detail, footer and keys"
        assert await still_alive(closed) == []


async def test_moving_along_the_rows_frees_the_footer_keys_it_replaced(
    make_app: AppFactory,
) -> None:
    app = make_app()
    shown_before: list[Refs] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        for _ in range(20):
            shown_before.append(refs_to(*footer_keys(pilot)))
            await pilot.press("j")  # every row offers other actions: the footer is rebuilt
            await loaded(pilot)
        assert isinstance(app.screen, DashboardScreen)
        # The keys of the last two rows may still be on their way out; the rest are gone.
        replaced = [ref for refs in shown_before[:-2] for ref in refs]
        current = footer_keys(pilot)
        assert all(ref() is not key for _, ref in replaced for key in current)
        del current
        assert len(replaced) >= 18, "the footer showed keys at every row"
        assert await still_alive(replaced) == []
