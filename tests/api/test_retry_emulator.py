"""Pacing and retries against the emulated portal over loopback HTTP: the emulator makes the
situation (limits, injected faults), the client with PacingPolicy copes with it.

The policy runs on the portal's clock: its waits move the portal's ``FrozenClock``, so the
portal sees time pass exactly as the client waited, and no test sleeps on the wall clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from b24tui.api import (
    B24Client,
    BadResponse,
    OperationTimeLimit,
    Overloaded,
    RateLimited,
    Webhook,
)
from b24tui.api.client import call_progress
from b24tui.api.errors import OutcomeUnknown
from b24tui.api.pacing import PacingPolicy
from b24tui.api.policy import NoPolicy
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.limits import LimitSettings
from tests.conftest import ServedEmulator


class PortalTime:
    """The policy's clock and sleep, on the portal's frozen clock."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.slept: list[float] = []
        self.hold: asyncio.Event | None = None
        """When set up, waits longer than a second block until it is set."""

    def __call__(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)
        if self.hold is not None and seconds > 1.0:
            await self.hold.wait()
        if seconds > 0:
            self.clock.advance(seconds)

    @property
    def waited(self) -> float:
        return sum(self.slept)


@pytest.fixture
def portal_time(clock: FrozenClock) -> PortalTime:
    return PortalTime(clock)


@pytest.fixture
async def paced(emulator: ServedEmulator, portal_time: PortalTime) -> AsyncIterator[B24Client]:
    """The demo user's client with PacingPolicy on the portal clock and a short timeout."""
    policy = PacingPolicy(clock=portal_time, wall=portal_time, sleep=portal_time.sleep, seed=1)
    async with B24Client(
        Webhook.parse(emulator.webhook_url),
        policy=policy,
        sleep=portal_time.sleep,
        timeout=httpx.Timeout(0.5, connect=2.0),
    ) as client:
        yield client


def stats(emulator: ServedEmulator) -> dict[str, Any]:
    return emulator.app.journal.stats()


def ran(emulator: ServedEmulator, method: str) -> int:
    count: int = stats(emulator)["ran"].get(method, 0)
    return count


def some_task_id(emulator: ServedEmulator) -> int:
    """A task the demo user may complete (in progress or pending, theirs to do)."""
    user = emulator.webhook.user_id
    for task in sorted(emulator.portal.tasks.values(), key=lambda t: t.id):
        if task.responsible_id == user and int(task.status) in (2, 3):
            return task.id
    raise AssertionError("the demo portal has no open task of the demo user")


# --- rate limits -----------------------------------------------------------------------


async def test_backoff_on_503_then_success(
    emulator: ServedEmulator, paced: B24Client, portal_time: PortalTime
) -> None:
    emulator.app.faults.inject("503", method="tasks.task.list", count=2)
    tasks = await paced.tasks.list()
    assert tasks
    assert ran(emulator, "tasks.task.list") == 1
    assert stats(emulator)["faults"] == {"503": 2}
    assert portal_time.waited > 0


async def test_park_on_429_until_the_reset_then_success(
    emulator: ServedEmulator, paced: B24Client, portal_time: PortalTime
) -> None:
    emulator.app.faults.inject("429", method="tasks.task.list", count=1)
    started = portal_time()
    tasks = await paced.tasks.list()
    assert tasks
    assert ran(emulator, "tasks.task.list") == 1
    # The emulator's time block said when the budget resets; the client waited for it.
    assert portal_time() - started >= 1.0
    assert isinstance(paced.policy, PacingPolicy)
    assert paced.policy.state().parked == {}


async def test_a_spent_operating_budget_parks_the_method_and_others_keep_going(
    emulator: ServedEmulator, paced: B24Client, portal_time: PortalTime
) -> None:
    emulator.app.set_limits(LimitSettings(50, 2.0, operating_budget_s=0.03))
    started = portal_time()
    for _ in range(30):
        await paced.tasks.list()  # never fails: a refusal is waited out
        if stats(emulator)["refused"]:
            break
    assert stats(emulator)["refused"] == {"OPERATION_TIME_LIMIT": 1}, "budget never reached"
    # The refusal parked tasks.task.list until the portal's reset (the oldest basket drops
    # out ten minutes after it opened); the retry after it was not refused again.
    assert portal_time() - started >= 600.0
    assert ran(emulator, "tasks.task.list") >= 2


async def test_a_parked_method_does_not_hold_others_back(
    emulator: ServedEmulator, paced: B24Client, portal_time: PortalTime
) -> None:
    policy = paced.policy
    assert isinstance(policy, PacingPolicy)
    portal_time.hold = asyncio.Event()
    emulator.app.faults.inject("429", method="tasks.task.list", count=1)
    listing = asyncio.create_task(paced.tasks.list())
    for _ in range(500):
        if policy.state().waiting.get("tasks.task.list"):
            break
        await asyncio.sleep(0.01)
    assert "tasks.task.list" in policy.state().parked
    assert (policy.state().message or "").startswith("waiting for tasks.task.list (portal limit), ")
    me = await paced.users.current()  # goes while the list waits
    assert me.id == emulator.webhook.user_id
    assert not listing.done()
    portal_time.hold.set()
    assert await listing
    assert ran(emulator, "tasks.task.list") == 1


async def test_the_request_bucket_is_never_overrun_under_cloud_limits(
    emulator: ServedEmulator, paced: B24Client, portal_time: PortalTime
) -> None:
    emulator.app.set_limits("cloud")
    for _ in range(80):
        await paced.users.current()
    assert stats(emulator)["refused"].get("QUERY_LIMIT_EXCEEDED", 0) == 0
    assert ran(emulator, "user.current") == 80
    # 35 requests beyond the 45 the policy sends at once (the burst of 50 less a tenth),
    # at 2 a second.
    assert portal_time.waited == pytest.approx(17.5, abs=0.6)


async def test_without_pacing_the_same_run_is_refused(emulator: ServedEmulator) -> None:
    emulator.app.set_limits("cloud")
    async with B24Client(Webhook.parse(emulator.webhook_url), policy=NoPolicy()) as client:
        for _ in range(50):  # the burst: the frozen portal clock drains nothing
            await client.users.current()
        with pytest.raises(RateLimited):
            await client.users.current()
    assert stats(emulator)["refused"] == {"QUERY_LIMIT_EXCEEDED": 1}


async def test_overload_is_reported_at_once(emulator: ServedEmulator, paced: B24Client) -> None:
    emulator.app.block_rest()
    with pytest.raises(Overloaded) as caught:
        await paced.users.current()
    assert stats(emulator)["requests"] == 1
    assert "support" in caught.value.hint.lower()


# --- faults ----------------------------------------------------------------------------


async def test_a_5xx_on_a_read_is_retried_and_succeeds(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    task_id = some_task_id(emulator)
    emulator.app.faults.inject("500", method="tasks.task.get", count=2)
    task = await paced.tasks.get(task_id)
    assert task.id == task_id
    assert stats(emulator)["requests"] == 3
    assert ran(emulator, "tasks.task.get") == 1


async def test_a_dropped_connection_on_a_read_is_retried(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    emulator.app.faults.inject("drop", method="tasks.task.list", count=1)
    assert await paced.tasks.list()
    assert ran(emulator, "tasks.task.list") == 2


@pytest.mark.parametrize("kind", ["drop", "timeout", "truncated"])
async def test_a_write_whose_answer_was_lost_is_applied_exactly_once(
    emulator: ServedEmulator, paced: B24Client, kind: Any
) -> None:
    task_id = some_task_id(emulator)
    emulator.app.faults.inject(kind, method="tasks.task.complete", count=1)
    with pytest.raises(OutcomeUnknown) as caught:
        await paced.tasks.complete(task_id)
    assert ran(emulator, "tasks.task.complete") == 1
    assert emulator.webhook.code not in str(caught.value)
    assert emulator.webhook.code not in caught.value.description
    # The person refreshes: the change was in fact made.
    task = await paced.tasks.get(task_id)
    assert int(task.status) in (4, 5)


async def test_a_repeated_write_that_may_have_landed_ends_unknown_not_failed(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    """A mute is safe to repeat; when its first answer was lost and the repeats then fail,
    the mute may well be on the portal: the caller hears "unknown", never "it failed"."""
    task_id = some_task_id(emulator)
    emulator.app.faults.inject("drop", method="tasks.task.mute", count=1)
    emulator.app.faults.inject("500", method="tasks.task.mute", count=10)
    with pytest.raises(OutcomeUnknown):
        await paced.tasks.mute(task_id)
    assert ran(emulator, "tasks.task.mute") == 1
    assert emulator.portal.is_muted(DEMO_USER_ID, task_id)


async def test_progress_says_when_a_call_may_have_reached_the_portal(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    """Refused before it ran (503), the call is still only waiting; once sent, it is sent."""
    phases: list[str] = []
    emulator.app.faults.inject("503", method="tasks.task.mute", count=1)
    token = call_progress.set(phases.append)
    try:
        await paced.tasks.mute(some_task_id(emulator))
    finally:
        call_progress.reset(token)
    assert phases == ["waiting", "sending", "waiting", "sending"]


async def test_an_html_page_is_a_clear_error_and_a_write_is_not_repeated(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    task_id = some_task_id(emulator)
    emulator.app.faults.inject("html", method="tasks.task.complete", count=1)
    with pytest.raises(BadResponse) as caught:
        await paced.tasks.complete(task_id)
    assert caught.value.title == "The portal answered with an HTML page (HTTP 502)"
    assert stats(emulator)["requests"] == 1
    assert ran(emulator, "tasks.task.complete") == 0


async def test_an_html_page_on_a_read_ends_in_the_clear_error(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    emulator.app.faults.inject("html", method="tasks.task.list", count=10)
    with pytest.raises(BadResponse, match="HTML page"):
        await paced.tasks.list()
    assert stats(emulator)["requests"] == 4  # the first try and three retries


async def test_operation_time_limit_is_reported_when_retries_run_out(
    emulator: ServedEmulator, paced: B24Client
) -> None:
    emulator.app.faults.inject("429", method="tasks.task.list", count=10)
    with pytest.raises(OperationTimeLimit):
        await paced.tasks.list()
    assert stats(emulator)["requests"] == 3
