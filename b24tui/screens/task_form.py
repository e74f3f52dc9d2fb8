"""Edit a task, or create one: the form where nothing typed is ever lost.

The form opens with the title focused. `ctrl+s` saves: only the fields changed are sent
(the client picks REST 3.0 or the classic API, and carries one idempotency key per save
the person asks for, so a save whose answer was lost is sent again safely). Before an edit
is sent the task is read again: if it changed on the portal since the form opened, the
person sees who changed what and chooses (:class:`~b24tui.screens.task_conflict.
ConflictScreen`). A failed save keeps everything typed, says why at the field the portal
named or under the form, and `ctrl+s` tries again. What is typed is kept as a draft while
the form is open; a form left unsaved (the app closed, the terminal gone) offers it back
the next time it opens on that task.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.worker import Worker

import b24tui.deadline as deadlines
from b24tui.actions import load_users
from b24tui.api import AccessDenied, B24Error, NotFound, OutcomeUnknown, ValidationError
from b24tui.api.resources.tasks import WriteIntent
from b24tui.humanize import zone_named
from b24tui.models import Priority, Task, TaskChanges, User
from b24tui.screens.base import PortalScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.task_conflict import ConflictScreen
from b24tui.screens.user_picker import PeoplePickerScreen, UserPickerScreen
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.task_form import (
    FIELD_LABELS,
    Conflict,
    Draft,
    FormValues,
    conflicts_between,
    field_of,
    readable,
)
from b24tui.text import clean
from b24tui.widgets import AppFooter, AppHeader

__all__ = ["NOT_FOUND_TEXT", "EditorFailed", "TaskFormScreen", "run_editor"]

NOT_FOUND_TEXT = "Task not found or you have no access"
SHORT_SCREEN = 32
"""Below this many rows the description is shorter and the rows close up."""
DRAFT_DELAY = 1.0
"""Seconds of quiet after typing before the draft is written."""

Editor = Callable[[str], str]
"""Edits a text outside the app and gives it back (raises :class:`EditorFailed`)."""


class EditorFailed(Exception):
    """The editor could not be run, or did not finish; the message says which, in words."""


def run_editor(text: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Edit ``text`` in ``$VISUAL`` or ``$EDITOR`` (``vi`` when neither is set) and read it
    back. The text lives meanwhile in a file only its owner can read, removed afterwards.

    Raises:
        EditorFailed: The editor is not installed, could not start, or exited with an error.
    """
    env = os.environ if environ is None else environ
    chosen = env.get("VISUAL") or env.get("EDITOR") or "vi"
    try:
        command = shlex.split(chosen)
    except ValueError:
        command = []
    if not command:
        raise EditorFailed(f"$EDITOR cannot be run as written: {chosen!r}")
    handle, name = tempfile.mkstemp(prefix="b24tui-description-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            finished = subprocess.run([*command, name], check=False)
        except FileNotFoundError:
            raise EditorFailed(
                f"No editor {command[0]!r} here: set $EDITOR to one you have"
            ) from None
        except OSError as error:
            raise EditorFailed(f"{command[0]} could not start: {error.strerror}") from None
        if finished.returncode != 0:
            raise EditorFailed(f"{command[0]} exited with status {finished.returncode}")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EditorFailed(f"The edited text could not be read back: {error}") from None
    finally:
        path.unlink(missing_ok=True)


class TaskFormScreen(PortalScreen[int | None]):
    """The form for the task ``task_id``, or for a new task when it is ``None``.

    Dismisses with the id of the task saved, or ``None`` when nothing was saved.
    """

    CSS_PATH = "task_form.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form_save"),
        Binding("escape", "cancel", "Cancel", id="form_cancel"),
        Binding("ctrl+e", "editor", "$EDITOR", priority=True, id="form_editor"),
        Binding("ctrl+r", "restore_draft", "Restore", priority=True, id="form_restore"),
        # Moving between fields is a priority key: the app handles it as it reads it, so
        # that the keys after it (typed quickly, or arriving in one read over SSH) go to
        # the next field, not to the one the key was typed in.
        Binding("tab", "next_field", "Next field", show=False, priority=True, id="form_next"),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            show=False,
            priority=True,
            id="form_previous",
        ),
    ]

    AUTO_FOCUS = "#form-title"

    def __init__(
        self, services: Services, task_id: int | None = None, *, editor: Editor | None = None
    ) -> None:
        super().__init__(services)
        self.task_id = task_id
        self._editor = editor
        task = self.store.task(task_id) if task_id is not None else None
        self.base = self._values_of(task) if task is not None else FormValues()
        """What the task was when the form opened (or after a conflict was settled): the
        form sends what differs from it."""
        self.base_changed: datetime | None = task.changed_date if task is not None else None
        self.values = self.base
        """What the form holds now."""
        self._intent: WriteIntent | None = None
        self._intent_for: TaskChanges | None = None
        self._saving = False
        self._choosing = False
        """Whether the save waits for the person to settle a conflict."""
        self._saved = False
        self._draft_timer: Any = None
        self._offered: Draft | None = None
        """Text left unsaved in an earlier form on this task, offered back (`ctrl+r`)."""
        self._early: list[events.Key] | None = []
        """Letters typed before the title had the focus (``None`` once it has)."""
        self._names: dict[int, str] = {}

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with VerticalScroll(id="form"):
            yield Label(Content(clean(self._heading(), single_line=True)), id="form-heading")
            with Horizontal(classes="form-row"):
                yield Label("Title", classes="form-label")
                yield Input(id="form-title", placeholder="What is to be done")
            yield Label("", id="error-title", classes="form-error")
            with Horizontal(classes="form-row", id="row-description"):
                yield Label("Description", classes="form-label")
                yield TextArea(id="form-description", soft_wrap=True, tab_behavior="focus")
            yield Label("", id="error-description", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label("Deadline", classes="form-label")
                yield Input(id="form-deadline", placeholder="tomorrow 18:00, fri, +2d, eod")
                yield Label("", id="form-deadline-said")
            yield Label("", id="error-deadline", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label("Priority", classes="form-label")
                yield Select(
                    [(priority.label, priority) for priority in Priority],
                    allow_blank=False,
                    value=Priority.AVERAGE,
                    id="form-priority",
                )
            yield Label("", id="error-priority", classes="form-error")
            for name in ("responsible", "accomplices", "auditors"):
                with Horizontal(classes="form-row"):
                    yield Label(FIELD_LABELS[name], classes="form-label")
                    yield Button("", id=f"form-{name}", classes="form-people")
                yield Label("", id=f"error-{name}", classes="form-error")
            if self.task_id is None:
                with Horizontal(classes="form-row"):
                    yield Label("Group", classes="form-label")
                    yield Select(self._groups(), allow_blank=False, value=0, id="form-group")
                yield Label("", id="error-group", classes="form-error")
            yield Static("", id="form-problem")
        yield AppFooter()

    def _heading(self) -> str:
        if self.task_id is None:
            return "New task"
        return f"Edit task #{self.task_id} “{self.base.title}”"

    def _groups(self) -> list[tuple[Content, int]]:
        """The groups the person's tasks are in (the portal's own list needs a scope the
        webhook may lack), and no group."""
        seen: dict[int, str] = {}
        for task in self.store.tasks.values():
            if task.group is not None and task.group.id:
                seen[task.group.id] = task.group.name
        named = sorted(seen.items(), key=lambda item: item[1].casefold())
        # Content: Select parses a plain string as markup, and a name is the portal's text.
        return [(Content("No group"), 0)] + [
            (Content(clean(name, single_line=True) or f"Group #{gid}"), gid) for gid, name in named
        ]

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_SCREEN, "-short")

    def on_mount(self) -> None:
        for error in self.query(".form-error"):
            error.display = False
        self.query_one("#form-problem").display = False
        self._fill(self.values)
        self.show_change(StoreChange(me=True))
        self._type_early_keys()
        self._offer_draft()

    @on(events.Key)
    def _key_before_focus(self, event: events.Key) -> None:
        """A letter typed right after the key that opened the form (in the same read, over
        SSH) reaches the form before its title has the focus: it is kept for the title."""
        if self._early is not None and self.focused is None and event.is_printable:
            event.stop()
            event.prevent_default()
            self._early.append(event)

    def _type_early_keys(self) -> None:
        early, self._early = self._early or [], None
        if not early:
            return
        title = self.query_one("#form-title", Input)
        title.focus()
        for event in early:
            if event.character is not None:
                title.insert_text_at_cursor(event.character)

    # ---------------------------------------------------------------- values

    def _values_of(self, task: Task) -> FormValues:
        """``task``'s values as the form shows them: its description cleaned of terminal
        controls (so that showing it cannot run anything, and a form left as it opened
        sends nothing)."""
        values = FormValues.of_task(task, deadline_text=self._deadline_text(task.deadline))
        return replace(
            values,
            title=clean(values.title, single_line=True),
            description=clean(values.description),
        )

    def zone(self) -> tzinfo:
        """The person's zone (their profile's), else the clock's."""
        me = self.store.me
        named = zone_named(me.time_zone) if me is not None else None
        if named is not None:
            return named
        clock = self.services.clock
        return timezone(clock.local_offset(clock.now()))

    def _when(self, moment: datetime, spec: str) -> str:
        """``moment`` in the person's zone, marked where it is not the terminal's."""
        shown = self.shown_zone()
        mark = shown.mark(moment)
        return shown.at(moment).strftime(spec) + (f" {mark}" if mark else "")

    def _deadline_text(self, moment: datetime | None) -> str:
        return "" if moment is None else deadlines.format_for_field(moment, self.zone())

    def _fill(self, values: FormValues) -> None:
        """Show ``values`` in the fields."""
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#form-title", Input).value = values.title
            self.query_one("#form-description", TextArea).text = values.description
            self.query_one("#form-deadline", Input).value = values.deadline_text
            self.query_one("#form-priority", Select).value = values.priority
            if self.task_id is None:
                groups = {value for _, value in self._groups()}
                group = values.group_id if values.group_id in groups else 0
                self.query_one("#form-group", Select).value = group or 0
        self.values = values
        self._show_deadline()
        self._show_people()

    def _read_fields(self) -> FormValues:
        """What the fields hold (the deadline as last parsed)."""
        values = self.values
        priority = self.query_one("#form-priority", Select).value
        group = values.group_id
        if self.task_id is None:
            chosen = self.query_one("#form-group", Select).value
            group = chosen if isinstance(chosen, int) and chosen else None
        return replace(
            values,
            title=self.query_one("#form-title", Input).value,
            description=self.query_one("#form-description", TextArea).text,
            deadline_text=self.query_one("#form-deadline", Input).value,
            priority=priority if isinstance(priority, Priority) else values.priority,
            group_id=group,
        )

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        self.values = self._read_fields()
        widget_id = getattr(event.control, "id", "") or ""
        if widget_id == "form-deadline":
            self._show_deadline()  # its error is the parser's, shown as it is typed
        elif widget_id.startswith("form-"):
            self._clear_error(widget_id.removeprefix("form-"))
        self._draft_soon()

    def _show_deadline(self) -> None:
        """Parse the deadline as typed; say the moment it means, or why it means none."""
        said = self.query_one("#form-deadline-said", Label)
        text = self.values.deadline_text
        now = self.services.clock.now()
        parsed = deadlines.parse_deadline(text, now=now, zone=self.zone())
        if isinstance(parsed, deadlines.DeadlineProblem):
            said.update("")
            self._set_error("deadline", parsed.message)
            return
        self._clear_error("deadline")
        if isinstance(parsed, deadlines.NoDeadline):
            self.values = replace(self.values, deadline=None)
            said.update("no deadline")
            return
        self.values = replace(self.values, deadline=parsed.moment)
        words = deadlines.describe(parsed.moment, now, self.zone())
        said.update(Content(words))

    def _deadline_problem(self) -> str | None:
        parsed = deadlines.parse_deadline(
            self.values.deadline_text, now=self.services.clock.now(), zone=self.zone()
        )
        return parsed.message if isinstance(parsed, deadlines.DeadlineProblem) else None

    # ---------------------------------------------------------------- people

    def _person_name(self, user_id: int) -> str:
        user = self.store.users.get(user_id)
        if user is not None:
            return user.full_name
        task = self.store.task(self.task_id) if self.task_id is not None else None
        person = task.people.get(user_id) if task is not None else None
        if person is not None and person.name:
            return person.name
        return self._names.get(user_id, f"user #{user_id}")

    def _show_people(self) -> None:
        values = self.values
        me = self.store.me
        if values.responsible_id is None:
            responsible = f"{me.full_name} (you)" if me is not None else "you"
        else:
            responsible = self._person_name(values.responsible_id)
        shown = {
            "responsible": responsible,
            "accomplices": ", ".join(self._person_name(i) for i in values.accomplices) or "nobody",
            "auditors": ", ".join(self._person_name(i) for i in values.auditors) or "nobody",
        }
        for name, text in shown.items():
            self.query_one(f"#form-{name}", Button).label = Content(clean(text, single_line=True))

    def show_store(self, change: StoreChange) -> None:
        if change.users or change.me:
            self._show_people()

    @on(Button.Pressed, ".form-people")
    def _pick_people(self, event: Button.Pressed) -> None:
        name = (event.button.id or "").removeprefix("form-")
        client = self.services.client

        async def users() -> tuple[User, ...]:
            loaded = await load_users(client)
            self.store.remember_users(loaded)
            return loaded

        if name == "responsible":
            self.app.push_screen(
                UserPickerScreen(users, title="Responsible person"), self._picked_responsible
            )
            return
        chosen = self.values.accomplices if name == "accomplices" else self.values.auditors
        self.app.push_screen(
            PeoplePickerScreen(users, title=FIELD_LABELS[name], chosen=chosen),
            lambda ids: self._picked_people(name, ids),
        )

    def _picked_responsible(self, user: User | None) -> None:
        if user is None:
            return
        self._names[user.id] = user.full_name
        self.values = replace(self.values, responsible_id=user.id)
        self._picked("responsible")

    def _picked_people(self, name: str, ids: tuple[int, ...] | None) -> None:
        if ids is None:
            return
        if name == "accomplices":
            self.values = replace(self.values, accomplices=ids)
        else:
            self.values = replace(self.values, auditors=ids)
        self._picked(name)

    def _picked(self, name: str) -> None:
        self._clear_error(name)
        self._show_people()
        self._draft_soon()

    # ---------------------------------------------------------------- errors

    def _set_error(self, name: str, message: str) -> None:
        label = self.query_one(f"#error-{name}", Label)
        label.update(Content(clean(message, single_line=True)))
        label.display = True

    def _clear_error(self, name: str) -> None:
        for label in self.query(f"#error-{name}"):
            if label.display:
                label.display = False

    def _say(self, text: str, *, severity: str = "error") -> None:
        """A message under the form (a save that failed, and what to do)."""
        problem = self.query_one("#form-problem", Static)
        problem.update(Content(clean(text)))
        problem.set_class(severity == "error", "-error")
        problem.display = bool(text)

    def field_errors(self) -> dict[str, str]:
        """The messages shown under the fields now, by field (for tests and the help)."""
        shown: dict[str, str] = {}
        for label in self.query(".form-error"):
            if label.display and label.id:
                shown[label.id.removeprefix("error-")] = str(label.render())
        return shown

    # ---------------------------------------------------------------- drafts

    def _offer_draft(self) -> None:
        """Say so when text typed here earlier was left unsaved; `ctrl+r` brings it back.

        The offer is a line under the form, not a dialog: letters typed right after the key
        that opened the form go on into the title instead of answering a question.
        """
        drafts = self.services.drafts
        draft = drafts.load(self.task_id) if drafts is not None else None
        if draft is None or drafts is None:
            return
        base = draft.base or self.base
        if not draft.values.differing(base) and draft.values.deadline_text == base.deadline_text:
            drafts.discard(self.task_id)
            return
        when = ""
        if draft.saved_at is not None:
            when = " on " + self._when(draft.saved_at, "%a %d %b at %H:%M")
        self._offered = draft
        self._say(f"You left unsaved text here{when}: ctrl+r brings it back.", severity="warning")
        self.refresh_bindings()

    def action_restore_draft(self) -> None:
        """Put the text left unsaved back in the fields (`ctrl+r`)."""
        draft, self._offered = self._offered, None
        if draft is None:
            return
        if draft.base is not None:
            self.base = draft.base
            self.base_changed = draft.base_changed
        self._fill(draft.values)
        self._say("")
        self.refresh_bindings()
        self.query_one("#form-title", Input).focus()
        self._draft_soon()
        self.notify("Your unsaved text is back: ctrl+s saves it", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore_draft":
            return self._offered is not None
        return super().check_action(action, parameters)

    def _draft_soon(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.keep_draft)

    def keep_draft(self) -> None:
        """Write what the form holds as the draft (or forget the draft when it holds
        nothing new)."""
        self._draft_timer = None
        drafts = self.services.drafts
        if drafts is None or self._saved:
            return
        if not self._dirty():
            drafts.discard(self.task_id)
            return
        drafts.save(
            self.task_id,
            Draft(
                values=self.values,
                base=self.base,
                base_changed=self.base_changed,
                saved_at=self.services.clock.now(),
            ),
        )

    def on_unmount(self) -> None:
        if not self._saved and self._draft_timer is not None:
            self.keep_draft()

    def _dirty(self) -> bool:
        """Whether something was typed or chosen that is not saved."""
        if self.task_id is None:
            empty = FormValues()
            return bool(self.values.differing(empty)) or bool(self.values.deadline_text.strip())
        return bool(self.values.differing(self.base)) or (
            self.values.deadline_text.strip() != self.base.deadline_text.strip()
        )

    # ---------------------------------------------------------------- keys

    def action_cancel(self) -> None:
        """Close; ask first when something typed would be lost."""
        if self._saving:
            self.notify("The save is under way: its result will show here", markup=False, timeout=3)
            return
        if not self._dirty():
            self._close(None)
            return
        self.app.push_screen(
            ConfirmScreen("Discard what you typed?", self.values.title),
            self._cancel_answered,
        )

    def _cancel_answered(self, yes: bool | None) -> None:
        if yes:
            self._close(None)

    def _close(self, saved: int | None) -> None:
        drafts = self.services.drafts
        self._saved = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if drafts is not None:
            drafts.discard(self.task_id)
        self.dismiss(saved)

    def action_next_field(self) -> None:
        """The next field (`tab`)."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """The previous field (`shift+tab`)."""
        self.focus_previous()

    def _after_typing(self, then: Callable[[], object]) -> None:
        """Run ``then`` once the focused field has handled the keys that reached it before.

        `ctrl+s` and `ctrl+e` are the screen's priority keys, run as the app reads them;
        the letters typed just before them (in the same read, over SSH) are still waiting
        in the field's queue. Queued behind them, ``then`` sees the field as typed.
        """
        (self.focused or self).call_later(then)

    def action_editor(self) -> None:
        """Edit the description in ``$EDITOR`` (after the keys typed before `ctrl+e`)."""
        self._after_typing(self._edit_description)

    def _edit_description(self) -> None:
        """Edit the description in ``$EDITOR``; its text comes back into the form."""
        area = self.query_one("#form-description", TextArea)
        try:
            if self._editor is not None:
                edited = self._editor(area.text)
            else:
                with self.app.suspend():
                    edited = run_editor(area.text)
        except SuspendNotSupported:  # a headless run, or a browser's
            self.notify(
                "This terminal cannot hand the screen to an editor",
                severity="warning",
                markup=False,
            )
            return
        except EditorFailed as failed:
            self.notify(
                f"{failed}. The description is as it was.", severity="warning", markup=False
            )
            return
        area.text = edited.rstrip("\n") if edited.endswith("\n") else edited
        area.focus()

    def action_save(self) -> None:
        """Save what the fields hold once they have typed the keys before `ctrl+s`."""
        self._after_typing(self._save_typed)

    def _save_typed(self) -> None:
        """Check the fields, then send what changed."""
        if self._saving:
            self.notify("Saving… its result will show here", markup=False, timeout=3)
            return
        self.values = self._read_fields()
        self._show_deadline()
        problems = False
        if not self.values.title.strip():
            self._set_error("title", "A task needs a title")
            problems = True
        if self._deadline_problem() is not None:
            problems = True
        if problems:
            self._say("Correct the fields marked, then ctrl+s saves")
            return
        if self.task_id is not None and not self.values.changes_from(self.base):
            self._close(None)
            self.app.notify("Nothing changed: nothing was sent", markup=False)
            return
        self._say("")
        self._saving = True
        self.query_one(AppHeader).status = "saving…"
        self.save()

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save(self) -> None:
        """Send the form: read the task first (an edit), let the person settle a conflict,
        then write, read back, and keep it in the store."""
        try:
            if self.task_id is None:
                await self._create()
            else:
                await self._update(self.task_id)
        finally:
            self._saving = False
            self.tick()

    async def _update(self, task_id: int) -> None:
        try:
            portal = await self.store.load_task(task_id)
        except B24Error as error:
            self.show_failure(error)
            return
        theirs = self._values_of(portal)
        if portal.changed_date != self.base_changed and theirs.differing(self.base):
            conflict = replace(
                conflicts_between(self.base, self.values, theirs),
                changed_by=portal.changed_by,
                changed_at=portal.changed_date,
            )
            take = frozenset[str]()
            if conflict.fields:
                self._choosing = True
                self.tick()
                try:
                    chosen = await self.app.push_screen_wait(
                        ConflictScreen(conflict, who=self._who(conflict), show=self._shown_value)
                    )
                finally:
                    self._choosing = False
                    self.tick()
                if chosen is None:
                    self._settled(conflict, conflict.mine.taking(theirs, conflict.theirs_only))
                    self._say(
                        "Nothing was saved. The form now holds the portal's other changes; "
                        "ctrl+s saves again.",
                        severity="warning",
                    )
                    return
                take = chosen
            self._settled(conflict, conflict.resolved(take))
        changes = self.values.changes_from(self.base)
        if not changes:
            self._close(task_id)
            title = clean(self.values.title, single_line=True)
            self.app.notify(
                f"Saved “{title}”: the portal already had these values, nothing was sent",
                markup=False,
            )
            return
        intent = self._intent_of(changes)
        try:
            saved = await self.store.save_task(
                lambda: self.services.client.tasks.update(task_id, changes, intent=intent)
            )
        except B24Error as error:
            self.show_failure(error)
            return
        self._close(saved.id)
        self.app.notify(f"Saved “{clean(saved.title, single_line=True)}”", markup=False)

    def _settled(self, conflict: Conflict, values: FormValues) -> None:
        """The portal's values are now the base; the form holds ``values``."""
        self.base = conflict.theirs
        changed = conflict.changed_at
        self.base_changed = changed
        self._fill(values)

    async def _create(self) -> None:
        changes = self.values.new_task_changes()
        intent = self._intent_of(changes)
        try:
            created = await self.store.save_task(
                lambda: self.services.client.tasks.add(changes, intent=intent)
            )
        except B24Error as error:
            self.show_failure(error)
            return
        self._close(created.id)
        self.app.notify(
            f"Created task #{created.id} “{clean(created.title, single_line=True)}”",
            markup=False,
        )

    def _intent_of(self, changes: TaskChanges) -> WriteIntent:
        """The save's intent: the same one while the same changes are retried, a new one
        once they differ (the portal refuses a key reused with another body)."""
        if self._intent is None or self._intent_for != changes:
            self._intent = WriteIntent()
            self._intent_for = changes
        return self._intent

    def show_failure(self, error: B24Error) -> None:
        """Say why the save failed, where it belongs; everything typed stays."""
        self.query_one(AppHeader).status = ""
        if isinstance(error, ValidationError) and error.fields:
            elsewhere: list[str] = []
            for portal_name, message in error.fields:
                name = field_of(portal_name)
                words = readable(portal_name, message)
                if name is not None and self.query(f"#error-{name}"):
                    self._set_error(name, f"{FIELD_LABELS[name]}: {words}")
                else:
                    label = FIELD_LABELS.get(name or "", portal_name)
                    elsewhere.append(f"{label}: {words}")
            text = "The portal did not save the task. " + (
                " · ".join(elsewhere) + ". " if elsewhere else ""
            )
            self._say(text + "Correct the fields marked, then ctrl+s saves.")
            return
        if isinstance(error, NotFound | AccessDenied):
            self._say(f"{NOT_FOUND_TEXT}. Nothing was saved; your text is kept.")
            return
        if isinstance(error, OutcomeUnknown):
            self._say(
                "The portal's answer was lost: the save may or may not have landed. "
                "ctrl+s checks and saves once; it is never applied twice."
            )
            return
        hint = f" {error.hint}" if error.hint else ""
        self._say(f"Not saved: {error.title}.{hint} Your text is kept; ctrl+s tries again.")

    def worker_failed(self, worker: Worker[object], error: BaseException) -> bool:
        if worker.group == "save":
            self._saving = False
            self._say(f"Not saved: {error}. Your text is kept; ctrl+s tries again.")
            return True
        return False

    # ---------------------------------------------------------------- words

    def _who(self, conflict: Conflict) -> str:
        name = self._person_name(conflict.changed_by) if conflict.changed_by else "someone"
        if conflict.changed_at is None:
            return name
        when = self._when(conflict.changed_at, "%a %d %b %H:%M")
        return f"{name} at {when}"

    def _shown_value(self, name: str, values: object) -> str:
        assert isinstance(values, FormValues)
        if name == "title":
            return values.title
        if name == "description":
            first = values.description.strip().splitlines()
            more = " …" if len(first) > 1 else ""
            return (first[0][:60] + more) if first else "(empty)"
        if name == "deadline":
            if values.deadline is None:
                return "no deadline"
            return deadlines.format_for_field(values.deadline, self.zone())
        if name == "priority":
            return values.priority.label
        if name == "responsible":
            return self._person_name(values.responsible_id) if values.responsible_id else "you"
        if name in ("accomplices", "auditors"):
            ids = values.accomplices if name == "accomplices" else values.auditors
            return ", ".join(self._person_name(i) for i in ids) or "nobody"
        if name == "group":
            return f"group #{values.group_id}" if values.group_id else "no group"
        return ""

    def tick(self) -> None:
        if self._choosing:
            self.query_one(AppHeader).status = "waiting for your choice"
        elif self._saving:
            # A save held back by the portal's limits says for what and how long.
            waiting = self.services.client.policy.waiting()
            self.query_one(AppHeader).status = f"saving… {waiting}" if waiting else "saving…"
        elif self.task_id is not None:
            self.show_health(self.store.task_read_at(self.task_id))
        else:
            self.show_health(self.store.tasks_read_at)
