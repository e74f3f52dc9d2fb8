"""A nested checklist put on a seeded task, for the checklist screen's tests."""

from __future__ import annotations

from dataclasses import dataclass

from b24tui.emulator import DEMO_USER_ID, Portal
from b24tui.emulator.state import ChecklistItem

TASK_TITLE = "Prepare the demo for the client"
"""The seeded task (mine to do, with a checklist) whose checklist is replaced."""

HOSTILE = "[bold]Review[/] \x1b[31mred\x1b[0m [@click=app.quit]x[/]"
"""A title with markup, a click action and escape sequences: shown literally."""


@dataclass(frozen=True)
class Nested:
    """The ids of the nested checklist's items, by the name the tests use."""

    task_id: int
    release: int
    notes: int
    draft: int
    review: int
    level4: int
    level5: int
    ship: int
    follow_up: int
    tell: int


def task_id_of(portal: Portal, title: str = TASK_TITLE) -> int:
    """The seeded task's id."""
    return next(task.id for task in portal.tasks.values() if task.title == title)


def put_nested_checklist(portal: Portal, title: str = TASK_TITLE) -> Nested:
    """Replace the task's checklist by two checklists, five levels deep at most::

    Release                      2/6
      ☑ Write notes              1/4
        ☑ Draft
        ☐ <hostile title>        0/2
          ☐ Level four           0/1
            ☐ Level five
      ☐ Ship !  · member 2
    Follow-up                    0/1
      ☐ Tell the team
    """
    task_id = task_id_of(portal, title)
    for item in portal.checklist_of(task_id):
        del portal.checklist_items[item.id]
    ids: dict[str, int] = {}

    def add(name: str, parent: str | None, text: str, sort: int, **fields: object) -> None:
        item_id = portal.next_id("checklist")
        parent_id = ids[parent] if parent else 0
        item = ChecklistItem(item_id, task_id, parent_id, text, DEMO_USER_ID, sort_index=sort)
        for key, value in fields.items():
            setattr(item, key, value)
        portal.checklist_items[item_id] = item
        ids[name] = item_id

    add("follow_up", None, "Follow-up", 1)
    add("release", None, "Release", 0)
    add("ship", "release", "Ship", 1, is_important=True, members={2: "A"})
    add("notes", "release", "Write notes", 0, is_complete=True)
    add("draft", "notes", "Draft", 0, is_complete=True)
    add("review", "notes", HOSTILE, 1)
    add("level4", "review", "Level four", 0)
    add("level5", "level4", "Level five", 0)
    add("tell", "follow_up", "Tell the team", 0)
    return Nested(task_id=task_id, **ids)
