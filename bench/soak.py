"""Does a dashboard kept open all day hold its memory? A day of refreshes, compressed.

Run: ``.venv/bin/python -m bench.soak [--refreshes N] [--preset demo|large]``.

Opens the app headless (120x36) on the in-process emulated portal and refreshes the
dashboard ``N`` times (default 480: a working day at one refresh a minute), while
someone else keeps changing tasks on the portal (one a minute, and a new task for me
every half hour), the clock moves on a minute each time, and the person opens a task now
and then and comes back. Prints the process's resident memory and the Python heap
(``tracemalloc``) after warming up and then at intervals: a day-long session must end
where it settled, not keep growing; and the HTTP requests each refresh took (the
portal's budget is shared with the person's browser), with the notices told.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.seed import DEMO_USER_ID, Preset
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services


def rss_mib() -> float:
    """This process's resident memory now (``/proc/self/statm``; pages of 4 KiB)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def heap_mib() -> float:
    """Memory Python's allocator holds for live objects (``tracemalloc``)."""
    return tracemalloc.get_traced_memory()[0] / 2**20


@dataclass
class Day:
    figures: list[tuple[int, float, float]] = field(default_factory=list)
    """(refreshes, RSS MiB, heap MiB) at each report."""
    requests: list[int] = field(default_factory=list)
    """HTTP requests of each refresh (and what the person did after it)."""
    first_load: int = 0
    notices: int = 0


async def soak(refreshes: int, preset: Preset, report_every: int) -> Day:
    clock = FrozenClock(build_portal("empty").now())
    portal = build_portal(preset, seed=0, clock=clock)
    mine = [task for task in portal.tasks.values() if task.responsible_id == DEMO_USER_ID]
    someone = min(user_id for user_id in portal.users if user_id != DEMO_USER_ID)
    rng = random.Random(0)
    day = Day()
    hook = next(h for h in portal.credentials.webhooks.values() if h.user_id == DEMO_USER_ID)
    endpoint = Webhook.parse(f"https://{portal.domain}/rest/{hook.user_id}/{hook.code}/")
    emulator = EmulatorApp(portal, journal_size=100)
    async with B24Client(endpoint, transport=httpx.ASGITransport(app=emulator)) as client:
        app = B24App(Services(client=client, clock=clock, demo=True), manage_collector=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            day.first_load = emulator.journal.http_requests
            for done in range(1, refreshes + 1):
                changed = rng.choice(mine)
                changed.title = f"{changed.title.split(' · ')[0]} · {done}"
                portal.touch(changed, someone)
                if done % 30 == 0:
                    new = portal.draft_task(someone)
                    new.id = portal.next_id("task")
                    new.title, new.responsible_id = f"New for you at refresh {done}", DEMO_USER_ID
                    portal.tasks[new.id] = new
                clock.advance(60)
                before = emulator.journal.http_requests
                await pilot.press("r")
                await app.workers.wait_for_complete()
                if done % 20 == 0:
                    app.push_screen(TaskDetailScreen(app.services, changed.id))
                    await app.workers.wait_for_complete()
                    await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, DashboardScreen)
                day.requests.append(emulator.journal.http_requests - before)
                day.notices += len(app._notifications)
                app.clear_notifications()
                if done == report_every // 2:
                    gc.collect()
                    tracemalloc.start()
                if done % report_every == 0:
                    gc.collect()
                    day.figures.append((done, rss_mib(), heap_mib()))
    return day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--refreshes", type=int, default=480)
    parser.add_argument("--preset", choices=["demo", "large"], default="demo")
    parser.add_argument("--every", type=int, default=60, help="report every N refreshes")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    day = asyncio.run(soak(args.refreshes, args.preset, args.every))
    figures = day.figures
    wall = time.perf_counter() - began
    sys.stdout.write(f"{args.refreshes} refreshes of the {args.preset} portal in {wall:.1f} s\n")
    ticks = sorted(day.requests)
    sys.stdout.write(
        f"requests: first load {day.first_load}; per refresh median "
        f"{statistics.median(ticks):g}, max {ticks[-1]}, {ticks.count(1)} of {len(ticks)} "
        f"took one; {sum(ticks)} in all; notices told {day.notices}\n"
    )
    sys.stdout.write("refreshes   RSS MiB   Python heap MiB (traced since warm-up)\n")
    for done, rss, heap in figures:
        sys.stdout.write(f"{done:>9}   {rss:7.1f}   {heap:7.2f}\n")
    if len(figures) >= 2:
        first, last = figures[0], figures[-1]
        sys.stdout.write(
            f"growth after warm-up: RSS {last[1] - first[1]:+.1f} MiB, "
            f"heap {last[2] - first[2]:+.2f} MiB over {last[0] - first[0]} refreshes\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
