"""Injected faults as a raw HTTP client sees them, over real loopback HTTP and in-process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from b24tui.emulator import EmulatorApp, Portal
from b24tui.emulator.faults import ALL_KINDS, DroppedConnection, FaultKind, Faults
from tests.conftest import ServedEmulator, demo_webhook_of


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def first_pending_task(emulator: ServedEmulator) -> int:
    """A task the demo user may start: pending, with the user responsible."""
    task = next(
        task
        for task in emulator.portal.tasks.values()
        if task.status == 2 and task.responsible_id == emulator.webhook.user_id
    )
    return task.id


def stats(http: httpx.Client, emulator: ServedEmulator) -> dict[str, object]:
    answer: dict[str, object] = http.get(emulator.base_url + "/_emulator/stats").json()
    return answer


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("503", 503, "QUERY_LIMIT_EXCEEDED"),
        ("429", 429, "OPERATION_TIME_LIMIT"),
        ("500", 500, "INTERNAL_SERVER_ERROR"),
    ],
)
def test_json_faults_refuse_before_the_call_runs(
    emulator: ServedEmulator, http: httpx.Client, kind: FaultKind, status: int, code: str
) -> None:
    emulator.app.faults.inject(kind)
    answer = http.post(emulator.webhook_url + "user.current", json={})
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"] == code
    entry = emulator.app.journal.last()
    assert (entry.method, entry.fault, entry.ran, entry.error) == (
        "user.current",
        kind,
        False,
        code,
    )
    counters = stats(http, emulator)
    assert counters["faults"] == {kind: 1}
    assert counters["ran"] == {}
    assert counters["refused"] == {}  # injected faults are not the portal's limits
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 200


def test_the_429_fault_has_a_plausible_time_block(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.faults.inject("429")
    time = http.post(emulator.webhook_url + "tasks.task.list", json={}).json()["time"]
    now = emulator.portal.now().timestamp()
    assert time["start"] == now
    assert time["operating"] > 480
    assert now < time["operating_reset_at"] <= now + 600


def test_html_fault_is_a_bad_gateway_page(emulator: ServedEmulator, http: httpx.Client) -> None:
    emulator.app.faults.inject("html")
    answer = http.post(emulator.webhook_url + "user.current", json={})
    assert answer.status_code == 502
    assert answer.headers["content-type"] == "text/html"
    assert "<h1>502 Bad Gateway</h1>" in answer.text
    with pytest.raises(json.JSONDecodeError):
        answer.json()
    assert stats(http, emulator)["faults"] == {"html": 1}


def test_truncated_fault_cuts_a_real_answer(emulator: ServedEmulator, http: httpx.Client) -> None:
    whole = http.post(emulator.webhook_url + "user.current", json={})
    emulator.app.faults.inject("truncated")
    cut = http.post(emulator.webhook_url + "user.current", json={})
    assert cut.status_code == 200
    assert len(cut.content) == len(whole.content) // 2
    assert whole.content.startswith(cut.content)
    with pytest.raises(json.JSONDecodeError):
        cut.json()
    assert stats(http, emulator)["ran"] == {"user.current": 2}


def test_timeout_fault_runs_the_call_and_holds_the_answer(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    task_id = first_pending_task(emulator)
    emulator.app.faults.inject("timeout", method="tasks.task.start")
    with httpx.Client(timeout=0.3) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post(emulator.webhook_url + "tasks.task.start", json={"taskId": task_id})
    assert emulator.portal.tasks[task_id].status == 3
    entry = emulator.app.journal.last()
    assert (entry.method, entry.fault, entry.ran, entry.ok) == (
        "tasks.task.start",
        "timeout",
        True,
        True,
    )
    assert stats(http, emulator)["ran"] == {"tasks.task.start": 1}


async def test_a_held_answer_is_sent_when_released(portal: Portal) -> None:
    app = EmulatorApp(portal, faults=Faults())
    app.faults.inject("timeout")
    hook = demo_webhook_of(portal)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        request = asyncio.ensure_future(
            client.post(f"/rest/{hook.user_id}/{hook.code}/user.current", json={})
        )
        for _ in range(1000):
            if app.held:
                break
            await asyncio.sleep(0)
        assert app.held == 1
        assert not request.done()
        assert app.release_held() == 1
        answer = await asyncio.wait_for(request, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["result"]["ID"] == str(hook.user_id)
    assert app.held == 0


def test_drop_applies_a_write_exactly_once(emulator: ServedEmulator, http: httpx.Client) -> None:
    task_id = first_pending_task(emulator)
    emulator.app.faults.inject("drop", method="tasks.task.start")
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(emulator.webhook_url + "tasks.task.start", json={"taskId": task_id})
    assert emulator.portal.tasks[task_id].status == 3
    counters = stats(http, emulator)
    assert counters["ran"] == {"tasks.task.start": 1}
    assert counters["faults"] == {"drop": 1}
    entry = emulator.app.journal.last("tasks.task.start")
    assert (entry.fault, entry.ran, entry.ok) == ("drop", True, True)


async def test_drop_in_process_is_a_transport_error(portal: Portal) -> None:
    app = EmulatorApp(portal)
    app.faults.inject("drop")
    hook = demo_webhook_of(portal)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        with pytest.raises(httpx.TransportError) as caught:
            await client.post(f"/rest/{hook.user_id}/{hook.code}/user.current", json={})
    assert isinstance(caught.value, DroppedConnection)
    assert app.journal.ran == {"user.current": 1}


def test_forced_faults_follow_method_and_count(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    emulator.app.faults.inject("500", method="tasks.task.list", count=2)
    url = emulator.webhook_url
    statuses = [
        http.post(url + "user.current", json={}).status_code,
        http.post(url + "tasks.task.list", json={}).status_code,
        http.post(url + "TASKS.TASK.LIST", json={}).status_code,
        http.post(url + "tasks.task.list", json={}).status_code,
    ]
    assert statuses == [200, 500, 500, 200]
    assert emulator.app.faults.pending == 0


def test_faults_spare_the_helpers(emulator: ServedEmulator, http: httpx.Client) -> None:
    emulator.app.faults.inject("500")
    assert http.get(emulator.base_url + "/_emulator/stats").status_code == 200
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 500


def test_faults_are_forced_over_http(emulator: ServedEmulator, http: httpx.Client) -> None:
    forced = http.post(
        emulator.base_url + "/_emulator/faults",
        json={"kind": "503", "method": "user.current", "count": 2},
    )
    assert forced.json() == {"pending": 2}
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 503
    cleared = http.post(emulator.base_url + "/_emulator/faults", json={"clear": True})
    assert cleared.json() == {"pending": 0}
    assert http.post(emulator.webhook_url + "user.current", json={}).status_code == 200
    for bad in ({"kind": "fire"}, {"kind": "503", "count": 0}, {"kind": "drop", "method": 3}):
        assert http.post(emulator.base_url + "/_emulator/faults", json=bad).status_code == 400


# Random faults -----------------------------------------------------------------------

QUICK_KINDS: tuple[FaultKind, ...] = ("503", "429", "500", "html", "truncated")
"""The kinds that answer at once, so a run needs neither releases nor reconnects."""


async def run_requests(portal: Portal, faults: Faults, count: int) -> list[str | None]:
    """Send ``count`` requests in-process; the fault each one got, in order."""
    app = EmulatorApp(portal, faults=faults)
    hook = demo_webhook_of(portal)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        for _ in range(count):
            await client.post(f"/rest/{hook.user_id}/{hook.code}/user.current", json={})
    return [entry.fault for entry in app.journal]


async def test_seeded_random_faults_are_reproducible(portal: Portal) -> None:
    first = await run_requests(portal, Faults(0.3, seed=7, kinds=QUICK_KINDS), 120)
    again = await run_requests(portal, Faults(0.3, seed=7, kinds=QUICK_KINDS), 120)
    other = await run_requests(portal, Faults(0.3, seed=8, kinds=QUICK_KINDS), 120)
    assert first == again
    assert other != first
    failed = [kind for kind in first if kind is not None]
    assert 15 <= len(failed) <= 60  # about 30% of 120
    assert set(failed) <= set(QUICK_KINDS)
    assert len(set(failed)) > 1


async def test_no_rate_no_faults(portal: Portal) -> None:
    assert await run_requests(portal, Faults(), 30) == [None] * 30


def test_fault_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(1.5)
    with pytest.raises(ValueError, match="unknown fault kinds"):
        Faults(0.1, kinds=["boom"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one kind"):
        Faults(0.1, kinds=())
    with pytest.raises(ValueError, match="count"):
        Faults().inject("drop", count=0)
    assert ALL_KINDS == ("503", "429", "500", "html", "truncated", "timeout", "drop")


def test_app_faults_default_to_none(portal: Portal) -> None:
    app = EmulatorApp(portal)
    assert app.faults.rate == 0
    assert app.faults.pending == 0


def test_random_faults_never_refuse_the_outer_batch_for_operating_time() -> None:
    faults = Faults(1.0, seed=3, kinds=("429",))
    assert {faults.pick("batch") for _ in range(50)} == {None}
    assert {faults.pick("tasks.task.list") for _ in range(50)} == {"429"}
