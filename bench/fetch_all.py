"""How many HTTP requests and how long it takes to read every task of a large portal.

Run: ``.venv/bin/python -m bench.fetch_all``. Serves the emulator's
"large" preset (10,000 tasks) on 127.0.0.1, reads all tasks with ``client.tasks.list_all``
(chained batches: 50 ``tasks.task.list`` calls per request) as the portal's administrator,
who sees every task, and prints the figures.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time

from b24tui.api import B24Client, Webhook
from b24tui.clock import OffsetClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.server import serve_in_thread

SELECT = ["ID", "TITLE", "STATUS", "PRIORITY", "DEADLINE", "RESPONSIBLE_ID", "CREATED_BY"]


async def fetch(webhook_url: str) -> int:
    async with B24Client(Webhook.parse(webhook_url)) as client:
        tasks = await client.tasks.list_all(select=SELECT)
    ids = [task.id for task in tasks]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate tasks in the answer")
    return len(ids)


def rss_mib() -> float:
    """The process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    started = time.perf_counter()
    portal = build_portal("large", seed=0, clock=OffsetClock())
    built = time.perf_counter() - started
    admin = next(user.id for user in portal.users.values() if user.admin)
    webhook = portal.credentials.add_webhook(admin)
    app = EmulatorApp(portal)
    with serve_in_thread(app) as running:
        url = f"{running.base_url}/rest/{webhook.user_id}/{webhook.code}/"
        began = time.perf_counter()
        count = asyncio.run(fetch(url))
        wall = time.perf_counter() - began
    stats = app.journal.stats()
    sys.stdout.write(
        f"portal: {len(portal.tasks)} tasks, built in {built:.2f} s\n"
        f"fetched: {count} tasks\n"
        f"HTTP requests: {stats['requests']}\n"
        f"tasks.task.list calls: {stats['methods'].get('tasks.task.list', 0)}\n"
        f"wall time: {wall:.2f} s (client and emulator share this process)\n"
        f"peak RSS of the process (emulator included): {rss_mib():.0f} MiB\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
