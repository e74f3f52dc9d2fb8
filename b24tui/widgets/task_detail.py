"""One task in full: fields, people, description and checklist summary. It never fetches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.theme import Theme
from textual.widgets import Static

from b24tui.bbcode import BBCodeStyles, render_bbcode
from b24tui.humanize import ago, deadline_label, duration
from b24tui.models import Mark, Priority, Task, User, build_checklist_tree
from b24tui.text import clean

LABEL_WIDTH = 13
"""Characters of the field-name column."""
EMPTY = "—"

_Row = tuple[str, Text | str]


@dataclass(frozen=True)
class _Shown:
    """What the widget was last fed, so it can render again (on mount, on theme change)."""

    task: Task
    now: datetime
    people: Mapping[int, User]
    compact: bool
    me: int | None


class TaskDetail(VerticalScroll, can_focus=True):
    """A task's details. Feed it with :meth:`show`; :meth:`clear` empties it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-detail--label",
        "task-detail--muted",
        "task-detail--overdue",
        "task-detail--high",
        "task-detail--link",
        "task-detail--quote",
        "task-detail--code",
        "task-detail--mention",
    }

    DEFAULT_CSS = """
    TaskDetail { height: 1fr; padding: 0 1; }
    TaskDetail > Static { width: 1fr; height: auto; }
    TaskDetail > #detail-title { text-style: bold; color: $text; margin-bottom: 1; }
    TaskDetail > #detail-grid { height: auto; margin-bottom: 1; }
    TaskDetail > #detail-grid > Static { height: auto; }
    TaskDetail > #detail-grid > #detail-fields { width: 45%; }
    TaskDetail > #detail-grid > #detail-people { width: 1fr; margin-left: 2; }
    TaskDetail.-narrow > #detail-grid { layout: vertical; }
    TaskDetail.-narrow > #detail-grid > #detail-fields { width: 1fr; }
    TaskDetail.-narrow > #detail-grid > #detail-people { width: 1fr; margin-left: 0; }
    TaskDetail > #detail-checklist { margin-bottom: 1; }
    TaskDetail > .task-detail--label { color: $text-muted; }
    TaskDetail > .task-detail--muted { color: $text-muted; }
    TaskDetail > .task-detail--overdue { color: $error; text-style: bold; }
    TaskDetail > .task-detail--high { color: $warning; text-style: bold; }
    TaskDetail > .task-detail--link { color: $accent; text-style: underline; }
    TaskDetail > .task-detail--quote { color: $text-muted; text-style: italic; }
    TaskDetail > .task-detail--code { color: $success; background: $boost; }
    TaskDetail > .task-detail--mention { color: $accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: _Shown | None = None

    TWO_COLUMNS: ClassVar[int] = 100
    """From this width on (and not compact), the people sit beside the task's fields."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No task selected"), id="detail-title")
        with Horizontal(id="detail-grid"):
            yield Static(id="detail-fields")
            yield Static(id="detail-people")
        yield Static(id="detail-checklist")
        yield Static(id="detail-description")

    def on_mount(self) -> None:
        self._render_parts()
        # Not ``self.watch(self.app, "theme", …)``: the app would keep every detail widget
        # ever shown until the theme next changes. A signal can be left on unmount.
        self.app.theme_changed_signal.subscribe(self, self._on_theme)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def _on_theme(self, _theme: Theme) -> None:
        self._render_parts()

    def on_resize(self) -> None:
        self._set_columns()

    def _set_columns(self) -> None:
        compact = self._shown is not None and self._shown.compact
        self.set_class(compact or self.size.width < self.TWO_COLUMNS, "-narrow")

    @property
    def shown_task(self) -> Task | None:
        """The task on show, if any."""
        return self._shown.task if self._shown is not None else None

    def show(
        self,
        task: Task,
        now: datetime,
        *,
        people: Mapping[int, User] | None = None,
        compact: bool = False,
        me: int | None = None,
    ) -> None:
        """Show ``task`` as seen at ``now``.

        Args:
            task: The task.
            now: The current moment (deadlines are relative to it).
            people: Users by id, for names the task itself does not carry.
            compact: The shorter form for a side pane.
            me: The current user's id (for the "watching" flag).
        """
        self._shown = _Shown(task, now, dict(people or {}), compact, me)
        self._render_parts()

    def clear(self) -> None:
        """Show nothing ("No task selected")."""
        self._shown = None
        self._render_parts()

    # ------------------------------------------------------------------ rendering

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"task-detail--{name}", partial=True)

    def _render_parts(self) -> None:
        if not self.is_mounted:
            return
        title = self.query_one("#detail-title", Static)
        fields = self.query_one("#detail-fields", Static)
        people = self.query_one("#detail-people", Static)
        grid = self.query_one("#detail-grid")
        checklist = self.query_one("#detail-checklist", Static)
        description = self.query_one("#detail-description", Static)
        shown = self._shown
        if shown is None:
            title.update(Text("No task selected", style=self._style("muted")))
            for part in (fields, people, checklist, description):
                part.update(Text())
            for hidden in (grid, checklist, description):
                hidden.display = False
            return
        task = shown.task
        title.update(Text(f"#{task.id} ") + Text(clean(task.title, single_line=True)))
        self._set_columns()
        task_rows, people_rows = self._fields(shown)
        fields.update(self._rows(task_rows))
        people.update(self._rows(people_rows))
        grid.display = True
        summary = self._checklist(task)
        checklist.update(summary)
        checklist.display = bool(summary.plain)
        body = self._description(shown)
        description.update(body)
        description.display = True

    def _person(self, shown: _Shown, user_id: int) -> str:
        user = shown.people.get(user_id)
        name = user.full_name if user is not None else shown.task.person(user_id).display_name
        return clean(name, single_line=True)

    def _names(self, shown: _Shown, user_ids: Iterable[int]) -> str:
        return ", ".join(self._person(shown, user_id) for user_id in user_ids) or EMPTY

    def _moment(self, moment: datetime | None) -> str:
        if moment is None:
            return EMPTY
        return f"{moment:%Y-%m-%d %H:%M}"

    def _fields(self, shown: _Shown) -> tuple[list[_Row], list[_Row]]:
        """The task's own fields, and the people and dates (shown beside them when wide)."""
        task, now, compact = shown.task, shown.now, shown.compact
        own: list[_Row] = []
        status = Text(task.status.label)
        if task.is_overdue(now):
            status.append("  overdue", style=self._style("overdue"))
        own.append(("Status", status))
        high = task.priority is Priority.HIGH
        own.append(
            ("Priority", Text(task.priority.label, style=self._style("high") if high else ""))
        )
        if task.mark is not Mark.NONE:
            own.append(("Mark", task.mark.label))
        own.append(("Deadline", self._deadline(task, now)))
        if not compact and (task.start_date_plan or task.end_date_plan):
            start, end = self._moment(task.start_date_plan), self._moment(task.end_date_plan)
            own.append(("Planned", f"{start} → {end}"))
        if not compact:
            estimate = (
                duration(timedelta(seconds=task.time_estimate)) if task.time_estimate else EMPTY
            )
            spent = duration(timedelta(seconds=task.time_spent))
            own.append(("Time", f"{spent} spent · {estimate} estimated"))
            own.append(("Comments", str(task.comments_count)))
        flags = self._flags(shown)
        if flags or not compact:
            own.append(("Flags", flags or EMPTY))

        people: list[_Row] = [("Responsible", self._person(shown, task.responsible_id))]
        if not compact:
            people.append(("Creator", self._person(shown, task.created_by)))
        if task.accomplices or not compact:
            people.append(("Accomplices", self._names(shown, task.accomplices)))
        if task.auditors or not compact:
            people.append(("Auditors", self._names(shown, task.auditors)))
        if task.group is not None or task.group_id:
            name = task.group.name if task.group is not None and task.group.name else ""
            people.append(("Group", clean(name, single_line=True) or f"#{task.group_id}"))
        elif not compact:
            people.append(("Group", EMPTY))
        if not compact:
            people.append(("Created", self._when_by(task.created_date, task.created_by, shown)))
            people.append(("Changed", self._when_by(task.changed_date, task.changed_by, shown)))
        return own, people

    def _rows(self, rows: list[_Row]) -> Text:
        label_style = self._style("label")
        return Text("\n").join(
            Text(f"{label:<{LABEL_WIDTH}}", style=label_style)
            + (value if isinstance(value, Text) else Text(value))
            for label, value in rows
        )

    def _deadline(self, task: Task, now: datetime) -> Text:
        if task.deadline is None:
            return Text(EMPTY)
        style = self._style("overdue") if task.is_overdue(now) else Style()
        text = Text(deadline_label(task.deadline, now), style=style)
        text.append(f"  ({task.deadline:%Y-%m-%d %H:%M})", style=self._style("muted"))
        return text

    def _when_by(self, moment: datetime | None, user_id: int | None, shown: _Shown) -> str:
        if moment is None:
            return EMPTY
        text = f"{moment:%Y-%m-%d %H:%M} ({ago(moment, shown.now)})"
        if user_id:
            text += f" by {self._person(shown, user_id)}"
        return text

    @staticmethod
    def _flags(shown: _Shown) -> str:
        task = shown.task
        watching = shown.me is not None and shown.me in task.auditors
        flags = (
            ("muted", task.is_muted),
            ("watching", watching),
            ("★ favourite", task.is_favorite),
        )
        return ", ".join(name for name, on in flags if on)

    def _checklist(self, task: Task) -> Text:
        roots = build_checklist_tree(task.checklist)
        if not roots:
            if task.contains_checklist:
                return Text("Checklist: not loaded", style=self._style("muted"))
            return Text()
        done, total = task.checklist_progress
        lines = [Text(f"Checklist {done}/{total}", style=Style(bold=True))]
        for root in roots:
            mark = "☑" if root.total and root.done == root.total else "☐"
            line = Text(f"  {mark} ")
            line.append(clean(root.item.title, single_line=True) or EMPTY)
            line.append(f"  {root.done}/{root.total}", style=self._style("muted"))
            lines.append(line)
        return Text("\n").join(lines)

    def _description(self, shown: _Shown) -> Text:
        task = shown.task
        if not task.description.strip():
            return Text("No description", style=self._style("muted"))
        if not task.description_in_bbcode:
            return Text(clean(task.description))
        users = {user_id: user.full_name for user_id, user in shown.people.items()}
        styles = BBCodeStyles(
            link=self._style("link"),
            quote=self._style("quote"),
            code=self._style("code"),
            mention=self._style("mention"),
        )
        return render_bbcode(task.description, users=users, styles=styles)
