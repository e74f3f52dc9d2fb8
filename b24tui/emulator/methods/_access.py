"""Who may do what with a task: the emulated portal's permission rules.

Roles are computed per caller: **creator** (or "director"), **responsible**, **accomplice**
(participant), **auditor** (observer) and portal **admin**. A *director* is the creator
or an admin; a *doer* is the responsible person or an accomplice. Anyone with a role,
an admin, or a member of the task's group may read the task.

Status rules (2 pending, 3 in progress, 4 awaiting control, 5 completed, 6 deferred):

==============  =====================  ==========================================
action          who                    in status
==============  =====================  ==========================================
start           director or doer       2
pause           director or doer       3
complete        director or doer       2, 3, 6 (→ 4 when task control is on and
                                       the caller is not the creator, else → 5)
defer           director or doer       2
renew           director or doer       6; 5 as well for directors, and for doers
                                       when task control is off
approve         director               4
disapprove      director               4
delegate        director or responsible  2, 3, 6
edit, remove    director               any
changeDeadline  director, or the responsible when allowChangeDeadline is on
checklist.*     director or doer       any (add, reorder, toggle, modify, remove)
elapsedtime.add director or doer       any
dayplan.timer.toggle  doer, with time tracking on, in 2 or 3
rate            director               any
favorite.*      anyone who can read    addFavorite when not yet a favourite
==============  =====================  ==========================================

An auditor who has no other role may read, watch, mute and favourite the task, and
nothing else: the portal refuses their status changes with the documented error.
"""

from __future__ import annotations

from dataclasses import dataclass

from b24tui.emulator.state import Portal, Task

ACTION_KEYS: tuple[str, ...] = (
    "accept",
    "decline",
    "complete",
    "approve",
    "disapprove",
    "start",
    "pause",
    "delegate",
    "remove",
    "edit",
    "defer",
    "renew",
    "create",
    "changeDeadline",
    "checklistAddItems",
    "addFavorite",
    "deleteFavorite",
    "rate",
    "take",
    "edit.originator",
    "checklist.reorder",
    "elapsedtime.add",
    "dayplan.timer.toggle",
    "edit.plan",
    "checklist.add",
    "favorite.add",
    "favorite.delete",
)
"""The keys of a v1 task's ``action`` object, in the portal's order."""


@dataclass(frozen=True)
class Roles:
    """A user's roles in one task."""

    read: bool
    creator: bool
    responsible: bool
    accomplice: bool
    auditor: bool
    admin: bool

    @property
    def director(self) -> bool:
        """Creator or admin: may edit, remove, approve."""
        return self.creator or self.admin

    @property
    def doer(self) -> bool:
        """Responsible or accomplice: does the work."""
        return self.responsible or self.accomplice

    @property
    def worker(self) -> bool:
        """May change the status and the checklist."""
        return self.director or self.doer


def roles(portal: Portal, user_id: int, task: Task) -> Roles:
    """``user_id``'s roles in ``task``."""
    return Roles(
        read=portal.can_read(user_id, task),
        creator=task.created_by == user_id,
        responsible=task.responsible_id == user_id,
        accomplice=user_id in task.accomplices,
        auditor=user_id in task.auditors,
        admin=portal.is_admin(user_id),
    )


def task_actions(portal: Portal, user_id: int, task: Task) -> dict[str, bool]:
    """The v1 ``action`` map of ``task`` for ``user_id`` (all false without read access)."""
    role = roles(portal, user_id, task)
    if not role.read or user_id not in portal.users:
        return dict.fromkeys(ACTION_KEYS, False)
    status = task.status
    worker = role.worker
    favorite = portal.is_favorite(user_id, task.id)
    renew = worker and (status == 6 or (status == 5 and (role.director or not task.task_control)))
    return {
        "accept": False,
        "decline": False,
        "complete": worker and status in (2, 3, 6),
        "approve": role.director and status == 4,
        "disapprove": role.director and status == 4,
        "start": worker and status == 2,
        "pause": worker and status == 3,
        "delegate": (role.director or role.responsible) and status in (2, 3, 6),
        "remove": role.director,
        "edit": role.director,
        "defer": worker and status == 2,
        "renew": renew,
        "create": True,
        "changeDeadline": role.director or (role.responsible and task.allow_change_deadline),
        "checklistAddItems": worker,
        "addFavorite": not favorite,
        "deleteFavorite": favorite,
        "rate": role.director,
        "take": False,
        "edit.originator": False,
        "checklist.reorder": worker,
        "elapsedtime.add": worker,
        "dayplan.timer.toggle": role.doer and task.allow_time_tracking and status in (2, 3),
        "edit.plan": worker,
        "checklist.add": worker,
        "favorite.add": not favorite,
        "favorite.delete": favorite,
    }


def checklist_actions(portal: Portal, user_id: int, task: Task) -> dict[str, bool]:
    """The ``action`` map of each checklist item of ``task`` for ``user_id``."""
    worker = roles(portal, user_id, task).worker and portal.can_read(user_id, task)
    return {
        "modify": worker,
        "remove": worker,
        "toggle": worker,
        "add": worker,
        "addAccomplice": worker,
    }


def v3_rights(portal: Portal, user_id: int, task: Task) -> dict[str, bool]:
    """The REST 3.0 ``rights`` map (``tasks.task.access.get``, ``rights`` in a task)."""
    role = roles(portal, user_id, task)
    action = task_actions(portal, user_id, task)
    read = role.read and user_id in portal.users
    worker = read and role.worker
    return {
        "read": read,
        "watch": read,
        "mute": read,
        "createResult": worker,
        "edit": action["edit"],
        "remove": action["remove"],
        "complete": action["complete"],
        "approve": action["approve"],
        "disapprove": action["disapprove"],
        "start": action["start"],
        "take": action["take"],
        "delegate": action["delegate"],
        "defer": action["defer"],
        "renew": action["renew"],
        "deadline": action["changeDeadline"],
        "datePlan": action["edit.plan"],
        "changeDirector": read and role.admin,
        "changeResponsible": action["edit"],
        "changeAccomplices": action["edit"],
        "pause": action["pause"],
        "timeTracking": action["dayplan.timer.toggle"],
        "mark": action["rate"],
        "changeStatus": worker,
        "reminder": read,
        "addAuditors": worker,
        "elapsedTime": action["elapsedtime.add"],
        "favorite": read,
        "checklistAdd": action["checklist.add"],
        "checklistEdit": worker,
        "checklistSave": worker,
        "checklistToggle": worker,
        "automate": action["edit"],
        "resultEdit": False,
        "completeResult": worker,
        "removeResult": False,
        "resultRead": read,
        "admin": read and role.admin,
        "createSubtask": read,
        "copy": read,
        "saveAsTemplate": read,
        "attachFile": worker,
        "detachFile": worker,
        "detachParent": action["edit"],
        "createGanttDependence": action["edit"],
        "sort": False,
    }
