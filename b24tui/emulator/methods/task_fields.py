"""``tasks.task.getfields`` (scope ``task``): the description of a task's fields.

The answer is the field table of the method's page, in its order and with its titles,
types, defaults and value lists. The page's portal also has a custom field
(``UF_NEW_TASKS_FIELD``); the emulated portal has none, so the three system ``UF_*``
fields end the list.
"""

from __future__ import annotations

import copy
from typing import Any

from b24tui.emulator.registry import REGISTRY, Call

_YES_NO = {"Y": "Yes", "N": "No"}
FIELDS: dict[str, dict[str, Any]] = {
    "ID": {"title": "ID", "type": "integer", "primary": True},
    "PARENT_ID": {"title": "Base Task ID", "type": "integer", "default": 0},
    "TITLE": {"title": "Title", "type": "string", "required": True},
    "DESCRIPTION": {"title": "Description", "type": "string"},
    "MARK": {
        "title": "Rating",
        "type": "enum",
        "values": {"N": "Negative", "P": "Positive"},
        "default": None,
    },
    "PRIORITY": {
        "title": "Priority",
        "type": "enum",
        "values": {"2": "High", "1": "Medium", "0": "Low"},
        "default": 1,
    },
    "STATUS": {
        "title": "Status",
        "type": "enum",
        "values": {
            "2": "Pending",
            "3": "In Progress",
            "4": "Awaiting Review",
            "5": "Completed",
            "6": "Deferred",
        },
        "default": 2,
    },
    "MULTITASK": {"title": "Multitask", "type": "enum", "values": _YES_NO, "default": "N"},
    "NOT_VIEWED": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "REPLICATE": {"title": "Recurring Task", "type": "enum", "values": _YES_NO, "default": "N"},
    "GROUP_ID": {"title": "Project", "type": "integer", "default": 0},
    "STAGE_ID": {"title": "Stage", "type": "integer", "default": 0},
    "SPRINT_ID": {"title": "Sprint", "type": "integer", "default": 0},
    "BACKLOG_ID": {"title": "Backlog", "type": "integer", "default": 0},
    "CREATED_BY": {"title": "Creator", "type": "integer", "required": True},
    "CREATED_DATE": {"title": None, "type": "datetime"},
    "RESPONSIBLE_ID": {"title": "Participant", "type": "integer", "required": True},
    "ACCOMPLICES": {"title": None, "type": "array"},
    "AUDITORS": {"title": None, "type": "array"},
    "CHANGED_BY": {"title": "Modified By", "type": "integer"},
    "CHANGED_DATE": {"title": "Modification Date", "type": "datetime"},
    "STATUS_CHANGED_BY": {"title": "Status Changed By", "type": "integer"},
    "STATUS_CHANGED_DATE": {"title": "Status Change Date", "type": "datetime"},
    "CLOSED_BY": {"title": "Closed By", "type": "integer", "default": None},
    "CLOSED_DATE": {"title": "Closure Date", "type": "datetime", "default": None},
    "ACTIVITY_DATE": {"title": None, "type": "datetime", "default": None},
    "DATE_START": {"title": "Start Date", "type": "datetime", "default": None},
    "DEADLINE": {"title": "Deadline", "type": "datetime", "default": None},
    "START_DATE_PLAN": {"title": "Planned Start", "type": "datetime", "default": None},
    "END_DATE_PLAN": {"title": "Planned Completion", "type": "datetime", "default": None},
    "GUID": {"title": "GUID", "type": "string", "default": None},
    "XML_ID": {"title": "XML_ID", "type": "string", "default": None},
    "COMMENTS_COUNT": {"title": "Number of Comments", "type": "integer", "default": 0},
    "SERVICE_COMMENTS_COUNT": {"title": None, "type": "integer", "default": 0},
    "NEW_COMMENTS_COUNT": {"title": None, "type": "integer", "default": 0},
    "ALLOW_CHANGE_DEADLINE": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "ALLOW_TIME_TRACKING": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "TASK_CONTROL": {"title": "Accept Work", "type": "enum", "values": _YES_NO, "default": "N"},
    "ADD_IN_REPORT": {"title": "Add to Report", "type": "enum", "values": _YES_NO, "default": "N"},
    "FORKED_BY_TEMPLATE_ID": {
        "title": "Created from Template",
        "type": "enum",
        "values": _YES_NO,
        "default": "N",
    },
    "TIME_ESTIMATE": {"title": "Estimated Time", "type": "integer"},
    "TIME_SPENT_IN_LOGS": {"title": "Time Spent from Change History", "type": "integer"},
    "MATCH_WORK_TIME": {"title": "Skip Weekends", "type": "integer"},
    "FORUM_TOPIC_ID": {"title": "FORUM_TOPIC_ID", "type": "integer"},
    "FORUM_ID": {"title": "FORUM_ID", "type": "integer"},
    "SITE_ID": {"title": "SITE_ID", "type": "string"},
    "SUBORDINATE": {
        "title": "Subordinate Task",
        "type": "enum",
        "values": _YES_NO,
        "default": None,
    },
    "FAVORITE": {"title": None, "type": "enum", "values": _YES_NO, "default": None},
    "EXCHANGE_MODIFIED": {"title": "EXCHANGE_MODIFIED", "type": "datetime", "default": None},
    "EXCHANGE_ID": {"title": "EXCHANGE_ID", "type": "integer", "default": None},
    "OUTLOOK_VERSION": {"title": "OUTLOOK_VERSION", "type": "integer", "default": None},
    "VIEWED_DATE": {"title": "Last Viewed Date", "type": "datetime"},
    "SORTING": {"title": "Sorting Index", "type": "double"},
    "DURATION_PLAN": {"title": "Spent (planned)", "type": "integer"},
    "DURATION_FACT": {"title": "Spent (actual)", "type": "integer"},
    "CHECKLIST": {"title": None, "type": "array"},
    "DURATION_TYPE": {
        "title": "DURATION_TYPE",
        "type": "enum",
        "values": ["secs", "mins", "hours", "days", "weeks", "months", "years"],
        "default": "days",
    },
    "IS_MUTED": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "IS_PINNED": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "IS_PINNED_IN_GROUP": {"title": None, "type": "enum", "values": _YES_NO, "default": "N"},
    "FLOW_ID": {"title": "Flow", "type": "integer", "default": 0},
    "UF_CRM_TASK": {"title": "CRM Entities", "type": "crm"},
    "UF_TASK_WEBDAV_FILES": {"title": "Upload Files", "type": "disk_file"},
    "UF_MAIL_MESSAGE": {"title": None, "type": "mail_message"},
}
"""Every task field: ``title`` (``None`` where the portal has none), ``type`` and, where
the page shows them, ``primary``, ``required``, ``default`` and ``values``."""


@REGISTRY.method("tasks.task.getfields", scope="task")
def task_getfields(call: Call) -> dict[str, Any]:
    """No parameters → ``{"fields": {name: description}}`` (a copy each call)."""
    return {"fields": copy.deepcopy(FIELDS)}
