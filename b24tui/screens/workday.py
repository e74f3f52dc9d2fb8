"""The workday: the dashboard strip's feed, the workday screen (``w``), and the finish dialog.

The screen shows the day as the store has it (status, start, worked time counted locally,
breaks, finish) and the day's settings from ``timeman.settings`` (latest start, earliest
finish, minimum duration; a late start or a short day said plainly), and offers only the
actions the status allows. An expired day (left open from an earlier day) explains itself and
is finished at the portal's suggested time, with a report.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from b24tui.actions import READ_ONLY_MESSAGE, UNDER_WAY_SECONDS
from b24tui.api import B24Error
from b24tui.clock import Clock
from b24tui.humanize import ShownZone
from b24tui.models import WorkdaySettings, WorkdayStatus
from b24tui.models.workday import WorkdaySeen, hms
from b24tui.screens.base import PortalScreen
from b24tui.screens.field_dialog import DialogKeys, FieldDialog
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.text import clean
from b24tui.widgets import AppFooter, AppHeader
from b24tui.widgets.workday_strip import WorkdayStrip
from b24tui.workday_actions import (
    FINISH,
    WORKDAY_ACTIONS_BY_ID,
    PendingWorkday,
    WorkdayResultKind,
    allowed_workday_actions,
    report_needed,
    workday_error_text,
    workday_seen,
)

__all__ = [
    "FinishDialog",
    "WorkdayScreen",
    "ask_workday_action",
    "day_zone",
    "show_workday_strip",
]


def show_workday_strip(strip: WorkdayStrip, services: Services) -> None:
    """Show on ``strip`` the workday as the store has it, as of the clock's now (no call)."""
    store = services.store
    desk = services.workday
    pending = desk.pending
    seen = workday_seen(store)
    start = seen.day.time_start if seen is not None else None
    strip.show(
        seen,
        services.clock.now(),
        pending=pending.action.doing if pending is not None else None,
        unavailable=store.workday_error is not None or (seen is None and not store.health.ok),
        offered=[action.id for action in desk.offered()],
        zone_mark=day_zone(seen, services.clock).mark(start) if start is not None else "",
    )


def day_zone(seen: WorkdaySeen | None, clock: Clock) -> ShownZone:
    """The zone the day's times are shown in (the one it started in), marked where it is
    not the terminal's."""
    return ShownZone(seen.day.zone if seen is not None else None, clock)


def ask_workday_action(
    app: App[object],
    services: Services,
    action_id: str,
    settings: WorkdaySettings | None = None,
) -> None:
    """Start, pause or resume the workday now, or open the finish dialog (``settings``: the
    day's rules, when read already); a sentence in a toast when it is not sent (read-only,
    one under way, or the status does not allow it)."""
    action = WORKDAY_ACTIONS_BY_ID[action_id]
    desk = services.workday
    under_way = desk.under_way(action)
    if under_way is not None:
        app.notify(under_way, markup=False, timeout=UNDER_WAY_SECONDS)
        return
    if action is FINISH and FINISH in desk.offered():
        app.push_screen(FinishDialog(services, settings))
        return
    answer = desk.submit(action)
    if isinstance(answer, str):
        quiet = answer == READ_ONLY_MESSAGE
        app.notify(
            answer,
            title=action.palette,
            severity="information" if quiet else "warning",
            markup=False,
        )


def _time(seen: WorkdaySeen, moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = seen.day.local(moment)
    return (
        f"{local:%H:%M}"
        if local.date() == seen.day.local(seen.seen_at).date()
        else (f"{local:%Y-%m-%d %H:%M}")
    )


def workday_lines(
    seen: WorkdaySeen, now: datetime, settings: WorkdaySettings | None
) -> list[tuple[str, str]]:
    """The screen's rows: (label, value), plain text."""
    day = seen.day
    worked = seen.worked(now)
    offset = day.tz_offset // 60
    zone = f"UTC{'+' if offset >= 0 else '-'}{abs(offset) // 60}" + (
        f":{abs(offset) % 60:02d}" if offset % 60 else ""
    )
    started = _time(seen, day.time_start)
    if day.time_start is not None:
        started += f" ({zone})"
        if settings is not None and settings.late_start(day) and settings.max_start is not None:
            started += f" · a late start: the latest start is {settings.max_start:%H:%M}"
    rows = [("Status", day.status.label + ("" if day.active else " · awaiting confirmation"))]
    rows.append(("Started", started if day.time_start is not None else "not started"))
    if worked is None:
        shown = "paused: no figure yet" if day.status is WorkdayStatus.PAUSED else "—"
    else:
        shown = hms(worked) + (" (as of the pause)" if day.status is WorkdayStatus.PAUSED else "")
        short = settings.short_by(worked) if settings is not None else None
        if short is not None and day.status is WorkdayStatus.CLOSED:
            shown += f" · a short day: {hms(short)} under the minimum"
        elif short is not None and settings is not None and settings.min_duration is not None:
            shown += f" · {hms(short)} to the minimum of {hms(settings.min_duration)}"
    rows.append(("Worked", shown))
    rows.append(("Breaks", hms(day.time_leaks)))
    finished = _time(seen, day.time_finish)
    rows.append(("Finished", finished + (f" ({zone})" if day.time_finish is not None else "")))
    if settings is not None:
        rows.append(("Schedule", _schedule(settings)))
    return rows


ROW_LABELS: tuple[str, ...] = ("Status", "Started", "Worked", "Breaks", "Finished", "Schedule")
"""The screen's rows, in order (those :func:`workday_lines` gives)."""


def _schedule(settings: WorkdaySettings) -> str:
    if not settings.enabled:
        return "time tracking is off for you"
    parts = []
    if settings.max_start is not None:
        parts.append(f"latest start {settings.max_start:%H:%M}")
    if settings.min_finish is not None:
        parts.append(f"earliest finish {settings.min_finish:%H:%M}")
    if settings.min_duration is not None:
        parts.append(f"minimum {hms(settings.min_duration)}")
    parts.append("flexible" if settings.flexible else "fixed: a time you set needs a report")
    return " · ".join(parts)


class WorkdayScreen(PortalScreen[None]):
    """My workday in full, with the actions its status allows."""

    CSS_PATH = "workday.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("s", "workday_start", "Start", id="workday_start"),
        Binding("p", "workday_pause", "Pause", id="workday_pause"),
        Binding("s", "workday_resume", "Resume", id="workday_resume"),
        Binding("f", "workday_finish", "Finish", id="workday_finish"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.settings: WorkdaySettings | None = None
        """The day's rules from ``timeman.settings``, once read."""
        self.settings_error: B24Error | None = None
        self.rows_text = ""
        """The rows as shown, in plain text: a label and its value on each line."""
        self.dialog_keys = DialogKeys({"workday_finish"})
        """The keys held for the finish dialog."""

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with Vertical(id="workday-body"):
            yield Static("Workday …", id="workday-note", markup=False)
            with Grid(id="workday-rows"):
                for label in ROW_LABELS:
                    yield Label(label, classes="-label", id=f"workday-{label.lower()}-label")
                    yield Static("", id=f"workday-{label.lower()}", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.show_change(StoreChange(me=True, workday=True))
        self._load_settings()

    @work(group="workday_settings", exclusive=True, exit_on_error=False)
    async def _load_settings(self) -> None:
        try:
            self.settings = await self.services.client.timeman.settings()
        except B24Error as error:
            self.settings_error = error
        self._show()

    def show_store(self, change: StoreChange) -> None:
        if change.workday or change.refreshed or change.health:
            self._show()
            self.refresh_bindings()

    def tick(self) -> None:
        """Once a second: the header, and the worked time counted from the clock."""
        self.show_health(self.store.tasks_read_at)
        self._show()

    def _show(self) -> None:
        # Not `is_mounted`: it turns true only after the mount handlers, so the first show
        # (from on_mount) was skipped and the labels stood empty until the next tick.
        if not self.query("#workday-note"):
            return
        store = self.store
        seen = workday_seen(store)
        note = self.query_one("#workday-note", Static)
        now = self.services.clock.now()
        note.set_class(False, "-problem")
        if store.workday_error is not None:
            note.update(Content(f"Workday unavailable. {workday_error_text(store.workday_error)}"))
            note.set_class(True, "-problem")
        elif seen is None:
            note.update(
                Content("Reading the workday…" if store.health.ok else "Workday unavailable.")
            )
        else:
            note.update(Content(self._note(seen)))
        lines = workday_lines(seen, now, self.settings) if seen is not None else []
        if seen is not None and self.settings_error is not None:
            lines.append(("Schedule", f"not read: {workday_error_text(self.settings_error)}"))
        self._show_rows(dict(lines))

    def _show_rows(self, values: dict[str, str]) -> None:
        """Each row's value beside its label (a long one wraps under itself); the rows
        without a value are hidden."""
        for label in ROW_LABELS:
            value = values.get(label)
            for row in self.query(f"#workday-{label.lower()}-label, #workday-{label.lower()}"):
                row.display = value is not None
            if value is not None:
                self.query_one(f"#workday-{label.lower()}", Static).update(Content(value))
        width = max((len(label) for label in values), default=0)
        self.rows_text = "\n".join(f"{label:<{width}}  {value}" for label, value in values.items())

    def _note(self, seen: WorkdaySeen) -> str:
        day = seen.day
        pending = self.services.workday.pending
        if pending is not None:
            return pending.action.doing
        if day.status is WorkdayStatus.EXPIRED:
            started = day.started_on()
            suggested = _time(seen, day.time_finish_default)
            report = report_needed(self.settings, day.time_finish_default)
            return (
                f"This workday was opened on {started} and never finished. Finish it (f) at "
                f"{suggested}, the portal's suggested time"
                + (", with a report." if report else ".")
            )
        offered = self.services.workday.offered()
        if self.services.read_only:
            return f"Workday {day.status.label}. {READ_ONLY_MESSAGE}."
        if not offered:
            return f"Workday {day.status.label}."
        return f"Workday {day.status.label}. " + ", ".join(a.palette for a in offered) + "."

    @on(events.Key)
    def _keys_of_the_finish_dialog(self, event: events.Key) -> None:
        """The keys typed right after `f` are the report's (see
        :mod:`b24tui.screens.field_dialog`)."""
        self.dialog_keys.on_key(self, event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The workday keys are offered only when the status allows them; they stay bound
        while an action is under way, and then say so."""
        if action.startswith("workday_"):
            chosen = WORKDAY_ACTIONS_BY_ID.get(action.removeprefix("workday_"))
            allowed = allowed_workday_actions(self.store.workday, read_only=self.services.read_only)
            return chosen is not None and chosen in allowed
        return True

    def action_workday_start(self) -> None:
        ask_workday_action(self.app, self.services, "start")

    def action_workday_pause(self) -> None:
        ask_workday_action(self.app, self.services, "pause")

    def action_workday_resume(self) -> None:
        ask_workday_action(self.app, self.services, "resume")

    def action_workday_finish(self) -> None:
        """Finish the day: the dialog takes the report (asked for where the schedule needs it)."""
        ask_workday_action(self.app, self.services, "finish", self.settings)
        self.dialog_keys.after_action(self)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.request_refresh()
        self._load_settings()


class FinishDialog(FieldDialog[bool]):
    """Finish the workday, with a report: now, or for an expired day at the portal's
    suggested time. The report is required only where the portal requires it (a set time on
    a schedule that is not flexible: the day's settings are read when not given). Stays open
    while it is sent; a failure is said here and the typed report is kept for another try.
    Dismisses True once done, False when cancelled. The letters typed right after `f` are
    the report's (see :mod:`b24tui.screens.field_dialog`)."""

    DEFAULT_CSS = """
    FinishDialog { align: center middle; }
    FinishDialog > #finish-box {
        width: 68; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    FinishDialog #finish-title { text-style: bold; width: 100%; }
    FinishDialog #finish-text { width: 100%; margin: 1 0; }
    FinishDialog #finish-error { width: 100%; color: $error; }
    FinishDialog #finish-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FinishDialog Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="finish_cancel"),
    ]

    AUTO_FOCUS = "#finish-report"
    FIELD = "#finish-report"

    def __init__(self, services: Services, settings: WorkdaySettings | None = None) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        """The day's rules: whether a report is needed with a set time."""
        seen = workday_seen(services.store)
        self.day = seen.day if seen is not None else None
        self.when = self.day.time_finish_default if self.day is not None else None
        """The finish time sent: the suggested one for an expired day, else now (None)."""
        self.sending: PendingWorkday | None = None
        self.checking = False
        """Whether the schedule is being read before a finish without a report."""
        self._schedule_read = settings is not None

    def compose(self) -> ComposeResult:
        day = self.day
        with Vertical(id="finish-box"):
            yield Label("Finish the workday", id="finish-title")
            if day is not None and day.status is WorkdayStatus.EXPIRED and self.when is not None:
                at = day.local(self.when)
                text = (
                    f"This workday was opened on {day.started_on()} and never finished. It "
                    f"will be finished at {at:%H:%M} that day, the portal's suggested time."
                )
            else:
                text = "The workday will be finished now."
            yield Label(Content(text), id="finish-text")
            yield Input(placeholder=self._placeholder(), id="finish-report")
            yield Label("", id="finish-error")
            with Horizontal(id="finish-buttons"):
                yield Button("Finish (enter)", variant="primary", id="finish-send")
                yield Button("Cancel (esc)", id="finish-cancel")

    def on_mount(self) -> None:
        if self.settings is None and report_needed(None, self.when):
            self._read_schedule()

    def _placeholder(self) -> str:
        if not report_needed(None, self.when) or not report_needed(self.settings, self.when):
            return "Report (optional)"
        if self.settings is None:
            return "Report (needed unless your schedule is flexible)"
        return "Report (needed: the time is set on a fixed schedule)"

    @work(group="finish_schedule", exit_on_error=False)
    async def _read_schedule(self) -> None:
        """Read the day's settings (for the report's rule); then send, if the finish was
        asked for meanwhile."""
        settings: WorkdaySettings | None
        try:
            settings = await self.services.client.timeman.settings()
        except B24Error:
            settings = None  # not known: a report is asked for, as on a fixed schedule
        self.settings = settings
        self._schedule_read = True
        self.query_one("#finish-report", Input).placeholder = self._placeholder()
        if self.checking:
            self.checking = False
            self._send()

    @on(Input.Submitted, "#finish-report")
    @on(Button.Pressed, "#finish-send")
    def _send(self) -> None:
        if self.sending is not None or self.checking:
            return
        report = self.query_one("#finish-report", Input).value
        error = self.query_one("#finish-error", Label)
        if not report.strip() and report_needed(self.settings, self.when):
            if not self._schedule_read:  # read since the dialog opened: sent once it is
                self.checking = True
                error.update("Reading the schedule…")
                return
            error.update("A report is needed: on a fixed schedule, a set finish time needs one.")
            return
        answer = self.services.workday.submit(FINISH, when=self.when, report=report)
        if isinstance(answer, str):
            error.update(Content(answer))
            return
        self.sending = answer
        error.update("Finishing…")
        self._wait(answer)

    def submit_field(self) -> None:
        """Finish with the report typed."""
        self._send()

    def cancel_field(self) -> None:
        """Close without finishing (not while it is being sent)."""
        self.action_cancel()

    @work(group="finish_dialog", exit_on_error=False)
    async def _wait(self, pending: PendingWorkday) -> None:
        if pending.finished is None:
            return
        result = await pending.finished
        self.sending = None
        if result.kind is WorkdayResultKind.FAILED:
            self.query_one("#finish-error", Label).update(Content(clean(result.message)))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#finish-cancel")
    def action_cancel(self) -> None:
        """Close without finishing (not while it is being sent: its answer is awaited)."""
        if self.sending is None:
            self.dismiss(False)
