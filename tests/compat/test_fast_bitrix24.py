"""fast_bitrix24, unmodified, speaks to the emulator over plain HTTP on loopback.

The library is synchronous on the outside and runs its own event loop (``asyncio.run``
when the calling thread has none), so each operation runs in a worker thread against
the served emulator. It pages ``get_all`` by reading ``total`` and asking for the rest
through ``batch`` with ``start``; it throttles on ``time.operating``. Any warning it
raises (a ``total`` that does not match the rows, say) fails the test.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from fast_bitrix24 import Bitrix

from b24tui.emulator import DEMO_USER_ID
from tests.conftest import ServedEmulator

T = TypeVar("T")


def in_thread(work: Callable[[], T]) -> T:
    """Run ``work`` in a fresh thread (its own event loop), warnings as errors."""

    def strict() -> T:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return work()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(strict).result(timeout=30)


@pytest.fixture
def bitrix(emulator: ServedEmulator) -> Any:
    """A fast_bitrix24 client on the demo user's webhook, without progress bars."""
    return Bitrix(emulator.webhook_url, verbose=False)


def _visible_task_ids(emulator: ServedEmulator) -> set[str]:
    portal = emulator.portal
    return {str(task.id) for task in portal.tasks.values() if portal.can_read(DEMO_USER_ID, task)}


def test_get_all_lists_every_task(bitrix: Any, emulator: ServedEmulator) -> None:
    tasks = in_thread(lambda: bitrix.get_all("tasks.task.list", {"select": ["ID", "TITLE"]}))
    ids = [task["id"] for task in tasks]
    assert len(ids) == len(set(ids)) > 50  # more than one page
    assert set(ids) == _visible_task_ids(emulator)
    batches = emulator.app.journal.entries("batch")
    assert batches, "the pages after the first come through a batch"


def test_call_gets_one_task(bitrix: Any, emulator: ServedEmulator) -> None:
    task_id = min(int(task_id) for task_id in _visible_task_ids(emulator))
    task = in_thread(lambda: bitrix.call("tasks.task.get", {"taskId": task_id}))
    assert task["id"] == str(task_id)
    assert task["title"] == emulator.portal.tasks[task_id].title


def test_get_by_id_gets_several_tasks(bitrix: Any, emulator: ServedEmulator) -> None:
    wanted = sorted(int(task_id) for task_id in _visible_task_ids(emulator))[:3]
    found = in_thread(lambda: bitrix.get_by_ID("tasks.task.get", wanted, ID_field_name="taskId"))
    assert {str(task_id) for task_id in wanted} == set(found)
    assert all(found[str(task_id)]["task"]["id"] == str(task_id) for task_id in wanted)


def test_call_batch_runs_commands(bitrix: Any, emulator: ServedEmulator) -> None:
    task_id = min(int(task_id) for task_id in _visible_task_ids(emulator))
    result = in_thread(
        lambda: bitrix.call_batch(
            {
                "halt": 0,
                "cmd": {"day": "timeman.status", "task": f"tasks.task.get?taskId={task_id}"},
            }
        )
    )
    assert result["day"]["STATUS"] == "OPENED"
    assert result["task"]["task"]["id"] == str(task_id)


def test_timeman_status(bitrix: Any, emulator: ServedEmulator) -> None:
    answer = in_thread(lambda: bitrix.call("timeman.status", {"USER_ID": DEMO_USER_ID}))
    # call() sends one command through a batch; a flat object comes back under its label.
    (status,) = answer.values()
    assert status["STATUS"] == "OPENED"
    assert status["TIME_START"].startswith("2026-03-16T")
