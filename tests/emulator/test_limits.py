"""Rate limits over real HTTP: the request bucket, the operating budget, the overload switch.

Time moves only on the portal clock (the frozen test clock), never by sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, Portal
from b24tui.emulator.dispatch import LimitMode as DispatchLimitMode
from b24tui.emulator.limits import LIMITS, LimitMode, LimitSettings, RequestBucket
from tests.conftest import ServedEmulator, demo_webhook_of

TINY_BUDGET = LimitSettings(burst=50, drain_per_s=2.0, operating_budget_s=0.05)
"""Cloud's bucket with an operating budget three task-list pages exceed."""


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def frozen(portal: Portal) -> FrozenClock:
    clock = portal.clock
    assert isinstance(clock, FrozenClock)
    return clock


def burst(http: httpx.Client, url: str, count: int) -> list[int]:
    """Send ``count`` rapid ``user.current`` calls; their statuses."""
    return [http.post(url + "user.current", json={}).status_code for _ in range(count)]


def test_the_presets_follow_the_documented_plans() -> None:
    assert LIMITS["off"] is None
    assert LIMITS["cloud"] == LimitSettings(burst=50, drain_per_s=2.0, operating_budget_s=480.0)
    assert LIMITS["enterprise"] == LimitSettings(burst=250, drain_per_s=5.0)
    mode: DispatchLimitMode = "cloud"  # dispatch re-exports the same alias
    same: LimitMode = mode
    assert same == "cloud"


@pytest.mark.parametrize(("mode", "allowed"), [("cloud", 50), ("enterprise", 250)])
def test_the_bucket_refuses_the_request_past_the_burst(
    emulator: ServedEmulator, http: httpx.Client, mode: LimitMode, allowed: int
) -> None:
    emulator.app.set_limits(mode)
    statuses = burst(http, emulator.webhook_url, allowed)
    assert statuses == [200] * allowed
    refused = http.post(emulator.webhook_url + "user.current", json={})
    assert refused.status_code == 503
    assert refused.json() == {
        "error": "QUERY_LIMIT_EXCEEDED",
        "error_description": "Too many requests",
    }


def test_a_refused_request_does_not_run(emulator: ServedEmulator, http: httpx.Client) -> None:
    emulator.app.set_limits("cloud")
    burst(http, emulator.webhook_url, 50)
    task = emulator.portal.tasks[next(iter(emulator.portal.tasks))]
    title = task.title
    answer = http.post(
        emulator.webhook_url + "tasks.task.update",
        json={"taskId": task.id, "fields": {"TITLE": "Never written"}},
    )
    assert answer.status_code == 503
    assert task.title == title
    entry = emulator.app.journal.last()
    assert (entry.method, entry.ran, entry.refused, entry.status) == (
        "tasks.task.update",
        False,
        True,
        503,
    )
    assert entry.params == {"taskId": task.id, "fields": {"TITLE": "Never written"}}
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["refused"] == {"QUERY_LIMIT_EXCEEDED": 1}
    assert "tasks.task.update" not in stats["ran"]
    assert stats["ran"]["user.current"] == 50


def test_the_bucket_drains_with_the_portal_clock(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits("cloud")
    clock = frozen(emulator.portal)
    burst(http, emulator.webhook_url, 50)
    assert burst(http, emulator.webhook_url, 1) == [503]
    clock.advance(0.5)  # drains one request at 2 per second
    assert burst(http, emulator.webhook_url, 2) == [200, 503]
    clock.advance(25)  # the whole bucket
    assert burst(http, emulator.webhook_url, 51) == [200] * 50 + [503]


def test_moving_the_clock_over_http_drains_the_bucket(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits("cloud")
    burst(http, emulator.webhook_url, 50)
    assert burst(http, emulator.webhook_url, 1) == [503]
    moved = http.post(emulator.base_url + "/_emulator/clock", json={"advance": 10})
    assert moved.status_code == 200
    assert burst(http, emulator.webhook_url, 20) == [200] * 20


def test_a_batch_counts_once_against_the_bucket(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits("cloud")
    burst(http, emulator.webhook_url, 49)
    commands = {f"c{n}": "user.current" for n in range(50)}
    batch = http.post(emulator.webhook_url + "batch", json={"cmd": commands})
    assert batch.status_code == 200
    assert batch.json()["result"]["result_error"] == []
    assert burst(http, emulator.webhook_url, 1) == [503]
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["requests"] == 51
    assert stats["ran"]["user.current"] == 99


def test_limits_off_never_refuse(emulator: ServedEmulator, http: httpx.Client) -> None:
    assert emulator.app.limit_settings is None
    assert burst(http, emulator.webhook_url, 60) == [200] * 60


async def test_each_caller_ip_has_its_own_bucket(portal: Portal) -> None:
    app = EmulatorApp(portal, limits="cloud")
    hook = demo_webhook_of(portal)
    path = f"/rest/{hook.user_id}/{hook.code}/user.current"

    def client(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://portal.test")

    async with client("127.0.0.2") as first, client("127.0.0.3") as second:
        for _ in range(50):
            assert (await first.post(path, json={})).status_code == 200
        assert (await first.post(path, json={})).status_code == 503
        assert (await second.post(path, json={})).status_code == 200


def test_request_bucket_levels() -> None:
    bucket = RequestBucket(LimitSettings(burst=3, drain_per_s=1.0))
    assert [bucket.admit("a", 100.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.level("a", 100.0) == 3
    assert bucket.retry_after("a", 100.0) == pytest.approx(1.0)
    assert bucket.level("a", 101.5) == pytest.approx(1.5)
    assert bucket.level("a", 90.0) == pytest.approx(1.5)  # a clock going back drains nothing
    assert bucket.level("b", 101.5) == 0


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="burst"):
        LimitSettings(burst=0, drain_per_s=1.0)
    with pytest.raises(ValueError, match="drain"):
        LimitSettings(burst=1, drain_per_s=0)
    with pytest.raises(ValueError, match="operating_budget_s"):
        LimitSettings(burst=1, drain_per_s=1, operating_budget_s=0)


# Operating time ----------------------------------------------------------------------


def list_tasks(http: httpx.Client, emulator: ServedEmulator) -> httpx.Response:
    return http.post(emulator.webhook_url + "tasks.task.list", json={"start": 0})


def spend_task_list_budget(http: httpx.Client, emulator: ServedEmulator) -> dict[str, Any]:
    """Call ``tasks.task.list`` until it is refused; the last successful ``time`` block."""
    last: dict[str, Any] = {}
    for _ in range(20):
        answer = list_tasks(http, emulator)
        if answer.status_code != 200:
            assert answer.status_code == 429
            return last
        last = answer.json()["time"]
    raise AssertionError("the operating budget was never reached")


def test_a_spent_method_is_refused_while_others_work(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits(TINY_BUDGET)
    last = spend_task_list_budget(http, emulator)
    assert last["operating"] > TINY_BUDGET.operating_budget_s
    refused = list_tasks(http, emulator)
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"] == "OPERATION_TIME_LIMIT"
    assert body["time"]["operating"] == last["operating"]  # the refusal costs nothing
    assert body["time"]["operating_reset_at"] == last["operating_reset_at"]
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 200
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["refused"] == {"OPERATION_TIME_LIMIT": 2}


def test_a_spent_method_works_again_at_operating_reset_at(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits(TINY_BUDGET)
    last = spend_task_list_budget(http, emulator)
    clock = frozen(emulator.portal)
    reset_at = last["operating_reset_at"]
    clock.advance(reset_at - 1 - clock.now().timestamp())
    assert list_tasks(http, emulator).status_code == 429
    clock.advance(1)
    again = list_tasks(http, emulator)
    assert again.status_code == 200
    assert again.json()["time"]["operating"] < TINY_BUDGET.operating_budget_s


def test_the_budget_is_per_credential(emulator: ServedEmulator, http: httpx.Client) -> None:
    emulator.app.set_limits(TINY_BUDGET)
    spend_task_list_budget(http, emulator)
    other = emulator.portal.credentials.add_webhook(emulator.webhook.user_id)
    url = f"{emulator.base_url}/rest/{other.user_id}/{other.code}/tasks.task.list"
    assert http.post(url, json={"start": 0}).status_code == 200


def test_batch_sub_commands_count_and_fail_inside_the_batch(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.set_limits(TINY_BUDGET)
    commands = {f"page{n}": "tasks.task.list?start=0" for n in range(6)}
    commands["me"] = "user.current"
    answer = http.post(emulator.webhook_url + "batch", json={"cmd": commands})
    assert answer.status_code == 200
    result = answer.json()["result"]
    refused = {command: error["error"] for command, error in result["result_error"].items()}
    # Three counted pages of the demo portal spend the budget; the rest are refused.
    assert refused == {f"page{n}": "OPERATION_TIME_LIMIT" for n in (3, 4, 5)}
    assert set(result["result"]) == {"page0", "page1", "page2", "me"}
    # The direct call of the same method is now refused too; the batch itself never is.
    assert list_tasks(http, emulator).status_code == 429
    assert answer.json()["time"]["processing"] == 0


def test_switching_limits_keeps_the_operating_time_spent(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    spend = [list_tasks(http, emulator).json()["time"]["operating"] for _ in range(3)]
    emulator.app.set_limits(TINY_BUDGET)
    assert spend[-1] > TINY_BUDGET.operating_budget_s
    assert list_tasks(http, emulator).status_code == 429
    emulator.app.set_limits("off")
    assert list_tasks(http, emulator).status_code == 200


# Overload ----------------------------------------------------------------------------


def test_a_blocked_portal_refuses_every_rest_call(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.block_rest(True)
    for method in ("user.current", "batch", "tasks.task.list"):
        answer = http.post(emulator.webhook_url + method, json={})
        assert answer.status_code == 503
        assert answer.json()["error"] == "OVERLOAD_LIMIT"
    v3 = http.post(emulator.v3_url + "tasks.task.get", json={"id": 1})
    assert (v3.status_code, v3.json()["error"]["code"]) == (503, "OVERLOAD_LIMIT")
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["rest_blocked"] is True
    assert stats["refused"] == {"OVERLOAD_LIMIT": 4}
    assert stats["ran"] == {}
    emulator.app.block_rest(False)
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 200


def test_the_overload_switch_over_http(emulator: ServedEmulator, http: httpx.Client) -> None:
    switched = http.post(emulator.base_url + "/_emulator/overload", json={"blocked": True})
    assert switched.json() == {"rest_blocked": True}
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 503
    http.post(emulator.base_url + "/_emulator/overload", json={"blocked": False})
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 200
    bad = http.post(emulator.base_url + "/_emulator/overload", json={"blocked": "yes"})
    assert bad.status_code == 400


def test_stats_show_the_limits_in_force(emulator: ServedEmulator, http: httpx.Client) -> None:
    assert http.get(emulator.base_url + "/_emulator/stats").json()["limits"] is None
    emulator.app.set_limits("enterprise")
    stats = http.get(emulator.base_url + "/_emulator/stats").json()
    assert stats["limits"] == {"burst": 250, "drain_per_s": 5.0, "operating_budget_s": 480.0}
