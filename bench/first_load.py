"""How soon a large portal's dashboard shows its first rows, and how long until all are in.

Run: ``.venv/bin/python -m bench.first_load [--plan cloud|enterprise] [--runs N]``.

Starts ``b24tui emulator --preset large --limits cloud`` in its own process (10,000 tasks,
about 7,300 of them the demo user's; the cloud plan's limits in force), then opens the
app headless (120x36) on the demo user's webhook, as ``b24tui`` would with a
:class:`PacingPolicy`, and times from the app's start:

* the first painted row: the first time the task table turns a task into a line on
  screen;
* the full load: the store's first refresh landed (every task read), and the table's
  next paint after it;

and it prints what the header said on the way (the progress), how many rows the table
held at each part of the load, the longest the event loop was kept from its turns during
the load (what a key pressed then waits), the HTTP requests it took, and the client
process's peak resident memory. ``--runs`` repeats the whole (a fresh emulator each time)
and prints each run and the median.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.style import Style
from textual.strip import Strip

from b24tui.api import B24Client, Webhook
from b24tui.api.pacing import PacingPolicy, Plan
from b24tui.app import B24App
from b24tui.clock import SystemClock
from b24tui.services import Services
from b24tui.store import StoreChange
from b24tui.widgets import AppHeader, TaskTable

BEAT = 0.01
"""Seconds between the heartbeats that measure how long the event loop is held."""
LOAD_TIMEOUT = 300.0
"""Seconds after which a load that has not ended counts as failed."""


@dataclass
class Run:
    """What one start of the app showed, in seconds from its start."""

    first_row: float | None = None
    loaded: float | None = None
    painted_loaded: float | None = None
    tasks: int = 0
    requests: int = 0
    longest_stall: float = 0.0
    statuses: list[str] = field(default_factory=list)
    """The header's status texts in the order shown (each once)."""
    rows_seen: list[int] = field(default_factory=list)
    """The table's row count after each store change of the load."""


class Timer:
    """Marks the moments of one run (see :class:`Run`)."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.run = Run()

    def since(self) -> float:
        return time.perf_counter() - self.began

    def painted_row(self) -> None:
        run = self.run
        if run.first_row is None:
            run.first_row = self.since()
        if run.loaded is not None and run.painted_loaded is None:
            run.painted_loaded = self.since()

    def status(self, text: str) -> None:
        if text and (not self.run.statuses or self.run.statuses[-1] != text):
            self.run.statuses.append(text)


TIMER: Timer | None = None
"""The run being timed (the patched table and header report to it)."""

_render_row = TaskTable._render_row
_watch_status = AppHeader.watch_status


def _timed_render_row(self: TaskTable, row: int, base: Style) -> Strip:
    if TIMER is not None:
        TIMER.painted_row()
    return _render_row(self, row, base)


def _timed_watch_status(self: AppHeader, status: str) -> None:
    if TIMER is not None:
        TIMER.status(status)
    _watch_status(self, status)


TaskTable._render_row = _timed_render_row  # type: ignore[method-assign]
AppHeader.watch_status = _timed_watch_status  # type: ignore[method-assign]


async def heartbeat(timer: Timer, stop: asyncio.Event) -> None:
    """Record the longest gap between turns of the loop beyond the beat asked for."""
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(BEAT)
        now = time.perf_counter()
        timer.run.longest_stall = max(timer.run.longest_stall, now - last - BEAT)
        last = now


async def one_run(webhook_url: str, plan: Plan) -> Run:
    """Open the app on ``webhook_url`` and time its first load."""
    global TIMER
    before = emulator_figures(webhook_url)["requests"]
    client = B24Client(Webhook.parse(webhook_url), policy=PacingPolicy(plan))
    timer = Timer()
    TIMER = timer
    async with client:
        app = B24App(Services(client=client, clock=SystemClock()))
        store = app.services.store
        done = asyncio.Event()

        def changed(change: StoreChange) -> None:
            table = next(iter(app.screen.query(TaskTable)), None) if app.is_running else None
            # The table repaints from the message the change posts; what it holds now is
            # the part before (the figure after the last part is the final count).
            timer.run.rows_seen.append(table.row_count if table is not None else 0)
            if change.refreshed and store.loaded and timer.run.loaded is None:
                timer.run.loaded = timer.since()
                timer.run.tasks = len(store.my_tasks())
                done.set()

        store.subscribe(changed)
        stop = asyncio.Event()
        async with app.run_test(size=(120, 36)) as pilot:
            beating = asyncio.create_task(heartbeat(timer, stop))
            await asyncio.wait_for(done.wait(), LOAD_TIMEOUT)
            for _ in range(200):  # until the table has painted the full list
                if timer.run.painted_loaded is not None:
                    break
                await pilot.pause(0.01)
            stop.set()
            await beating
            table = app.screen.query_one(TaskTable)
            timer.run.rows_seen.append(table.row_count)
    TIMER = None
    timer.run.requests = emulator_figures(webhook_url)["requests"] - before
    return timer.run


def start_emulator(plan: Plan) -> tuple[subprocess.Popen[str], str]:
    """``b24tui emulator --preset large`` as a person would start it; its process and the
    demo user's webhook."""
    process = subprocess.Popen(
        [sys.executable, "-m", "b24tui", "emulator", "--preset", "large", "--limits", plan],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http://"):
        process.kill()
        raise SystemExit("the emulator did not print its webhook URL")
    return process, line


def emulator_figures(webhook_url: str) -> dict[str, Any]:
    """The emulator's own counters (``GET /_emulator/stats``)."""
    base = webhook_url.split("/rest/")[0]
    stats: dict[str, Any] = httpx.get(f"{base}/_emulator/stats", timeout=10).json()
    return stats


def rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


def report(number: int, run: Run) -> str:
    """One run's figures, a few lines."""
    parts = sorted(set(run.rows_seen))
    return (
        f"run {number}: first painted row {_seconds(run.first_row)}, "
        f"full load {_seconds(run.loaded)} (painted {_seconds(run.painted_loaded)}), "
        f"{run.tasks:,} tasks in {run.requests} HTTP requests\n"
        f"  longest event-loop stall during the load: {run.longest_stall * 1000:.0f} ms\n"
        f"  table rows as the parts landed: {', '.join(f'{n:,}' for n in parts)}\n"
        f"  header said: {' | '.join(run.statuses)}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plan", choices=["cloud", "enterprise"], default="cloud")
    parser.add_argument("--runs", type=int, default=1, help="times to start the app")
    args = parser.parse_args(argv)
    plan: Plan = args.plan
    runs: list[Run] = []
    for number in range(1, args.runs + 1):
        process, url = start_emulator(plan)
        try:
            run = asyncio.run(one_run(url, plan))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
        runs.append(run)
        sys.stdout.write(report(number, run))
    firsts = [run.first_row for run in runs if run.first_row is not None]
    fulls = [run.loaded for run in runs if run.loaded is not None]
    first = statistics.median(firsts) if firsts else None
    full = statistics.median(fulls) if fulls else None
    sys.stdout.write(
        f"command: .venv/bin/python -m bench.first_load --plan {plan} --runs {args.runs} "
        f"(emulator: b24tui emulator --preset large --limits {plan})\n"
        f"median time to first painted row: {_seconds(first)}\n"
        f"median time to full load: {_seconds(full)}\n"
        f"peak RSS of the client process: {rss_mib():.0f} MiB\n"
    )
    return 0 if len(fulls) == len(runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
