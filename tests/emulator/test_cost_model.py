"""The modelled execution time: what ``processing``, ``duration`` and ``operating`` report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.seed import Preset
from b24tui.emulator.timing import (
    BASE_COST,
    COUNT_COST,
    COUNT_ROW_COST,
    ROW_COST,
    cost_of,
)
from tests.conftest import FIXED_NOW, ServedEmulator, demo_webhook_of


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def list_time(http: httpx.Client, url: str, start: int) -> tuple[int, dict[str, Any]]:
    """``tasks.task.list`` with ``start``: how many rows came back, and the ``time`` block."""
    body = http.post(url + "tasks.task.list", json={"start": start}).json()
    return len(body["result"]["tasks"]), body["time"]


def test_counting_costs_extra_and_start_minus_one_does_not(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    table = len(emulator.portal.tasks)
    rows, counted = list_time(http, emulator.webhook_url, 0)
    same_rows, uncounted = list_time(http, emulator.webhook_url, -1)
    assert rows == same_rows == 50
    assert uncounted["processing"] == pytest.approx(BASE_COST + 50 * ROW_COST)
    assert counted["processing"] == pytest.approx(
        BASE_COST + 50 * ROW_COST + COUNT_COST + table * COUNT_ROW_COST
    )


async def counted_processing(preset: Preset) -> float:
    """``processing`` of one counted task-list page on a fresh portal of ``preset``."""
    portal = build_portal(preset, seed=0, clock=FrozenClock(FIXED_NOW))
    hook = demo_webhook_of(portal)
    transport = httpx.ASGITransport(app=EmulatorApp(portal))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        answer = await client.post(
            f"/rest/{hook.user_id}/{hook.code}/tasks.task.list", json={"start": 0}
        )
    processing: float = answer.json()["time"]["processing"]
    return processing


async def test_the_count_grows_with_the_table() -> None:
    small, large = await counted_processing("demo"), await counted_processing("large")
    assert large > small + 0.1  # 10,000 tasks: about 0.2 s of counting per page
    assert large < 1.0  # still far from the cloud's 60 s request timeout


def test_time_blocks_are_deterministic_under_a_frozen_clock(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    _, first = list_time(http, emulator.webhook_url, 0)
    _, second = list_time(http, emulator.webhook_url, 0)
    for key in ("start", "finish", "duration", "processing", "date_start", "date_finish"):
        assert first[key] == second[key], key
    assert first["duration"] == first["processing"]  # the clock did not move
    assert first["finish"] == pytest.approx(first["start"] + first["processing"])
    assert second["operating"] == pytest.approx(2 * first["operating"])


def test_the_outer_batch_costs_nothing_and_its_commands_their_own(
    emulator: ServedEmulator, http: httpx.Client
) -> None:
    commands = {"page": "tasks.task.list?start=-1", "me": "user.current"}
    body = http.post(emulator.webhook_url + "batch", json={"cmd": commands}).json()
    assert body["time"]["processing"] == 0
    assert body["time"]["operating"] == 0
    times = body["result"]["result_time"]
    assert times["page"]["processing"] == pytest.approx(BASE_COST + 50 * ROW_COST)
    assert times["me"]["processing"] == pytest.approx(cost_of(body["result"]["result"]["me"]))
    _, direct = list_time(http, emulator.webhook_url, -1)
    assert direct["operating"] == pytest.approx(2 * times["page"]["processing"])


def test_cost_of_plain_answers() -> None:
    assert cost_of(True) == BASE_COST
    assert cost_of({"tasks": [{}, {}]}) == pytest.approx(BASE_COST + 2 * ROW_COST)
    assert cost_of([], counted_rows=1000) == pytest.approx(
        BASE_COST + COUNT_COST + 1000 * COUNT_ROW_COST
    )
