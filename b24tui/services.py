"""What the app depends on, built by the command line (or a test) and handed in."""

from __future__ import annotations

from dataclasses import dataclass

from b24tui.api import B24Client
from b24tui.clock import Clock
from b24tui.config import DEFAULT_REFRESH_INTERVAL, Settings


@dataclass(frozen=True)
class Services:
    """The app's dependencies: the portal client, the clock, and whether this is the demo."""

    client: B24Client
    clock: Clock
    demo: bool = False
    settings: Settings | None = None
    """The config file's settings; ``None`` means every default."""

    @property
    def refresh_interval(self) -> float:
        """Seconds between background refreshes of the dashboard."""
        if self.settings is None:
            return DEFAULT_REFRESH_INTERVAL
        return self.settings.refresh_interval
