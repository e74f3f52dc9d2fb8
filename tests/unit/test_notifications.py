"""Notices: which events are worth one, said once, in plain words; the terminal sequences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from b24tui.humanize import ShownZone
from b24tui.models import Task, TaskStatus
from b24tui.notifications import (
    KEPT_KEYS,
    Announcer,
    Notice,
    NoticeKind,
    desktop_sequence,
    notice_for,
    summary,
)
from b24tui.store import TaskEvent, TaskEventKind

ME, OTHER = 1, 2
NOON = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)


def event(kind: TaskEventKind, before: Task | None, after: Task) -> TaskEvent:
    return TaskEvent(kind, after.id, before, after)


def task(**fields: object) -> Task:
    base: dict[str, object] = {
        "id": 7,
        "title": "Ship it",
        "created_by": OTHER,
        "responsible_id": ME,
        "changed_by": OTHER,
        "changed_date": NOON,
    }
    return Task(**(base | fields))  # type: ignore[arg-type]


def test_a_send_back_is_told_only_to_who_does_the_task_and_not_when_i_did_it() -> None:
    before = task(status=TaskStatus.SUPPOSEDLY_COMPLETED)
    after = task(status=TaskStatus.PENDING)
    notice = notice_for(event(TaskEventKind.STATUS, before, after), ME, ShownZone())
    assert notice is not None
    assert notice.kind is NoticeKind.SENT_BACK
    assert notice_for(event(TaskEventKind.STATUS, before, after), 3, ShownZone()) is None
    mine = task(status=TaskStatus.PENDING, changed_by=ME)
    assert notice_for(event(TaskEventKind.STATUS, before, mine), ME, ShownZone()) is None
    muted = task(status=TaskStatus.PENDING, is_muted=True)
    assert notice_for(event(TaskEventKind.STATUS, before, muted), ME, ShownZone()) is None


def test_a_task_i_created_for_myself_is_no_news_and_a_plain_status_change_neither() -> None:
    own = task(created_by=ME, changed_by=None)
    assert notice_for(event(TaskEventKind.ASSIGNED, None, own), ME, ShownZone()) is None
    started = task(status=TaskStatus.IN_PROGRESS)
    assert notice_for(event(TaskEventKind.STATUS, task(), started), ME, ShownZone()) is None


def test_the_announcer_says_each_key_once_keeps_the_newest_and_skips_kinds_off() -> None:
    said = [f"old:{n}" for n in range(KEPT_KEYS + 5)]
    announcer = Announcer({NoticeKind.ASSIGNED}, said=said)
    assert announcer.said[0] == "old:5", "the oldest keys go first"
    fresh = Notice(NoticeKind.ASSIGNED, "assigned:7:x", "#7")
    off = Notice(NoticeKind.DEADLINE_PASSED, "deadline_passed:7:x", "#7")
    assert announcer.take([fresh, off, None]) == [fresh]
    assert announcer.take([fresh]) == []
    assert announcer.said[-1] == "assigned:7:x"


def test_a_summary_counts_each_kind_in_words() -> None:
    notices = [
        Notice(NoticeKind.ASSIGNED, "a", ""),
        Notice(NoticeKind.ASSIGNED, "b", ""),
        Notice(NoticeKind.DEADLINE_PASSED, "c", ""),
        Notice(NoticeKind.SENT_BACK, "d", ""),
    ]
    assert summary(notices) == "2 new tasks for you, 1 deadline passed, 1 sent back for rework"


def test_desktop_sequences_carry_no_control_characters_or_separators() -> None:
    hostile = "a\x1b]9;evil\x07b; c\nd"
    assert desktop_sequence("osc9", "New task", hostile) == "\x1b]9;New task: ab, c d\x1b\\"
    assert desktop_sequence("osc777", "T;x", "m") == "\x1b]777;notify;T,x;m\x1b\\"


def test_a_deadline_is_told_in_the_zone_shown() -> None:
    due = task(status=TaskStatus.IN_PROGRESS, deadline=NOON + timedelta(minutes=1))
    notice = notice_for(event(TaskEventKind.DEADLINE_PASSED, due, due), ME, ShownZone())
    assert notice is not None
    assert notice.message == "#7 “Ship it” was due 12:01"
