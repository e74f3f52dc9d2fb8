"""Realistic latency: each REST request takes its modelled server time plus a round trip.

The sleep is injected and records what it is asked, and the portal clock is frozen (so the
time Python takes to compute an answer counts as nothing): no test waits on the wall clock.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import b24tui
from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, Latency, Portal, build_portal
from b24tui.emulator.cli import main
from b24tui.emulator.registry import Call
from b24tui.emulator.timing import BASE_COST, COUNT_COST, COUNT_ROW_COST, ROW_COST
from tests.conftest import FIXED_NOW, ServedEmulator, demo_webhook_of, probe_registry

RTT = 0.04
PAGE = BASE_COST + 50 * ROW_COST
"""The modelled cost of a 50-row page that is not counted."""
REPO_ROOT = Path(b24tui.__file__).resolve().parents[1]


class RecordingSleep:
    """A sleep that returns at once and remembers every wait it was asked for."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


class GateSleep:
    """A sleep that lets nobody through until ``expected`` sleepers are waiting at once.

    If the app served requests one at a time the first sleeper would wait alone: it gives
    up after ``patience`` seconds, and the log shows it left before the next one came.
    """

    def __init__(self, expected: int, patience: float = 5.0) -> None:
        self.expected = expected
        self.patience = patience
        self.log: list[str] = []
        self._entered = 0
        self._gate: asyncio.Event | None = None

    async def __call__(self, seconds: float) -> None:
        if self._gate is None:
            self._gate = asyncio.Event()  # in the server's event loop
        self._entered += 1
        self.log.append("entered")
        if self._entered == self.expected:
            self._gate.set()
        try:
            await asyncio.wait_for(self._gate.wait(), self.patience)
        except TimeoutError:
            self.log.append("gave up")
        self.log.append("finished")


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def realistic(sleep: Any) -> Latency:
    return Latency("realistic", rtt_s=RTT, sleep=sleep)


async def portal_client(app: EmulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to ``app`` in process, at its demo user's webhook."""
    hook = demo_webhook_of(app.portal)
    transport = httpx.ASGITransport(app=app)
    base_url = f"http://portal.test/rest/{hook.user_id}/{hook.code}/"
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client


@pytest.fixture(scope="module")
def large_portal_state() -> Portal:
    """The large preset (10,000 tasks): only read here, so built once."""
    return build_portal("large", seed=0, clock=FrozenClock(FIXED_NOW))


@pytest.fixture
async def large(
    large_portal_state: Portal, sleep: RecordingSleep
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the large portal in realistic mode, as its administrator sees it."""
    app = EmulatorApp(large_portal_state, latency=realistic(sleep))
    async for client in portal_client(app):
        yield client


async def test_a_counted_page_of_a_big_table_waits_longer_than_pages_without_the_count(
    large: httpx.AsyncClient, large_portal_state: Portal, sleep: RecordingSleep
) -> None:
    chain_page = {"order": {"ID": "asc"}, "filter": {">ID": 5000}, "start": -1}
    for params in ({"start": 0}, {"start": -1}, chain_page):
        answer = await large.post("tasks.task.list", json={"select": ["ID"], **params})
        assert len(answer.json()["result"]["tasks"]) == 50
    counted, uncounted, chained = sleep.asked
    table = len(large_portal_state.tasks)
    assert table >= 10_000
    assert counted == pytest.approx(RTT + PAGE + COUNT_COST + table * COUNT_ROW_COST)
    assert uncounted == pytest.approx(RTT + PAGE)
    assert chained == pytest.approx(RTT + PAGE)
    assert counted > 3 * uncounted  # 263 ms against 62 ms


async def test_the_round_trip_is_added_once_per_request_and_a_batch_is_one(
    portal: Portal, sleep: RecordingSleep
) -> None:
    app = EmulatorApp(portal, latency=realistic(sleep))
    async for client in portal_client(app):
        commands = {f"page{n}": f"tasks.task.list?start=-1&filter[>ID]={n}" for n in range(3)}
        answer = await client.post("batch", json={"cmd": {**commands, "me": "user.current"}})
        commands_time = answer.json()["result"]["result_time"]
        refused = await client.post("no.such.method")
        await client.get("http://portal.test/_emulator/stats")  # its own helpers never wait
    assert refused.status_code == 404
    server_time = sum(time["processing"] for time in commands_time.values())
    assert len(commands_time) == 4
    assert server_time > 4 * BASE_COST  # every command is charged, the batch is not
    assert sleep.asked == [pytest.approx(RTT + server_time), pytest.approx(RTT)]


async def test_the_time_spent_computing_counts_towards_the_server_time(
    clock: FrozenClock, sleep: RecordingSleep
) -> None:
    registry = probe_registry()

    @registry.method("test.slow", scope="basic")
    def slow(call: Call) -> Any:
        clock.advance(float(call.params["compute"]) if isinstance(call.params, dict) else 0)
        return True

    portal = build_portal("demo", seed=0, clock=clock)
    app = EmulatorApp(portal, registry=registry, latency=realistic(sleep))
    async for client in portal_client(app):
        await client.post("test.slow", json={"compute": BASE_COST / 4})
        await client.post("test.slow", json={"compute": 1.5})
        stats = (await client.get("http://portal.test/_emulator/stats")).json()
    assert sleep.asked == [
        pytest.approx(RTT + BASE_COST * 3 / 4),  # the rest of the modelled 2 ms
        pytest.approx(RTT),  # slower than the model already: only the round trip
    ]
    assert stats["server_time"] == {
        "modelled_s": pytest.approx(2 * BASE_COST),
        "computed_s": pytest.approx(1.5 + BASE_COST / 4),
    }


async def test_instant_answers_never_wait_unless_delayed(
    portal: Portal, sleep: RecordingSleep
) -> None:
    instant = EmulatorApp(portal, latency=Latency(sleep=sleep))
    async for client in portal_client(instant):
        await client.post("tasks.task.list", json={"start": 0})
    assert sleep.asked == []
    delayed = EmulatorApp(portal, delay_ms=250, latency=realistic(sleep))
    async for client in portal_client(delayed):
        await client.post("no.such.method")
    assert sleep.asked == [pytest.approx(0.25 + RTT)]


@pytest.fixture
def gate() -> GateSleep:
    return GateSleep(expected=2)


@pytest.fixture
def emulator_app(portal: Portal, gate: GateSleep) -> EmulatorApp:
    return EmulatorApp(portal, latency=realistic(gate))


async def test_concurrent_requests_are_held_back_side_by_side(
    emulator: ServedEmulator, gate: GateSleep
) -> None:
    url = emulator.webhook_url
    async with httpx.AsyncClient(timeout=30) as http:
        first, second = await asyncio.gather(
            http.post(url + "tasks.task.list", json={"start": 0}),
            http.post(
                url + "tasks.task.add",
                json={"fields": {"TITLE": "Side by side", "RESPONSIBLE_ID": 1}},
            ),
        )
    assert (first.status_code, second.status_code) == (200, 200)
    assert gate.log == ["entered", "entered", "finished", "finished"]
    titles = [task.title for task in emulator.portal.tasks.values()]
    assert titles.count("Side by side") == 1


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--rtt-ms", "10"], "--rtt-ms needs --latency realistic"),
        (["--latency", "realistic", "--rtt-ms", "-1"], "--rtt-ms cannot be negative"),
    ],
)
def test_unusable_latency_options_exit_2_with_one_line(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert complaint in err
    assert err.count("\n") == 1


def test_an_unknown_latency_mode_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--latency", "fast"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.fixture
def served_realistic() -> Iterator[str]:
    """``b24tui emulator --latency realistic --rtt-ms 25`` running; its webhook URL."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "b24tui", "emulator", "--limits", "off"),
            *("--latency", "realistic", "--rtt-ms", "25"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=30):
                pytest.fail("the emulator printed nothing")
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_latency_realistic_reaches_the_served_portal(served_realistic: str) -> None:
    base = served_realistic.split("/rest/")[0]
    stats = httpx.get(f"{base}/_emulator/stats", timeout=10).json()
    assert stats["latency"] == {"mode": "realistic", "rtt_ms": 25.0}
