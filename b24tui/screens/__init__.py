"""The app's screens, one per module."""

from b24tui.screens.dashboard import DashboardScreen
from b24tui.screens.task_detail import TaskDetailScreen

__all__ = ["DashboardScreen", "TaskDetailScreen"]
