"""The workday: the dashboard strip's feed, and (``w``) the workday screen."""

from __future__ import annotations

from b24tui.services import Services
from b24tui.widgets.workday_strip import WorkdayStrip
from b24tui.workday_actions import workday_seen

__all__ = ["show_workday_strip"]


def show_workday_strip(strip: WorkdayStrip, services: Services) -> None:
    """Show on ``strip`` the workday as the store has it, as of the clock's now (no call)."""
    store = services.store
    desk = services.workday
    pending = desk.pending
    seen = workday_seen(store)
    strip.show(
        seen,
        services.clock.now(),
        pending=pending.action.doing if pending is not None else None,
        unavailable=store.workday_error is not None or (seen is None and not store.health.ok),
        offered=[action.id for action in desk.offered()],
    )
