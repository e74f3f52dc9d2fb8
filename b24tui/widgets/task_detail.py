"""One task in full: fields, people, description and checklist summary. It never fetches.

A long description must never hold up the app. Rendering one (BBCode into styled text)
runs in a thread; the result is kept in a small :class:`DescriptionCache`, so showing the
same task again (a refresh, a theme changed back, the detail screen after the pane) costs
nothing; and only its first part is laid out, with a line saying how much is left and the
``m`` key ("Show more") adding one part at a time, each in a widget of its own.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import ClassVar, Final, NamedTuple

from rich.style import Style
from rich.text import Span, Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.theme import Theme
from textual.visual import Visual
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from b24tui.bbcode import (
    BBCodeStyles,
    TimeSlices,
    mentioned_user_ids,
    part_ranges,
    render_bbcode,
)
from b24tui.humanize import ShownZone, ago, deadline_label, duration
from b24tui.models import Mark, Priority, Task, User, build_checklist_tree
from b24tui.text import clean

LABEL_WIDTH = 13
"""Characters of the field-name column."""
EMPTY = "—"

_Row = tuple[str, Text | str]

SYNC_LIMIT: Final = 8_000
"""Descriptions up to this many characters render at once; longer ones in a thread."""
PART_CHARS: Final = 8_000
"""The most characters of rendered text in one part of a description."""
PART_LINES: Final = 200
"""The most lines in one part of a description."""
RENDERING: Final = "Rendering description…"
SURELY_SCROLLS: Final = 100
"""A description of this many lines is taller than any screen: its scrollbar is certain."""


class _Abandoned(Exception):
    """Stops a render in a thread whose description is no longer wanted."""


class _CollectorHold:
    """Holds the garbage collector off while long descriptions render in threads.

    Rendering a megabyte builds a tree of some hundred thousand objects, which lives
    until the render ends. The collector's passes meanwhile walk all of it, and a pass
    holds every thread, the event loop's too: full passes of 50 to 120 ms. The tree has
    no cycles (it is freed as soon as the render lets go of it), so nothing is lost by
    waiting. Renders may overlap: the last one to end turns the collector back on, unless
    it was already off when the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._was_enabled:
                    gc.enable()


_no_collections: Final = _CollectorHold()


@dataclass(frozen=True)
class DescriptionKey:
    """What a rendered description depends on: the task as last changed, and the looks."""

    task_id: int
    changed_date: datetime | None
    source_hash: int
    """The description's hash: the list's copy of a task carries none, the full one does."""
    bbcode: bool
    styles: BBCodeStyles
    names: tuple[tuple[int, str], ...]
    """The names of the people the description mentions, as far as they are known."""


class _Part(NamedTuple):
    """One part's text and its spans as ``(start, end, style index)``.

    Only strings and integers: the garbage collector stops tracking such tuples, so a
    cache of long descriptions adds nothing to the app's collection pauses (rich's spans
    each point at a style, and a megabyte of text holds tens of thousands of them).
    """

    plain: str
    spans: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class RenderedDescription:
    """A description rendered and cut into parts (see :func:`part_ranges`), packed."""

    packed: tuple[_Part, ...]
    styles: tuple[Style | str, ...]
    """The styles the parts' spans index."""
    base_style: Style | str
    line_counts: tuple[int, ...]
    """How many lines each part has (for "… N more lines")."""
    chars: int
    """Characters in all parts (what the cache counts)."""

    @classmethod
    def of(cls, text: Text) -> RenderedDescription:
        """``text`` cut into parts of :data:`PART_CHARS` and :data:`PART_LINES`."""
        plain = text.plain
        ranges = part_ranges(plain, max_chars=PART_CHARS, max_lines=PART_LINES)
        starts = [start for start, _ in ranges]
        index_of: dict[Style | str, int] = {}
        spans: list[list[tuple[int, int, int]]] = [[] for _ in ranges]
        for span in text.spans:
            style = index_of.setdefault(span.style, len(index_of))
            number = max(0, bisect_right(starts, span.start) - 1)
            while number < len(ranges) and ranges[number][0] < span.end:
                first, last = ranges[number]
                start, end = max(span.start, first), min(span.end, last)
                if start < end:
                    spans[number].append((start - first, end - first, style))
                number += 1
        parts = tuple(
            _Part(plain[first:last], tuple(part_spans))
            for (first, last), part_spans in zip(ranges, spans, strict=True)
        )
        return cls(
            parts,
            tuple(index_of),
            text.style,
            tuple(part.plain.count("\n") + 1 for part in parts),
            sum(len(part.plain) for part in parts),
        )

    def __len__(self) -> int:
        return len(self.packed)

    def part(self, number: int) -> Text:
        """Part ``number`` (from 0) as rich text."""
        plain, spans = self.packed[number]
        styles = self.styles
        return Text(
            plain,
            style=self.base_style,
            spans=[Span(start, end, styles[style]) for start, end, style in spans],
        )


def render_description(
    source: str,
    *,
    bbcode: bool,
    users: Mapping[int, str],
    styles: BBCodeStyles,
    pause: Callable[[], None] | None = None,
) -> RenderedDescription:
    """Render a description (BBCode or plain) and cut it into parts.

    Pure: it touches no widget, so it may run in a thread (with a ``pause`` such as
    :class:`~b24tui.bbcode.TimeSlices`, to leave the event loop its share).
    """
    if bbcode:
        text = render_bbcode(source, users=users, styles=styles, pause=pause)
    else:
        text = Text(clean(source))
    return RenderedDescription.of(text)


class DescriptionCache:
    """Rendered descriptions by :class:`DescriptionKey`, the least recently used out first.

    Bounded by entries and by the characters they hold. Used from the event loop only.
    """

    def __init__(self, max_entries: int = 12, max_chars: int = 4_000_000) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._entries: OrderedDict[DescriptionKey, RenderedDescription] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def chars(self) -> int:
        """Characters held now."""
        return self._chars

    def get(self, key: DescriptionKey) -> RenderedDescription | None:
        """The rendered description for ``key``, if kept (it becomes the most recent)."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: DescriptionKey, rendered: RenderedDescription) -> None:
        """Keep ``rendered``; older entries go while over either bound (never this one)."""
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._chars -= previous.chars
        self._entries[key] = rendered
        self._chars += rendered.chars
        while len(self._entries) > 1 and (
            len(self._entries) > self.max_entries or self._chars > self.max_chars
        ):
            _, dropped = self._entries.popitem(last=False)
            self._chars -= dropped.chars

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
        self._chars = 0


DESCRIPTIONS: Final = DescriptionCache()
"""The cache every :class:`TaskDetail` shares unless given its own."""


class DescriptionPart(Static):
    """One part of a description: wrapped once for each width, and only the lines on
    screen made into strips.

    A :class:`Static` wraps its text for its height, then again to draw it, and draws
    every line at once, although a part has up to :data:`PART_LINES` lines and a screen
    shows some thirty of them.
    """

    def __init__(
        self, content: Text | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(content if content is not None else "", id=id, classes=classes)
        self._wrapped: tuple[Visual, int, list[Content]] | None = None
        """The text last wrapped, at which width, and its lines."""

    def _lines(self, width: int) -> list[Content] | None:
        """The text's lines at ``width`` (None: not plain content, left to Textual)."""
        visual, styles = self.visual, self.styles
        if (
            not isinstance(visual, Content)
            or styles.text_wrap != "wrap"
            or styles.line_pad
            or styles.content_align != ("left", "top")
        ):
            return None
        wrapped = self._wrapped
        if wrapped is None or wrapped[0] is not visual or wrapped[1] != width:
            lines = visual.wrap(width, align=styles.text_align, overflow=styles.text_overflow)
            wrapped = (visual, width, lines)
            self._wrapped = wrapped
        return wrapped[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = self._lines(width) if width else None
        if lines is None:
            return super().get_content_height(container, viewport, width)
        return len(lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width) if width and self.text_selection is None else None
        if lines is None:  # a selection is drawn over the whole text by Textual
            return super().render_line(y)
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        strips = Visual.to_strips(self, lines[y], width, 1, self.visual_style)
        return strips[0] if strips else Strip.blank(width, self.visual_style.rich_style)


@dataclass(frozen=True)
class _Shown:
    """What the widget was last fed, so it can render again (on mount, on theme change)."""

    task: Task
    now: datetime
    people: Mapping[int, User]
    compact: bool
    me: int | None
    has_description: bool = True
    """False for a list's copy of the task, which carries no description."""
    zone: ShownZone = field(default_factory=ShownZone)
    """The zone times are shown in."""


class TaskDetail(VerticalScroll, can_focus=True):
    """A task's details. Feed it with :meth:`show`; :meth:`clear` empties it.

    A long description shows its first part; ``m`` (or a click on the line under it)
    shows the next.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "show_more", "Show more", id="show_more"),
        Binding("j", "scroll_down", "Down", show=False, id="detail_down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail_up"),
        Binding("g", "scroll_home", "Top", show=False, id="detail_top"),
        Binding("G", "scroll_end", "End", show=False, id="detail_end"),
    ]

    @dataclass
    class DescriptionRendered(Message, bubble=False):
        """A description rendered in a thread is ready (for this widget's eyes only)."""

        key: DescriptionKey
        rendered: RenderedDescription

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
    TaskDetail > #detail-body { height: auto; }
    TaskDetail > #detail-body > Static { width: 1fr; height: auto; }
    TaskDetail > .task-detail--label { color: $text-muted; }
    TaskDetail > .task-detail--muted { color: $text-muted; }
    TaskDetail > .task-detail--overdue { color: $error; text-style: bold; }
    TaskDetail > .task-detail--high { color: $warning; text-style: bold; }
    TaskDetail > .task-detail--link { color: $accent; text-style: underline; }
    TaskDetail > .task-detail--quote { color: $text-muted; text-style: italic; }
    TaskDetail > .task-detail--code { color: $success; background: $boost; }
    TaskDetail > .task-detail--mention { color: $accent; text-style: bold; }
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        classes: str | None = None,
        cache: DescriptionCache | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: _Shown | None = None
        self.cache = cache if cache is not None else DESCRIPTIONS
        """Where rendered descriptions are kept (shared by default)."""
        self._description_key: DescriptionKey | None = None
        """What the description on show was rendered from (None: a placeholder)."""
        self._description_task: int | None = None
        """The task whose description (or placeholder) is on show."""
        self._rendered: RenderedDescription | None = None
        self._parts_shown = 0
        self._extra_parts: list[DescriptionPart] = []
        """The widgets of the parts after the first, in order."""
        self._pending: DescriptionKey | None = None
        """The description being rendered in a thread, if any."""
        self._render_worker: Worker[None] | None = None
        self._abandon: threading.Event | None = None
        """Set to stop the render in progress (see :meth:`_render_in_thread`)."""
        self._zone_said = False
        """Whether the repaint under way has named the zone of its times."""
        self._offered_more: bool | None = None
        """Whether "Show more" was on offer when the bindings were last refreshed."""

    TWO_COLUMNS: ClassVar[int] = 100
    """From this width on (and not compact), the people sit beside the task's fields."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No task selected"), id="detail-title")
        with Horizontal(id="detail-grid"):
            yield Static(id="detail-fields")
            yield Static(id="detail-people")
        yield Static(id="detail-checklist")
        with Vertical(id="detail-body"):
            yield DescriptionPart(id="detail-description")
            yield Static(id="detail-more")

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
        width = self.size.width
        if compact or width:  # not before the first layout: each change restyles it all
            self.set_class(compact or width < self.TWO_COLUMNS, "-narrow")

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
        description: bool = True,
        zone: ShownZone | None = None,
    ) -> None:
        """Show ``task`` as seen at ``now``.

        The same task changed at the same moment keeps its description as it is on
        screen (parts shown, scroll position); a long one is rendered in a thread.

        Args:
            task: The task.
            now: The current moment (deadlines are relative to it).
            people: Users by id, for names the task itself does not carry.
            compact: The shorter form for a side pane.
            me: The current user's id (for the "watching" flag).
            description: Whether ``task`` carries its description; when not (a list's
                copy), the description of the same task stays as it is.
            zone: The zone times are shown in (by default each as the portal wrote it);
                the first time shown names it where it is not the terminal's.
        """
        self._shown = _Shown(
            task, now, dict(people or {}), compact, me, description, zone or ShownZone()
        )
        self._render_parts()

    def age(self, now: datetime) -> None:
        """Count the relative times (deadline, created, changed) from ``now``, repainting
        only when one of them reads differently; a screen calls it once a second, so they
        age between refreshes (and while the portal cannot be read)."""
        shown = self._shown
        if shown is None or self._relative(shown, shown.now) == self._relative(shown, now):
            return
        self._shown = replace(shown, now=now)
        self._render_parts()

    @staticmethod
    def _relative(shown: _Shown, now: datetime) -> tuple[object, ...]:
        """Everything shown that depends on ``now``."""
        task = shown.task
        return (
            deadline_label(task.deadline, now, shown.zone) if task.deadline is not None else None,
            task.is_overdue(now),
            ago(task.created_date, now) if task.created_date is not None else None,
            ago(task.changed_date, now) if task.changed_date is not None else None,
        )

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
        body = self.query_one("#detail-body")
        shown = self._shown
        if shown is None:
            title.update(Text("No task selected", style=self._style("muted")))
            for part in (fields, people, checklist):
                part.update(Text())
            self._cancel_render()
            self._put_description(None, None, RenderedDescription.of(Text()))
            for hidden in (grid, checklist, body):
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
        if shown.has_description or shown.task.id != self._description_task:
            self._description(shown)
        body.display = True

    def _person(self, shown: _Shown, user_id: int) -> str:
        user = shown.people.get(user_id)
        name = user.full_name if user is not None else shown.task.person(user_id).display_name
        return clean(name, single_line=True)

    def _names(self, shown: _Shown, user_ids: Iterable[int]) -> str:
        return ", ".join(self._person(shown, user_id) for user_id in user_ids) or EMPTY

    def _moment(self, moment: datetime | None) -> str:
        """``moment`` in the zone shown; the first of a repaint names the zone when it is
        not the terminal's ("2026-03-16 18:00 UTC+3"), the rest are in the same."""
        if moment is None:
            return EMPTY
        zone = self._shown.zone if self._shown is not None else ShownZone()
        text = f"{zone.at(moment):%Y-%m-%d %H:%M}"
        mark = "" if self._zone_said else zone.mark(moment)
        self._zone_said = self._zone_said or bool(mark)
        return f"{text} {mark}" if mark else text

    def _fields(self, shown: _Shown) -> tuple[list[_Row], list[_Row]]:
        """The task's own fields, and the people and dates (shown beside them when wide)."""
        task, now, compact = shown.task, shown.now, shown.compact
        self._zone_said = False
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
        zone = self._shown.zone if self._shown is not None else ShownZone()
        text = Text(deadline_label(task.deadline, now, zone), style=style)
        text.append(f"  ({self._moment(task.deadline)})", style=self._style("muted"))
        return text

    def _when_by(self, moment: datetime | None, user_id: int | None, shown: _Shown) -> str:
        if moment is None:
            return EMPTY
        text = f"{self._moment(moment)} ({ago(moment, shown.now)})"
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

    # ------------------------------------------------------------------ description

    def _styles(self) -> BBCodeStyles:
        return BBCodeStyles(
            link=self._style("link"),
            quote=self._style("quote"),
            code=self._style("code"),
            mention=self._style("mention"),
        )

    def _description_key_of(self, shown: _Shown) -> DescriptionKey:
        task = shown.task
        names: tuple[tuple[int, str], ...] = ()
        if task.description_in_bbcode and shown.people:
            mentioned = mentioned_user_ids(task.description)
            names = tuple(
                (user_id, user.full_name)
                for user_id, user in sorted(shown.people.items())
                if user_id in mentioned
            )
        return DescriptionKey(
            task.id,
            task.changed_date,
            hash(task.description),
            task.description_in_bbcode,
            self._styles(),
            names,
        )

    def _description(self, shown: _Shown) -> None:
        """Show ``shown``'s description: from the cache, rendered here when short, or a
        placeholder while a thread renders it."""
        task = shown.task
        if not shown.has_description:
            self._cancel_render()
            self._put_description(None, task.id, RenderedDescription.of(Text()))
            return
        key = self._description_key_of(shown)
        if key in (self._description_key, self._pending):
            return
        source = task.description
        if not source or source.isspace():
            self._cancel_render()
            no_description = Text("No description", style=self._style("muted"))
            self._put_description(key, task.id, RenderedDescription.of(no_description))
            return
        rendered = self.cache.get(key)
        if rendered is None and len(source) <= SYNC_LIMIT:
            rendered = render_description(
                source, bbcode=key.bbcode, users=dict(key.names), styles=key.styles
            )
            self.cache.put(key, rendered)
        if rendered is not None:
            self._cancel_render()
            self._put_description(key, task.id, rendered)
            return
        if self._description_task != task.id:
            # Another task's text must go; the same task's stays until the new one is ready.
            placeholder = Text(RENDERING, style=self._style("muted"))
            self._put_description(None, task.id, RenderedDescription.of(placeholder))
        self._cancel_render()
        self._pending = key
        self._abandon = threading.Event()
        self._render_worker = self._render_in_thread(key, source, self._abandon)

    @work(thread=True, group="description", exit_on_error=False)
    def _render_in_thread(
        self, key: DescriptionKey, source: str, abandoned: threading.Event
    ) -> None:
        """Render a long description off the event loop and post it back.

        A thread cannot be cancelled from outside: when the widget no longer wants this
        description, ``abandoned`` is set and the render stops at its next pause (the
        worker then ends as done, with nothing posted).
        """
        slices = TimeSlices()

        def pause() -> None:
            if abandoned.is_set():
                raise _Abandoned
            slices()

        try:
            with _no_collections():
                rendered = render_description(
                    source, bbcode=key.bbcode, users=dict(key.names), styles=key.styles, pause=pause
                )
        except _Abandoned:
            return
        self.post_message(self.DescriptionRendered(key, rendered))

    def _cancel_render(self) -> None:
        self._pending = None
        self._render_worker = None
        if self._abandon is not None:
            self._abandon.set()
            self._abandon = None

    @on(DescriptionRendered)
    def _rendered_in_thread(self, message: DescriptionRendered) -> None:
        self.cache.put(message.key, message.rendered)
        if message.key == self._pending:
            self._pending = None
            self._render_worker = None
            self._abandon = None
            self._put_description(message.key, message.key.task_id, message.rendered)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A render that failed says so where the description would be."""
        if event.worker is not self._render_worker or event.state is not WorkerState.ERROR:
            return
        self._pending = None
        self._render_worker = None
        self._abandon = None
        failed = Text("The description could not be shown", style=self._style("muted"))
        self._put_description(None, self._description_task, RenderedDescription.of(failed))

    def _put_description(
        self, key: DescriptionKey | None, task_id: int | None, rendered: RenderedDescription
    ) -> None:
        """Put ``rendered`` on screen. The same task keeps as many parts as it showed, the
        widgets already mounted are updated in place (the scroll position stays)."""
        same_task = task_id is not None and task_id == self._description_task
        self._description_key = key
        self._description_task = task_id
        self._rendered = rendered
        wanted = max(1, min(len(rendered), self._parts_shown if same_task else 1))
        self._parts_shown = wanted
        # Room for the scrollbar from the first layout, when it is certain to appear, so
        # the text is not wrapped once without it and again with it.
        scrolls = len(rendered) > 1 or rendered.line_counts[0] >= SURELY_SCROLLS
        self.styles.scrollbar_gutter = "stable" if scrolls else "auto"
        self.query_one("#detail-description", DescriptionPart).update(rendered.part(0))
        extras = [rendered.part(number) for number in range(1, wanted)]
        for widget, part in zip(self._extra_parts, extras, strict=False):
            widget.update(part)
        surplus = self._extra_parts[len(extras) :]
        del self._extra_parts[len(extras) :]
        for widget in surplus:
            widget.remove()
        self._mount_parts(extras[len(self._extra_parts) :])
        self._update_more()

    def _mount_parts(self, parts: Iterable[Text]) -> None:
        widgets = [DescriptionPart(part, classes="detail-part") for part in parts]
        if widgets:
            self._extra_parts.extend(widgets)
            body = self.query_one("#detail-body")
            body.mount(*widgets, before=body.query_one("#detail-more"))

    def _update_more(self) -> None:
        more = self.query_one("#detail-more", Static)
        rendered = self._rendered
        left = sum(rendered.line_counts[self._parts_shown :]) if rendered is not None else 0
        more.display = left > 0
        if left:
            lines = "line" if left == 1 else "lines"
            more.update(
                Text(f"… {left:,} more {lines} — press m to show more", style=self._style("muted"))
            )
        else:
            more.update(Text())
        if self.has_more != self._offered_more:
            # Only then does the footer differ (a rebuild of its keys costs a frame).
            self._offered_more = self.has_more
            self.refresh_bindings()

    @property
    def description_parts_shown(self) -> int:
        """How many parts of the description are on screen."""
        return self._parts_shown

    @property
    def has_more(self) -> bool:
        """Whether the description has parts not shown yet."""
        return self._rendered is not None and self._parts_shown < len(self._rendered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Show more" only while there is more to show."""
        if action == "show_more":
            return self.has_more
        return True

    def action_show_more(self) -> None:
        """Show the next part of a long description."""
        rendered = self._rendered
        if rendered is None or not self.has_more:
            return
        self._mount_parts([rendered.part(self._parts_shown)])
        self._parts_shown += 1
        self._update_more()

    @on(events.Click, "#detail-more")
    def _clicked_more(self) -> None:
        self.action_show_more()
