"""A first load that fails says so in the table's place, by its cause, and recovers.

Against a portal that answers 500, an HTML page or 401 to every call, or does not answer
at all, the dashboard shows what failed (the error's title and hint), why in words, when
it tries again (never by itself for a refused webhook: ``b24tui login``), ``r`` and
``b24tui doctor``; one toast, not one a retry; the rows appear by themselves once the
portal answers.
"""

from __future__ import annotations

import pytest

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.faults import FaultKind, Faults
from b24tui.screens import DashboardScreen
from b24tui.widgets import AppHeader, TaskTable
from b24tui.widgets.load_problem import LoadProblem
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, loaded
from tests.ui.test_dashboard import SwitchableTransport


def problem_of(app: B24App) -> str:
    """What the table's place says, or "" when the table shows."""
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    problem = screen.query_one(LoadProblem)
    if not problem.display:
        assert screen.query_one(TaskTable).display
        return ""
    assert not screen.query_one(TaskTable).display
    return str(problem.visual)


@pytest.mark.parametrize(
    ("kind", "title", "badge"),
    [
        ("500", "The portal had an internal error", "portal error"),
        ("html", "The portal answered with an HTML page (HTTP 502)", "portal error"),
    ],
)
async def test_a_portal_error_says_what_and_when_it_retries_then_recovers(
    make_app: AppFactory,
    emulator: ServedEmulator,
    clock: FrozenClock,
    kind: FaultKind,
    title: str,
    badge: str,
) -> None:
    emulator.app.faults = Faults(1.0, kinds=(kind,))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        shown = problem_of(app)
        assert "Could not load your tasks" in shown
        assert title in shown
        assert "answered, but with an error of its own" in shown
        assert "Trying again in 5 s" in shown
        assert "b24tui doctor" in shown
        assert app.screen.query_one(AppHeader).connection == badge
        assert len(app._notifications) == 1

        clock.advance(3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.tick()  # once a second, the countdown
        assert "Trying again in 2 s" in problem_of(app)

        app.refresh_portal()  # what the retry timer calls; still failing
        await loaded(pilot)
        assert "Trying again in 10 s" in problem_of(app)
        assert len(app._notifications) == 1, "a failure is told once, not once a retry"

        emulator.app.faults = Faults()
        app.refresh_portal()
        await loaded(pilot)
        assert problem_of(app) == ""
        assert app.screen.query_one(TaskTable).row_count > 0
        assert app.screen.query_one(AppHeader).connection == ""


async def test_a_refused_webhook_says_run_login_and_is_not_retried(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    wrong = Webhook.parse(f"{emulator.base_url}/rest/{DEMO_USER_ID}/notthecode/")
    async with B24Client(wrong) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await loaded(pilot)
            shown = problem_of(app)
            assert "refused the webhook" in shown
            assert "b24tui login" in shown
            assert "Trying again in" not in shown
            assert app.services.store.next_refresh_in() is None
            assert app.screen.query_one(AppHeader).connection == "webhook refused"
            notes = list(app._notifications)
            assert len(notes) == 1
            assert notes[0].severity == "error"
            assert "notthecode" not in f"{notes[0].title} {notes[0].message} {shown}"
            assert app.is_running

            await pilot.press("r")  # r still tries, and the state stays put
            await loaded(pilot)
            assert "b24tui login" in problem_of(app)


async def test_no_answer_at_all_is_offline_and_recovers_by_itself(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    network = SwitchableTransport()
    network.down = True  # nothing answers until the test brings it back
    async with B24Client(Webhook.parse(emulator.webhook_url), transport=network) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            await loaded(pilot)
            shown = problem_of(app)
            assert "No answer from the portal" in shown
            assert "Trying again in 5 s" in shown
            assert app.screen.query_one(AppHeader).connection == "OFFLINE"

            network.down = False
            await pilot.press("r")
            await loaded(pilot)
            assert problem_of(app) == ""
            assert app.screen.query_one(TaskTable).row_count > 0
            assert app.screen.query_one(AppHeader).connection == ""
