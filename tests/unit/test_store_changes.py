"""What changed for me between two refreshes: the store's events, computed without Textual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from b24tui.api import AuthError, BadResponse, ConnectError, ScopeError, ServerError
from b24tui.models import Task, TaskStatus
from b24tui.store import Cause, TaskEventKind, _events_since, _takes_part, cause_of, changes_between

THEN = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
NOW = THEN + timedelta(minutes=1)
ME = 1
OTHER = 2


def _task(task_id: int, **fields: object) -> Task:
    values: dict[str, object] = {"title": f"Task {task_id}", "responsible_id": ME, **fields}
    return Task(id=task_id, **values)  # type: ignore[arg-type]


def _kinds(before: list[Task], after: list[Task]) -> list[tuple[TaskEventKind, int]]:
    events = changes_between({t.id: t for t in before}, {t.id: t for t in after}, ME, THEN, NOW)
    return [(event.kind, event.task_id) for event in events]


def test_nothing_changed_gives_no_events() -> None:
    tasks = [_task(1), _task(2, status=TaskStatus.IN_PROGRESS)]
    assert _kinds(tasks, tasks) == []


def test_a_new_task_of_mine_is_assigned_and_one_i_only_watch_appeared() -> None:
    mine = _task(5)
    helping = _task(6, responsible_id=OTHER, accomplices=(ME,))
    watched = _task(7, responsible_id=OTHER, auditors=(ME,))
    assert _kinds([], [mine, helping, watched]) == [
        (TaskEventKind.ASSIGNED, 5),
        (TaskEventKind.ASSIGNED, 6),
        (TaskEventKind.APPEARED, 7),
    ]


def test_a_task_handed_to_me_is_assigned() -> None:
    before = _task(3, responsible_id=OTHER, created_by=ME)
    after = _task(3, responsible_id=ME, created_by=ME)
    assert _kinds([before], [after]) == [(TaskEventKind.ASSIGNED, 3)]


def test_a_status_change_and_a_task_that_left() -> None:
    before = [_task(1, status=TaskStatus.SUPPOSEDLY_COMPLETED), _task(2)]
    after = [_task(1, status=TaskStatus.PENDING)]
    events = changes_between({t.id: t for t in before}, {t.id: t for t in after}, ME, THEN, NOW)
    assert [(e.kind, e.task_id) for e in events] == [
        (TaskEventKind.STATUS, 1),
        (TaskEventKind.LEFT, 2),
    ]
    status = events[0]
    assert status.before is not None
    assert status.after is not None
    assert (status.before.status, status.after.status) == (
        TaskStatus.SUPPOSEDLY_COMPLETED,
        TaskStatus.PENDING,
    )


def test_a_deadline_passes_once_between_the_two_reads() -> None:
    passing = _task(1, deadline=THEN + timedelta(seconds=30))
    passed_before = _task(2, deadline=THEN - timedelta(seconds=1))
    later = _task(3, deadline=NOW + timedelta(seconds=1))
    done = _task(4, deadline=THEN + timedelta(seconds=30), status=TaskStatus.COMPLETED)
    not_mine = _task(5, deadline=THEN + timedelta(seconds=30), responsible_id=OTHER, auditors=(ME,))
    tasks = [passing, passed_before, later, done, not_mine]
    assert _kinds(tasks, tasks) == [(TaskEventKind.DEADLINE_PASSED, 1)]


def test_a_deadline_passing_on_a_task_awaiting_control_is_no_event() -> None:
    awaiting = _task(
        1, deadline=THEN + timedelta(seconds=30), status=TaskStatus.SUPPOSEDLY_COMPLETED
    )
    assert _kinds([awaiting], [awaiting]) == [], "done on my side: not overdue"


def test_a_deadline_moved_into_the_past_is_not_a_deadline_passing() -> None:
    before = _task(1, deadline=NOW + timedelta(days=1))
    after = _task(1, deadline=THEN + timedelta(seconds=30))
    assert _kinds([before], [after]) == []


def test_causes_of_failure_in_the_terms_a_person_acts_on() -> None:
    assert cause_of(ConnectError("no route")) is Cause.OFFLINE
    assert cause_of(BadResponse("HTML page")) is Cause.PORTAL, "the server answered"
    assert cause_of(ServerError("boom", http_status=500)) is Cause.PORTAL
    assert cause_of(AuthError("refused", http_status=401)) is Cause.REFUSED
    assert cause_of(ScopeError("no task scope", http_status=403)) is Cause.SCOPE
    assert not Cause.REFUSED.retries
    assert not Cause.SCOPE.retries
    assert Cause.OFFLINE.retries


def test_a_refresh_compares_only_what_it_changed_and_still_sees_every_deadline_pass() -> None:
    """The store compares in full only the tasks a refresh touched; the others, the same
    records before and after, can only have passed their deadline. The events are those
    of comparing every task I take part in."""
    due = THEN + timedelta(seconds=30)
    later = NOW + timedelta(days=1)
    same = [
        _task(1, deadline=due),  # mine, its deadline passes: an event though untouched
        _task(2, deadline=due, responsible_id=OTHER),  # not mine: nothing
        _task(3, deadline=later),  # mine, not due yet: nothing
        _task(4, deadline=due, status=TaskStatus.SUPPOSEDLY_COMPLETED),  # awaits control
    ]
    before = {t.id: t for t in [*same, _task(5), _task(6, responsible_id=OTHER, auditors=(ME,))]}
    after = {t.id: t for t in same}
    after[5] = _task(5, status=TaskStatus.IN_PROGRESS)  # touched: its status moved
    after[7] = _task(7)  # touched: new and mine
    touched = {5, 6, 7}  # 6 left my lists
    incremental = _events_since(before, after, touched, ME, THEN, NOW)
    mine = {
        side: {i: t for i, t in tasks.items() if _takes_part(t, ME)}
        for side, tasks in (("before", before), ("after", after))
    }
    assert incremental == changes_between(mine["before"], mine["after"], ME, THEN, NOW)
    assert [(e.kind, e.task_id) for e in incremental] == [
        (TaskEventKind.DEADLINE_PASSED, 1),
        (TaskEventKind.STATUS, 5),
        (TaskEventKind.LEFT, 6),
        (TaskEventKind.ASSIGNED, 7),
    ]
