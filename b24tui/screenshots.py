"""Render the README's screenshots from the seeded demo: ``python -m b24tui.screenshots DIR``.

The clock is frozen and the emulator seeded, so the pictures change only when the look does.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.demo import demo_client, demo_portal
from b24tui.emulator.state import PORTAL_TZ
from b24tui.screens.dashboard import DashboardScreen
from b24tui.services import Services

DEMO_MOMENT = datetime(2026, 3, 16, 9, 30, tzinfo=PORTAL_TZ)
"""Monday morning at the portal: the moment every screenshot and snapshot shows."""

SIZES = {
    "dashboard-wide": (120, 36),
    "dashboard-80x24": (80, 24),
    "dashboard-pane": (160, 40),
}
"""Each picture's terminal size; from 140 columns on, the dashboard shows its side pane."""


async def render() -> dict[str, str]:
    """One SVG per entry of :data:`SIZES`, by name."""
    pictures: dict[str, str] = {}
    for name, size in SIZES.items():
        clock = FrozenClock(DEMO_MOMENT)
        client = demo_client(demo_portal(clock))
        async with client:
            app = B24App(Services(client=client, clock=clock, demo=True))
            async with app.run_test(size=size) as pilot:
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                screen = app.screen
                if isinstance(screen, DashboardScreen) and screen.has_class("-wide"):
                    await pilot.press("j", "j")
                    screen.flush_detail()
                    await pilot.app.workers.wait_for_complete()
                    await pilot.pause()
                pictures[name] = app.export_screenshot(title=f"b24tui — {name}")
    return pictures


def main(argv: list[str] | None = None) -> int:
    """Render into the directory given as the only argument (default ``screenshots``)."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0] if args else "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    for name, svg in asyncio.run(render()).items():
        path = directory / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
