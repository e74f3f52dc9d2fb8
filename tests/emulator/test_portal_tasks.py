"""The v1 ``tasks.task.*`` handlers, called in-process through the method table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal, build_portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call, Page
from b24tui.emulator.seed import ADMIN_USER_ID, HOSTILE_MARKUP_TITLE
from b24tui.emulator.state import Task
from tests.conftest import FIXED_NOW
from tests.pages import response_body

ME = DEMO_USER_ID


def call(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    scopes = DEFAULT_SCOPES | {"basic"}
    return found.handler(Call(portal, user, scopes, "v1", params or {}, portal.now()))


def error(portal: Portal, method: str, params: Any = None, *, user: int = ME) -> RestError:
    with pytest.raises(RestError) as caught:
        call(portal, method, params, user=user)
    return caught.value


def seeded(portal: Portal, title: str) -> Task:
    """The hand-placed task with this title (placed before the random ones)."""
    return min((task for task in portal.tasks.values() if task.title == title), key=lambda t: t.id)


def auditor_only(portal: Portal, status: int) -> Task:
    return next(
        task
        for task in portal.tasks.values()
        if ME in task.auditors
        and ME not in (task.created_by, task.responsible_id, *task.accomplices)
        and task.status == status
    )


def invisible(portal: Portal) -> Task:
    return next(task for task in portal.tasks.values() if not portal.can_read(ME, task))


def same_shape(example: dict[str, Any], answer: dict[str, Any]) -> None:
    """Every key of the doc example is answered with a value of the same JSON kind."""
    missing = set(example) - set(answer)
    assert not missing
    for key, value in example.items():
        ours = answer[key]
        if value is None or ours is None:
            continue
        if key in ("checklist", "auditorsData", "accomplicesData", "group") or (
            isinstance(value, dict | list) and not value
        ):
            assert isinstance(ours, dict | list), key  # [] when empty, like PHP
        elif key in ("creator", "responsible", "action", "checkListTree"):
            assert isinstance(ours, dict), key
            assert set(ours) == set(value), key
        else:
            assert type(ours) is type(value) or isinstance(ours, dict | list), key


# The seed pages' examples ----------------------------------------------------------------


def test_stopwatch_answers_the_seed_pages_task_shape(portal: Portal) -> None:
    task = seeded(portal, "Fix the login timeout")
    task.auditors.append(ME)
    example = response_body("seed:000")["result"]["task"]
    answer = call(portal, "tasks.task.stopwatch", {"taskId": task.id})["task"]
    same_shape(example, answer)
    assert set(answer) - set(example) <= {"chatId"}
    assert str(ME) not in answer["auditors"]
    assert answer["id"] == str(task.id)
    assert answer["status"] == "3"


def test_startwatch_adds_the_caller_as_auditor(portal: Portal) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    answer = call(portal, "tasks.task.startwatch", {"taskId": str(task.id)})["task"]
    assert str(ME) in answer["auditors"]
    assert str(ME) in answer["auditorsData"]


def test_mute_is_per_user_and_keyed_by_id(portal: Portal) -> None:
    task = seeded(portal, "Fix the login timeout")
    example = response_body("seed:001")["result"]["task"]
    answer = call(portal, "tasks.task.mute", {"id": task.id})["task"]
    same_shape(example, answer)
    assert answer["isMuted"] == "Y"
    other = call(portal, "tasks.task.get", {"taskId": task.id}, user=5)["task"]
    assert other["isMuted"] == "N"
    assert call(portal, "tasks.task.unmute", {"id": task.id})["task"]["isMuted"] == "N"


def test_mute_of_a_missing_or_hidden_task_answers_an_empty_array(portal: Portal) -> None:
    assert call(portal, "tasks.task.mute", {"id": 999_999}) == []
    assert call(portal, "tasks.task.unmute", {"id": invisible(portal).id}) == []


def test_disapprove_returns_the_task_for_rework(portal: Portal) -> None:
    task = seeded(portal, "Draft the supplier contract")
    assert (task.status, task.created_by, task.task_control) == (4, ME, True)
    example = response_body("seed:003")["result"]["task"]
    answer = call(portal, "tasks.task.disapprove", {"taskId": task.id})["task"]
    same_shape(example, answer)
    assert answer["status"] == "2"
    assert portal.history[-1].field == "STATUS"


def test_list_accepts_the_doc_pages_example_request(portal: Portal) -> None:
    favourite = seeded(portal, "Fix the login timeout")
    request = {
        "order": {"DEADLINE": "asc", "PRIORITY": "desc"},
        "filter": {
            "!STATUS": 6,
            ">=DEADLINE": portal.today().isoformat(),
            "RESPONSIBLE_ID": ME,
            "::SUBFILTER-PARAMS": {"FAVORITE": "Y"},
        },
        "select": [
            "ID",
            "TITLE",
            "DESCRIPTION",
            "STATUS",
            "subStatus",
            "DEADLINE",
            "CREATED_DATE",
            "RESPONSIBLE_ID",
            "ACCOMPLICES",
            "AUDITORS",
            "TAGS",
            "COUNTERS",
            "PRIORITY",
            "MARK",
        ],
        "params": {
            "WITH_TIMER_INFO": True,
            "WITH_RESULT_INFO": True,
            "WITH_PARSED_DESCRIPTION": True,
        },
    }
    page = call(portal, "tasks.task.list", request)
    assert isinstance(page, Page)
    ids = [int(row["id"]) for row in page.result["tasks"]]
    assert favourite.id in ids
    assert all(portal.is_favorite(ME, task_id) for task_id in ids)
    example = response_body("api-reference/tasks/tasks-task-list.md")["result"]["tasks"][0]
    row = page.result["tasks"][0]
    assert set(example) - set(row) <= {"lengthDeadline", "group"}
    assert row["subStatus"] in {"-3", "-2", "-1", "2", "3", "4", "5"}


# tasks.task.list ---------------------------------------------------------------------------


def list_ids(portal: Portal, params: dict[str, Any], user: int = ME) -> list[int]:
    page = call(portal, "tasks.task.list", {"select": ["ID"], **params}, user=user)
    return [int(row["id"]) for row in page.result["tasks"]]


def test_list_filters_with_prefixes_arrays_and_patterns(portal: Portal) -> None:
    mine = list_ids(portal, {"filter": {"RESPONSIBLE_ID": ME, "!REAL_STATUS": [5, 6]}})
    assert mine
    assert all(
        portal.tasks[i].responsible_id == ME and portal.tasks[i].status not in (5, 6) for i in mine
    )
    ranged = list_ids(portal, {"filter": {">ID": 110, "<=ID": 115}, "order": {"ID": "asc"}})
    assert ranged == [i for i in range(111, 116) if portal.can_read(ME, portal.tasks[i])]
    as_strings = list_ids(portal, {"filter": {"ID": ["111", "112"]}})
    assert sorted(as_strings) == [i for i in (111, 112) if portal.can_read(ME, portal.tasks[i])]
    titled = list_ids(portal, {"filter": {"%TITLE": "[bold]"}})
    assert [portal.tasks[i].title for i in titled] == [HOSTILE_MARKUP_TITLE]
    pattern = list_ids(portal, {"filter": {"TITLE": "Fix the%"}})
    assert pattern
    assert all(portal.tasks[i].title.startswith("Fix the") for i in pattern)


def test_list_meta_status_overdue_and_roles(portal: Portal) -> None:
    now = portal.now()
    overdue = list_ids(portal, {"filter": {"STATUS": -1}})
    assert overdue
    for task_id in overdue:
        task = portal.tasks[task_id]
        assert task.deadline is not None
        assert task.deadline < now
        assert task.status in (2, 3)
    audited = list_ids(portal, {"filter": {"AUDITOR": ME}})
    assert audited
    assert all(ME in portal.tasks[i].auditors for i in audited)
    helping = list_ids(portal, {"filter": {"ACCOMPLICE": ME}})
    assert helping
    assert all(ME in portal.tasks[i].accomplices for i in helping)
    created = list_ids(portal, {"filter": {"CREATED_BY": ME, "!RESPONSIBLE_ID": ME}})
    assert created
    assert all(portal.tasks[i].created_by == ME for i in created)


def test_list_never_shows_tasks_the_caller_cannot_see(portal: Portal) -> None:
    hidden = invisible(portal)
    assert hidden.id not in list_ids(portal, {"filter": {"ID": hidden.id}})
    assert list_ids(portal, {"filter": {"ID": hidden.id}}, user=ADMIN_USER_ID) == [hidden.id]


def test_list_orders_by_documented_keys_and_refuses_others(portal: Portal) -> None:
    visible = sorted(task.id for task in portal.tasks.values() if portal.can_read(ME, task))
    assert list_ids(portal, {"order": {"ID": "asc"}}) == visible[:50]
    assert list_ids(portal, {}) == visible[::-1][:50]
    assert list_ids(portal, {"order": {"id": "DESC"}}) == visible[::-1][:50]
    page = call(portal, "tasks.task.list", {"order": {"DEADLINE": "asc"}, "select": ["DEADLINE"]})
    deadlines = [row["deadline"] for row in page.result["tasks"]]
    dated = [value for value in deadlines if value is not None]
    assert deadlines[: deadlines.count(None)] == [None] * deadlines.count(None)
    assert dated == sorted(dated)
    failure = error(portal, "tasks.task.list", {"order": {"COLOR": "asc"}})
    assert (failure.status, failure.code) == (400, "0")
    assert failure.description == "Invalid sorting key (internal error)"


def test_list_select_answers_camel_case_and_always_the_id(portal: Portal) -> None:
    page = call(portal, "tasks.task.list", {"select": ["TITLE", "RESPONSIBLE_ID", "subStatus"]})
    row = page.result["tasks"][0]
    assert set(row) == {"id", "title", "responsibleId", "responsible", "subStatus"}
    assert isinstance(row["id"], str)
    assert set(row["responsible"]) == {"id", "name", "link", "icon", "workPosition"}


def test_list_pages_by_fifty_with_total_and_next() -> None:
    portal = build_portal("large", clock=FrozenClock(FIXED_NOW))
    visible = sum(1 for task in portal.tasks.values() if portal.can_read(ME, task))
    first = call(portal, "tasks.task.list", {"select": ["ID"]})
    assert (len(first.result["tasks"]), first.total, first.next) == (50, visible, 50)
    last_start = (visible - 1) // 50 * 50
    last = call(portal, "tasks.task.list", {"select": ["ID"], "start": str(last_start)})
    assert last.next is None
    assert len(last.result["tasks"]) == visible - last_start
    fast = call(portal, "tasks.task.list", {"select": ["ID"], "start": -1, "order": {"ID": "asc"}})
    assert (fast.total, fast.next, len(fast.result["tasks"])) == (0, None, 50)


# tasks.task.get ----------------------------------------------------------------------------


def test_get_answers_the_full_task_with_actions_and_checklist(portal: Portal) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    answer = call(portal, "tasks.task.get", {"taskId": str(task.id)})["task"]
    example = response_body("seed:000")["result"]["task"]
    same_shape(example, answer)
    assert answer["action"]["start"] is True
    assert answer["action"]["pause"] is False
    tree = answer["checkListTree"]
    assert tree["fields"]["id"] is None
    assert tree["descendants"]
    assert all(node["fields"]["parentId"] == 0 for node in tree["descendants"])
    assert set(answer["checklist"]) == {str(item.id) for item in portal.checklist_of(task.id)}


def test_get_with_select_follows_the_doc_example(portal: Portal) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    select = [
        "ID",
        "TITLE",
        "DESCRIPTION",
        "CREATED_BY",
        "RESPONSIBLE_ID",
        "DEADLINE",
        "UF_CRM_TASK",
    ]
    answer = call(portal, "tasks.task.get", {"taskId": task.id, "select": select})["task"]
    example = response_body("api-reference/tasks/tasks-task-get.md")["result"]["task"]
    assert set(answer) == set(example)


def test_get_of_missing_or_hidden_task_is_an_empty_array(portal: Portal) -> None:
    assert call(portal, "tasks.task.get", {"taskId": 999_999}) == []
    assert call(portal, "tasks.task.get", {"taskId": invisible(portal).id}) == []


def test_get_errors_follow_the_page(portal: Portal) -> None:
    wrong = error(portal, "tasks.task.get", {"taskId": "abc"})
    assert (wrong.code, wrong.description) == ("0", "wrong task id")
    missing = error(portal, "tasks.task.get", {"id": 101})
    assert missing.code == "100"
    assert missing.description.startswith("CTaskItem All parameters")
    bad_select = error(portal, "tasks.task.get", {"taskId": 101, "select": "TITLE"})
    assert bad_select.code == "100"
    assert "parameter {select}" in bad_select.description


# Status changes and permissions -------------------------------------------------------------


def test_start_pause_defer_renew_complete_for_the_responsible(portal: Portal) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    assert call(portal, "tasks.task.start", {"taskId": task.id})["task"]["status"] == "3"
    assert call(portal, "tasks.task.pause", {"taskId": task.id})["task"]["status"] == "2"
    assert call(portal, "tasks.task.defer", {"taskId": task.id})["task"]["status"] == "6"
    assert call(portal, "tasks.task.renew", {"taskId": task.id})["task"]["status"] == "2"
    done = call(portal, "tasks.task.complete", {"taskId": task.id})["task"]
    assert done["status"] == "5"
    assert done["closedBy"] == str(ME)
    statuses = [
        (entry.value_from, entry.value_to)
        for entry in portal.history
        if entry.task_id == task.id and entry.created == portal.now()
    ]
    assert statuses == [("2", "3"), ("3", "2"), ("2", "6"), ("6", "2"), ("2", "5")]


def test_complete_under_task_control_awaits_the_creator(portal: Portal) -> None:
    task = seeded(portal, "Set up the staging server")
    responsible = task.responsible_id
    assert task.task_control
    assert task.created_by == ME
    answer = call(portal, "tasks.task.complete", {"taskId": task.id}, user=responsible)["task"]
    assert answer["status"] == "4"
    assert answer["action"]["approve"] is False
    mine = call(portal, "tasks.task.get", {"taskId": task.id})["task"]
    assert mine["action"]["approve"] is True
    refused = error(portal, "tasks.task.approve", {"taskId": task.id}, user=responsible)
    assert (refused.code, refused.description) == ("1048582", "Action on the task is not allowed")
    assert call(portal, "tasks.task.approve", {"taskId": task.id})["task"]["status"] == "5"


def test_an_auditor_cannot_act_and_gets_the_documented_codes(portal: Portal) -> None:
    pending = auditor_only(portal, 2)
    running = auditor_only(portal, 3)
    action = call(portal, "tasks.task.get", {"taskId": pending.id})["task"]["action"]
    assert not any(action[key] for key in ("start", "complete", "edit", "remove", "delegate"))
    for method, task, code in (
        ("tasks.task.start", pending, "0"),
        ("tasks.task.complete", pending, "0"),
        ("tasks.task.defer", pending, "1048582"),
        ("tasks.task.pause", running, "1048582"),
        ("tasks.task.renew", running, "1048582"),
    ):
        refused = error(portal, method, {"taskId": task.id})
        assert (refused.status, refused.code) == (400, code), method
        assert refused.description == "Action on the task is not allowed"
    assert portal.tasks[pending.id].status == 2


def test_status_changes_on_missing_tasks_use_the_same_codes(portal: Portal) -> None:
    assert error(portal, "tasks.task.start", {"taskId": 999_999}).code == "0"
    assert error(portal, "tasks.task.pause", {"taskId": 999_999}).code == "1048582"
    assert error(portal, "tasks.task.start", {"taskId": "x"}).description == "wrong task id"


def test_delegate_hands_the_task_over_and_keeps_the_old_responsible_watching(
    portal: Portal,
) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    answer = call(portal, "tasks.task.delegate", {"taskId": task.id, "userId": "5"})["task"]
    assert answer["responsibleId"] == "5"
    assert str(ME) in answer["auditors"]
    missing = error(portal, "tasks.task.delegate", {"taskId": task.id})
    assert (missing.code, missing.description) == (
        "100",
        "Could not find value for parameter {userId}",
    )


# Writing -----------------------------------------------------------------------------------


def test_add_update_delete_round_trip(portal: Portal) -> None:
    added = call(
        portal,
        "tasks.task.add",
        {
            "fields": {
                "TITLE": "Ship it",
                "RESPONSIBLE_ID": "5",
                "DEADLINE": "2026-03-20T18:00:00",
                "PRIORITY": 2,
                "AUDITORS": [7],
            }
        },
    )["task"]
    assert (added["status"], added["createdBy"], added["priority"]) == ("2", str(ME), "2")
    assert added["deadline"] == "2026-03-20T18:00:00+02:00"
    assert added["auditors"] == ["7"]
    task_id = int(added["id"])
    updated = call(
        portal, "tasks.task.update", {"taskId": task_id, "fields": {"TITLE": "Ship it now"}}
    )["task"]
    assert updated["title"] == "Ship it now"
    history = call(portal, "tasks.task.history.list", {"taskId": task_id})["list"]
    assert [entry["field"] for entry in history] == ["TITLE", "NEW"]
    assert history[0]["value"] == {"from": "Ship it", "to": "Ship it now"}
    assert history[0]["user"]["id"] == ME
    assert call(portal, "tasks.task.delete", {"taskId": task_id}) == {"task": True}
    assert call(portal, "tasks.task.get", {"taskId": task_id}) == []


def test_add_and_update_errors(portal: Portal) -> None:
    no_fields = error(portal, "tasks.task.add", {})
    assert (no_fields.code, no_fields.description) == (
        "100",
        "Could not find value for parameter {fields} (internal error)",
    )
    no_title = error(portal, "tasks.task.add", {"fields": {"RESPONSIBLE_ID": 1}})
    assert (no_title.code, no_title.description) == (
        "ERROR_CORE",
        "Task title is not specified<br>",
    )
    stranger = error(portal, "tasks.task.add", {"fields": {"TITLE": "x", "RESPONSIBLE_ID": 999}})
    assert stranger.code == "ERROR_CORE"
    task = seeded(portal, "Update the pricing page")
    itself = error(
        portal, "tasks.task.update", {"taskId": task.id, "fields": {"PARENT_ID": task.id}}
    )
    assert itself.description == "Cannot bind the node to itself<br>"
    other = auditor_only(portal, 2)
    refused = error(portal, "tasks.task.update", {"taskId": other.id, "fields": {"TITLE": "mine"}})
    assert (refused.code, refused.description) == (
        "0",
        "Action on the task is not allowed (internal error)",
    )
    assert portal.tasks[other.id].title != "mine"
    denied = error(portal, "tasks.task.delete", {"taskId": other.id})
    assert (denied.code, denied.description) == ("1048582", "No access to delete the task")


# Favourites, access, history, counters -------------------------------------------------------


def test_favourites_are_per_user(portal: Portal) -> None:
    task = seeded(portal, "Prepare the demo for the client")
    assert call(portal, "tasks.task.favorite.add", {"taskId": task.id}) is True
    assert call(portal, "tasks.task.get", {"taskId": task.id})["task"]["favorite"] == "Y"
    assert call(portal, "tasks.task.get", {"taskId": task.id}, user=2)["task"]["favorite"] == "N"
    assert task.id in list_ids(portal, {"filter": {"::SUBFILTER-PARAMS": {"FAVORITE": "Y"}}})
    assert call(portal, "tasks.task.favorite.remove", {"taskId": task.id}) is True
    assert call(portal, "tasks.task.get", {"taskId": task.id})["task"]["favorite"] == "N"
    hidden = error(portal, "tasks.task.favorite.add", {"taskId": invisible(portal).id})
    assert (hidden.code, hidden.description) == ("1", "Task not found or not accessible")


def test_getaccess_answers_upper_keys_per_user(portal: Portal) -> None:
    task = seeded(portal, "Fix the login timeout")
    answer = call(portal, "tasks.task.getaccess", {"taskId": task.id, "users": [ME, 3, 999]})
    allowed = answer["allowedActions"]
    assert allowed[str(ME)]["PAUSE"] is True
    assert allowed[str(ME)]["CHECKLIST.REORDER"] is True
    assert "CHANGE_DEADLINE" in allowed[str(ME)]
    assert allowed["3"]["PAUSE"] is False  # an auditor
    assert not any(allowed["999"].values())
    hidden = call(portal, "tasks.task.getaccess", {"taskId": invisible(portal).id})
    assert hidden == {"allowedActions": []}
    not_array = error(portal, "tasks.task.getaccess", {"taskId": task.id, "users": 5})
    assert not_array.code == "100"


def test_history_filters_by_field_and_orders(portal: Portal) -> None:
    task = seeded(portal, "Write release notes for 2.4")
    rows = call(
        portal,
        "tasks.task.history.list",
        {"taskId": task.id, "filter": {"FIELD": "STATUS"}, "order": {"createdDate": "ASC"}},
    )["list"]
    assert [row["value"]["to"] for row in rows] == ["3", "4"]
    assert call(portal, "tasks.task.history.list", {"taskId": 999_999}) == {"list": []}
    denied = error(portal, "tasks.task.history.list", {"taskId": invisible(portal).id})
    assert (denied.code, denied.description) == ("0", "Access denied. (internal error)")


def test_counters_count_overdue_work_and_new_comments(portal: Portal) -> None:
    page = call(portal, "tasks.task.counters.get", {})
    assert page.total == 1
    assert set(page.result) == {"expired", "new_comments"}
    assert page.result["expired"] == {"counter": page.result["expired"]["counter"], "code": 6291456}
    assert page.result["expired"]["counter"] >= 1
    portal.clock.advance(timedelta(days=60).total_seconds())  # type: ignore[attr-defined]
    later = call(portal, "tasks.task.counters.get", {"type": "view_role_responsible"})
    assert later.result["expired"]["counter"] > page.result["expired"]["counter"] - 1
    assert call(portal, "tasks.task.counters.get", {"userId": 5}).result == []
    assert call(portal, "tasks.task.counters.get", {"userId": 5}, user=ADMIN_USER_ID).result
