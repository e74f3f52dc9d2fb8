"""The emulated portal's REST methods; importing this package registers them all."""

from b24tui.emulator.methods import (
    batch,
    checklist,
    comments,
    elapsed,
    system,
    task_fields,
    task_item,
    tasks,
    tasks_v3,
    timeman,
    users,
)

__all__ = [
    "batch",
    "checklist",
    "comments",
    "elapsed",
    "system",
    "task_fields",
    "task_item",
    "tasks",
    "tasks_v3",
    "timeman",
    "users",
]
