"""How many HTTP requests and how long it takes to read every task of a large portal, inside
the cloud's rate limits.

Run: ``.venv/bin/python -m bench.fetch_all [--burst N] [--plan cloud|enterprise]``.

Serves the emulator's "large" preset (10,000 tasks) on 127.0.0.1 with the cloud plan's
limits in force (request bucket 50, draining 2 a second; 480 s of operating time per
method), reads all tasks with ``client.tasks.list_all`` (chained batches: 50
``tasks.task.list`` calls per request) as the portal's administrator, who sees every
task, then asks for ``--burst`` single tasks at once (default 70: more than the bucket
holds) to show the pacing at work. The client runs with :class:`PacingPolicy`; the figures
include how many requests the portal refused for its limits, which must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from typing import Any

from b24tui.api import B24Client, Webhook
from b24tui.api.pacing import PacingPolicy, PacingState, Plan
from b24tui.clock import OffsetClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.server import serve_in_thread

SELECT = ["ID", "TITLE", "STATUS", "PRIORITY", "DEADLINE", "RESPONSIBLE_ID", "CREATED_BY"]


class Watcher:
    """Counts how often and how long the pacing held calls back."""

    def __init__(self) -> None:
        self.changes = 0
        self.peak_waiting = 0
        self.parked: set[str] = set()

    def __call__(self, state: PacingState) -> None:
        self.changes += 1
        self.peak_waiting = max(self.peak_waiting, sum(state.waiting.values()))
        self.parked.update(state.parked)


async def fetch(webhook_url: str, plan: Plan, burst: int, watcher: Watcher) -> dict[str, Any]:
    policy = PacingPolicy(plan, on_change=watcher)
    async with B24Client(Webhook.parse(webhook_url), policy=policy) as client:
        began = time.perf_counter()
        tasks = await client.tasks.list_all(select=SELECT)
        list_wall = time.perf_counter() - began
        ids = [task.id for task in tasks]
        if len(ids) != len(set(ids)):
            raise SystemExit("duplicate tasks in the answer")
        began = time.perf_counter()
        singles = await asyncio.gather(*(client.tasks.get(task_id) for task_id in ids[:burst]))
        burst_wall = time.perf_counter() - began
        if [task.id for task in singles] != ids[:burst]:
            raise SystemExit("the burst answered other tasks than asked")
    return {
        "count": len(ids),
        "list_wall": list_wall,
        "burst_wall": burst_wall,
        "state": policy.state(),
    }


def rss_mib() -> float:
    """The process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--burst", type=int, default=70, help="single tasks.task.get at once")
    parser.add_argument("--plan", choices=["cloud", "enterprise"], default="cloud")
    args = parser.parse_args(argv)
    plan: Plan = args.plan
    started = time.perf_counter()
    portal = build_portal("large", seed=0, clock=OffsetClock())
    built = time.perf_counter() - started
    admin = next(user.id for user in portal.users.values() if user.admin)
    webhook = portal.credentials.add_webhook(admin)
    app = EmulatorApp(portal, limits=plan)
    watcher = Watcher()
    with serve_in_thread(app) as running:
        url = f"{running.base_url}/rest/{webhook.user_id}/{webhook.code}/"
        began = time.perf_counter()
        figures = asyncio.run(fetch(url, plan, args.burst, watcher))
        wall = time.perf_counter() - began
    stats = app.journal.stats()
    refused = stats["refused"]
    limit_errors = sum(refused.values())
    state: PacingState = figures["state"]
    sys.stdout.write(
        f"portal: {len(portal.tasks)} tasks, built in {built:.2f} s; limits: {plan}\n"
        f"fetched: {figures['count']} tasks in {figures['list_wall']:.2f} s, "
        f"then {args.burst} single tasks at once in {figures['burst_wall']:.2f} s\n"
        f"HTTP requests: {stats['requests']}\n"
        f"tasks.task.list calls: {stats['methods'].get('tasks.task.list', 0)}\n"
        f"tasks.task.get calls: {stats['methods'].get('tasks.task.get', 0)}\n"
        f"wall time: {wall:.2f} s (client and emulator share this process)\n"
        f"limit errors seen: {limit_errors} {refused or ''}\n"
        f"pacing: {watcher.changes} changes, at most {watcher.peak_waiting} calls waiting, "
        f"parked {sorted(watcher.parked) or 'none'}, bucket at {state.bucket_level:.1f}"
        f"/{state.bucket_burst}\n"
        f"peak RSS of the process (emulator included): {rss_mib():.0f} MiB\n"
    )
    return 1 if limit_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
