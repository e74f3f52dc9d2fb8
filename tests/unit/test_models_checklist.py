"""Checklist items from legacy rows and task maps, and the tree the checklist screen shows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from b24tui.models import (
    ChecklistItem,
    ChecklistNode,
    MemberRole,
    ModelError,
    Task,
    build_checklist_tree,
)
from tests.pages import response_body

PLUS_TWO = timezone(timedelta(hours=2))


def item(item_id: int, parent_id: object, *, sort: int = 0, done: bool = False) -> ChecklistItem:
    """A legacy UPPER row as getlist sends it, parsed."""
    return ChecklistItem.from_api(
        {
            "ID": str(item_id),
            "TASK_ID": "1",
            "PARENT_ID": parent_id,
            "TITLE": f"item {item_id}",
            "SORT_INDEX": str(sort),
            "IS_COMPLETE": "Y" if done else "N",
        }
    )


def shape(nodes: tuple[ChecklistNode, ...]) -> list[Any]:
    """The tree as nested (id, children) pairs, for comparing structure at a glance."""
    return [(node.item.id, shape(node.children)) for node in nodes]


# --------------------------------------------------------------------------- doc examples


def test_getlist_example_builds_the_checklist_people_see() -> None:
    body = response_body("api-reference/tasks/checklist-item/task-checklist-item-get-list.md")
    items = ChecklistItem.many_from_api(body["result"])
    (checklist,) = build_checklist_tree(items)

    assert checklist.item.title == "Checklist 1"
    assert checklist.item.is_root  # PARENT_ID is the integer 0 here, strings elsewhere
    assert [child.item.title for child in checklist.children] == [
        "Find all documents for the client",
        "Agree on details with the client",
        "Prepare contract Sarah Johnson",
        "Sign contract",
    ]
    details = checklist.children[1]
    assert [child.item.title for child in details.children] == [
        "Arrange a meeting John Doe",
        "Prepare solution",
        "Agree with the manager Andrew Smith John Doe",
    ]
    assert (checklist.done, checklist.total) == (2, 7)
    assert (details.done, details.total) == (1, 3)


def test_getlist_example_reads_members_and_toggles() -> None:
    body = response_body("api-reference/tasks/checklist-item/task-checklist-item-get-list.md")
    by_id = {row.id: row for row in ChecklistItem.many_from_api(body["result"])}

    agree = by_id[469]
    assert [(m.name, m.role) for m in agree.members] == [
        ("Andrew Smith", MemberRole.ACCOMPLICE),
        ("John Doe", MemberRole.AUDITOR),
    ]
    assert by_id[431].toggled_by is None
    assert by_id[431].toggled_date is None  # "TOGGLED_DATE": ""
    assert by_id[477].toggled_by == 503
    assert by_id[477].toggled_date == datetime(2025, 11, 10, 15, 2, 30, tzinfo=PLUS_TWO)
    assert by_id[433].is_complete
    assert not by_id[477].is_complete
    assert by_id[477].task_id == 8017


def test_get_example_reads_an_important_item_with_attachments() -> None:
    body = response_body("api-reference/tasks/checklist-item/task-checklist-item-get.md")
    row = ChecklistItem.from_api(body["result"])
    assert row.id == 495
    assert row.parent_id == 457
    assert row.is_important
    assert row.sort_index == 4
    assert [m.name for m in row.members] == ["Andrew Brown", "Andrew Smith", "Jessica Johnson"]


def test_task_checklist_tree_and_map_agree() -> None:
    task_body = response_body("seed:000")["result"]["task"]
    from_tree = ChecklistItem.many_from_tree(task_body["checkListTree"])
    from_map = Task.from_v1(task_body).checklist

    def key(row: ChecklistItem) -> tuple[int, int, str, int, bool]:
        return (row.id, row.parent_id, row.title, row.sort_index, row.is_complete)

    assert sorted(map(key, from_tree)) == sorted(map(key, from_map))
    assert {row.task_id for row in from_tree} == {8017}


# --------------------------------------------------------------------------- items


def test_camel_case_entry_reads_like_an_upper_row() -> None:
    camel = ChecklistItem.from_api(
        {
            "id": "433",
            "taskId": "8017",
            "parentId": "431",
            "title": "First",
            "sortIndex": "0",
            "isComplete": "Y",
            "isImportant": "N",
            "toggledBy": "503",
            "toggledDate": "2025-09-10T17:00:00+02:00",
            "members": {"547": {"TYPE": "U", "NAME": "Heather"}},
        }
    )
    upper = ChecklistItem.from_api(
        {
            "ID": 433,
            "TASK_ID": 8017,
            "PARENT_ID": 431,
            "TITLE": "First",
            "SORT_INDEX": 0,
            "IS_COMPLETE": True,
            "IS_IMPORTANT": False,
            "TOGGLED_BY": 503,
            "TOGGLED_DATE": "2025-09-10T17:00:00+02:00",
            "MEMBERS": [{"ID": "547", "TYPE": "U", "NAME": "Heather"}],
        }
    )
    assert camel == upper
    assert camel.members[0].id == 547


@pytest.mark.parametrize("parent", [0, "0", None, ""])
def test_every_spelling_of_no_parent_is_a_root(parent: object) -> None:
    assert item(1, parent).is_root


def test_item_without_id_names_the_field() -> None:
    with pytest.raises(ModelError, match=r"^ID:"):
        ChecklistItem.from_api({"TITLE": "nameless", "PARENT_ID": 0})


def test_task_id_is_filled_in_when_the_row_leaves_it_out() -> None:
    row = ChecklistItem.from_api({"id": 5, "parentId": 0, "title": "x"}, task_id=99)
    assert row.task_id == 99


def test_empty_results_give_no_items() -> None:
    assert ChecklistItem.many_from_api([]) == ()
    assert ChecklistItem.many_from_api(None) == ()
    assert build_checklist_tree([]) == ()


# --------------------------------------------------------------------------- the tree


def test_children_are_ordered_by_sort_index_then_id() -> None:
    items = [item(1, 0), item(5, 1, sort=2), item(4, 1, sort=1), item(3, 1, sort=1), item(2, 0)]
    assert shape(build_checklist_tree(items)) == [(1, [(3, []), (4, []), (5, [])]), (2, [])]


def test_roots_are_ordered_by_sort_index() -> None:
    items = [item(10, 0, sort=5), item(20, "0", sort=1)]
    assert [node.item.id for node in build_checklist_tree(items)] == [20, 10]


def test_tree_goes_four_levels_deep_with_counts_at_each() -> None:
    items = [
        item(1, 0),
        item(2, 1, done=True),
        item(3, 2),
        item(4, 3, done=True),
        item(5, 3, sort=1, done=True),
        item(6, 1, sort=1),
    ]
    (root,) = build_checklist_tree(items)
    assert shape((root,)) == [(1, [(2, [(3, [(4, []), (5, [])])]), (6, [])])]
    assert (root.done, root.total) == (3, 5)
    level2 = root.children[0]
    assert (level2.done, level2.total) == (2, 3)
    level3 = level2.children[0]
    assert (level3.done, level3.total) == (2, 2)
    leaf = level3.children[0]
    assert (leaf.done, leaf.total) == (0, 0)
    assert [(depth, node.item.id) for depth, node in root.walk()] == [
        (0, 1),
        (1, 2),
        (2, 3),
        (3, 4),
        (3, 5),
        (1, 6),
    ]


def test_orphans_become_roots_after_the_real_ones() -> None:
    items = [item(7, 999, sort=0), item(1, 0), item(2, 1), item(8, 7)]
    assert shape(build_checklist_tree(items)) == [(1, [(2, [])]), (7, [(8, [])])]


def test_self_parent_and_cycles_end_and_keep_every_item() -> None:
    items = [item(1, 0), item(2, 3), item(3, 2), item(4, 4), item(5, 3)]
    forest = build_checklist_tree(items)
    seen = [node.item.id for root in forest for _, node in root.walk()]
    assert sorted(seen) == [1, 2, 3, 4, 5]
    assert len(seen) == len(set(seen))


def test_repeated_ids_keep_the_first_item() -> None:
    first = item(2, 1)
    forest = build_checklist_tree([item(1, 0), first, item(2, 0)])
    assert shape(forest) == [(1, [(2, [])])]


def test_a_very_deep_chain_does_not_exhaust_the_stack() -> None:
    depth = 5000
    items = [item(1, 0)] + [item(n, n - 1, done=n % 2 == 0) for n in range(2, depth + 1)]
    (root,) = build_checklist_tree(items)
    assert root.total == depth - 1
    assert root.done == depth // 2
