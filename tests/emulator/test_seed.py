"""The seeded portal: deterministic, current, and covering every view of the demo user."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal, build_portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.seed import (
    ADMIN_USER_ID,
    HOSTILE_ESCAPE_TITLE,
    HOSTILE_MARKUP_TITLE,
    LARGE_TASK_COUNT,
)
from tests.conftest import FIXED_NOW


def snapshot(portal: Portal) -> dict[str, Any]:
    """Everything seeded, as plain data."""
    return {
        "users": [dataclasses.asdict(user) for user in portal.users.values()],
        "groups": [dataclasses.asdict(group) for group in portal.groups.values()],
        "tasks": [dataclasses.asdict(task) for task in portal.tasks.values()],
        "checklist": [dataclasses.asdict(item) for item in portal.checklist_items.values()],
        "history": [dataclasses.asdict(entry) for entry in portal.history],
        "workdays": {key: dataclasses.asdict(day) for key, day in portal.workdays.items()},
        "favorites": portal.favorites,
        "muted": portal.muted,
        "webhooks": sorted(portal.credentials.webhooks),
    }


def test_same_seed_and_clock_give_the_same_portal() -> None:
    first = build_portal("demo", seed=7, clock=FrozenClock(FIXED_NOW))
    second = build_portal("demo", seed=7, clock=FrozenClock(FIXED_NOW))
    assert snapshot(first) == snapshot(second)


def test_another_seed_gives_another_portal() -> None:
    first = build_portal("demo", seed=1, clock=FrozenClock(FIXED_NOW))
    second = build_portal("demo", seed=2, clock=FrozenClock(FIXED_NOW))
    assert snapshot(first)["tasks"] != snapshot(second)["tasks"]
    assert [user.full_name for user in first.users.values()] == [
        user.full_name for user in second.users.values()
    ]


def test_dates_follow_the_clock() -> None:
    later = FIXED_NOW + timedelta(days=30)
    now_portal = build_portal("demo", seed=0, clock=FrozenClock(FIXED_NOW))
    later_portal = build_portal("demo", seed=0, clock=FrozenClock(later))
    shift = {
        task.id: later_portal.tasks[task.id].deadline - task.deadline  # type: ignore[operator]
        for task in now_portal.tasks.values()
        if task.deadline is not None
    }
    assert set(shift.values()) == {timedelta(days=30)}


def test_demo_people_and_webhook(portal: Portal) -> None:
    assert 8 <= len(portal.users) <= 12
    assert portal.users[ADMIN_USER_ID].admin
    assert not portal.users[DEMO_USER_ID].admin
    assert all(user.work_position for user in portal.users.values())
    (hook,) = portal.credentials.webhooks.values()
    assert hook.user_id == DEMO_USER_ID
    assert hook.scopes == DEFAULT_SCOPES
    assert 3 <= len(portal.groups) <= 4


def _mine(portal: Portal) -> list[Any]:
    return [task for task in portal.tasks.values() if DEMO_USER_ID in task.members()]


def test_every_status_and_role_has_tasks_for_the_demo_user(portal: Portal) -> None:
    me = DEMO_USER_ID
    mine = _mine(portal)
    assert 70 <= len(portal.tasks) <= 90
    assert {task.status for task in mine} == {2, 3, 4, 5, 6}
    assert any(task.responsible_id == me for task in mine)
    assert any(me in task.accomplices for task in mine)
    assert any(task.created_by == me and task.responsible_id != me for task in mine)
    assert any(task.status == 3 and task.responsible_id == me for task in mine)
    awaiting_my_control = [
        task
        for task in mine
        if task.status == 4
        and task.created_by == me
        and task.task_control
        and task.responsible_id != me
    ]
    assert awaiting_my_control
    only_auditor = [
        task
        for task in mine
        if me in task.auditors
        and me not in (task.created_by, task.responsible_id)
        and me not in task.accomplices
    ]
    assert {task.status for task in only_auditor} >= {2, 3}


def test_deadlines_spread_around_today(portal: Portal) -> None:
    today = portal.today()
    open_mine = [task for task in _mine(portal) if task.status in (2, 3)]
    days = {
        None if task.deadline is None else (task.deadline.astimezone(portal.tz).date() - today).days
        for task in open_mine
    }
    assert {None, -1, 0, 1, 7} <= days
    overdue = [task for task in open_mine if task.deadline and task.deadline < portal.now()]
    assert overdue


def test_priorities_mutes_favourites_and_invisible_tasks(portal: Portal) -> None:
    me = DEMO_USER_ID
    assert {task.priority for task in portal.tasks.values()} == {0, 1, 2}
    assert portal.muted.get(me)
    assert portal.favorites.get(me)
    invisible = [task for task in portal.tasks.values() if not portal.can_read(me, task)]
    assert invisible


def test_titles_and_descriptions_carry_hostile_and_non_ascii_text(portal: Portal) -> None:
    titles = {task.title for task in portal.tasks.values()}
    assert HOSTILE_MARKUP_TITLE in titles
    assert HOSTILE_ESCAPE_TITLE in titles
    assert "[bold]x[/]" in HOSTILE_MARKUP_TITLE
    assert "\x1b[31m" in HOSTILE_ESCAPE_TITLE
    assert any(not title.isascii() for title in titles)
    descriptions = " ".join(task.description for task in portal.tasks.values())
    for tag in ("[B]", "[I]", "[URL=", "[LIST]", "[*]", "[QUOTE]", "[CODE]", "[USER=5]"):
        assert tag in descriptions


def test_checklists_reach_three_levels_with_some_done(portal: Portal) -> None:
    items = portal.checklist_items
    depth_three = [
        item for item in items.values() if item.parent_id and items[item.parent_id].parent_id != 0
    ]
    assert depth_three
    assert any(item.is_complete for item in items.values())
    assert any(not item.is_complete for item in items.values())
    assert all(
        item.parent_id == 0 or items[item.parent_id].task_id == item.task_id
        for item in items.values()
    )


def test_history_records_changes(portal: Portal) -> None:
    fields = {entry.field for entry in portal.history}
    assert {"NEW", "STATUS", "DEADLINE", "CHECKLIST_ITEM_CREATE"} <= fields
    assert all(entry.task_id in portal.tasks for entry in portal.history)


def test_the_demo_users_day_runs_since_this_morning(portal: Portal) -> None:
    day = portal.workdays[DEMO_USER_ID]
    now = portal.now()
    assert day.time_start.date() == now.date()
    assert day.time_start < now
    assert not day.closed
    assert not day.paused
    assert day.leaks(now) > timedelta()
    assert portal.timeman_settings[DEMO_USER_ID].enabled


def test_empty_preset_has_people_only() -> None:
    portal = build_portal("empty", clock=FrozenClock(FIXED_NOW))
    assert portal.users
    assert not portal.tasks
    assert not portal.checklist_items


def test_the_large_preset_has_as_many_tasks_as_asked() -> None:
    portal = build_portal("large", seed=3, clock=FrozenClock(FIXED_NOW), large_tasks=120)
    assert len(portal.tasks) == 120
    assert len({task.guid for task in portal.tasks.values()}) == 120
    assert max(task.created_date for task in portal.tasks.values()) < FIXED_NOW


def test_large_preset_is_quick_to_build() -> None:
    started = time.perf_counter()
    portal = build_portal("large", seed=3, clock=FrozenClock(FIXED_NOW))
    elapsed = time.perf_counter() - started
    assert len(portal.tasks) == LARGE_TASK_COUNT
    assert elapsed < 3.0
    mine = sum(1 for task in portal.tasks.values() if portal.can_read(DEMO_USER_ID, task))
    assert mine > 5000


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(ValueError, match="preset"):
        build_portal("huge", clock=FrozenClock(FIXED_NOW))  # type: ignore[arg-type]


def test_demo_day_starts_at_midnight_at_the_earliest() -> None:
    early = datetime.combine(FIXED_NOW.date(), datetime.min.time(), tzinfo=FIXED_NOW.tzinfo)
    portal = build_portal("demo", clock=FrozenClock(early + timedelta(minutes=20)))
    day = portal.workdays[DEMO_USER_ID]
    assert day.time_start.date() == portal.today()
    assert day.time_start <= portal.now()
