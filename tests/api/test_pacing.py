"""PacingPolicy on a fake clock: the request bucket, operating time, parking, and the
retry decision for each error code."""

from __future__ import annotations

import asyncio
import math
import random
from pathlib import Path
from typing import Any

import pytest

from b24tui.api import (
    AccessDenied,
    AuthError,
    B24Error,
    BadResponse,
    Batch,
    BatchResult,
    CallTime,
    ConnectionDropped,
    NotFound,
    OperationTimeLimit,
    OutcomeUnknown,
    Overloaded,
    RateLimited,
    RequestTimeout,
    ServerError,
    ValidationError,
)
from b24tui.api.pacing import Backoff, PacingPolicy, PacingState, PlanLimits
from b24tui.api.policy import (
    is_idempotent_method,
    is_repeatable_call,
)
from b24tui.config import ConfigError, load_settings

START = 1_773_646_200.0
"""2026-03-16 07:30 UTC: the portal's and the policy's clock agree in these tests."""
MARGIN = PacingPolicy.PARK_MARGIN
"""A parked method goes again this long after the portal's reset."""


class FakeTime:
    """A clock that only moves when someone sleeps on it.

    A sleeper first lets the other tasks run (they see the clock where it was, as they
    would while it sleeps), then moves the clock to its wake-up time.
    """

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        wake = self.now + seconds
        for _ in range(3):
            await asyncio.sleep(0)
        self.now = max(self.now, wake)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def policy_on(fake: FakeTime, **kwargs: Any) -> PacingPolicy:
    return PacingPolicy(clock=fake, wall=fake, sleep=fake.sleep, seed=7, **kwargs)


# --- the request bucket ----------------------------------------------------------------


async def test_a_burst_of_45_goes_at_once_and_the_next_waits_for_the_drain(
    fake: FakeTime,
) -> None:
    policy = policy_on(fake)
    for _ in range(45):  # the cloud's burst of 50, less a tenth kept in reserve
        await policy.before_call("tasks.task.get")
    assert fake.slept == []
    await policy.before_call("tasks.task.get")
    assert fake.slept == [0.5]


async def test_enterprise_holds_250_and_drains_5_a_second(fake: FakeTime) -> None:
    policy = policy_on(fake, plan="enterprise")
    for _ in range(225):
        await policy.before_call("user.current")
    assert fake.slept == []
    await policy.before_call("user.current")
    assert fake.slept == [0.2]


async def test_the_bucket_drains_with_time(fake: FakeTime) -> None:
    policy = policy_on(fake)
    for _ in range(45):
        await policy.before_call("tasks.task.get")
    fake.now += 10.0  # 20 requests drained
    for _ in range(20):
        await policy.before_call("tasks.task.get")
    assert fake.slept == []
    assert policy.state().bucket_level == pytest.approx(45.0)


async def test_concurrent_callers_queue_behind_each_other(fake: FakeTime) -> None:
    policy = policy_on(fake, limits=PlanLimits(burst=3, drain_per_s=2.0))  # no reserve
    await asyncio.gather(*(policy.before_call("tasks.task.get") for _ in range(6)))
    # Each caller reserved its own place: waits grow by 1/drain, nobody wakes at once.
    assert sorted(fake.slept) == [0.5, 1.0, 1.5]


async def test_query_limit_exceeded_fills_the_mirror_so_the_next_call_waits(
    fake: FakeTime,
) -> None:
    policy = policy_on(fake)
    await policy.before_call("tasks.task.list")
    delay = policy.retry_delay(RateLimited(), method="tasks.task.list", attempt=1)
    assert delay is not None
    assert policy.state().bucket_level == pytest.approx(45.0)
    await policy.before_call("tasks.task.list")
    assert fake.slept == [0.5]


# --- backoff ---------------------------------------------------------------------------


def test_rate_limit_backoff_is_capped_exponential_with_full_jitter(fake: FakeTime) -> None:
    policy = policy_on(fake, max_rate_retries=10)
    delays = [policy.retry_delay(RateLimited(), method="x.list", attempt=n) for n in range(1, 11)]
    ceilings = [min(30.0, 0.5 * 2 ** (n - 1)) for n in range(1, 11)]
    assert all(d is not None and 0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert max(d for d in delays if d is not None) > 8.0  # the cap is 30 s, not 8 s
    assert policy.retry_delay(RateLimited(), method="x.list", attempt=11) is None


def test_the_jitter_is_seedable(fake: FakeTime) -> None:
    first = policy_on(fake)
    second = policy_on(fake)
    run = [first.retry_delay(RateLimited(), method="a.get", attempt=n) for n in (1, 2, 3)]
    again = [second.retry_delay(RateLimited(), method="a.get", attempt=n) for n in (1, 2, 3)]
    assert run == again
    assert len(set(run)) == 3


def test_backoff_ceiling() -> None:
    backoff = Backoff(base=0.5, cap=30.0)
    rng = random.Random(1)
    assert all(backoff.delay(20, rng) <= 30.0 for _ in range(100))
    assert all(backoff.delay(1, rng) <= 0.5 for _ in range(100))


# --- operating time --------------------------------------------------------------------


def used(operating: float, reset_in: float = 300.0) -> CallTime:
    return CallTime(
        start=START, finish=START, operating=operating, operating_reset_at=START + reset_in
    )


async def test_a_method_far_from_its_budget_is_not_slowed(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.after_call("tasks.task.list", used(100.0))
    await policy.before_call("tasks.task.list")
    assert fake.slept == []
    assert policy.state().near_budget == {}


async def test_a_method_above_80_percent_is_spaced_out(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.after_call("tasks.task.list", used(456.0))  # 95 %
    assert policy.state().near_budget == {"tasks.task.list": pytest.approx(0.95)}
    await policy.before_call("tasks.task.list")
    assert len(fake.slept) == 1
    assert 0 < fake.slept[0] <= PacingPolicy.SLOW_DELAY_MAX
    await policy.before_call("tasks.task.get")  # another method: not held back
    assert len(fake.slept) == 1


async def test_a_method_at_its_budget_waits_for_the_reset(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.after_call("tasks.task.list", used(480.0, reset_in=42.0))
    await policy.before_call("tasks.task.list")
    assert fake.slept == [42.0]


async def test_usage_figures_go_stale_at_their_reset(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.after_call("tasks.task.list", used(470.0, reset_in=30.0))
    fake.now += 31.0
    await policy.before_call("tasks.task.list")
    assert fake.slept == []


async def test_the_outer_batch_is_not_counted(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.after_call("batch", used(479.0))
    await policy.before_call("batch")
    assert fake.slept == []
    assert policy.state().near_budget == {}


async def test_batch_commands_count_against_their_own_methods(fake: FakeTime) -> None:
    policy = policy_on(fake)
    batch = Batch()
    batch.add("tasks.task.list", {"start": -1}, id="a")
    batch.add("user.current", id="b")
    result = BatchResult.from_result(
        batch,
        {
            "result": {"a": {"tasks": []}, "b": {"ID": "1"}},
            "result_time": {
                "a": {"finish": START, "operating": 470, "operating_reset_at": START + 60},
                "b": {"finish": START, "operating": 1, "operating_reset_at": START + 60},
            },
        },
    )
    policy.after_batch(result)
    assert set(policy.state().near_budget) == {"tasks.task.list"}
    await policy.before_batch(["user.current"])
    assert fake.slept == []
    await policy.before_batch(["user.current", "tasks.task.list"])
    assert len(fake.slept) == 1


async def test_a_command_refused_for_time_inside_a_batch_parks_its_method(
    fake: FakeTime,
) -> None:
    policy = policy_on(fake)
    batch = Batch()
    batch.add("tasks.task.list", id="a")
    result = BatchResult.from_result(
        batch,
        {
            "result_error": {
                "a": {
                    "error": "OPERATION_TIME_LIMIT",
                    "error_description": "Method is blocked due to operation time limit.",
                    "time": {"operating_reset_at": START + 90},
                }
            }
        },
    )
    policy.after_batch(result)
    assert policy.state().parked == {"tasks.task.list": pytest.approx(90.0 + MARGIN)}
    await policy.before_batch(["tasks.task.list"])
    assert fake.slept == [90.0 + MARGIN]


# --- parking ---------------------------------------------------------------------------


async def test_operation_time_limit_parks_only_that_method(fake: FakeTime) -> None:
    changes: list[PacingState] = []
    policy = policy_on(fake, on_change=changes.append)
    refused = OperationTimeLimit(method="tasks.task.list", operating_reset_at=START + 120)
    assert policy.retry_delay(refused, method="tasks.task.list", attempt=1) == 0.0
    state = policy.state()
    assert state.parked == {"tasks.task.list": pytest.approx(120.0 + MARGIN)}
    assert (
        state.message == f"waiting for tasks.task.list (portal limit), {math.ceil(120 + MARGIN)} s"
    )
    await policy.before_call("tasks.task.get")
    assert fake.slept == []  # other methods keep going
    await policy.before_call("tasks.task.list")
    assert fake.slept == [120.0 + MARGIN]
    assert policy.state().parked == {}
    assert policy.state().message is None
    assert any(change.waiting == {"tasks.task.list": 1} for change in changes)


async def test_concurrent_callers_of_a_parked_method_all_wait(fake: FakeTime) -> None:
    policy = policy_on(fake)
    refused = OperationTimeLimit(operating_reset_at=START + 60)
    policy.retry_delay(refused, method="tasks.task.list", attempt=1)
    waiting: list[int] = []
    policy.on_change = lambda state: waiting.append(state.waiting.get("tasks.task.list", 0))
    await asyncio.gather(*(policy.before_call("tasks.task.list") for _ in range(3)))
    assert max(waiting) == 3
    assert fake.now >= START + 60


def test_the_reset_is_placed_on_the_portal_clock(fake: FakeTime) -> None:
    policy = policy_on(fake)
    # The portal's clock runs an hour ahead of ours; an answer tells the policy so.
    policy.after_call("user.current", CallTime(finish=START + 3600.0, operating=0.1))
    refused = OperationTimeLimit(operating_reset_at=START + 3600.0 + 45.0)
    policy.retry_delay(refused, method="tasks.task.list", attempt=1)
    assert policy.state().parked["tasks.task.list"] == pytest.approx(45.0 + MARGIN)


def test_without_a_reset_time_the_method_is_parked_a_minute(fake: FakeTime) -> None:
    policy = policy_on(fake)
    policy.retry_delay(OperationTimeLimit(), method="tasks.task.list", attempt=1)
    assert policy.state().parked["tasks.task.list"] == pytest.approx(60.0)


def test_parking_gives_up_after_its_retries_or_a_too_long_wait(fake: FakeTime) -> None:
    policy = policy_on(fake, max_park_wait=100.0)
    near = OperationTimeLimit(operating_reset_at=START + 30)
    assert policy.retry_delay(near, method="a.list", attempt=3) is None
    far = OperationTimeLimit(operating_reset_at=START + 500)
    assert policy.retry_delay(far, method="b.list", attempt=1) is None
    assert "b.list" in policy.state().parked  # still parked: later calls wait


# --- the retry decision by error -------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        Overloaded(),
        NotFound(),
        AccessDenied(),
        AuthError(),
        ValidationError(),
        BadResponse("The portal answered with an HTML page (HTTP 200)", http_status=200),
        ServerError("The portal is closed or deleted", retryable=False),
        OutcomeUnknown(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_these_errors_are_never_retried(fake: FakeTime, error: B24Error) -> None:
    policy = policy_on(fake)
    assert policy.retry_delay(error, method="tasks.task.get", attempt=1) is None


def test_overload_hint_names_who_can_lift_it() -> None:
    assert "support" in Overloaded().hint.lower()


@pytest.mark.parametrize(
    "error",
    [
        ServerError(http_status=500),
        RequestTimeout(),
        ConnectionDropped(),
        BadResponse("The portal answered with an HTML page (HTTP 502)", retryable=True),
    ],
    ids=lambda e: type(e).__name__,
)
def test_faults_are_retried_a_few_times_for_reads_only(fake: FakeTime, error: B24Error) -> None:
    policy = policy_on(fake, max_fault_retries=3)
    delays = [policy.retry_delay(error, method="tasks.task.get", attempt=n) for n in (1, 2, 3, 4)]
    assert all(d is not None and 0 <= d <= 8.0 for d in delays[:3])
    assert delays[3] is None
    assert policy.retry_delay(error, method="tasks.task.update", attempt=1) is None
    assert policy.retry_delay(error, method="tasks.task.mute", attempt=1) is not None


def test_state_records_the_last_backoff(fake: FakeTime) -> None:
    policy = policy_on(fake)
    delay = policy.retry_delay(RateLimited(), method="a.get", attempt=2)
    state = policy.state()
    assert state.last_backoff == delay
    assert state.last_reason is not None
    assert "QUERY_LIMIT_EXCEEDED" in state.last_reason


# --- which calls may be repeated -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "repeatable"),
    [
        ("tasks.task.get", True),
        ("tasks.task.list", True),
        ("task.checklistitem.getlist", True),
        ("timeman.status", True),
        ("tasks.task.mute", True),
        ("tasks.task.unmute", True),
        ("tasks.task.favorite.add", True),
        ("tasks.task.favorite.remove", True),
        ("tasks.task.startwatch", True),
        ("tasks.task.stopwatch", True),
        ("tasks.task.start", False),
        ("tasks.task.complete", False),
        ("tasks.task.add", False),
        ("tasks.task.update", False),
        ("tasks.task.delete", False),
        ("task.checklistitem.add", False),
        ("task.checklistitem.update", False),
        ("task.checklistitem.delete", False),
        ("task.checklistitem.moveafteritem", False),
        ("task.checklistitem.complete", False),
        ("task.checklistitem.renew", False),
        ("timeman.open", False),
    ],
)
def test_which_methods_are_safe_to_repeat(method: str, repeatable: bool) -> None:
    assert is_idempotent_method(method) is repeatable


def test_a_batch_is_repeatable_only_when_every_command_is() -> None:
    reads = Batch()
    reads.add("tasks.task.list", {"start": -1})
    reads.add("user.current")
    mixed = Batch()
    mixed.add("tasks.task.get", {"taskId": 1})
    mixed.add("tasks.task.complete", {"taskId": 1})
    assert is_repeatable_call("batch", reads.params())
    assert not is_repeatable_call("batch", mixed.params())
    assert not is_repeatable_call("batch", {"cmd": {}})
    assert not is_repeatable_call("batch", None)


def test_unknown_plans_are_refused() -> None:
    with pytest.raises(ValueError, match="plan"):
        PacingPolicy("free")  # type: ignore[arg-type]


def test_the_plan_comes_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert load_settings(config).plan == "cloud"
    config.write_text('[limits]\nplan = "enterprise"\n', encoding="utf-8")
    plan = load_settings(config).plan
    assert PacingPolicy(plan).limits == PlanLimits(250, 5.0)
    config.write_text('[limits]\nplan = "free"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"limits\.plan"):
        load_settings(config)
