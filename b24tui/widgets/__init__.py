"""Reusable widgets: data comes in through methods and reactives, events go out as messages."""

from b24tui.widgets.app_footer import AppFooter
from b24tui.widgets.app_header import AppHeader
from b24tui.widgets.task_detail import TaskDetail
from b24tui.widgets.task_table import TaskTable

__all__ = ["AppFooter", "AppHeader", "TaskDetail", "TaskTable"]
