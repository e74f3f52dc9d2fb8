"""b24pysdk, unmodified, speaks to the emulator over HTTPS through its webhook client.

The library always builds ``https://<domain>/rest/...`` URLs and sends through
``requests``, so the emulator is served with TLS and ``REQUESTS_CA_BUNDLE`` names the
test CA. The four operations an integration starts with: every task (paged through
batches), one task, a batch, and the workday status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from b24pysdk import BitrixWebhook, Client

from b24tui.emulator import DEMO_USER_ID
from tests.conftest import ServedEmulator


@pytest.fixture
def sdk(tls_emulator: ServedEmulator, ca_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A b24pysdk client on the demo user's webhook, trusting the test CA."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    hook = tls_emulator.webhook
    token = BitrixWebhook(
        domain=tls_emulator.base_url.removeprefix("https://"),
        webhook_token=f"{hook.user_id}/{hook.code}",
    )
    return Client(token)


def _visible_task_ids(emulator: ServedEmulator) -> set[str]:
    portal = emulator.portal
    return {str(task.id) for task in portal.tasks.values() if portal.can_read(DEMO_USER_ID, task)}


def test_lists_every_task_through_paged_batches(sdk: Any, tls_emulator: ServedEmulator) -> None:
    tasks = sdk.tasks.task.list(select=["ID", "TITLE"]).as_list().result
    ids = [task["id"] for task in tasks]
    assert len(ids) == len(set(ids)) > 50  # more than one page
    assert set(ids) == _visible_task_ids(tls_emulator)
    methods = [entry.method for entry in tls_emulator.app.journal.entries()]
    assert "batch" in methods  # the pages after the first come through a batch


def test_lists_every_task_by_id_windows(sdk: Any, tls_emulator: ServedEmulator) -> None:
    tasks = list(sdk.tasks.task.list(select=["ID", "TITLE"]).as_list_fast().result)
    assert {task["id"] for task in tasks} == _visible_task_ids(tls_emulator)


def test_gets_one_task(sdk: Any, tls_emulator: ServedEmulator) -> None:
    task_id = min(int(task_id) for task_id in _visible_task_ids(tls_emulator))
    request = sdk.tasks.task.get(task_id)
    task = request.result["task"]
    assert task["id"] == str(task_id)
    assert task["title"] == tls_emulator.portal.tasks[task_id].title
    assert request.time.duration >= 0


def test_runs_a_batch(sdk: Any, tls_emulator: ServedEmulator) -> None:
    task_id = min(int(task_id) for task_id in _visible_task_ids(tls_emulator))
    batch = sdk.call_batch({"task": sdk.tasks.task.get(task_id), "day": sdk.timeman.status()})
    result = batch.result
    assert result.result["task"]["task"]["id"] == str(task_id)
    assert result.result["day"]["STATUS"] == "OPENED"
    assert not result.result_error
    assert set(result.result_time) == {"task", "day"}


def test_reads_the_workday_status(sdk: Any) -> None:
    status = sdk.timeman.status().result
    assert status["STATUS"] == "OPENED"
    assert status["TIME_START"].startswith("2026-03-16T")
