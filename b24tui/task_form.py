"""The task form's model: what the form holds, what it sends, where an error belongs, what a
conflict is, and the drafts that keep typed text between runs.

Headless: no Textual here. The form (:mod:`b24tui.screens.task_form`) holds a
:class:`FormValues`, compares it with the values it opened with, and sends only the
difference as :class:`~b24tui.models.TaskChanges`. The portal's errors name fields in its
own spelling (``responsibleId``, ``RESPONSIBLE_ID``); :func:`field_of` finds the form's field
for each, and :func:`readable` says the message in a person's words.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from b24tui.models import Priority, Task, TaskChanges
from b24tui.state import write_atomically

__all__ = [
    "DRAFT_VERSION",
    "FIELD_LABELS",
    "FORM_FIELDS",
    "Conflict",
    "Draft",
    "DraftBox",
    "FormValues",
    "conflicts_between",
    "field_of",
    "readable",
]

log = logging.getLogger(__name__)

FORM_FIELDS: Final = (
    "title",
    "description",
    "deadline",
    "priority",
    "responsible",
    "accomplices",
    "auditors",
    "group",
)
"""The form's fields, top to bottom."""

FIELD_LABELS: Final[Mapping[str, str]] = {
    "title": "Title",
    "description": "Description",
    "deadline": "Deadline",
    "priority": "Priority",
    "responsible": "Responsible",
    "accomplices": "Accomplices",
    "auditors": "Auditors",
    "group": "Group",
    "parent": "Parent task",
    "start_plan": "Planned start",
    "end_plan": "Planned end",
    "creator": "Creator",
    "id": "Task",
}
"""Each field's label, as the form shows it (and fields the form has no row for)."""

_PORTAL_NAMES: Final[Mapping[str, str]] = {
    "title": "title",
    "description": "description",
    "deadline": "deadline",
    "priority": "priority",
    "responsibleid": "responsible",
    "responsible_id": "responsible",
    "accomplices": "accomplices",
    "auditors": "auditors",
    "groupid": "group",
    "group_id": "group",
    "parentid": "parent",
    "parent_id": "parent",
    "startplan": "start_plan",
    "start_date_plan": "start_plan",
    "endplan": "end_plan",
    "end_date_plan": "end_plan",
    "creatorid": "creator",
    "created_by": "creator",
    "id": "id",
    "taskid": "id",
}
"""The portal's field names, v3 camelCase and v1 UPPER_SNAKE folded, to the form's."""


def field_of(portal_name: str) -> str | None:
    """The form's field for a field the portal named (``responsibleId``, ``RESPONSIBLE_ID``,
    ``fields.title``); ``None`` when the form knows no such field."""
    name = portal_name.strip().rsplit(".", 1)[-1].strip("`'\"[] ").casefold()
    return _PORTAL_NAMES.get(name)


_TYPE_WORDS: Final[Mapping[str, str]] = {
    "int": "a number",
    "integer": "a number",
    "string": "text",
    "bool": "yes or no",
    "boolean": "yes or no",
    "array": "a list",
    "datetime": "a date and time",
    "date": "a date",
}


def readable(portal_name: str, message: str) -> str:
    """The portal's validation ``message`` about ``portal_name`` in a person's words.

    The portal writes for developers ("In DTO `TaskDto`, the field `creatorId` requires the
    presence of the `Editable` attribute for such a request"); the form says what it means.
    A message this does not know is shown as the portal wrote it.
    """
    text = " ".join(message.split())
    lowered = text.casefold()
    if "editable" in lowered:
        return "cannot be changed"
    if "is missing" in lowered or lowered.startswith("required field"):
        return "is required"
    typed = re.search(r"requires data type\s+`?([A-Za-z]+)`?", text)
    if typed is not None:
        kind = typed.group(1).casefold()
        return f"must be {_TYPE_WORDS.get(kind, kind)}"
    if "not found" in lowered and "user" in lowered:
        return "no such person on the portal"
    if "not found" in lowered and "task" in lowered:
        return "no such task on the portal"
    if "to itself" in lowered:
        return "cannot be the task itself"
    if "earlier than the start" in lowered:
        return "is earlier than the planned start"
    if "too long" in lowered:
        return "makes the task too long"
    return text


@dataclass(frozen=True)
class FormValues:
    """What the form holds, field by field.

    ``deadline_text`` is what was typed; the moment it means is parsed by the form (the
    text is kept so that a draft gives back exactly what was typed).
    """

    title: str = ""
    description: str = ""
    deadline: datetime | None = None
    deadline_text: str = ""
    priority: Priority = Priority.AVERAGE
    responsible_id: int | None = None
    """``None`` on a new task: the person signed in."""
    accomplices: tuple[int, ...] = ()
    auditors: tuple[int, ...] = ()
    group_id: int | None = None

    @classmethod
    def of_task(cls, task: Task, *, deadline_text: str = "") -> FormValues:
        """The values of ``task`` as the portal has it."""
        return cls(
            title=task.title,
            description=task.description,
            deadline=task.deadline,
            deadline_text=deadline_text,
            priority=task.priority,
            responsible_id=task.responsible_id,
            accomplices=task.accomplices,
            auditors=task.auditors,
            group_id=task.group_id or None,
        )

    def differing(self, other: FormValues) -> frozenset[str]:
        """The form's fields whose values differ between ``self`` and ``other`` (what was
        typed for the deadline does not count, the moment it means does)."""
        pairs = {
            "title": (self.title, other.title),
            "description": (self.description, other.description),
            "deadline": (_minute(self.deadline), _minute(other.deadline)),
            "priority": (self.priority, other.priority),
            "responsible": (self.responsible_id, other.responsible_id),
            "accomplices": (sorted(self.accomplices), sorted(other.accomplices)),
            "auditors": (sorted(self.auditors), sorted(other.auditors)),
            "group": (self.group_id or None, other.group_id or None),
        }
        return frozenset(name for name, (mine, theirs) in pairs.items() if mine != theirs)

    def changes_from(self, base: FormValues) -> TaskChanges:
        """What to send: the fields that differ from ``base``, and nothing else."""
        changed = self.differing(base)
        changes = TaskChanges()
        if "title" in changed:
            changes = replace(changes, title=self.title)
        if "description" in changed:
            changes = replace(changes, description=self.description)
        if "deadline" in changed:
            changes = replace(changes, deadline=self.deadline)
        if "priority" in changed:
            changes = replace(changes, priority=self.priority)
        if "responsible" in changed and self.responsible_id is not None:
            changes = replace(changes, responsible_id=self.responsible_id)
        if "accomplices" in changed:
            changes = replace(changes, accomplices=self.accomplices)
        if "auditors" in changed:
            changes = replace(changes, auditors=self.auditors)
        if "group" in changed:
            changes = replace(changes, group_id=self.group_id)
        return changes

    def new_task_changes(self) -> TaskChanges:
        """What to send for a new task: the fields filled in, and nothing else."""
        changes = TaskChanges(title=self.title)
        if self.description:
            changes = replace(changes, description=self.description)
        if self.deadline is not None:
            changes = replace(changes, deadline=self.deadline)
        if self.priority is not Priority.AVERAGE:
            changes = replace(changes, priority=self.priority)
        if self.responsible_id is not None:
            changes = replace(changes, responsible_id=self.responsible_id)
        if self.accomplices:
            changes = replace(changes, accomplices=self.accomplices)
        if self.auditors:
            changes = replace(changes, auditors=self.auditors)
        if self.group_id:
            changes = replace(changes, group_id=self.group_id)
        return changes

    def taking(self, other: FormValues, names: Iterable[str]) -> FormValues:
        """These values with the fields ``names`` taken from ``other``."""
        values = self
        for name in names:
            values = replace(values, **{attr: getattr(other, attr) for attr in _ATTRS[name]})
        return values

    def to_json(self) -> dict[str, Any]:
        """The draft file's form of the values."""
        return {
            "title": self.title,
            "description": self.description,
            "deadline": self.deadline.isoformat() if self.deadline is not None else None,
            "deadline_text": self.deadline_text,
            "priority": int(self.priority),
            "responsible_id": self.responsible_id,
            "accomplices": list(self.accomplices),
            "auditors": list(self.auditors),
            "group_id": self.group_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FormValues:
        """Values read back from a draft file.

        Raises:
            ValueError: the data is not of the draft's shape.
        """
        deadline = data.get("deadline")
        return cls(
            title=_text(data.get("title")),
            description=_text(data.get("description")),
            deadline=datetime.fromisoformat(deadline) if isinstance(deadline, str) else None,
            deadline_text=_text(data.get("deadline_text")),
            priority=Priority(int(data.get("priority", 1))),
            responsible_id=_id_or_none(data.get("responsible_id")),
            accomplices=_ids(data.get("accomplices")),
            auditors=_ids(data.get("auditors")),
            group_id=_id_or_none(data.get("group_id")),
        )


_ATTRS: Final[Mapping[str, tuple[str, ...]]] = {
    "title": ("title",),
    "description": ("description",),
    "deadline": ("deadline", "deadline_text"),
    "priority": ("priority",),
    "responsible": ("responsible_id",),
    "accomplices": ("accomplices",),
    "auditors": ("auditors",),
    "group": ("group_id",),
}


def _minute(moment: datetime | None) -> datetime | None:
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _id_or_none(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an id")
    return value


def _ids(value: object) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("not a list of ids")
    return tuple(_id_or_none(item) or 0 for item in value if item)


@dataclass(frozen=True)
class Conflict:
    """The task changed on the portal since the form opened: what each side has now.

    ``fields`` are those both changed (differently): the person chooses for each.
    ``theirs_only`` are those only the portal changed, taken into the form as they are.
    """

    base: FormValues
    mine: FormValues
    theirs: FormValues
    fields: tuple[str, ...]
    theirs_only: tuple[str, ...]
    changed_by: int | None = None
    changed_at: datetime | None = None

    def resolved(self, take_theirs: frozenset[str] | set[str]) -> FormValues:
        """The form's values after choosing: the portal's for ``take_theirs`` and for what
        only the portal changed, mine for the rest."""
        return self.mine.taking(self.theirs, set(take_theirs) | set(self.theirs_only))


def conflicts_between(base: FormValues, mine: FormValues, theirs: FormValues) -> Conflict:
    """Compare what the form opened with (``base``), what it holds (``mine``) and what the
    portal has now (``theirs``)."""
    changed_here = mine.differing(base)
    changed_there = theirs.differing(base)
    both = changed_here & changed_there & mine.differing(theirs)
    only_there = changed_there - changed_here
    return Conflict(
        base=base,
        mine=mine,
        theirs=theirs,
        fields=tuple(name for name in FORM_FIELDS if name in both),
        theirs_only=tuple(name for name in FORM_FIELDS if name in only_there),
    )


# --- drafts -------------------------------------------------------------------------------

DRAFT_VERSION: Final = 1
"""The draft file's format; a draft of another version is ignored."""


@dataclass(frozen=True)
class Draft:
    """What the form held when it was left unsaved."""

    values: FormValues
    base_changed: datetime | None = None
    """The task's ``changedDate`` when the form opened (a conflict check's start)."""
    saved_at: datetime | None = None
    """When the draft was last written."""
    base: FormValues | None = None
    """What the task was when the form opened (to tell what was typed from what was not)."""


class DraftBox:
    """Drafts of one profile: one small JSON file per task (and one for a new task), in a
    directory only the person can read. Drafts hold the person's own typing, never a secret.

    A draft that cannot be read is ignored with a log line; one that cannot be written is
    logged and dropped: the form still holds the text.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def beside(cls, state_file: Path) -> DraftBox:
        """The drafts kept next to a profile's remembered choices."""
        return cls(state_file.with_name(f"{state_file.stem}-drafts"))

    def _path(self, task_id: int | None) -> Path:
        return self.directory / (f"task-{task_id}.json" if task_id else "new-task.json")

    def load(self, task_id: int | None) -> Draft | None:
        """The draft left for ``task_id`` (``None``: a new task), if there is one."""
        path = self._path(task_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("ignoring the draft in %s: %s", path, error)
            return None
        try:
            if not isinstance(data, dict) or data.get("version") != DRAFT_VERSION:
                raise ValueError("not a draft of this version")
            base = data.get("base")
            return Draft(
                values=FormValues.from_json(data["values"]),
                base_changed=_moment(data.get("base_changed")),
                saved_at=_moment(data.get("saved_at")),
                base=FormValues.from_json(base) if isinstance(base, dict) else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            log.warning("ignoring the draft in %s: %s", path, error)
            return None

    def save(self, task_id: int | None, draft: Draft) -> None:
        """Keep ``draft`` for ``task_id``; the file is replaced whole, readable by its owner."""
        data = {
            "version": DRAFT_VERSION,
            "values": draft.values.to_json(),
            "base": draft.base.to_json() if draft.base is not None else None,
            "base_changed": draft.base_changed.isoformat() if draft.base_changed else None,
            "saved_at": draft.saved_at.isoformat() if draft.saved_at else None,
        }
        try:
            write_atomically(
                self._path(task_id), json.dumps(data, ensure_ascii=False, indent=1), private=True
            )
        except OSError as error:
            log.warning("cannot keep the draft in %s: %s", self.directory, error)

    def discard(self, task_id: int | None) -> None:
        """Forget the draft for ``task_id`` (saved, or given up)."""
        try:
            self._path(task_id).unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot remove the draft in %s: %s", self.directory, error)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None
