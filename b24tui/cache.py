"""The snapshot cache: what the store knew when the app last ran, so the next start paints
at once (marked stale) and refreshes behind it.

One JSON file per profile under the platform's cache directory, written atomically, 0600,
at most every few seconds while the app runs and once more as it quits. It holds the
portal's data as the models' own API forms read back equal (``Task.to_v1``,
``User.to_api`` …) and the keys of the notices already said, never a secret: the file names
the portal by its host and the person by their id, never the webhook or a token.

A file that cannot be read, is not valid, is of another version, or belongs to another
portal or person is ignored with a log line, and the next write replaces it: a cache is a
courtesy, never a reason for the app to stop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from b24tui.models import ChecklistItem, ModelError, Task, User, Workday
from b24tui.models._coerce import to_datetime
from b24tui.state import write_atomically
from b24tui.store import StoreSnapshot

__all__ = ["CACHE_VERSION", "Cached", "SnapshotCache"]

log = logging.getLogger(__name__)

CACHE_VERSION = 1
"""The file's format; a file of another version is ignored."""


@dataclass(frozen=True)
class Cached:
    """What a cache file held: the store's snapshot and the notices said."""

    snapshot: StoreSnapshot
    said: tuple[str, ...] = ()
    written_at: datetime | None = None


class SnapshotCache:
    """The cache file of one profile on one portal.

    Args:
        path: the file.
        portal: the portal's host; a file written for another is not read.
        user_id: the person the credential belongs to, when known before the first read
            (a file of another person is not read).
    """

    def __init__(self, path: Path, *, portal: str, user_id: int | None = None) -> None:
        self.path = path
        self.portal = portal
        self.user_id = user_id

    def size(self) -> int:
        """The file's size in bytes (0 when there is none)."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def load(self) -> Cached | None:
        """The snapshot kept, or ``None`` (no file, or one that is ignored: logged)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("cache %s not read: %s", self.path, error.strerror)
            return None
        try:
            return self._parse(json.loads(raw))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # ModelError is a ValueError: a record the models refuse spoils the file.
            log.warning("cache %s ignored: %s", self.path, _reason(error))
            return None

    def _parse(self, data: Any) -> Cached | None:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("version") != CACHE_VERSION:
            log.info("cache %s ignored: version %r", self.path, data.get("version"))
            return None
        if data.get("portal") != self.portal:
            log.info("cache %s ignored: written for another portal", self.path)
            return None
        me = User.from_api(data["me"]) if data.get("me") is not None else None
        if me is None or (self.user_id is not None and me.id != self.user_id):
            log.info("cache %s ignored: written for another person", self.path)
            return None
        tasks = {task.id: task for task in map(Task.from_v1, data["tasks"])}
        users = {user.id: user for user in map(User.from_api, data["users"])}
        users[me.id] = me
        checklists = {
            int(task_id): tuple(ChecklistItem.from_api(item) for item in items)
            for task_id, items in _mapping(data["checklists"]).items()
        }
        workday = Workday.from_api(data["workday"]) if data.get("workday") else None
        snapshot = StoreSnapshot(
            me=me,
            tasks=tasks,
            full=frozenset(int(task_id) for task_id in data["full"]) & tasks.keys(),
            users=users,
            workday=workday,
            checklists=checklists,
            tasks_read_at=_moment(data.get("tasks_read_at")),
            task_read_at={
                int(task_id): moment
                for task_id, text in _mapping(data["task_read_at"]).items()
                if (moment := _moment(text)) is not None
            },
        )
        said = tuple(str(key) for key in data.get("said", ()))
        return Cached(snapshot, said, _moment(data.get("written_at")))

    def save(self, snapshot: StoreSnapshot, said: Sequence[str], now: datetime) -> bool:
        """Keep ``snapshot`` (once the person is known); returns whether it was written
        (a failure is logged, never raised)."""
        if snapshot.me is None or snapshot.tasks_read_at is None:
            return False
        try:
            write_atomically(self.path, self._pieces(snapshot, said, now), private=True)
        except OSError as error:
            log.warning("cache %s not written: %s", self.path, error.strerror)
            return False
        return True

    def _pieces(self, snapshot: StoreSnapshot, said: Sequence[str], now: datetime) -> Iterator[str]:
        """The file's JSON in pieces: everything but the tasks, then one task at a time.

        Encoded whole, the tasks of a large portal took some 90 MB at once (10,000 of them
        as dicts, then as one string), which the process kept for the rest of the day.
        """
        head = json.dumps(self._content(snapshot, said, now), ensure_ascii=False)
        yield head[:-1] + ', "tasks": ['
        for index, task in enumerate(snapshot.tasks.values()):
            yield ("," if index else "") + "\n" + json.dumps(task.to_v1(), ensure_ascii=False)
        yield "\n]}"

    def _content(
        self, snapshot: StoreSnapshot, said: Sequence[str], now: datetime
    ) -> dict[str, Any]:
        """Everything the file holds but the tasks (see :meth:`_pieces`)."""
        assert snapshot.me is not None
        return {
            "version": CACHE_VERSION,
            "portal": self.portal,
            "written_at": now.isoformat(),
            "me": snapshot.me.to_api(),
            "full": sorted(snapshot.full),
            "users": [user.to_api() for user in snapshot.users.values()],
            "workday": snapshot.workday.to_api() if snapshot.workday is not None else None,
            "checklists": {
                str(task_id): [item.to_v1() for item in items]
                for task_id, items in snapshot.checklists.items()
            },
            "tasks_read_at": _text(snapshot.tasks_read_at),
            "task_read_at": {
                str(task_id): moment.isoformat()
                for task_id, moment in snapshot.task_read_at.items()
            },
            "said": list(said),
        }


def _mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError("a table is not a JSON object")
    return value


def _moment(value: object) -> datetime | None:
    return to_datetime(value) if value is not None else None


def _text(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _reason(error: Exception) -> str:
    if isinstance(error, ModelError | json.JSONDecodeError):
        return str(error)
    return f"{type(error).__name__}: {error}"
