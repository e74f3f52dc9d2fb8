"""How soon does a person see their tasks? b24tui's start from cache against a bare Textual app.

Run: ``.venv/bin/python -m bench.startup [--runs N] [--keyring]`` (needs tmux; ``--keyring``
needs dbus-daemon and gnome-keyring-daemon).

Both are started the same way, in a fresh tmux window of 120x36, and timed as a person
sees them: from the window's start until ``tmux capture-pane`` shows a task title. The
bare app is a header, a 20-row table and a footer (its first row's title is what is
waited for); b24tui runs against ``b24tui emulator`` with a snapshot cache written by a
previous run (its first cached title). The target: b24tui within 1.3 times the bare app.
With ``--keyring`` b24tui reads its webhook from a Secret Service (a private
gnome-keyring-daemon), as a person who ran ``b24tui login`` does, instead of from
``B24TUI_WEBHOOK_URL``.

Then where b24tui's import time goes (``python -X importtime``), by package.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

POLL = 0.01
"""Seconds between two reads of the window."""
TIMEOUT = 30.0
SIZE = ("-x", "120", "-y", "36")

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header


    class Bare(App[None]):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("ID", "Status", "Title", "Deadline")
            for n in range(1, 21):
                table.add_row(str(n), "Pending", f"Bare task number {n}", "tomorrow")


    Bare().run()
    """
)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def seen_after(command: str, wanted: str, env: dict[str, str]) -> float:
    """Seconds from starting ``command`` in a new tmux window until ``wanted`` shows."""
    session = f"bench-startup-{os.getpid()}"
    environment = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    began = time.perf_counter()
    tmux("new-session", "-d", "-s", session, *SIZE, *environment, command)
    try:
        while time.perf_counter() - began < TIMEOUT:
            if wanted in tmux("capture-pane", "-p", "-t", session):
                return time.perf_counter() - began
            time.sleep(POLL)
        raise SystemExit(f"{wanted!r} never showed: {tmux('capture-pane', '-p', '-t', session)}")
    finally:
        tmux("send-keys", "-t", session, "q")
        for _ in range(300):
            alive = subprocess.run(["tmux", "has-session", "-t", session], capture_output=True)
            if alive.returncode:
                break  # it quit (and the cache is written)
            time.sleep(0.02)
        else:
            tmux("kill-session", "-t", session)


def start_emulator(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "b24tui.emulator.cli", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().split()[0]


def keep_in_keyring(url: str, home: str, stack: ExitStack, env: dict[str, str]) -> str:
    """Start a private Secret Service, keep ``url`` in it as the default profile's
    webhook; its bus address."""
    from tests.auth.conftest import running_secret_service

    service = stack.enter_context(running_secret_service(Path(home, "secrets")))
    store = (
        "import sys\n"
        "from b24tui.auth import KeyringStore, WebhookCredential\n"
        "KeyringStore().save('default', WebhookCredential(sys.argv[1]))\n"
    )
    subprocess.run(
        [sys.executable, "-c", store, url],
        check=True,
        env={**env, "DBUS_SESSION_BUS_ADDRESS": service.bus_address},
    )
    return service.bus_address


def import_times() -> dict[str, float]:
    """Milliseconds of cumulative import time of b24tui.app by top-level package."""
    result = subprocess.run(
        # With the collector off, as the command line imports the app: otherwise a full
        # collection lands in whichever module happens to be loading, and is counted as its.
        [sys.executable, "-X", "importtime", "-c", "import gc; gc.disable(); import b24tui.app"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )
    by_package: dict[str, float] = defaultdict(float)
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match is None:
            continue
        own, name = int(match.group(1)), match.group(4)
        parts = name.split(".")
        key = ".".join(parts[:2]) if parts[0] == "b24tui" else parts[0]
        by_package[key] += own / 1000
    return dict(by_package)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keyring", action="store_true", help="b24tui reads its webhook from a Secret Service"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="b24tui-startup-") as home, ExitStack() as stack:
        env = {
            "XDG_CACHE_HOME": f"{home}/cache",
            "XDG_STATE_HOME": f"{home}/state",
            "XDG_CONFIG_HOME": f"{home}/config",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            # Timed as installed: with the byte code written once and read from then on.
            "PYTHONDONTWRITEBYTECODE": "",
        }
        full_env = {**os.environ, **env}
        bare = Path(home) / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        emulator, url = start_emulator(full_env)
        try:
            if args.keyring:
                env["DBUS_SESSION_BUS_ADDRESS"] = keep_in_keyring(url, home, stack, full_env)
            else:
                env["B24TUI_WEBHOOK_URL"] = url
            b24tui = f"{sys.executable} -m b24tui"
            seen_after(b24tui, "updated", env)  # a first run writes the cache as it quits
            cache = Path(home, "cache", "b24tui", "profiles", "default.json")
            for _ in range(500):
                if cache.exists():
                    break
                time.sleep(0.01)
            title = json.loads(cache.read_text(encoding="utf-8"))["tasks"][0]["title"][:30]
            bare_times, b24tui_times = [], []
            for _ in range(args.runs):
                bare_times.append(seen_after(f"{sys.executable} {bare}", "Bare task number 1", env))
                b24tui_times.append(seen_after(b24tui, title, env))
        finally:
            emulator.terminate()
            emulator.wait()
    bare_median, ours = statistics.median(bare_times), statistics.median(b24tui_times)
    out = sys.stdout.write
    out(f"first task title on screen, median of {args.runs} (tmux 120x36):\n")
    source = "the keyring" if args.keyring else "B24TUI_WEBHOOK_URL"
    out(f"  bare Textual app (header, 20-row table, footer)  {bare_median * 1000:6.0f} ms\n")
    out(f"  b24tui from its snapshot cache                   {ours * 1000:6.0f} ms\n")
    out(f"    (its webhook from {source})\n")
    out(f"  ratio {ours / bare_median:.2f} (target 1.30)\n")
    out("import time of b24tui.app by package (ms, own time summed):\n")
    times = sorted(import_times().items(), key=lambda item: -item[1])
    for name, ms in times[:15]:
        out(f"  {ms:7.1f}  {name}\n")
    out(f"  {sum(ms for _, ms in times):7.1f}  in all\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
