"""Checklists: items from ``task.checklistitem.*`` and the task's ``checklist`` map, as a tree.

A task's checklist is a forest: each root item (``PARENT_ID`` 0) is a checklist whose
title is the checklist's name; items hang under it and sub-items under items. The docs
speak of three levels; `build_checklist_tree` takes any depth, and never drops an item
whose parent is missing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from b24tui.models._coerce import (
    first_key,
    require_id,
    require_mapping,
    to_bool,
    to_datetime,
    to_int,
    to_list,
    to_str,
    to_timestamp,
)

__all__ = [
    "ChecklistItem",
    "ChecklistMember",
    "ChecklistNode",
    "ChecklistRights",
    "MemberRole",
    "build_checklist_tree",
]


class MemberRole(enum.StrEnum):
    """How a checklist item's member takes part: ``A`` accomplice, ``U`` auditor."""

    ACCOMPLICE = "A"
    AUDITOR = "U"


@dataclass(frozen=True, slots=True)
class ChecklistMember:
    """A person attached to a checklist item (also added to the task in the same role)."""

    id: int
    role: MemberRole
    name: str = ""
    image: str = ""

    @classmethod
    def from_api(cls, data: object, *, fallback_id: int | None = None) -> ChecklistMember | None:
        """From a ``MEMBERS`` entry (UPPER or camelCase); None when it names nobody."""
        if not isinstance(data, Mapping):
            return None
        member_id = to_int(first_key(data, "ID", "id", "userId", "USER_ID"), "MEMBERS.ID")
        member_id = member_id or fallback_id
        if not member_id:
            return None
        kind = to_str(first_key(data, "TYPE", "type"), "MEMBERS.TYPE").upper()
        return cls(
            id=member_id,
            role=MemberRole.AUDITOR if kind == "U" else MemberRole.ACCOMPLICE,
            name=to_str(first_key(data, "NAME", "name"), "MEMBERS.NAME"),
            image=to_str(first_key(data, "IMAGE", "image"), "MEMBERS.IMAGE"),
        )


def _members(raw: object) -> tuple[ChecklistMember, ...]:
    """Members from a list, or from a map keyed by user id; ``[]``/null give none."""
    found: list[ChecklistMember] = []
    if isinstance(raw, Mapping):
        for key, entry in raw.items():
            member = ChecklistMember.from_api(entry, fallback_id=to_int(key, "MEMBERS"))
            if member is not None:
                found.append(member)
    else:
        for entry in to_list(raw, "MEMBERS"):
            member = ChecklistMember.from_api(entry)
            if member is not None:
                found.append(member)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One checklist item; a root item (`parent_id` 0) is a checklist of its own.

    Attributes:
        parent_id: The parent item's id; 0 for a checklist (a root).
        sort_index: Order among siblings, smaller first.
        toggled_by: Who last completed or renewed it, None if nobody ever did.
        toggled_date: When, None if never.
    """

    id: int
    task_id: int
    parent_id: int
    title: str
    sort_index: int = 0
    is_complete: bool = False
    is_important: bool = False
    created_by: int = 0
    toggled_by: int | None = None
    toggled_date: datetime | None = None
    members: tuple[ChecklistMember, ...] = ()

    @property
    def is_root(self) -> bool:
        """Whether the item is a checklist (``PARENT_ID`` 0)."""
        return self.parent_id == 0

    def to_v1(self) -> dict[str, Any]:
        """This item as an entry of a task's camelCase ``checklist`` map (`from_api` reads it)."""
        return {
            "id": str(self.id),
            "taskId": str(self.task_id),
            "parentId": str(self.parent_id),
            "title": self.title,
            "sortIndex": str(self.sort_index),
            "isComplete": "Y" if self.is_complete else "N",
            "isImportant": "Y" if self.is_important else "N",
            "createdBy": str(self.created_by),
            "toggledBy": None if self.toggled_by is None else str(self.toggled_by),
            "toggledDate": None if self.toggled_date is None else to_timestamp(self.toggled_date),
            "members": [
                {"ID": str(m.id), "TYPE": m.role.value, "NAME": m.name, "IMAGE": m.image}
                for m in self.members
            ],
        }

    @classmethod
    def from_api(cls, data: object, *, task_id: int | None = None) -> ChecklistItem:
        """From a legacy UPPER row (``getlist``/``get``) or a camelCase ``checklist`` entry.

        Also reads the ``fields`` of a ``checkListTree`` node. `task_id` fills in
        ``TASK_ID`` when the row leaves it out.

        Raises:
            ModelError: The item has no id, or a field has an impossible value.
        """
        raw: Mapping[str, Any] = require_mapping(data, "checklist item")

        def get(upper: str, camel: str) -> Any:
            return first_key(raw, upper, camel)

        item_task_id = to_int(get("TASK_ID", "taskId"), "TASK_ID")
        if item_task_id is None:
            item_task_id = to_int(get("ENTITY_ID", "entityId"), "ENTITY_ID")
        return cls(
            id=require_id(raw, "ID", "id"),
            task_id=item_task_id or task_id or 0,
            parent_id=max(to_int(get("PARENT_ID", "parentId"), "PARENT_ID") or 0, 0),
            title=to_str(get("TITLE", "title"), "TITLE"),
            sort_index=to_int(get("SORT_INDEX", "sortIndex"), "SORT_INDEX") or 0,
            is_complete=to_bool(get("IS_COMPLETE", "isComplete"), "IS_COMPLETE"),
            is_important=to_bool(get("IS_IMPORTANT", "isImportant"), "IS_IMPORTANT"),
            created_by=to_int(get("CREATED_BY", "createdBy"), "CREATED_BY") or 0,
            toggled_by=to_int(get("TOGGLED_BY", "toggledBy"), "TOGGLED_BY") or None,
            toggled_date=to_datetime(get("TOGGLED_DATE", "toggledDate"), "TOGGLED_DATE"),
            members=_members(get("MEMBERS", "members")),
        )

    @classmethod
    def many_from_api(
        cls, result: object, *, task_id: int | None = None
    ) -> tuple[ChecklistItem, ...]:
        """Every item of a ``getlist`` result or a task's ``checklist`` map (``[]`` → none)."""
        return tuple(
            cls.from_api(entry, task_id=task_id)
            for entry in to_list(result, "result")
            if isinstance(entry, Mapping)
        )

    @classmethod
    def many_from_tree(
        cls, tree: object, *, task_id: int | None = None
    ) -> tuple[ChecklistItem, ...]:
        """Every item of a task's nested ``checkListTree`` (the id-less root is skipped)."""
        found: list[ChecklistItem] = []
        pending: list[object] = [tree]
        while pending:
            node = pending.pop()
            if not isinstance(node, Mapping):
                continue
            fields = node.get("fields")
            if isinstance(fields, Mapping) and to_int(fields.get("id"), "fields.id"):
                found.append(cls.from_api(fields, task_id=task_id))
            pending.extend(reversed(to_list(node.get("descendants"), "descendants")))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class ChecklistNode:
    """An item with its children, and the done/total counts of all its descendants.

    Attributes:
        done: How many descendants (at any depth) are complete.
        total: How many descendants there are (at any depth).
    """

    item: ChecklistItem
    children: tuple[ChecklistNode, ...] = ()
    done: int = field(init=False, default=0)
    total: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        done = sum(child.done + int(child.item.is_complete) for child in self.children)
        total = sum(child.total + 1 for child in self.children)
        object.__setattr__(self, "done", done)
        object.__setattr__(self, "total", total)

    @property
    def is_complete(self) -> bool:
        """Whether the item itself is ticked."""
        return self.item.is_complete

    def walk(self) -> Iterator[tuple[int, ChecklistNode]]:
        """This node and its descendants, depth first, with their depth (this node is 0)."""
        pending: list[tuple[int, ChecklistNode]] = [(0, self)]
        while pending:
            depth, node = pending.pop()
            yield depth, node
            pending.extend((depth + 1, child) for child in reversed(node.children))


@dataclass(frozen=True, slots=True)
class ChecklistRights:
    """What I may do to a task's checklist items (``task.checklistitem.isactionallowed``).

    The portal answers per item; an item's rights follow the task and my role in it, so
    one item's answer stands for every item of the task.
    """

    modify: bool = False
    """Edit a title, mark important (``ACTIONID`` 2)."""
    remove: bool = False
    """Delete an item (3)."""
    toggle: bool = False
    """Tick or untick (4: ``complete``/``renew``)."""


def _order(item: ChecklistItem) -> tuple[int, int]:
    return item.sort_index, item.id


def build_checklist_tree(items: Iterable[ChecklistItem]) -> tuple[ChecklistNode, ...]:
    """The checklists of a task as trees: roots are items with ``PARENT_ID`` 0.

    Children are ordered by sort index, then id, at any depth. An item whose parent is not
    among `items` (or is itself) becomes a root after the real ones, never dropped. Items
    caught in a parent cycle are cut out of the cycle at their smallest sort position and
    shown as roots too, so the build always ends. Repeated ids keep the first item.
    """
    by_id: dict[int, ChecklistItem] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    children: dict[int, list[ChecklistItem]] = {}
    roots: list[ChecklistItem] = []
    orphans: list[ChecklistItem] = []
    for item in by_id.values():
        if item.is_root:
            roots.append(item)
        elif item.parent_id == item.id or item.parent_id not in by_id:
            orphans.append(item)
        else:
            children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=_order)

    visited: set[int] = set()

    def build(top: ChecklistItem) -> ChecklistNode:
        # Post-order without recursion: deep or hostile data cannot overflow the stack.
        visited.add(top.id)
        built: dict[int, ChecklistNode] = {}
        stack: list[tuple[ChecklistItem, bool]] = [(top, False)]
        while stack:
            item, expanded = stack.pop()
            kids = [kid for kid in children.get(item.id, ()) if kid.id not in built]
            if expanded:
                built[item.id] = ChecklistNode(
                    item,
                    tuple(built[kid.id] for kid in children.get(item.id, ()) if kid.id in built),
                )
                continue
            stack.append((item, True))
            for kid in reversed(kids):
                if kid.id not in visited:
                    visited.add(kid.id)
                    stack.append((kid, False))
        return built[top.id]

    forest = [build(item) for item in sorted(roots, key=_order)]
    forest.extend(build(item) for item in sorted(orphans, key=_order) if item.id not in visited)
    # Whatever is still unvisited sits in a cycle: cut each cycle at its first item.
    for item in sorted(by_id.values(), key=_order):
        if item.id not in visited:
            forest.append(build(item))
    return tuple(forest)
