"""How many HTTP requests and how long it takes to read every task of a large portal, inside
the cloud's rate limits.

Run: ``.venv/bin/python -m bench.fetch_all [--burst N] [--plan cloud|enterprise]``.

Starts ``b24tui emulator --preset large --limits cloud --user 2`` in its own process (the
"large" preset: 10,000 tasks; the cloud plan's limits in force: request bucket 50, draining
2 a second; 480 s of operating time per method), reads all tasks with
``client.tasks.list_all`` (chained batches: 50 ``tasks.task.list`` calls per request) as
the portal's administrator, who sees every task, then asks for ``--burst`` single tasks at
once (default 70: more than the bucket holds) to show the pacing at work. The client runs
with :class:`PacingPolicy`; the figures include how many requests the portal refused for
its limits, which must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import subprocess
import sys
import time
from typing import Any

import httpx

from b24tui.api import B24Client, Webhook
from b24tui.api.pacing import PacingPolicy, PacingState, Plan
from b24tui.emulator.seed import ADMIN_USER_ID

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
        before = emulator_figures(webhook_url)["requests"]
        tasks = await client.tasks.list_all(select=SELECT)
        list_wall = time.perf_counter() - began
        list_requests = emulator_figures(webhook_url)["requests"] - before
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
        "list_requests": list_requests,
        "list_wall": list_wall,
        "burst_wall": burst_wall,
        "state": policy.state(),
    }


def rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_emulator(plan: Plan) -> tuple[subprocess.Popen[str], str]:
    """``b24tui emulator`` as a person would start it; its process and the admin's webhook."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "b24tui", "emulator", "--preset", "large"),
            *("--limits", plan, "--user", str(ADMIN_USER_ID)),
        ],
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--burst", type=int, default=70, help="single tasks.task.get at once")
    parser.add_argument("--plan", choices=["cloud", "enterprise"], default="cloud")
    args = parser.parse_args(argv)
    plan: Plan = args.plan
    started = time.perf_counter()
    process, url = start_emulator(plan)
    ready = time.perf_counter() - started
    watcher = Watcher()
    try:
        began = time.perf_counter()
        figures = asyncio.run(fetch(url, plan, args.burst, watcher))
        wall = time.perf_counter() - began
        stats = emulator_figures(url)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    refused = stats["refused"]
    limit_errors = sum(refused.values())
    state: PacingState = figures["state"]
    sys.stdout.write(
        f"emulator: b24tui emulator --preset large --limits {plan}, ready in {ready:.2f} s\n"
        f"fetched: {figures['count']} tasks in {figures['list_wall']:.2f} s, "
        f"then {args.burst} single tasks at once in {figures['burst_wall']:.2f} s\n"
        f"HTTP requests: {stats['requests']} ({figures['list_requests']} for the whole list)\n"
        f"tasks.task.list calls: {stats['methods'].get('tasks.task.list', 0)}\n"
        f"tasks.task.get calls: {stats['methods'].get('tasks.task.get', 0)}\n"
        f"wall time: {wall:.2f} s (client and emulator in separate processes)\n"
        f"limit errors seen: {limit_errors} {refused or ''}\n"
        f"pacing: {watcher.changes} changes, at most {watcher.peak_waiting} calls waiting, "
        f"parked {sorted(watcher.parked) or 'none'}, bucket at {state.bucket_level:.1f}"
        f"/{state.bucket_burst}\n"
        f"peak RSS of the client process: {rss_mib():.0f} MiB\n"
    )
    return 1 if limit_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
