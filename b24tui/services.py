"""What the app depends on, built by the command line (or a test) and handed in."""

from __future__ import annotations

from dataclasses import dataclass

from b24tui.api import B24Client
from b24tui.clock import Clock


@dataclass(frozen=True)
class Services:
    """The app's dependencies: the portal client, the clock, and whether this is the demo."""

    client: B24Client
    clock: Clock
    demo: bool = False
