"""The real run keeps the garbage collector out of the way of the dashboard.

A whole read of a large portal builds tens of thousands of objects (the rows, the tasks
parsed from them), none of them garbage kept by a cycle; the collector's passes over them
in the middle of the read stalled the event loop for 60 to 70 ms (``bench.stalls``). The
real run pauses the collector while a whole read is under way.

The collector is made to run at every allocation here, so a pass during the read would
be certain, not a matter of how much the small test portal allocates.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from b24tui import app as app_module
from b24tui import store as store_module
from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.screens import TaskDetailScreen
from b24tui.services import Services
from tests.ui.conftest import loaded
from tests.ui.test_memory import drop_cancelled_timers


@pytest.fixture(autouse=True)
def heap_given_back() -> Iterator[None]:
    """What an app managing the heap changed of this test process's collector, undone:
    its thresholds, and what it froze."""
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        gc.enable()


@pytest.fixture
def eager_collector() -> Iterator[list[int]]:
    """The generations of the passes the collector makes while a refresh is under way
    (of the app in :data:`watched`); the collector runs at every allocation meanwhile."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        app = watched[0] if watched else None
        if phase == "start" and app is not None and app.services.store.refreshing:
            passes.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        yield passes
    finally:
        gc.callbacks.remove(seen)
        watched.clear()


watched: list[B24App] = []


async def open_my_first_task(pilot: Pilot[None], app: B24App) -> None:
    """Once the first load is in, the detail screen of my first task, loaded."""
    await loaded(pilot)
    task_id = next(iter(app.services.store.my_tasks())).id
    app.push_screen(TaskDetailScreen(app.services, task_id))
    await loaded(pilot)


async def test_a_whole_read_runs_with_the_collector_paused(
    ui_client: B24Client,
    clock: FrozenClock,
    eager_collector: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_module, "FULL_PASS_EVERY", 1)  # every refresh reads everything
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await loaded(pilot)
        assert app.services.store.next_refresh_is_whole
        watched.append(app)
        gc.set_threshold(1, 1, 1)
        app.refresh_portal()
        await loaded(pilot)
        gc.set_threshold(700, 10, 10)
        assert not app.services.store.refreshing
        assert app.services.store.loaded
    assert eager_collector == []


async def test_a_whole_read_gives_back_the_memory_it_freed_and_a_partial_one_does_not(
    ui_client: B24Client, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    given_back: list[bool] = []  # each time: whether it was away from the app's loop
    monkeypatch.setattr(
        app_module,
        "release_free_memory",
        lambda: given_back.append(threading.current_thread() is not threading.main_thread()),
    )
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the first load's: not this process's
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await loaded(pilot)
        assert given_back == [True]  # the first load reads everything
        assert not app.services.store.next_refresh_is_whole
        app.refresh_portal()
        await loaded(pilot)
        assert given_back == [True]


async def test_the_heap_is_tidied_while_the_person_is_quiet_and_in_full_now_and_then(
    ui_client: B24Client, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full pass of the collector walks every object not frozen: what opening tasks and
    reading the portal made since the first load. Tidied while no key is pressed (a pass,
    then a freeze), the collector's own full passes stay short; now and then the tidy
    walks the frozen objects too, so that garbage frozen while in use is freed."""
    done: list[str] = []

    def collect(*_: object) -> int:
        done.append("collect")
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: done.append("unfreeze"))
    monkeypatch.setattr(app_module, "release_free_memory", lambda: done.append("release"))
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await loaded(pilot)
        done.clear()
        await pilot.press("j")  # the person is here
        app.keep_house()
        assert done == []
        clock.advance(app_module.QUIET_FOR)
        app.keep_house()
        assert done == ["collect", "freeze", "release"]
        done.clear()
        for _ in range(app_module.FULL_TIDY_EVERY - 1):
            app.keep_house()
        assert done.count("unfreeze") == 1
        assert done[-4:] == ["unfreeze", "collect", "freeze", "release"]


async def test_a_tidy_lets_go_of_the_lines_closed_screens_drew(
    ui_client: B24Client, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual keeps the style cache of every widget that drew (up to 1,024 of them, with
    the lines they drew) in an ``lru_cache`` on one of its methods, after the widgets are
    gone (Textualize/textual#6665); each task opened added some 2,400 objects that every
    full pass of the collector walked. A tidy empties it."""
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not this test process's heap
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await open_my_first_task(pilot, app)
        drawn = [
            weakref.ref(widget._styles_cache)
            for widget in app.screen.walk_children(Widget)
            if widget._styles_cache._cache  # it drew lines
        ]
        assert drawn
        await pilot.press("escape")
        await loaded(pilot)
        clock.advance(app_module.QUIET_FOR)
        app.keep_house()
        await drop_cancelled_timers()
        gc.collect()
        assert [ref for ref in drawn if ref() is not None] == []


async def test_a_closed_task_screen_is_collected_once_the_dashboard_is_drawn(
    ui_client: B24Client, clock: FrozenClock
) -> None:
    """A closed screen's widgets are garbage held in cycles. Left to the collector, its
    full pass over them came while the next screen was being composed (the two together:
    50 to 70 ms on 2 cores); the app collects them itself, once the screen under the
    closed one is drawn. Nothing may hold the screen by then: not the timeouts of the
    portal calls it made, nor a clock of its own."""
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await open_my_first_task(pilot, app)
        widgets = [weakref.ref(widget) for widget in app.screen.walk_children(Widget)]
        screen = weakref.ref(app.screen)
        await pilot.press("escape")
        await loaded(pilot)
        await pilot.pause()
        assert screen() is None
        assert [ref for ref in widgets if ref() is not None] == []
