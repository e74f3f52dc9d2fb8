"""Reading every task of a large portal that answers as slowly as a portal does: b24tui
against the peers, side by side in one run.

Run: ``.venv/bin/python -m bench.fetch_all_realistic [--rtt-ms 40] [--repeat 1]
[--latency realistic|instant] [--tasks 10000] [--only NAME ...]``.

Each contender gets a fresh ``b24tui emulator --preset large --limits cloud --user 2
--latency realistic --rtt-ms 40 --tls`` in its own process (10,000 tasks, read as the
administrator, who sees them all; the cloud plan's request bucket and operating budget in
force; every request taking its modelled server time plus the round trip, concurrent
requests served side by side) and runs in a process of its own, so its peak RSS is its own:

* ``b24tui list_all``: ``client.tasks.list_all`` with :class:`PacingPolicy` (chained
  ``>ID`` pages with ``start=-1``, 50 per batch);
* ``fast_bitrix24 get_all``: its ``Bitrix.get_all`` (offset pages with the count, batched,
  several batches in flight);
* ``b24pysdk as_list`` and ``as_list_fast``: offset pages in batches, and ``>ID`` windows,
  with a 60 s timeout (:data:`PEER_TIMEOUT_S`).

All of them speak HTTPS to the emulator (b24pysdk builds ``https://`` URLs only), trusting
its throwaway CA. The figures: wall time of the read alone (imports and the client's
construction excluded), HTTP requests and calls of ``tasks.task.list`` the portal saw,
requests it refused for its limits, the contender's peak RSS, and the emulator's server time:
what the cost model says and what computing the answers took it (the larger sets the pace).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from b24tui.emulator.seed import ADMIN_USER_ID

SELECT = ["ID", "TITLE", "STATUS", "PRIORITY", "DEADLINE", "RESPONSIBLE_ID", "CREATED_BY"]
CONTENDERS = ("b24tui", "fast_bitrix24", "b24pysdk_as_list", "b24pysdk_as_list_fast")
PEER_TIMEOUT_S = 60
"""b24pysdk's request timeout here. Its default (10 s to read) fails ``as_list`` on this
portal: a batch of 50 pages counted over 10,000 tasks takes 11 s, on the emulator as on a
portal of that size."""
LABELS = {
    "b24tui": "b24tui list_all",
    "fast_bitrix24": "fast_bitrix24 get_all",
    "b24pysdk_as_list": "b24pysdk as_list",
    "b24pysdk_as_list_fast": "b24pysdk as_list_fast",
}


def read_with_b24tui(url: str, ca_file: str) -> list[str]:
    from b24tui.api import B24Client, Webhook
    from b24tui.api.pacing import PacingPolicy

    async def read() -> list[str]:
        policy = PacingPolicy("cloud")
        async with B24Client(Webhook.parse(url), policy=policy, ca_file=ca_file) as client:
            return [str(task.id) for task in await client.tasks.list_all(select=SELECT)]

    return asyncio.run(read())


def read_with_fast_bitrix24(url: str, ca_file: str) -> list[str]:
    os.environ["SSL_CERT_FILE"] = ca_file  # read when aiohttp is imported
    from fast_bitrix24 import Bitrix

    bitrix = Bitrix(url, verbose=False)
    return [str(task["id"]) for task in bitrix.get_all("tasks.task.list", {"select": SELECT})]


def _sdk(url: str, ca_file: str) -> Any:
    from b24pysdk import BitrixWebhook, Client

    os.environ["REQUESTS_CA_BUNDLE"] = ca_file
    domain, _, token = url.removeprefix("https://").partition("/rest/")
    webhook = BitrixWebhook(domain=domain, webhook_token=token.strip("/"))
    return Client(webhook, timeout=PEER_TIMEOUT_S)


def read_with_b24pysdk_as_list(url: str, ca_file: str) -> list[str]:
    tasks = _sdk(url, ca_file).tasks.task.list(select=SELECT).as_list().result
    return [str(task["id"]) for task in tasks]


def read_with_b24pysdk_as_list_fast(url: str, ca_file: str) -> list[str]:
    tasks = _sdk(url, ca_file).tasks.task.list(select=SELECT).as_list_fast().result
    return [str(task["id"]) for task in tasks]


READERS: dict[str, Callable[[str, str], list[str]]] = {
    "b24tui": read_with_b24tui,
    "fast_bitrix24": read_with_fast_bitrix24,
    "b24pysdk_as_list": read_with_b24pysdk_as_list,
    "b24pysdk_as_list_fast": read_with_b24pysdk_as_list_fast,
}


def contend(name: str, url: str, ca_file: str) -> None:
    """The child process: read every task with one contender, print its figures as JSON."""
    reader = READERS[name]
    began = time.perf_counter()
    ids = reader(url, ca_file)
    wall = time.perf_counter() - began
    figures = {
        "wall": wall,
        "tasks": len(ids),
        "unique": len(set(ids)),
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    sys.stdout.write(json.dumps(figures) + "\n")


@dataclass(frozen=True)
class Run:
    """One contender's read of a fresh portal."""

    name: str
    wall: float
    tasks: int
    unique: int
    requests: int
    list_calls: int
    refused: int
    rss_mib: float
    modelled_s: float
    """The portal's modelled server time of every call (the cost model)."""
    computed_s: float
    """The seconds the emulator spent computing the answers, one request at a time."""


def start_emulator(latency: str, rtt_ms: int, tasks: int) -> tuple[subprocess.Popen[str], str, str]:
    """A fresh ``b24tui emulator`` over HTTPS; its process, the admin's webhook, the CA."""
    options = ["--latency", latency, "--tasks", str(tasks)]
    if latency == "realistic":
        options += ["--rtt-ms", str(rtt_ms)]
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "b24tui", "emulator", "--preset", "large"),
            *("--limits", "cloud", "--user", str(ADMIN_USER_ID), "--tls", *options),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    url, _, ca_file = process.stdout.readline().strip().partition(" ")
    if not url.startswith("https://") or not ca_file:
        process.kill()
        raise SystemExit("the emulator did not print its webhook URL and CA file")
    return process, url, ca_file


def stats_of(url: str, ca_file: str) -> dict[str, Any]:
    """The emulator's own counters (``GET /_emulator/stats``)."""
    base = url.split("/rest/")[0]
    stats: dict[str, Any] = httpx.get(f"{base}/_emulator/stats", verify=ca_file, timeout=10).json()
    return stats


def run_one(name: str, latency: str, rtt_ms: int, tasks: int) -> Run:
    process, url, ca_file = start_emulator(latency, rtt_ms, tasks)
    try:
        child = subprocess.run(
            [sys.executable, "-m", "bench.fetch_all_realistic", "--contend", name, url, ca_file],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if child.returncode != 0:
            raise SystemExit(f"{name} failed:\n{child.stderr[-2000:]}")
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        stats = stats_of(url, ca_file)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return Run(
        name=name,
        wall=figures["wall"],
        tasks=figures["tasks"],
        unique=figures["unique"],
        requests=stats["requests"],
        list_calls=stats["methods"].get("tasks.task.list", 0),
        refused=sum(stats["refused"].values()),
        rss_mib=figures["rss_mib"],
        modelled_s=stats["server_time"]["modelled_s"],
        computed_s=stats["server_time"]["computed_s"],
    )


def table(runs: list[Run]) -> str:
    """The medians per contender, fastest first, with each one's ratio to the fastest."""
    by_name: dict[str, list[Run]] = {}
    for run in runs:
        by_name.setdefault(run.name, []).append(run)
    rows = []
    for name, mine in by_name.items():
        rows.append(
            (
                statistics.median(run.wall for run in mine),
                name,
                mine,
            )
        )
    rows.sort()
    best = rows[0][0]
    lines = [
        "| contender | wall (median) | runs | vs best | tasks | HTTP requests "
        "| tasks.task.list calls | limit refusals | peak RSS | server time: modelled, computed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for wall, name, mine in rows:
        last = mine[-1]
        each = ", ".join(f"{run.wall:.2f}" for run in mine)
        lines.append(
            f"| {LABELS[name]} | {wall:.2f} s | {each} | {wall / best:.2f}x | {last.tasks} "
            f"| {last.requests} | {last.list_calls} | {max(r.refused for r in mine)} "
            f"| {max(r.rss_mib for r in mine):.0f} MiB | {last.modelled_s:.1f} s, "
            f"{statistics.median(r.computed_s for r in mine):.1f} s |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args_given = sys.argv[1:] if argv is None else argv
    if args_given[:1] == ["--contend"]:
        contend(*args_given[1:4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--latency", choices=["realistic", "instant"], default="realistic")
    parser.add_argument("--rtt-ms", type=int, default=40, help="the round trip (realistic)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over every contender")
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks of the portal")
    parser.add_argument("--only", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    args = parser.parse_args(args_given)
    runs: list[Run] = []
    for round_ in range(1, args.repeat + 1):
        for name in args.only:
            run = run_one(name, args.latency, args.rtt_ms, args.tasks)
            runs.append(run)
            sys.stderr.write(f"round {round_}: {LABELS[name]} {run.wall:.2f} s\n")
            if run.unique != run.tasks:
                raise SystemExit(f"{name} read {run.tasks - run.unique} tasks twice")
    rtt = f" --rtt-ms {args.rtt_ms}" if args.latency == "realistic" else ""
    sys.stdout.write(
        f"emulator: b24tui emulator --preset large --tasks {args.tasks} --limits cloud "
        f"--user {ADMIN_USER_ID} --tls --latency {args.latency}{rtt} (a fresh one per run)"
        f"\n\n{table(runs)}\n"
    )
    return 1 if any(run.refused for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
