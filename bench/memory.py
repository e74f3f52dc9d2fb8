"""How much memory does b24tui hold with 10,000 tasks, and does a refresh add to it?

Run: ``.venv/bin/python -m bench.memory [--tasks 13700] [--refreshes 20]`` (needs tmux).

Starts ``b24tui emulator --preset large --tasks N --limits off`` in a process of its own
(13,700 tasks give the demo user about 10,000 in their views) and the real ``b24tui`` in a
tmux window of 120x36 against it, with a fresh home (no cache, no config), then reads the
app's resident memory (``/proc/PID/status``, ``VmRSS``) after the first load and after
each refresh asked for with ``r``. Every tenth refresh reads everything again; the others
read what changed, so the table shows what both kinds keep. The target: at most 150 MB
with 10,000 tasks loaded, and flat across refreshes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

SIZE = ("-x", "120", "-y", "36")
POLL = 0.05
TIMEOUT = 120.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def rss_mib(pid: int) -> float:
    """The resident memory of process ``pid`` now."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def app_pid(session: str) -> int:
    """The Python process in the window (the pane's shell, or its child)."""
    pane = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
    for _ in range(100):
        if "python" in Path(f"/proc/{pane}/cmdline").read_text():
            return pane
        children = Path(f"/proc/{pane}/task/{pane}/children").read_text().split()
        for child in children:
            if "python" in Path(f"/proc/{child}/cmdline").read_text():
                return int(child)
        time.sleep(POLL)
    raise RuntimeError("the app's process never started")


def requests_answered(base: str) -> int:
    with urllib.request.urlopen(f"{base}/_emulator/stats", timeout=10) as answer:
        stats: dict[str, int] = json.load(answer)
    return stats["requests"]


def wait_until(condition: str, check: Callable[[], bool], session: str) -> None:
    began = time.perf_counter()
    while time.perf_counter() - began < TIMEOUT:
        if check():
            return
        time.sleep(POLL)
    raise SystemExit(f"{condition} never happened: {tmux('capture-pane', '-p', '-t', session)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=13_700, help="tasks of the portal")
    parser.add_argument("--refreshes", type=int, default=20)
    args = parser.parse_args(argv)
    emulator = subprocess.Popen(
        [
            *(sys.executable, "-m", "b24tui", "emulator", "--preset", "large"),
            *("--tasks", str(args.tasks), "--limits", "off", "--port", "0"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert emulator.stdout is not None
    url = emulator.stdout.readline().split()[0]
    base = url.split("/rest/")[0]
    session = f"bench-memory-{os.getpid()}"
    out = sys.stdout
    try:
        with tempfile.TemporaryDirectory(prefix="b24tui-memory-") as home:
            env = {"HOME": home, "XDG_CACHE_HOME": f"{home}/cache", "B24TUI_WEBHOOK_URL": url}
            environment = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
            command = f"{sys.executable} -m b24tui"
            tmux("new-session", "-d", "-s", session, *SIZE, *environment, command)
            try:
                pid = app_pid(session)

                def shown(text: str) -> bool:
                    return text in tmux("capture-pane", "-p", "-t", session)

                wait_until("the first load", lambda: shown("updated just now"), session)
                time.sleep(1.0)  # the first paint's work, then the collector's first passes
                screen = tmux("capture-pane", "-p", "-t", session).splitlines()
                views = next((line for line in screen if " All " in line), "").strip()
                out.write(f"{args.tasks:,} tasks in the portal; the views: {views}\n")
                out.write(f"{'after':<24} {'RSS MiB':>8} {'requests':>9}\n")
                rows = [("the first load", rss_mib(pid), requests_answered(base))]
                out.write(f"{rows[0][0]:<24} {rows[0][1]:8.1f} {rows[0][2]:9d}\n")
                for number in range(1, args.refreshes + 1):
                    before = requests_answered(base)

                    def refreshed(before: int = before) -> bool:
                        return requests_answered(base) > before and shown("updated just now")

                    tmux("send-keys", "-t", session, "r")
                    wait_until(f"refresh {number}", refreshed, session)
                    time.sleep(0.5)  # the rows repainted
                    row = (f"refresh {number}", rss_mib(pid), requests_answered(base))
                    rows.append(row)
                    out.write(f"{row[0]:<24} {row[1]:8.1f} {row[2]:9d}\n")
                    out.flush()
                growth = rows[-1][1] - rows[0][1]
                out.write(
                    f"largest {max(r[1] for r in rows):.1f} MiB; after {args.refreshes} "
                    f"refreshes {growth:+.1f} MiB from the first load\n"
                )
            finally:
                tmux("send-keys", "-t", session, "q")
                time.sleep(1.0)
                subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
