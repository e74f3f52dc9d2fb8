"""The task form's model: what it sends, where an error belongs, conflicts, drafts."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from b24tui.models import Priority, TaskChanges
from b24tui.task_form import (
    Draft,
    DraftBox,
    FormValues,
    conflicts_between,
    field_of,
    readable,
)

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
BASE = FormValues(
    title="Order chairs",
    description="Ten of them",
    deadline=NOON,
    deadline_text="2026-12-07 13:00",
    priority=Priority.AVERAGE,
    responsible_id=1,
    accomplices=(4, 6),
    auditors=(),
)


def test_only_the_changed_fields_are_sent() -> None:
    mine = FormValues(**{**BASE.__dict__, "title": "Order desks", "accomplices": (6, 4)})
    assert mine.changes_from(BASE) == TaskChanges(title="Order desks")
    assert BASE.changes_from(BASE) == TaskChanges()


def test_a_deadline_typed_differently_for_the_same_minute_is_no_change() -> None:
    retyped = FormValues(
        **{**BASE.__dict__, "deadline": NOON.replace(second=30), "deadline_text": "13:00"}
    )
    assert retyped.differing(BASE) == frozenset()


def test_a_new_task_sends_the_title_and_what_was_filled_in() -> None:
    assert FormValues(title="Call Ann").new_task_changes() == TaskChanges(title="Call Ann")
    filled = FormValues(title="Call Ann", priority=Priority.HIGH, auditors=(6,), group_id=3)
    assert filled.new_task_changes() == TaskChanges(
        title="Call Ann", priority=Priority.HIGH, auditors=(6,), group_id=3
    )


def test_a_conflict_is_what_both_changed_differently() -> None:
    mine = FormValues(**{**BASE.__dict__, "title": "Mine", "description": "Same"})
    theirs = FormValues(
        **{**BASE.__dict__, "title": "Theirs", "description": "Same", "priority": Priority.HIGH}
    )
    conflict = conflicts_between(BASE, mine, theirs)
    assert conflict.fields == ("title",), "the same new description is no conflict"
    assert conflict.theirs_only == ("priority",)
    kept = conflict.resolved(frozenset())
    assert (kept.title, kept.priority) == ("Mine", Priority.HIGH)
    taken = conflict.resolved({"title"})
    assert taken.title == "Theirs"


@pytest.mark.parametrize(
    ("portal_name", "field"),
    [
        ("responsibleId", "responsible"),
        ("RESPONSIBLE_ID", "responsible"),
        ("fields.title", "title"),
        ("`deadline`", "deadline"),
        ("GROUP_ID", "group"),
        ("endPlan", "end_plan"),
        ("ufCrmTask", None),
    ],
)
def test_the_portals_field_names_find_the_forms_field(portal_name: str, field: str | None) -> None:
    assert field_of(portal_name) == field


def test_an_unknown_message_is_shown_as_the_portal_wrote_it() -> None:
    assert readable("title", "  Something   new\nhappened ") == "Something new happened"


def test_a_draft_comes_back_as_it_was_kept_and_only_its_owner_can_read_it(
    tmp_path: Path,
) -> None:
    box = DraftBox.beside(tmp_path / "profile" / "state.json")
    draft = Draft(values=BASE, base=BASE, base_changed=NOON, saved_at=NOON)
    box.save(42, draft)
    assert box.load(42) == draft
    assert box.load(None) is None
    kept = tmp_path / "profile" / "state-drafts" / "task-42.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    box.discard(42)
    assert box.load(42) is None


@pytest.mark.parametrize(
    "text", ["not json", "[]", '{"version": 99, "values": {}}', '{"version": 1, "values": 3}']
)
def test_a_draft_that_cannot_be_read_is_ignored(tmp_path: Path, text: str) -> None:
    box = DraftBox(tmp_path)
    (tmp_path / "new-task.json").write_text(text)
    assert box.load(None) is None
