"""Tasks parsed from the documented v1 and v3 answers, and edits rendered back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from b24tui.models import (
    UNSET,
    HistoryEntry,
    Mark,
    ModelError,
    Person,
    Priority,
    Task,
    TaskAccess,
    TaskActions,
    TaskChanges,
    TaskCounters,
    TaskRole,
    TaskStatus,
)
from tests.pages import request_body, response_body

PLUS_TWO = timezone(timedelta(hours=2))
PLUS_THREE = timezone(timedelta(hours=3))


def v1_task(**overrides: Any) -> dict[str, Any]:
    """A small v1 task object in the portal's string-typed camelCase."""
    task: dict[str, Any] = {
        "id": "77",
        "title": "Write the report",
        "status": "2",
        "priority": "1",
        "createdBy": "1",
        "responsibleId": "5",
        "accomplices": [],
        "auditors": [],
        "deadline": None,
    }
    task.update(overrides)
    return task


# --------------------------------------------------------------------------- seed pages


def test_stopwatch_seed_task_reads_as_people_see_it() -> None:
    task = Task.from_v1(response_body("seed:000")["result"])

    assert task.id == 8017
    assert task.title == "Task Example"
    assert task.status is TaskStatus.IN_PROGRESS
    assert task.status.label == "In progress"
    assert task.priority is Priority.HIGH
    assert task.mark is Mark.POSITIVE
    assert task.deadline == datetime(2025, 9, 11, 8, 0, tzinfo=PLUS_TWO)
    assert task.deadline is not None
    assert task.deadline.utcoffset() == timedelta(hours=2)
    assert task.parent_id == 7817
    assert task.group is not None
    assert (task.group_id, task.group.name) == (129, "Workgroup")
    assert task.creator is not None
    assert task.creator.name == "Victoria Adams"
    assert task.creator.work_position == "Administrator"
    assert task.responsible_id == 503
    assert [person.name for person in task.accomplice_people] == ["Patrick Hill", "Gregory Scott"]
    assert [person.name for person in task.auditor_people] == [
        "Jose Martinez",
        "Emily Smith",
        "Heather",
    ]
    assert task.time_estimate == 101580
    assert task.time_spent == 69963
    assert task.comments_count == 44
    assert task.is_favorite is True
    assert task.is_muted is False
    assert task.task_control is False
    assert task.closed_date is None
    assert task.description_in_bbcode is True
    assert "[B]formatting[/B]" in task.description


def test_stopwatch_seed_leaves_the_caller_out_of_the_auditors() -> None:
    task = Task.from_v1(response_body("seed:000")["result"])
    # The caller (503, the checklist tree's userId) stopped watching: no longer an auditor,
    # still the creator and the responsible person.
    assert 503 not in task.auditors
    assert task.roles_of(503) == {TaskRole.RESPONSIBLE, TaskRole.CREATOR}
    assert task.role_of(503) is TaskRole.RESPONSIBLE
    assert task.role_of(61) is TaskRole.AUDITOR
    assert task.role_of(3) is TaskRole.ACCOMPLICE
    assert task.role_of(999) is None


def test_stopwatch_seed_actions_drive_the_buttons() -> None:
    task = Task.from_v1(response_body("seed:000")["result"])
    assert task.actions is not None
    assert task.allows("complete")
    assert task.allows("pause")
    assert not task.allows("start")
    assert not task.allows("approve")
    assert task.allows("checklist_add")
    assert task.allows("favorite_delete")
    assert not task.allows("favorite_add")
    assert task.allows("change_deadline")


def test_stopwatch_seed_checklist_comes_from_the_camel_case_map() -> None:
    task = Task.from_v1(response_body("seed:000")["result"])
    titles = {item.id: item.title for item in task.checklist}
    assert titles == {431: "Checklist 1", 433: "First", 435: "Second"}
    root = next(item for item in task.checklist if item.id == 431)
    assert root.is_root  # the page sends this parent id as the integer 0
    assert all(item.parent_id == 431 for item in task.checklist if item.id != 431)
    assert task.checklist_progress == (0, 2)


def test_checklist_falls_back_to_the_nested_tree_when_the_map_is_absent() -> None:
    # tasks.task.list answers only checkListTree when CHECKLIST is selected.
    body = dict(response_body("seed:000")["result"]["task"])
    del body["checklist"]
    task = Task.from_v1(body)
    assert {item.id: item.title for item in task.checklist} == {
        431: "Checklist 1",
        433: "First",
        435: "Second",
    }
    assert task.checklist_progress == (0, 2)


def test_mute_seed_reads_as_muted() -> None:
    task = Task.from_v1(response_body("seed:001")["result"])
    assert task.is_muted is True
    assert task.responsible is not None
    assert task.responsible.name == "Stephanie Miller"
    assert task.status.label == "In progress"


def test_disapprove_seed_task_is_back_to_pending_under_control() -> None:
    task = Task.from_v1(response_body("seed:003")["result"])
    assert task.status is TaskStatus.PENDING
    assert task.status.label == "Pending"
    assert task.task_control is True
    assert task.parent_id is None
    assert task.accomplices == ()
    assert task.accomplice_people == ()
    assert task.auditors == (103, 503)
    assert task.person(103).name == "Emily Smith"
    assert task.responsible is not None
    assert task.responsible.name == "Natalie"
    assert task.group is not None
    assert task.group.name == "New Flow"
    assert TaskRole.AUDITOR in task.roles_of(503)
    assert task.role_of(503) is TaskRole.CREATOR


def test_v3_update_seed_request_fields_round_trip() -> None:
    fields = request_body("seed:004")["fields"]
    changes = TaskChanges.from_v3_fields(fields)

    assert changes.title == "Task Title"
    assert changes.deadline == datetime(2025, 12, 31, 23, 59, 59, tzinfo=PLUS_TWO)
    assert changes.responsible_id == 1
    # creatorId and crmItemIds are not part of an edit this client makes
    assert changes.to_v3_fields() == {
        key: fields[key] for key in ("title", "deadline", "responsibleId")
    }
    assert changes.to_v1_fields() == {
        "TITLE": "Task Title",
        "DEADLINE": "2025-12-31T23:59:59+02:00",
        "RESPONSIBLE_ID": 1,
    }


# --------------------------------------------------------------------------- doc examples


def test_list_example_reads_names_and_empty_maps() -> None:
    body = response_body("api-reference/tasks/tasks-task-list.md")
    (task,) = [Task.from_v1(row) for row in body["result"]["tasks"]]
    assert task.title == "Task Example"
    assert task.status.label == "Pending"
    assert task.sub_status == 2
    assert task.priority is Priority.HIGH
    assert task.mark is Mark.NONE  # "mark": ""
    assert task.group is None  # "group": []
    assert task.group_id is None
    assert task.accomplices == ()
    assert task.responsible is not None
    assert task.responsible.name == "Maria"
    assert task.responsible.work_position == "Tester"
    assert [person.name for person in task.auditor_people] == ["John Smith", "Samantha Johnson"]
    assert task.deadline == datetime(2025, 10, 24, 19, 0, tzinfo=PLUS_TWO)
    assert task.actions is None
    assert not task.allows("complete")


def test_get_example_reads_creator_favourite_and_actions() -> None:
    task = Task.from_v1(response_body("api-reference/tasks/tasks-task-get.md")["result"])
    assert task.created_by == 503
    assert task.creator is not None
    assert task.creator.name == "Maria Johnson"
    assert task.responsible_id == 547
    assert task.is_favorite is True
    assert task.group is None
    assert task.allows("start")
    assert task.allows("defer")
    assert not task.allows("pause")
    assert task.checklist == ()
    assert task.checklist_progress == (0, 0)


def test_v3_get_example_reads_names_and_rights() -> None:
    body = response_body("api-reference/tasks/tasks-task-get-rest-v3.md")
    task = Task.from_v3(body["result"])
    assert task.id == 3835
    assert task.status is TaskStatus.PENDING
    assert task.priority is Priority.AVERAGE
    assert task.mark is Mark.NONE  # "mark": "none"
    assert task.deadline == datetime(2025, 12, 25, 23, 0, tzinfo=PLUS_TWO)
    assert task.start_date_plan is None
    assert task.task_control is False  # needsControl
    assert task.responsible is not None
    assert task.responsible.name == "Alex"
    assert task.responsible.email == "mail@bitrix.com"
    assert task.chat_id == 2537
    assert task.contains_checklist is True
    assert task.link.endswith("/task/view/3835/")
    assert task.changed_date == datetime(2025, 12, 10, 16, 4, 54, tzinfo=PLUS_TWO)
    assert task.allows("complete")
    assert task.allows("start")
    assert task.allows("change_deadline")  # v3 "deadline"
    assert task.allows("checklist_add")  # v3 "checklistAdd"
    assert task.allows("favorite_add")  # v3 "favorite"
    assert not task.allows("approve")
    assert not task.allows("pause")
    assert task.is_favorite is False  # "inFavorite": []


def test_v3_list_example_reads_statuses_and_null_deadlines() -> None:
    body = response_body("api-reference/tasks/tasks-task-list-rest-v3.md")
    tasks = [Task.from_v3(item) for item in body["result"]["items"]]
    assert [(task.id, task.status.label) for task in tasks] == [
        (3835, "Pending"),
        (3836, "In progress"),
        (3837, "Completed"),
    ]
    assert [task.responsible_id for task in tasks] == [93, 29, 171]
    assert tasks[0].deadline == datetime(2026, 12, 25, 23, 0, tzinfo=PLUS_THREE)
    assert tasks[1].deadline is None
    assert [task.is_open for task in tasks] == [True, True, False]


def test_getaccess_example_gives_actions_per_user() -> None:
    body = response_body("api-reference/tasks/tasks-task-get-access.md")
    access = TaskAccess.from_api(body["result"])
    assert access.has_access
    mine = access.for_user(503)
    assert mine.allows("complete")
    assert mine.allows("pause")
    assert not mine.allows("start")
    assert mine.allows("favorite_delete")
    assert mine.allows("FAVORITE.DELETE")
    assert mine.allows("checklist.add")
    assert mine.allows("edit_plan")
    assert not access.for_user(547).allows("complete")
    assert not access.for_user(12345).allows("edit")


def test_history_example_reads_events_and_authors() -> None:
    body = response_body("api-reference/tasks/tasks-task-history-list.md")
    entries = HistoryEntry.many_from_api(body["result"])
    assert entries[0].field == "NEW"
    assert entries[0].created_date == datetime(2025, 9, 25, 14, 9, 45, tzinfo=PLUS_TWO)
    assert entries[0].user is not None
    assert entries[0].user.name == "Maria Johnson"
    comment = next(entry for entry in entries if entry.field == "COMMENT")
    assert (comment.value_from, comment.value_to) == (None, "3409")
    created = [entry.value_to for entry in entries if entry.field == "CHECKLIST_ITEM_CREATE"]
    assert created[:2] == ["What to do", "Contact the client"]


def test_counters_example_reads_overdue_and_unread() -> None:
    body = response_body("api-reference/tasks/tasks-task-counters-get.md")
    counters = TaskCounters.from_api(body["result"])
    assert counters.expired == 1
    assert counters.new_comments == 7
    assert not counters.is_empty


# --------------------------------------------------------------------------- enumerations


@pytest.mark.parametrize("status", list(TaskStatus))
def test_status_round_trips_between_generations(status: TaskStatus) -> None:
    assert TaskStatus.from_v3(status.v3_name) is status
    assert TaskStatus.from_api(str(int(status))) is status
    assert TaskStatus.from_api(status.v3_name) is status


def test_status_names_and_labels() -> None:
    assert TaskStatus.SUPPOSEDLY_COMPLETED.v3_name == "supposedly_completed"
    assert TaskStatus.SUPPOSEDLY_COMPLETED.label == "In review"
    assert TaskStatus.NEW.v3_name == "new"
    assert TaskStatus.from_v3("IN_PROGRESS") is TaskStatus.IN_PROGRESS
    open_statuses = {status for status in TaskStatus if status.is_open}
    assert TaskStatus.COMPLETED not in open_statuses
    assert TaskStatus.DEFERRED not in open_statuses
    assert TaskStatus.SUPPOSEDLY_COMPLETED in open_statuses


@pytest.mark.parametrize("raw", ["9", "-1", "finished", 0])
def test_unknown_status_is_a_model_error(raw: object) -> None:
    with pytest.raises(ModelError, match="status"):
        TaskStatus.from_api(raw)


@pytest.mark.parametrize("priority", list(Priority))
def test_priority_round_trips_between_generations(priority: Priority) -> None:
    assert Priority.from_v3(priority.v3_name) is priority
    assert Priority.from_api(str(int(priority))) is priority
    change = TaskChanges(priority=priority)
    assert change.to_v1_fields() == {"PRIORITY": int(priority)}
    assert change.to_v3_fields() == {"priority": priority.v3_name}
    assert TaskChanges.from_v3_fields(change.to_v3_fields()).priority is priority
    assert TaskChanges.from_v1_fields(change.to_v1_fields()).priority is priority


def test_priority_labels_and_names() -> None:
    assert [p.v3_name for p in Priority] == ["low", "average", "high"]
    assert Priority.HIGH.label == "High"
    with pytest.raises(ModelError, match="priority"):
        Priority.from_api("urgent")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, Mark.NONE),
        ("", Mark.NONE),
        ("none", Mark.NONE),
        ("N", Mark.NEGATIVE),
        ("P", Mark.POSITIVE),
        ("positive", Mark.POSITIVE),
    ],
)
def test_mark_reads_both_generations(raw: object, expected: Mark) -> None:
    assert Mark.from_api(raw) is expected


# --------------------------------------------------------------------------- v1 edge cases


def test_task_without_id_names_the_field() -> None:
    with pytest.raises(ModelError, match=r"^id:"):
        Task.from_v1({"title": "No id"})
    with pytest.raises(ModelError, match=r"^id:"):
        Task.from_v3({"title": "No id"})


def test_not_found_result_is_a_model_error() -> None:
    # tasks.task.get answers "result": [] for a missing task: not a task at all.
    with pytest.raises(ModelError):
        Task.from_v1([])


def test_garbage_in_a_field_names_it() -> None:
    with pytest.raises(ModelError, match="deadline"):
        Task.from_v1(v1_task(deadline="soon"))
    with pytest.raises(ModelError, match="responsibleId"):
        Task.from_v1(v1_task(responsibleId="someone"))


def test_upper_keys_are_read_too() -> None:
    task = Task.from_v1(
        {
            "ID": "9",
            "TITLE": "Legacy",
            "STATUS": "5",
            "PRIORITY": "0",
            "RESPONSIBLE_ID": "4",
            "CREATED_BY": "4",
            "DEADLINE": "2025-01-10T18:00:00+03:00",
            "ACCOMPLICES": ["7"],
            "GROUP_ID": "0",
        }
    )
    assert (task.id, task.title, task.status, task.priority) == (
        9,
        "Legacy",
        TaskStatus.COMPLETED,
        Priority.LOW,
    )
    assert task.accomplices == (7,)
    assert task.group_id is None
    assert task.deadline == datetime(2025, 1, 10, 15, 0, tzinfo=UTC)


def test_unknown_keys_and_missing_optional_fields_do_not_break_parsing() -> None:
    task = Task.from_v1({"id": 5, "somethingNew": {"deep": [1, 2]}, "UF_CUSTOM": "x"})
    assert task.title == ""
    assert task.status is TaskStatus.PENDING
    assert task.priority is Priority.AVERAGE
    assert task.responsible is None
    assert task.person(42).display_name == "User #42"


def test_wrapped_result_is_accepted() -> None:
    assert Task.from_v1({"task": v1_task()}).id == 77
    assert Task.from_v3({"item": {"id": 3, "status": "deferred"}}).status is TaskStatus.DEFERRED


def test_overdue_only_when_open_and_past_the_deadline() -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    late = Task.from_v1(v1_task(deadline="2025-06-01T13:00:00+02:00"))  # 11:00 UTC
    assert late.is_overdue(now)
    assert not late.is_overdue(now - timedelta(hours=2))
    done = Task.from_v1(v1_task(deadline="2025-06-01T13:00:00+02:00", status="5"))
    assert not done.is_overdue(now)
    assert not Task.from_v1(v1_task()).is_overdue(now)


def test_person_falls_back_to_the_id() -> None:
    task = Task.from_v1(
        v1_task(responsible={"id": "5", "name": ""}, accomplices=["8"], accomplicesData=[])
    )
    assert task.responsible is not None
    assert task.responsible.display_name == "User #5"
    assert task.person(8) == Person(id=8, name="")


def test_v3_per_user_flags_need_the_current_user() -> None:
    item = {"id": 1, "inFavorite": [3, 9], "inMute": ["9"], "status": "in_progress"}
    assert Task.from_v3(item, current_user_id=9).is_favorite
    assert Task.from_v3(item, current_user_id=9).is_muted
    assert not Task.from_v3(item, current_user_id=4).is_favorite
    assert not Task.from_v3(item).is_muted


def test_v3_nested_people_give_ids_and_names() -> None:
    task = Task.from_v3(
        {
            "id": 12,
            "creator": {"id": 1, "name": "Ann Lee"},
            "responsible": {"id": 2, "name": "Bo Park"},
            "accomplices": [{"id": 3, "name": "Cy Hall"}],
            "auditors": [4],
            "group": {"id": 6, "name": "Ops"},
            "priority": "high",
            "mark": "negative",
        }
    )
    assert (task.created_by, task.responsible_id) == (1, 2)
    assert task.accomplices == (3,)
    assert task.auditors == (4,)
    assert task.person(3).name == "Cy Hall"
    assert task.group_id == 6
    assert task.priority is Priority.HIGH
    assert task.mark is Mark.NEGATIVE


def test_tasks_are_frozen_and_hashable() -> None:
    task = Task.from_v1(v1_task(auditorsData={"5": {"id": "5", "name": "Eve"}}))
    with pytest.raises(AttributeError):
        task.title = "changed"  # type: ignore[misc]
    assert len({task, replace(task)}) == 1


# --------------------------------------------------------------------------- actions


def test_actions_vocabulary_is_the_same_for_every_source() -> None:
    v1 = TaskActions.from_v1({"checklist.add": True, "changeDeadline": True, "addFavorite": True})
    access = TaskActions.from_getaccess({"CHECKLIST.ADD": True, "CHANGE_DEADLINE": True})
    v3 = TaskActions.from_v3_rights({"checklistAdd": True, "deadline": True, "favorite": True})
    for actions in (v1, access, v3):
        assert actions.allows("checklist_add")
        assert actions.allows("change_deadline")
        assert not actions.allows("remove")


def test_actions_keep_unknown_keys_and_read_empty_maps() -> None:
    actions = TaskActions.from_v1({"brandNew.thing": "Y", "start": "N"})
    assert actions.allows("brand_new_thing")
    assert not actions.allows("start")
    assert "start" in actions.known
    assert not TaskActions.from_v1([]).allows("start")
    assert TaskAccess.from_api({"allowedActions": []}).has_access is False


def test_explicit_key_wins_over_its_alias() -> None:
    actions = TaskActions.from_v1({"favorite.add": False, "addFavorite": True})
    assert not actions.allows("favorite_add")


# --------------------------------------------------------------------------- changes


def test_changes_send_only_what_was_set() -> None:
    assert TaskChanges().to_v1_fields() == {}
    assert TaskChanges().to_v3_fields() == {}
    assert TaskChanges().is_empty
    changes = TaskChanges(title="New title")
    assert changes.to_v1_fields() == {"TITLE": "New title"}
    assert changes.to_v3_fields() == {"title": "New title"}
    assert changes.changed_fields == ("title",)
    assert changes.deadline is UNSET


def test_clearing_the_deadline_is_expressible() -> None:
    clear = TaskChanges(deadline=None)
    assert clear.to_v1_fields() == {"DEADLINE": ""}
    assert clear.to_v3_fields() == {"deadline": None}
    assert TaskChanges.from_v3_fields({"deadline": None}).deadline is None


def test_changes_render_every_field_in_both_generations() -> None:
    start = datetime(2025, 5, 1, 9, 0, tzinfo=PLUS_TWO)
    end = datetime(2025, 5, 2, 18, 0, tzinfo=PLUS_TWO)
    changes = TaskChanges(
        title="T",
        description="[B]D[/B]",
        deadline=end,
        priority=Priority.LOW,
        responsible_id=7,
        accomplices=(3, 4),
        auditors=(),
        start_date_plan=start,
        end_date_plan=end,
    )
    assert changes.to_v1_fields() == {
        "TITLE": "T",
        "DESCRIPTION": "[B]D[/B]",
        "DEADLINE": "2025-05-02T18:00:00+02:00",
        "PRIORITY": 0,
        "RESPONSIBLE_ID": 7,
        "ACCOMPLICES": [3, 4],
        "AUDITORS": [],
        "START_DATE_PLAN": "2025-05-01T09:00:00+02:00",
        "END_DATE_PLAN": "2025-05-02T18:00:00+02:00",
    }
    assert changes.to_v3_fields() == {
        "title": "T",
        "description": "[B]D[/B]",
        "deadline": "2025-05-02T18:00:00+02:00",
        "priority": "low",
        "responsibleId": 7,
        "accomplices": [3, 4],
        "auditors": [],
        "startPlan": "2025-05-01T09:00:00+02:00",
        "endPlan": "2025-05-02T18:00:00+02:00",
    }
    assert TaskChanges.from_v1_fields(changes.to_v1_fields()) == changes
    assert TaskChanges.from_v3_fields(changes.to_v3_fields()) == changes


def test_v1_add_page_request_reads_naive_dates_in_the_given_zone() -> None:
    fields = request_body("api-reference/tasks/tasks-task-add.md")["fields"]
    changes = TaskChanges.from_v1_fields(fields, assume_tz=PLUS_THREE)
    assert changes.title == "Task Title"
    assert changes.responsible_id == 123
    assert changes.deadline == datetime(2025, 12, 31, 23, 59, 59, tzinfo=PLUS_THREE)


def test_changes_between_two_tasks_hold_only_the_differences() -> None:
    before = Task.from_v1(
        v1_task(deadline="2025-06-01T10:00:00+00:00", accomplices=["3", "4"], auditors=["9"])
    )
    same = replace(before, accomplices=(4, 3))
    assert TaskChanges.between(before, same).is_empty

    after = replace(before, title="Renamed", deadline=None, priority=Priority.HIGH)
    diff = TaskChanges.between(before, after)
    assert diff.to_v1_fields() == {"TITLE": "Renamed", "DEADLINE": "", "PRIORITY": 2}
    assert diff.apply_to(before) == after


def test_changing_one_plan_date_sends_both() -> None:
    before = Task.from_v1(v1_task())
    start = datetime(2025, 1, 1, tzinfo=UTC)
    diff = TaskChanges.between(before, replace(before, start_date_plan=start))
    assert diff.to_v3_fields() == {"startPlan": "2025-01-01T00:00:00+00:00", "endPlan": None}


def test_changes_repr_lists_only_set_fields() -> None:
    assert repr(TaskChanges(title="x")) == "TaskChanges(title='x')"


def test_bad_responsible_in_a_request_names_the_field() -> None:
    with pytest.raises(ModelError, match="RESPONSIBLE_ID"):
        TaskChanges.from_v1_fields({"RESPONSIBLE_ID": 0})


# --------------------------------------------------------------------------- counters, history


def test_counters_read_php_empty_array_as_none() -> None:
    counters = TaskCounters.from_api([])
    assert counters.is_empty
    assert counters.expired == 0


def test_history_of_a_missing_task_is_empty() -> None:
    assert HistoryEntry.many_from_api({"list": []}) == ()


# --------------------------------------------------------------------------- writing back


@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_seed_tasks_survive_a_trip_through_the_v1_form(seed: str) -> None:
    task = Task.from_v1(response_body(f"seed:{seed}")["result"])
    again = Task.from_v1(task.to_v1())
    assert again == task
    assert again.people == task.people
    assert again.checklist == task.checklist


def test_v3_task_survives_a_trip_through_the_v1_form() -> None:
    body = response_body("api-reference/tasks/tasks-task-get-rest-v3.md")
    task = Task.from_v3(body["result"], current_user_id=1)
    again = Task.from_v1(task.to_v1())
    assert again == task
    assert again.allows("checklist_add")
    assert again.contains_checklist


def test_v1_form_uses_the_portal_spellings() -> None:
    data = Task.from_v1(v1_task(isMuted="Y", groupId="0", mark=None)).to_v1()
    assert data["id"] == "77"
    assert data["status"] == "2"
    assert data["isMuted"] == "Y"
    assert data["groupId"] == "0"
    assert data["group"] == []
    assert data["mark"] is None
    assert data["checklist"] == []


def test_a_deadline_is_also_kept_on_utc_clocks_and_follows_a_replace() -> None:
    portal_zone = timezone(timedelta(hours=2))
    task = Task(id=1, deadline=datetime(2026, 3, 16, 18, 0, tzinfo=portal_zone))
    assert task.deadline_utc == task.deadline
    assert task.deadline_utc is not None
    assert task.deadline_utc.tzinfo is UTC
    moved = replace(task, deadline=datetime(2026, 3, 17, 9, 0, tzinfo=portal_zone))
    assert moved.deadline_utc == datetime(2026, 3, 17, 7, 0, tzinfo=UTC)
    assert replace(task, deadline=None).deadline_utc is None
    assert task == replace(task)  # not a field that tells two tasks apart
