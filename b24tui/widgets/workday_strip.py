"""The workday strip under the dashboard's header: one line, the day at a glance.

Status in words and colour, start time, worked time, breaks, and what ``w`` offers. Dumb:
the screen hands it the day as last read and the time (:meth:`WorkdayStrip.show`) once a
second; it repaints only when the line reads differently, and never asks the portal. A paused
day shows the figure of the moment its pause was seen, so its line stays still.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.content import Content
from textual.widgets import Static

from b24tui.models import WorkdayStatus
from b24tui.models.workday import WorkdaySeen, hms

__all__ = ["WorkdayStrip", "strip_parts"]

STATUS_STYLES: dict[WorkdayStatus, str] = {
    WorkdayStatus.OPENED: "bold $success",
    WorkdayStatus.PAUSED: "bold $warning",
    WorkdayStatus.CLOSED: "bold $text-muted",
    WorkdayStatus.EXPIRED: "bold $error",
}
"""The status word's colour, in theme variables."""

SEPARATOR = " · "


Part = tuple[Content, int]
"""A piece of the line and how much it is needed: 0 always shows, higher goes first."""


def strip_parts(
    seen: WorkdaySeen | None,
    now: datetime,
    *,
    pending: str | None = None,
    unavailable: bool = False,
    offered: Sequence[str] = (),
    zone_mark: str = "",
) -> list[list[Part]]:
    """The line's variants, fullest first, each a list of parts in the order shown.

    Times are in the zone the day started in, named by ``zone_mark`` (``UTC+2``) where the
    terminal's differs; a part that does not fit is left out whole, so a start never shows
    without its zone (it would read as another time).
    """
    if unavailable:
        head = Content.assemble("Workday ", ("unavailable", "bold $error"))
        return [[(head, 0), (Content("w says why"), 1)]]
    if seen is None:
        return [[(Content("Workday …"), 0)]]
    day = seen.day
    parts: list[Part] = [
        (Content.assemble("Workday ", (day.status.label, STATUS_STYLES[day.status])), 0)
    ]
    if pending is not None:
        parts.append((Content(pending), 0))
    worked = seen.worked(now)
    if day.time_start is not None:
        local = day.local(day.time_start)
        same_day = local.date() == day.local(now).date()
        started = f"started {local:%H:%M}" if same_day else f"started {local:%d %b %H:%M}"
        if zone_mark:
            started += f" {zone_mark}"
        parts.append((Content(started), 2))
        if worked is not None:
            parts.append((Content(f"worked {hms(worked)}"), 0))
        parts.append((Content(f"breaks {hms(day.time_leaks)}"), 3))
    else:
        parts.append((Content("not started today"), 2))
    if day.status is WorkdayStatus.EXPIRED:
        parts.append((Content("never finished"), 0))
    if not day.active:
        parts.append((Content("awaiting confirmation"), 4))
    variants = []
    if offered and pending is None:
        variants.append([*parts, (Content(f"w: {', '.join(offered)}"), 5)])
    variants.append([*parts, (Content("w: workday"), 5)])
    return variants


def _fit(variants: list[list[Part]], width: int) -> Content:
    """The fullest variant that fits ``width``; else the last one with its least needed
    parts left out until it fits."""
    for parts in variants:
        if _length(parts) <= width:
            return _joined(parts)
    parts = list(variants[-1])
    while _length(parts) > width:
        least = max(parts, key=lambda part: part[1])
        if least[1] == 0:
            break
        parts.remove(least)
    return _joined(parts)


def _joined(parts: Sequence[Part]) -> Content:
    return Content(SEPARATOR).join(content for content, _ in parts)


def _length(parts: Sequence[Part]) -> int:
    return sum(content.cell_length for content, _ in parts) + len(SEPARATOR) * (len(parts) - 1)


class WorkdayStrip(Static):
    """One line: the workday's status, start, worked time and breaks."""

    DEFAULT_CSS: ClassVar[str] = """
    WorkdayStrip {
        height: 1;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Workday …", id=id, markup=False)
        self._variants: list[list[Part]] = [[(Content("Workday …"), 0)]]
        self.text = "Workday …"
        """The line as shown (plain)."""

    def show(
        self,
        seen: WorkdaySeen | None,
        now: datetime,
        *,
        pending: str | None = None,
        unavailable: bool = False,
        offered: Sequence[str] = (),
        zone_mark: str = "",
    ) -> None:
        """Show the day as of ``now``, its times marked ``zone_mark`` where that is not the
        terminal's zone; repaints only when the line reads differently."""
        self._variants = strip_parts(
            seen,
            now,
            pending=pending,
            unavailable=unavailable,
            offered=offered,
            zone_mark=zone_mark,
        )
        self.set_class(unavailable, "-unavailable")
        self._repaint()

    def on_resize(self, event: events.Resize) -> None:
        self._repaint()

    def _repaint(self) -> None:
        width = max(self.content_region.width, 1) if self.size.width else 80
        line = _fit(self._variants, width)
        if line.plain != self.text or not self.text:
            self.text = line.plain
            self.update(line)
