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
from collections.abc import Iterator

import pytest

from b24tui import app as app_module
from b24tui import store as store_module
from b24tui.api import B24Client
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.services import Services
from tests.ui.conftest import loaded


@pytest.fixture
def eager_collector() -> Iterator[list[int]]:
    """The generations of the passes the collector makes while a refresh is under way
    (of the app in :data:`watched`); the collector runs at every allocation meanwhile."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        app = watched[0] if watched else None
        if phase == "start" and app is not None and app.services.store.refreshing:
            passes.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.callbacks.append(seen)
    try:
        yield passes
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()  # the app froze what its first load made: give it back to this process
        gc.enable()
        watched.clear()


watched: list[B24App] = []


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
    given_back: list[bool] = []
    monkeypatch.setattr(app_module, "release_free_memory", lambda: given_back.append(True))
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the first load's: not this process's
    app = B24App(Services(client=ui_client, clock=clock), manage_collector=True)
    async with app.run_test() as pilot:
        await loaded(pilot)
        assert given_back == [True]  # the first load reads everything
        assert not app.services.store.next_refresh_is_whole
        app.refresh_portal()
        await loaded(pilot)
        assert given_back == [True]
