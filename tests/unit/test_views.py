"""Filtering and sorting task lists: the rules the dashboard's `/` and column sort follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from b24tui.models import Person, Priority, Task, TaskStatus
from b24tui.views import SORT_COLUMNS, VIEWS, SortOrder, filter_tasks, matches_query, sort_tasks

NOW = datetime(2026, 3, 16, 7, 30, tzinfo=UTC)
ME = 1


def _task(task_id: int, title: str = "", **fields: object) -> Task:
    return Task(id=task_id, title=title, responsible_id=ME, **fields)  # type: ignore[arg-type]


def test_query_matches_title_case_insensitively_and_every_word() -> None:
    task = _task(7, "Fix the LOGIN timeout", responsible=Person(id=2, name="Ольга Петрова"))
    assert matches_query(task, "login")
    assert matches_query(task, "fix timeout")
    assert not matches_query(task, "fix router")
    assert matches_query(task, "ольга")
    assert matches_query(task, "  ")


def test_query_by_id_with_or_without_hash() -> None:
    twelve = _task(12, "Plan")
    other = _task(120, "Ticket 12 follow-up")
    assert matches_query(twelve, "#12")
    assert matches_query(twelve, "12")
    assert not matches_query(other, "#12")
    assert matches_query(other, "12"), "a bare number also finds it in titles"
    assert [t.id for t in filter_tasks([twelve, other], "#12")] == [12]


def test_query_ignores_terminal_escapes_in_titles() -> None:
    task = _task(3, "Log \x1b[31mred\x1b[0m codes")
    assert matches_query(task, "log red codes")
    assert not matches_query(task, "31m")


def test_default_order_is_overdue_then_deadline_then_priority_then_id() -> None:
    soon = NOW + timedelta(hours=2)
    tasks = [
        _task(1, deadline=None, priority=Priority.HIGH),
        _task(2, deadline=soon, priority=Priority.LOW),
        _task(3, deadline=soon, priority=Priority.HIGH),
        _task(4, deadline=NOW - timedelta(days=1)),
        _task(5, deadline=soon, priority=Priority.HIGH),
    ]
    active = next(view for view in VIEWS if view.key == "active")
    assert [t.id for t in active.select(tasks, ME, NOW)] == [4, 3, 5, 2, 1]


def test_sort_keeps_the_default_order_among_equals_in_both_directions() -> None:
    tasks = [
        _task(5, "b", status=TaskStatus.PENDING),
        _task(2, "a", status=TaskStatus.IN_PROGRESS),
        _task(9, "c", status=TaskStatus.PENDING),
    ]
    assert [t.id for t in sort_tasks(tasks, SortOrder("status"), ME)] == [5, 9, 2]
    assert [t.id for t in sort_tasks(tasks, SortOrder("status", descending=True), ME)] == [
        2,
        5,
        9,
    ]
    assert sort_tasks(tasks, None, ME) == tasks


def test_sort_by_deadline_puts_tasks_without_one_last() -> None:
    tasks = [_task(1), _task(2, deadline=NOW + timedelta(days=2)), _task(3, deadline=NOW)]
    assert [t.id for t in sort_tasks(tasks, SortOrder("deadline"), ME)] == [3, 2, 1]


def test_sort_by_priority_starts_with_high() -> None:
    tasks = [_task(1, priority=Priority.LOW), _task(2, priority=Priority.HIGH), _task(3)]
    assert [t.id for t in sort_tasks(tasks, SortOrder("priority"), ME)] == [2, 3, 1]


def test_sort_by_title_reads_accented_letters_as_their_plain_ones() -> None:
    tasks = [_task(1, "Zoo visit"), _task(2, "Élan vital"), _task(3, "ёлка"), _task(4, "alpha")]
    ordered = sort_tasks(tasks, SortOrder("title"), ME)
    assert [task.id for task in ordered] == [4, 2, 1, 3], "É with the E's, not after Z"


@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_every_column_sorts_without_error(column: str) -> None:
    tasks = [_task(n, f"task {n}", deadline=NOW if n % 2 else None) for n in range(1, 6)]
    ordered = sort_tasks(tasks, SortOrder(column), ME)
    assert sorted(t.id for t in ordered) == [1, 2, 3, 4, 5]


def test_an_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError, match="no sort column"):
        SortOrder("colour")


def test_a_task_awaiting_control_is_not_overdue_counted_or_sorted_first() -> None:
    late = NOW - timedelta(days=1)
    awaiting = _task(1, deadline=late, status=TaskStatus.SUPPOSEDLY_COMPLETED)
    pending = _task(2, deadline=late, status=TaskStatus.PENDING)
    soon = _task(3, deadline=NOW + timedelta(hours=1))
    tasks = [awaiting, pending, soon]
    by_key = {view.key: view for view in VIEWS}
    assert not awaiting.is_overdue(NOW)
    assert [t.id for t in by_key["overdue"].select(tasks, ME, NOW)] == [2]
    assert [t.id for t in by_key["active"].select(tasks, ME, NOW)] == [2, 1, 3], (
        "overdue first; the task awaiting control takes its place by deadline"
    )
