"""The client's namespaces: ``tasks``, ``checklist``, ``timeman``, ``users``, ``system``."""

from __future__ import annotations

from b24tui.api.resources.checklist import ChecklistResource
from b24tui.api.resources.system import MethodInfo, SystemResource
from b24tui.api.resources.tasks import TasksResource, WriteIntent
from b24tui.api.resources.timeman import TimemanResource
from b24tui.api.resources.users import UsersResource

__all__ = [
    "ChecklistResource",
    "MethodInfo",
    "SystemResource",
    "TasksResource",
    "TimemanResource",
    "UsersResource",
    "WriteIntent",
]
