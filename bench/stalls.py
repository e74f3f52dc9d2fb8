"""Does anything a person does with 7,000 tasks on screen block the app? The longest stalls.

Run: ``.venv/bin/python -m bench.stalls [--rounds N] [--no-tidy]``.

Opens the app headless (120x36) on the emulated ``large`` portal (10,000 tasks, about
7,300 of them the demo user's), served over loopback HTTP from a process of its own (its
work and its objects are not the app's: in the app's process they would count as the
app's stalls), waits for the first load, then repeats each interaction ``N`` times while
a probe measures how late the event loop runs a callback it asked for every 5 ms (the
time a keystroke would wait): a refresh of what changed (3 tasks changed on the portal
meanwhile), a whole refresh (every tenth), a filter keystroke, a cursor move, a view
switch, and opening a task and going back. Prints, per interaction, the longest stall and
the p50/p95 of the per-round longest stall. The target is 50 ms.

A round stands for a minute of a person's time (the clock moves a minute, the portal
changes three tasks), but takes a second or two: the app's tidy of the heap, once a
minute while no key has been pressed for five seconds, would never come between two
rounds. So each round begins with one, as after a person's quiet minute (not timed).
``--no-tidy`` leaves it out: a person who never stops for five seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection

from textual.pilot import Pilot

from b24tui.api import B24Client, Webhook
from b24tui.app import QUIET_FOR, B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.seed import DEMO_USER_ID
from b24tui.emulator.server import HOST, serve_in_thread
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services
from bench.portal_process import portal_process

PROBE_EVERY = 0.005
"""Seconds between two of the probe's wake-ups."""


@dataclass
class Probe:
    """Measures how late the loop wakes the probe: the longest lateness since a reset."""

    worst: float = 0.0
    running: bool = True
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def run(self) -> None:
        while self.running:
            asked = time.perf_counter()
            await asyncio.sleep(PROBE_EVERY)
            self.worst = max(self.worst, time.perf_counter() - asked - PROBE_EVERY)

    def reset(self) -> None:
        self.worst = 0.0


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


@dataclass(frozen=True)
class ServedPortal:
    """Where the portal of another process answers, and what the bench needs of it."""

    url: str
    now: datetime
    mine: list[int]
    """The ids of the demo user's tasks."""


def serve_portal(conn: Connection) -> None:
    """In a process of its own: the ``large`` portal served over loopback HTTP. Each word
    on ``conn`` changes three of the demo user's tasks a minute later (answered with
    ``"changed"``) until the bench says ``"done"``.

    A portal answers from another machine: in the app's process, its work (filtering and
    encoding thousands of tasks a refresh) and its objects (walked by the app's garbage
    collector) would count as the app's stalls.
    """
    clock = FrozenClock(build_portal("empty").now())
    portal = build_portal("large", seed=0, clock=clock)
    mine = [task for task in portal.tasks.values() if task.responsible_id == DEMO_USER_ID]
    someone = min(user_id for user_id in portal.users if user_id != DEMO_USER_ID)
    rng = random.Random(0)
    hook = next(h for h in portal.credentials.webhooks.values() if h.user_id == DEMO_USER_ID)
    with serve_in_thread(EmulatorApp(portal, journal_size=100)) as served:
        url = f"http://{HOST}:{served.port}/rest/{hook.user_id}/{hook.code}/"
        conn.send(ServedPortal(url, clock.now(), [task.id for task in mine]))
        while conn.recv() != "done":
            for task in rng.sample(mine, 3):
                task.title = f"{task.title.split(' · ')[0]} · changed"
                portal.touch(task, someone)
            clock.advance(60)
            conn.send("changed")


async def measure(rounds: int, *, tidy: bool = True) -> dict[str, list[float]]:
    with portal_process(serve_portal) as (served, portal):
        return await _measure(rounds, served, portal, tidy=tidy)


async def _measure(
    rounds: int, served: ServedPortal, portal: Connection, *, tidy: bool
) -> dict[str, list[float]]:
    clock = FrozenClock(served.now)
    rng = random.Random(0)
    stalls: dict[str, list[float]] = {}
    async with B24Client(Webhook.parse(served.url)) as client:
        app = B24App(Services(client=client, clock=clock, demo=True), manage_collector=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            probe = Probe()
            probe.task = asyncio.ensure_future(probe.run())
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)

            async def refresh() -> None:
                portal.send("change")
                portal.recv()
                clock.advance(60)
                app.refresh_portal()
                await settle(pilot)

            async def keystroke() -> None:
                await pilot.press("slash", "r", "e", "v")
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)

            async def cursor() -> None:
                await pilot.press("j")

            async def view() -> None:
                await pilot.press("tab")
                await settle(pilot)

            async def open_task() -> None:
                app.push_screen(TaskDetailScreen(app.services, rng.choice(served.mine)))
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)

            steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
                ("refresh of what changed", refresh),
                ("filter keystroke (4 keys)", keystroke),
                ("cursor move", cursor),
                ("view switch", view),
                ("open a task, back", open_task),
            ]
            for _ in range(rounds):
                if tidy:
                    clock.advance(QUIET_FOR)
                    app.keep_house()
                for name, step in steps:
                    key = name
                    if name.startswith("refresh") and app.services.store.next_refresh_is_whole:
                        key = "whole refresh (every tenth)"
                    await pilot.pause()
                    probe.reset()
                    await step()
                    stalls.setdefault(key, []).append(probe.worst)
            probe.running = False
            await probe.task
    return stalls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--no-tidy",
        dest="tidy",
        action="store_false",
        help="no tidy of the heap before each round (a person who never stops)",
    )
    args = parser.parse_args(argv)
    stalls = asyncio.run(measure(args.rounds, tidy=args.tidy))
    out = sys.stdout.write
    out("longest stall of the event loop, ms (per round: the longest; target 50)\n")
    out(f"{'interaction':<30} {'rounds':>6} {'p50':>7} {'p95':>7} {'max':>7}\n")
    for name, worst in stalls.items():
        ms = sorted(w * 1000 for w in worst)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        out(f"{name:<30} {len(ms):>6} {statistics.median(ms):7.1f} {p95:7.1f} {ms[-1]:7.1f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
