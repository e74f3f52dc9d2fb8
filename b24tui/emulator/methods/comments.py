"""Legacy ``task.commentitem.*`` methods, scope ``task``: a task's discussion.

Positional, like every ``task.*item.*`` method (:mod:`._legacy`). Who may do what, as
the pages tell it:

- anyone who may read the task reads its comments and adds one, under any author's
  name (``AUTHOR_ID``: the add page warns that any user may post for another);
- only the author updates a comment;
- the author or a portal administrator deletes one.

The task's ``COMMENTS_COUNT`` follows: adding counts one more, deleting one fewer, and
both appear in the task's history as ``COMMENT``.
"""

from __future__ import annotations

from typing import Any

from b24tui.emulator.errors import RestError
from b24tui.emulator.methods._common import fmt_dt, parse_dt, php_int
from b24tui.emulator.methods._legacy import LegacyArgs, matches, ordered, split_prefix
from b24tui.emulator.registry import REGISTRY, Call
from b24tui.emulator.state import Comment, Portal, Task

_PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "add": ("taskId", "arFields"),
    "update": ("taskId", "itemId", "arFields"),
    "delete": ("taskId", "itemId"),
    "get": ("taskId", "itemId"),
    "getlist": ("taskId", "arOrder", "arFilter"),
    "isactionallowed": ("taskId", "itemId", "actionId"),
}
WRITABLE = ("POST_MESSAGE", "AUTHOR_ID", "POST_DATE", "UF_FORUM_MESSAGE_DOC")
_ACTIONS = {1: "add", 2: "update", 3: "delete"}


def _args(call: Call, method: str) -> LegacyArgs:
    return LegacyArgs(call, "ctaskcommentitem", method, _PARAM_NAMES[method], end=".<br>")


def _core(text: str) -> RestError:
    return RestError(400, "ERROR_CORE", text + "<br>")


def _attached(portal: Portal, comment: Comment) -> dict[str, Any]:
    """``ATTACHED_OBJECTS``: the comment's files keyed by attachment id (``{}`` if none)."""
    objects: dict[str, Any] = {}
    for attachment_id in comment.files:
        attachment = portal.attachments[attachment_id]
        link = f"/bitrix/tools/disk/uf.php?attachedId={attachment.id}&action=%s&ncc=1"
        objects[str(attachment.id)] = {
            "ATTACHMENT_ID": str(attachment.id),
            "NAME": attachment.name,
            "SIZE": str(attachment.size),
            "FILE_ID": str(attachment.file_id),
            "DOWNLOAD_URL": link % "download",
            "VIEW_URL": link % "show",
        }
    return objects


def _author_name(portal: Portal, comment: Comment) -> str:
    user = portal.users.get(comment.author_id)
    return user.full_name if user else ""


def _row(portal: Portal, comment: Comment) -> dict[str, Any]:
    """A comment as ``get``/``getlist`` answer it (the pages' key order)."""
    return {
        "POST_MESSAGE_HTML": None,
        "ID": str(comment.id),
        "AUTHOR_ID": str(comment.author_id),
        "AUTHOR_NAME": _author_name(portal, comment),
        "AUTHOR_EMAIL": "",
        "POST_DATE": fmt_dt(comment.post_date, portal.tz),
        "POST_MESSAGE": comment.message,
        "ATTACHED_OBJECTS": _attached(portal, comment),
    }


def may(portal: Portal, user_id: int, comment: Comment, action: str) -> bool:
    """Whether ``user_id`` may ``update`` or ``delete`` ``comment``."""
    if action == "update":
        return comment.author_id == user_id
    return comment.author_id == user_id or portal.is_admin(user_id)


def _comment_of(portal: Portal, task: Task | None, item_id: int) -> Comment | None:
    comment = portal.comments.get(item_id)
    if task is None or comment is None or comment.task_id != task.id:
        return None
    return comment


def _fields(args: LegacyArgs, index: int) -> dict[str, Any]:
    """``arFields`` with UPPER keys; a key the method does not take is refused."""
    fields = args.array(index)
    upper = {str(key).upper(): value for key, value in fields.items()}
    for key in fields:
        if str(key).upper() not in WRITABLE:
            raise args.wrong_key(index, str(key))
    return upper


def _message(fields: dict[str, Any], refusal: str) -> str:
    message = str(fields.get("POST_MESSAGE") or "").strip()
    if not message:
        raise _core(refusal)
    return message


def _files(portal: Portal, fields: dict[str, Any], kept: list[int]) -> list[int]:
    files = portal.attachments_from(fields.get("UF_FORUM_MESSAGE_DOC"), kept)
    if files is None:
        raise _core("File not found.")
    return files


@REGISTRY.method("task.commentitem.add", scope="task")
def comment_add(call: Call) -> int:
    """``TASKID``, ``FIELDS`` (``POST_MESSAGE``; ``AUTHOR_ID``, ``POST_DATE``, files) → id."""
    args = _args(call, "add")
    task_id = args.integer(0)
    portal = call.portal
    fields = _fields(args, 1)
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        raise _core("Insufficient permissions to add a comment.")
    message = _message(fields, "Comment text is not specified.")
    author_id = php_int(fields.get("AUTHOR_ID")) or call.user_id
    if author_id not in portal.users:
        raise args.error(8, "Action failed")
    try:
        posted = parse_dt(fields.get("POST_DATE"), portal.tz) or portal.now()
    except ValueError:
        raise args.error(8, "Action failed") from None
    comment = Comment(
        id=portal.next_id("comment"),
        task_id=task.id,
        author_id=author_id,
        post_date=posted,
        message=message,
        files=_files(portal, fields, []),
    )
    portal.comments[comment.id] = comment
    task.comments_count += 1
    task.activity_date = portal.now()
    portal.record(task, "COMMENT", author_id, None, comment.id)
    return comment.id


@REGISTRY.method("task.commentitem.update", scope="task")
def comment_update(call: Call) -> bool:
    """``TASKID``, ``ITEMID``, ``FIELDS`` → ``true``; the author's own comment only."""
    args = _args(call, "update")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    portal = call.portal
    fields = _fields(args, 2)
    comment = _comment_of(portal, portal.visible_task(call.user_id, task_id), item_id)
    if comment is None or not may(portal, call.user_id, comment, "update"):
        raise args.error(4, "Action is not allowed")
    comment.message = _message(fields, "Comment text not specified.")
    if "UF_FORUM_MESSAGE_DOC" in fields:
        comment.files = _files(portal, fields, comment.files)
    return True


@REGISTRY.method("task.commentitem.delete", scope="task")
def comment_delete(call: Call) -> bool:
    """``TASKID``, ``ITEMID`` → ``true``; the author or an administrator."""
    args = _args(call, "delete")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    comment = _comment_of(portal, task, item_id)
    if task is None or comment is None or not may(portal, call.user_id, comment, "delete"):
        raise args.error(4, "Action is not allowed")
    del portal.comments[comment.id]
    task.comments_count = max(task.comments_count - 1, 0)
    portal.record(task, "COMMENT_DEL", call.user_id, comment.id, None)
    return True


@REGISTRY.method("task.commentitem.get", scope="task")
def comment_get(call: Call) -> dict[str, Any]:
    """``TASKID``, ``ITEMID`` → the comment."""
    args = _args(call, "get")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    portal = call.portal
    comment = _comment_of(portal, portal.visible_task(call.user_id, task_id), item_id)
    if comment is None:
        # Sic: the comment page documents the checklist's wording.
        raise args.error(512, "Check listitem not found or not accessible")
    return _row(portal, comment)


_SORTABLE: dict[str, Any] = {
    "ID": lambda pair: pair[0].id,
    "AUTHOR_ID": lambda pair: pair[0].author_id,
    "AUTHOR_NAME": lambda pair: pair[1]["AUTHOR_NAME"].lower(),
    "AUTHOR_EMAIL": lambda pair: pair[1]["AUTHOR_EMAIL"].lower(),
    "POST_DATE": lambda pair: pair[0].post_date,
}
_FILTERABLE: dict[str, Any] = {
    "ID": lambda pair: pair[0].id,
    "AUTHOR_ID": lambda pair: pair[0].author_id,
    "AUTHOR_NAME": lambda pair: pair[1]["AUTHOR_NAME"],
    "POST_DATE": lambda pair: pair[0].post_date,
}


@REGISTRY.method("task.commentitem.getlist", scope="task")
def comment_getlist(call: Call) -> list[dict[str, Any]]:
    """``TASKID``, ``ORDER`` (default ``ID desc``), ``FILTER`` → the task's comments."""
    args = _args(call, "getlist")
    task_id = args.integer(0)
    order = args.optional_array(1) or {"ID": "desc"}
    conditions = args.optional_array(2) or {}
    portal = call.portal
    tests = []
    for key, wanted in conditions.items():
        prefix, name = split_prefix(str(key))
        if name not in _FILTERABLE:
            raise args.wrong_key(2, str(key))
        tests.append((_FILTERABLE[name], prefix, wanted))
    task = portal.visible_task(call.user_id, task_id)
    if task is None:
        raise args.error(8, "Action failed")
    pairs = [(comment, _row(portal, comment)) for comment in portal.comments_of(task.id)]
    kept = [
        pair
        for pair in pairs
        if all(matches(value(pair), prefix, wanted, portal.tz) for value, prefix, wanted in tests)
    ]
    return [row for _, row in ordered(kept, order, _SORTABLE, args, 1)]


@REGISTRY.method("task.commentitem.isactionallowed", scope="task")
def comment_is_action_allowed(call: Call) -> bool:
    """``TASKID``, ``ITEMID``, ``ACTIONID`` (1 add, 2 update, 3 delete) → bool."""
    args = _args(call, "isactionallowed")
    args.check_all()
    task_id = args.integer(0)
    item_id = args.integer(1)
    action = _ACTIONS.get(args.integer(2))
    portal = call.portal
    task = portal.visible_task(call.user_id, task_id)
    if task is None or action is None:
        return False
    if action == "add":
        return True
    comment = _comment_of(portal, task, item_id)
    return comment is not None and may(portal, call.user_id, comment, action)
