"""The task action table: names, keys, when each action is offered, links and toasts."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from b24tui.actions import (
    TASK_ACTIONS,
    TASK_ACTIONS_BY_ID,
    allowed_actions,
    done_message,
    has_graphical_browser,
    task_url,
)
from b24tui.models import Task, User

ME = 7

PRODUCT_PALETTE_NAMES = {
    "Start task",
    "Pause task",
    "Complete task",
    "Approve task",
    "Disapprove task",
    "Defer task",
    "Renew task",
    "Delegate task",
    "Mute task",
    "Unmute task",
    "Start watching",
    "Stop watching",
    "Add to favourites",
    "Remove from favourites",
    "Open checklist",
    "Open in browser",
    "Copy link",
    "Edit task",
}
"""The spec's palette names of the task actions."""


def task(action: dict[str, bool] | None = None, **fields: Any) -> Task:
    """A v1 task answer with the given ``action`` map and fields."""
    data: dict[str, Any] = {"id": "42", "title": "Ship it", "status": "2", **fields}
    if action is not None:
        data["action"] = action
    return Task.from_v1(data)


def offered(item: Task, me_id: int | None = ME) -> set[str]:
    return {action.id for action in allowed_actions(item, me_id)}


def test_palette_names_are_the_specs_words() -> None:
    assert {action.palette for action in TASK_ACTIONS} == PRODUCT_PALETTE_NAMES
    assert len(TASK_ACTIONS_BY_ID) == len(TASK_ACTIONS)


def test_keys_are_the_specs_keys() -> None:
    keys = {action.key: action.id for action in TASK_ACTIONS if action.key is not None}
    assert keys == {
        "s": "start",
        "p": "pause",
        "x": "complete",
        "e": "edit",
        "c": "open_checklist",
        "o": "open_browser",
        "y": "copy_link",
    }
    assert {action.binding_id for action in TASK_ACTIONS if action.key} == {
        "task_start",
        "task_pause",
        "task_complete",
        "task_edit",
        "task_open_checklist",
        "task_open_browser",
        "task_copy_link",
    }


def test_hard_to_undo_actions_ask_first() -> None:
    asking = {action.id for action in TASK_ACTIONS if action.confirm}
    assert asking == {"complete", "disapprove", "defer", "delegate"}
    question = TASK_ACTIONS_BY_ID["delegate"].confirm or ""
    assert question.format(user="Ann Lee") == "Delegate this task to Ann Lee?"


@pytest.mark.parametrize(
    "name",
    ["start", "pause", "complete", "approve", "disapprove", "defer", "renew", "delegate"],
)
def test_status_actions_follow_the_action_map(name: str) -> None:
    assert name in offered(task({name: True}))
    assert name not in offered(task({name: False}))
    assert name not in offered(task(None)), "no map, no status actions"


def test_camel_case_map_from_the_portal_is_read() -> None:
    item = task({"complete": True, "start": False, "changeDeadline": True})
    assert "complete" in offered(item)
    assert "start" not in offered(item)


def test_mute_follows_is_muted() -> None:
    assert {"mute"} == offered(task(isMuted="N")) & {"mute", "unmute"}
    assert {"unmute"} == offered(task(isMuted="Y")) & {"mute", "unmute"}


def test_watching_follows_the_auditors() -> None:
    watching = task(auditors=[str(ME), "9"])
    assert {"stop_watching"} == offered(watching) & {"watch", "stop_watching"}
    assert {"watch"} == offered(task(auditors=["9"])) & {"watch", "stop_watching"}
    assert not offered(watching, None) & {"watch", "stop_watching"}, "unknown user: neither"


def test_favourites_follow_the_flag() -> None:
    assert {"favorite_remove"} == offered(task(favorite="Y")) & {"favorite_add", "favorite_remove"}
    assert {"favorite_add"} == offered(task(favorite="N")) & {"favorite_add", "favorite_remove"}


def test_open_and_copy_are_always_offered() -> None:
    assert {"open_browser", "copy_link"} <= offered(task(None), None)


def test_task_url_is_the_portals_task_page() -> None:
    assert (
        task_url("https://acme.bitrix24.com", 503, 8017)
        == "https://acme.bitrix24.com/company/personal/user/503/tasks/task/view/8017/"
    )
    assert task_url("http://127.0.0.1:8080/", 1, 2).startswith("http://127.0.0.1:8080/company/")


def test_done_message_is_plain_and_clean() -> None:
    hostile = task(title="Fix [bold]x[/] \x1b[31mnow\x1b[0m")
    text = done_message(TASK_ACTIONS_BY_ID["start"], hostile)
    assert text == "Started “Fix [bold]x[/] now”"


def test_done_message_for_control_and_delegation() -> None:
    awaiting = task(status="4")
    text = done_message(TASK_ACTIONS_BY_ID["complete"], awaiting)
    assert text == "Completed “Ship it”: awaiting the creator's control"
    user = User(id=9, name="Ann", last_name="Lee")
    text = done_message(TASK_ACTIONS_BY_ID["delegate"], task(), user=user)
    assert text == "Delegated “Ship it” to Ann Lee"


async def test_delegate_without_a_person_is_refused_before_any_call() -> None:
    with pytest.raises(ValueError, match="user_id"):
        await TASK_ACTIONS_BY_ID["delegate"].run(None, task())  # type: ignore[arg-type]


def test_the_table_imports_without_textual() -> None:
    code = "import sys, b24tui.actions; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"BROWSER": "firefox"}, "linux", True),
        ({"DISPLAY": ""}, "linux", False),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_a_browser_is_opened_only_where_it_cannot_take_over_the_terminal(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert has_graphical_browser(environ, platform) is expected
