"""The snapshot cache: read back equal, private, and anything doubtful ignored with a log line."""

from __future__ import annotations

import json
import logging
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from b24tui.cache import CACHE_VERSION, SnapshotCache
from b24tui.models import ChecklistItem, Task, TaskStatus, User, Workday, WorkdayStatus
from b24tui.store import StoreSnapshot

NOON = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
ME = User(1, "Alex", "Morgan", email="alex@example.com", departments=(3,), time_zone="UTC")


def snapshot() -> StoreSnapshot:
    item = ChecklistItem(id=5, task_id=7, parent_id=0, title="[b]Steps[/b]", sort_index=0)
    task = Task(
        id=7,
        title="Ship \x1b[31mit",
        status=TaskStatus.IN_PROGRESS,
        created_by=2,
        responsible_id=1,
        deadline=NOON + timedelta(hours=3),
        changed_date=NOON,
        checklist=(item,),
        contains_checklist=True,
    )
    day = Workday(
        WorkdayStatus.OPENED, time_start=NOON - timedelta(hours=2), time_leaks=timedelta(minutes=5)
    )
    return StoreSnapshot(
        me=ME,
        tasks={7: task},
        full=frozenset({7}),
        users={1: ME, 2: User(2, "Victoria", "Adams")},
        workday=day,
        checklists={7: (item,)},
        tasks_read_at=NOON,
        task_read_at={7: NOON},
    )


def test_a_snapshot_reads_back_equal_from_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "work.json"
    cache = SnapshotCache(path, portal="acme.bitrix24.com", user_id=1)
    assert cache.save(snapshot(), ["assigned:7:x"], NOON)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cached = cache.load()
    assert cached is not None
    assert cached.snapshot == snapshot()
    assert cached.said == ("assigned:7:x",)
    assert cached.written_at == NOON


def test_nothing_is_written_before_the_person_and_the_tasks_are_known(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path / "c.json", portal="acme.bitrix24.com")
    empty = StoreSnapshot(None, {}, frozenset(), {}, None, {}, None, {})
    assert not cache.save(empty, [], NOON)
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "ignored"),
        (b"[]", "not a JSON object"),
        (json.dumps({"version": CACHE_VERSION + 1}).encode(), "version"),
        (b'{"version": 1, "portal": "acme.bitrix24.com", "me": {"ID": "x"}}', "ignored"),
    ],
)
def test_a_corrupt_or_old_file_is_ignored_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, reason: str
) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(content)
    with caplog.at_level(logging.INFO, logger="b24tui.cache"):
        assert SnapshotCache(path, portal="acme.bitrix24.com").load() is None
    assert reason in caplog.text


def test_a_file_of_another_portal_or_person_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.json"
    assert SnapshotCache(path, portal="acme.bitrix24.com").save(snapshot(), [], NOON)
    with caplog.at_level(logging.INFO, logger="b24tui.cache"):
        assert SnapshotCache(path, portal="other.bitrix24.com").load() is None
        assert SnapshotCache(path, portal="acme.bitrix24.com", user_id=9).load() is None
    assert "another portal" in caplog.text
    assert "another person" in caplog.text
    assert SnapshotCache(path, portal="acme.bitrix24.com", user_id=1).load() is not None


def test_the_file_names_the_portal_by_host_and_holds_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    SnapshotCache(path, portal="acme.bitrix24.com").save(snapshot(), [], NOON)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["portal"] == "acme.bitrix24.com"
    assert "/rest/" not in path.read_text(encoding="utf-8")
