"""``task.commentitem.*``: a task's discussion, kept, counted and guarded as the pages say."""

from __future__ import annotations

import re
from typing import Any

import pytest

import b24tui.emulator.methods  # noqa: F401  (registers the handlers)
from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.credentials import DEFAULT_SCOPES
from b24tui.emulator.errors import RestError
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.seed import ADMIN_USER_ID
from b24tui.emulator.state import Task
from tests.pages import page_text

ME = DEMO_USER_ID
COLLEAGUE = 5
STRANGER = 10
"""Has no role in the task and is in none of its groups."""
PAGES = "api-reference/tasks/comment-item/"


def documented_error(page: str) -> str:
    """The ``error_description`` of the page's HTTP 400 example, read as text: the
    getlist page's example quotes a key inside the string without escaping it."""
    text = page_text(PAGES + page)
    status = re.search(r"HTTP status:\s*\**400", text, re.IGNORECASE)
    assert status is not None
    pattern = r'"error_description"\s*:\s*"(.*)"\s*$'
    match = re.search(pattern, text[status.end() :], re.MULTILINE)
    assert match is not None
    return match.group(1)


def call(portal: Portal, method: str, params: Any, *, user: int = ME) -> Any:
    found = REGISTRY.find("v1", method)
    assert found is not None, method
    return found.handler(Call(portal, user, DEFAULT_SCOPES, "v1", params, portal.now()))


def refusal(portal: Portal, method: str, params: Any, *, user: int = ME) -> str:
    with pytest.raises(RestError) as caught:
        call(portal, method, params, user=user)
    assert caught.value.code == "ERROR_CORE"
    return caught.value.description


@pytest.fixture
def task(portal: Portal) -> Task:
    """A task of the demo user's that a colleague works on and a stranger cannot see."""
    chosen = next(
        task
        for task in portal.tasks.values()
        if task.created_by == ME and task.group_id == 0 and task.auditors == []
    )
    chosen.accomplices = [COLLEAGUE]
    return chosen


def add(portal: Portal, task: Task, text: str, *, user: int = ME, **more: Any) -> int:
    comment_id = call(
        portal, "task.commentitem.add", [task.id, {"POST_MESSAGE": text, **more}], user=user
    )
    assert isinstance(comment_id, int)
    return comment_id


def test_a_comment_added_is_read_back_and_counted_in_the_task(portal: Portal, task: Task) -> None:
    before = task.comments_count
    new = add(portal, task, "Draft [B]attached[/B]", UF_FORUM_MESSAGE_DOC=["n4755"])
    comment = call(portal, "task.commentitem.get", {"TASKID": task.id, "ITEMID": new})
    assert comment["POST_MESSAGE"] == "Draft [B]attached[/B]"
    assert comment["AUTHOR_ID"] == str(ME)
    assert comment["AUTHOR_NAME"] == portal.users[ME].full_name
    (attachment,) = comment["ATTACHED_OBJECTS"].values()
    assert attachment["FILE_ID"] == "4755"
    got = call(portal, "tasks.task.get", {"taskId": task.id, "select": ["COMMENTS_COUNT"]})
    assert got["task"]["commentsCount"] == str(before + 1)
    call(portal, "task.commentitem.delete", [task.id, new])
    got = call(portal, "tasks.task.get", {"taskId": task.id, "select": ["COMMENTS_COUNT"]})
    assert got["task"]["commentsCount"] == str(before)
    assert new not in portal.comments


def test_the_seeded_comments_match_each_tasks_count(portal: Portal) -> None:
    counted = {task.id: task.comments_count for task in portal.tasks.values()}
    assert {task_id: len(portal.comments_of(task_id)) for task_id in counted} == counted
    assert sum(counted.values()) > 100


def test_the_list_is_newest_first_filtered_and_sorted_as_asked(portal: Portal, task: Task) -> None:
    first = add(portal, task, "one")
    second = add(portal, task, "two", user=COLLEAGUE)
    third = add(portal, task, "three", AUTHOR_ID=COLLEAGUE, POST_DATE="2020-01-01T10:00:00")
    ids = [int(row["ID"]) for row in call(portal, "task.commentitem.getlist", [task.id])]
    assert ids[:3] == [third, second, first]
    mine = call(
        portal,
        "task.commentitem.getlist",
        [task.id, {"POST_DATE": "asc"}, {"AUTHOR_ID": COLLEAGUE, ">=POST_DATE": "2021-01-01"}],
    )
    assert [int(row["ID"]) for row in mine] == [second]
    assert portal.comments[third].author_id == COLLEAGUE  # any user may post for another


def test_only_the_author_edits_and_the_author_or_an_admin_deletes(
    portal: Portal, task: Task
) -> None:
    theirs = add(portal, task, "theirs", user=COLLEAGUE)
    update = [task.id, theirs, {"POST_MESSAGE": "mine now"}]
    assert "ACTION_NOT_ALLOWED" in refusal(portal, "task.commentitem.update", update)
    assert "ACTION_NOT_ALLOWED" in refusal(portal, "task.commentitem.delete", [task.id, theirs])
    allowed = [
        (action, call(portal, "task.commentitem.isactionallowed", [task.id, theirs, action]))
        for action in (1, 2, 3)
    ]
    assert allowed == [(1, True), (2, False), (3, False)]
    assert call(portal, "task.commentitem.update", update, user=COLLEAGUE) is True
    assert portal.comments[theirs].message == "mine now"
    assert call(portal, "task.commentitem.delete", [task.id, theirs], user=ADMIN_USER_ID) is True


def test_a_stranger_can_neither_read_nor_comment(portal: Portal, task: Task) -> None:
    assert refusal(portal, "task.commentitem.add", [task.id, {"POST_MESSAGE": "hi"}], user=STRANGER)
    assert refusal(portal, "task.commentitem.getlist", [task.id], user=STRANGER)
    assert call(portal, "task.commentitem.isactionallowed", [task.id, 0, 1], user=STRANGER) is False


@pytest.mark.parametrize(
    ("page", "request_of"),
    [
        # The ORDER and FILTER swapped: the filter is read as the order.
        (
            "task-comment-item-get-list.md",
            lambda task, comment: {
                "TASKID": task,
                "FILTER": {">=POST_DATE": "2025-01-01"},
                "ORDER": {"POST_DATE": "asc"},
            },
        ),
        ("task-comment-item-get.md", lambda task, comment: [task, 999_999]),
        (
            "task-comment-item-update.md",
            lambda task, comment: [task, comment, {"POST_MESSAGE": ""}],
        ),
        ("task-comment-item-delete.md", lambda task, comment: [task, 999_999]),
        ("task-comment-item-is-action-allowed.md", lambda task, comment: [task, comment]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_pages_error_examples_are_answered_word_for_word(
    portal: Portal, task: Task, page: str, request_of: Any
) -> None:
    comment = add(portal, task, "hello")
    action = page.removeprefix("task-comment-item-").removesuffix(".md").replace("-", "")
    method = "task.commentitem." + action
    description = refusal(portal, method, request_of(task.id, comment))
    assert description == documented_error(page)


def test_the_add_pages_error_example_is_a_stranger_commenting(portal: Portal, task: Task) -> None:
    params = [task.id, {"POST_MESSAGE": "hi"}]
    answer = refusal(portal, "task.commentitem.add", params, user=STRANGER)
    assert answer == documented_error("task-comment-item-add.md")
