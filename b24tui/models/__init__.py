"""Typed, frozen models parsed once from Bitrix24 JSON (v1 and v3 shapes)."""

from __future__ import annotations

from b24tui.models._coerce import ModelError
from b24tui.models.checklist import (
    ChecklistItem,
    ChecklistMember,
    ChecklistNode,
    MemberRole,
    build_checklist_tree,
)
from b24tui.models.task import (
    UNSET,
    HistoryEntry,
    Mark,
    Person,
    Priority,
    Task,
    TaskAccess,
    TaskActions,
    TaskChanges,
    TaskCounters,
    TaskGroup,
    TaskRole,
    TaskStatus,
    Unset,
)
from b24tui.models.user import InactiveProfileError, Profile, User
from b24tui.models.workday import Workday, WorkdaySettings, WorkdayStatus

__all__ = [
    "UNSET",
    "ChecklistItem",
    "ChecklistMember",
    "ChecklistNode",
    "HistoryEntry",
    "InactiveProfileError",
    "Mark",
    "MemberRole",
    "ModelError",
    "Person",
    "Priority",
    "Profile",
    "Task",
    "TaskAccess",
    "TaskActions",
    "TaskChanges",
    "TaskCounters",
    "TaskGroup",
    "TaskRole",
    "TaskStatus",
    "Unset",
    "User",
    "Workday",
    "WorkdaySettings",
    "WorkdayStatus",
    "build_checklist_tree",
]
