"""Does a huge task description keep the UI responsive? Event-loop stalls while showing it.

Run: ``.venv/bin/python -m bench.big_description [--sizes 100000,1048576]``.

Builds the demo portal plus one task per size whose description is that many characters
of realistic BBCode (paragraphs, bold and italic runs, links, mentions, lists, quotes,
code blocks, entities), opens the real app headless at 160x40 (wide enough for the
dashboard's side pane) against the emulator served over loopback HTTP from a process of
its own, as a portal answers from another machine, and, for each task, steps through
what a person does: highlight the task (the pane fetches and shows it), refresh the
dashboard three times and toggle the theme there and back with the pane on show, open the
task's detail screen, press ``m`` ("show more") three times, go back.

Meanwhile a probe task sleeps 5 ms in a loop and records how late it wakes: every gap is
a stall of the event loop, the time a keystroke would have waited. For each step the
table gives the longest stall and the median and 95th percentile of the gaps; the longest
stall counted in this process's CPU time (``cpu``: what the stall costs the app itself,
and about what it lasts on an idle machine; on a busy one the wall-clock stall also holds
the time other processes had the cores); the longest
pause of Python's garbage collector in the step (a full collection stops every thread,
and lasts as long as the app has objects, whatever the description's size); and, for
the steps that show the description, the time until its first part is on screen (for
the pane this includes the dashboard's 0.3 s wait before it fetches the full task).
Resident memory is printed before and after each task. The smallest size shows what the
same steps cost without a long description.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.clock import FrozenClock
from b24tui.emulator import EmulatorApp, build_portal
from b24tui.emulator.seed import DEMO_USER_ID
from b24tui.emulator.server import HOST, serve_in_thread
from b24tui.emulator.state import Portal
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.services import Services
from b24tui.widgets import TaskDetail, TaskTable
from b24tui.widgets.task_pane import TaskPane
from bench.portal_process import portal_process

SIZE = (160, 40)
TICK = 0.005
"""How long the probe sleeps between wake-ups (seconds)."""
TIMEOUT = 300.0
"""Seconds to wait for a description to appear before giving up on a step."""
SHOW_MORE_PRESSES = 3
MARKER = "Release plan"
"""The rendered description starts with this (how the bench knows it is on screen)."""

_PROSE = (
    "the release needs a second review of the export path before we ship it to the "
    "customers who asked for the new report format and the faster import of old data "
    "while support keeps a list of every ticket that mentions the timeout or the login "
    "page and the designers finish the mock-ups for the pricing table and onboarding"
)
_WORDS = _PROSE.split()
_NAMES = {4: "María José Fernández", 5: "Gregory Scott", 6: "Zoë Lambert", 9: "Kenji Watanabe"}


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 24))
    for _ in range(rng.randint(0, 2)):
        at = rng.randrange(len(words))
        words[at] = rng.choice(("[B]{}[/B]", "[I]{}[/I]", "[U]{}[/U]")).format(words[at])
    if rng.random() < 0.2:
        user_id, name = rng.choice(list(_NAMES.items()))
        words.insert(rng.randrange(len(words)), f"[USER={user_id}]{name}[/USER]")
    if rng.random() < 0.15:
        words.append(f"[URL=https://example.com/t/{rng.randint(1, 9999)}]ticket[/URL]")
    if rng.random() < 0.1:
        words.append("&quot;as agreed&quot; &amp; signed")
    return " ".join(words).capitalize() + "."


def _block(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
    if kind < 0.75:
        items = "".join(f"[*]{_sentence(rng)}\n" for _ in range(rng.randint(3, 8)))
        return f"[LIST{'=1' if rng.random() < 0.5 else ''}]\n{items}[/LIST]"
    if kind < 0.85:
        return f'[QUOTE="{rng.choice(list(_NAMES.values()))}"]{_sentence(rng)}[/QUOTE]'
    if kind < 0.95:
        lines = "\n".join(
            f"SELECT ID, TITLE FROM b_tasks WHERE STATUS = {n} AND GROUP_ID > {n * 7};"
            for n in range(rng.randint(2, 8))
        )
        return f"[CODE]{lines}[/CODE]"
    return f"[B][COLOR=#ff0000]{rng.choice(_WORDS).capitalize()}[/COLOR][/B]"


def big_description(size: int, seed: int = 0) -> str:
    """``size`` characters of BBCode like a long-lived task collects, cut at a block's end."""
    rng = random.Random(seed)
    blocks = [f"[B]{MARKER} {size:,}[/B]"]
    length = len(blocks[0])
    while length < size:
        block = _block(rng)
        blocks.append(block)
        length += len(block) + 2
    text = "\n\n".join(blocks)
    return text[:size] if len(text) > size else text


def add_big_tasks(portal: Portal, sizes: list[int]) -> list[int]:
    """One task of the demo user per size, with a description of that many characters."""
    ids = []
    for size in sizes:
        task = portal.draft_task(DEMO_USER_ID)
        task.id = portal.next_id("task")
        task.title = f"Task with a {size:,}-character description"
        task.description = big_description(size)
        task.accomplices = [5]
        portal.tasks[task.id] = task
        ids.append(task.id)
    return ids


def rss_mib() -> float:
    """This process's resident memory now (``/proc/self/statm``; pages of 4 KiB)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


class LagProbe:
    """Sleeps :data:`TICK` in a loop; each wake-up's lateness is one gap."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.cpu_gaps: list[float] = []
        """The same gaps in this process's CPU time (every thread's)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            before, cpu_before = time.perf_counter(), time.process_time()
            await asyncio.sleep(TICK)
            self.gaps.append(max(0.0, time.perf_counter() - before - TICK))
            self.cpu_gaps.append(time.process_time() - cpu_before)


class GcPauses:
    """Records how long each of the garbage collector's passes takes (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        self._lock = threading.Lock()

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        with self._lock:
            if phase == "start":
                self._started = time.perf_counter()
            else:
                self.pauses.append(time.perf_counter() - self._started)


GC = GcPauses()


@dataclass
class Step:
    """One step's figures."""

    name: str
    gaps: list[float] = field(default_factory=list)
    first_part: float | None = None
    wall: float = 0.0
    gc_pauses: list[float] = field(default_factory=list)
    cpu_gaps: list[float] = field(default_factory=list)

    def stall(self, quantile: float) -> float:
        if not self.gaps:
            return 0.0
        if quantile >= 1.0:
            return max(self.gaps)
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def displayed(node: DOMNode, top: DOMNode) -> bool:
    """Whether ``node`` and its ancestors up to ``top`` are displayed."""
    current: DOMNode | None = node
    while current is not None and current is not top:
        if not current.display:
            return False
        current = current.parent
    return top.display


def description_on_show(detail: TaskDetail, size: int) -> bool:
    """Whether the widget shows the start of the description of ``size`` characters."""
    marker = f"{MARKER} {size:,}"
    for static in detail.query(Static):
        if str(static.visual)[:100].startswith(marker) and displayed(static, detail):
            return True
    return False


async def until(predicate: Callable[[], bool]) -> None:
    """Wait (politely: the loop stays free) until ``predicate`` holds."""
    deadline = time.perf_counter() + TIMEOUT
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the description never appeared")
        await asyncio.sleep(TICK)


async def measure(
    probe: LagProbe, name: str, action: Callable[[], Awaitable[float | None]]
) -> Step:
    """Run ``action`` (which may return the time to the first part) and note the gaps."""
    # Let the probe wake first, so that a stall from before the step (the collection
    # between tasks) is not counted in it.
    await asyncio.sleep(0.05)
    first = len(probe.gaps)
    first_pause = len(GC.pauses)
    started = time.perf_counter()
    first_part = await action()
    # A stall that is still going on is only recorded when the probe wakes up.
    await asyncio.sleep(0.05)
    wall = time.perf_counter() - started
    return Step(
        name,
        probe.gaps[first:],
        first_part,
        wall,
        GC.pauses[first_pause:],
        probe.cpu_gaps[first:],
    )


class BareScreen(Screen[None]):
    """What opening a task's screen costs Textual alone: a screen of the same shape
    (a header, a row of labels, a scrolling column of text, a footer of eight keys) and
    nothing of ours in it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, "app.bell", f"Key {key}") for key in "abcdefgh"
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="bare-labels"):
            for number in range(8):
                yield Label(f"label {number}")
        with VerticalScroll():
            yield Static("A task of about the same size")
            with Horizontal(classes="bare-grid"):
                yield Static("\n".join(f"field {n}: value" for n in range(8)))
                yield Static("\n".join(f"person {n}" for n in range(8)))
            yield Static(Text(big_description(2000)))
        yield Footer()


async def open_bare_screen(app: B24App, pilot: Pilot[None], probe: LagProbe) -> Step:
    """The reference step: a :class:`BareScreen` opened in the same app (then closed)."""

    async def open_bare() -> None:
        app.push_screen(BareScreen())
        await pilot.pause()
        await pilot.pause()

    step = await measure(probe, "reference: open a bare screen", open_bare)
    app.pop_screen()
    await pilot.pause()
    return step


async def run_task(
    app: B24App, pilot: Pilot[None], probe: LagProbe, task_id: int, size: int
) -> list[Step]:
    """The steps for one task; the dashboard is on screen before and after."""
    dashboard = app.screen
    assert isinstance(dashboard, DashboardScreen)
    pane = dashboard.query_one(TaskPane)
    table = dashboard.query_one(TaskTable)
    steps: list[Step] = []

    async def highlight() -> float:
        started = time.perf_counter()
        table.move_cursor(row=table.get_row_index(task_id))
        await until(lambda: pane.task_id == task_id and description_on_show(pane, size))
        await pilot.pause()
        return time.perf_counter() - started

    async def refresh() -> None:
        for _ in range(3):
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()

    async def toggle_theme() -> None:
        theme = app.theme
        app.theme = "textual-light" if theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.theme = theme
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    async def open_detail() -> float:
        started = time.perf_counter()
        screen = TaskDetailScreen(app.services, task_id)
        app.push_screen(screen)
        await until(
            lambda: any(description_on_show(found, size) for found in screen.query(TaskDetail))
        )
        await pilot.pause()
        return time.perf_counter() - started

    async def show_more() -> None:
        detail = app.screen.query_one(TaskDetail)
        before = detail.description_parts_shown
        for _ in range(SHOW_MORE_PRESSES):
            await pilot.press("m")
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = detail.description_parts_shown - before
        if detail.has_more and shown != SHOW_MORE_PRESSES:
            raise RuntimeError(f"{SHOW_MORE_PRESSES} presses of m showed {shown} more parts")

    async def back() -> None:
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()

    steps.append(await measure(probe, "pane: highlight the task", highlight))
    steps.append(await measure(probe, "pane: 3 refreshes (r)", refresh))
    steps.append(await measure(probe, "pane: theme there and back", toggle_theme))
    steps.append(await measure(probe, "detail: open", open_detail))
    steps.append(await measure(probe, f"detail: show more ({SHOW_MORE_PRESSES}x m)", show_more))
    steps.append(await measure(probe, "detail: back (escape)", back))
    return steps


@dataclass(frozen=True)
class ServedPortal:
    """Where the portal of another process answers, and what the bench needs of it."""

    url: str
    now: datetime
    task_ids: list[int]


def serve_portal(sizes: list[int], conn: Connection) -> None:
    """In a process of its own: the demo portal with one big task per size, served over
    loopback HTTP until the bench sends a word on ``conn``.

    A portal answers from another machine, so the bench keeps its work (encoding a
    megabyte of JSON, for one) off the app's event loop and out of the app's memory.
    """
    clock = FrozenClock(build_portal("empty").now())
    portal = build_portal("demo", seed=0, clock=clock)
    task_ids = add_big_tasks(portal, sizes)
    hook = next(h for h in portal.credentials.webhooks.values() if h.user_id == DEMO_USER_ID)
    with serve_in_thread(EmulatorApp(portal, journal_size=100)) as served:
        url = f"http://{HOST}:{served.port}/rest/{hook.user_id}/{hook.code}/"
        conn.send(ServedPortal(url, clock.now(), task_ids))
        conn.recv()


async def bench(
    sizes: list[int], *, gc_off: bool = False
) -> list[tuple[int, float, float, list[Step]]]:
    with portal_process(serve_portal, sizes) as (served, _):
        return await _bench(served, sizes, gc_off=gc_off)


async def _bench(
    served: ServedPortal, sizes: list[int], *, gc_off: bool
) -> list[tuple[int, float, float, list[Step]]]:
    clock = FrozenClock(served.now)
    results: list[tuple[int, float, float, list[Step]]] = []
    async with B24Client(Webhook.parse(served.url)) as client:
        app = B24App(Services(client=client, clock=clock, demo=True), manage_collector=True)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            probe = LagProbe()
            probe.start()
            for size, task_id in zip(sizes, served.task_ids, strict=True):
                gc.collect()
                before = rss_mib()
                if gc_off:
                    gc.disable()
                try:
                    steps = await run_task(app, pilot, probe, task_id, size)
                finally:
                    gc.enable()
                gc.collect()
                steps.append(await open_bare_screen(app, pilot, probe))
                results.append((size, before, rss_mib(), steps))
            await probe.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default="2000,100000,1048576",
        help="description sizes in characters, a,b,… (the small one shows what the rest costs)",
    )
    parser.add_argument(
        "--gc-off",
        action="store_true",
        help="no garbage collection while a task's steps run (what stalls remain without it)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    with GC:
        results = asyncio.run(bench(sizes, gc_off=args.gc_off))
    out = sys.stdout
    out.write(
        f"{SIZE[0]}x{SIZE[1]}, probe every {TICK * 1000:.0f} ms; stalls in ms "
        "(cpu: the longest counted in this process's CPU time; "
        "gc: the longest garbage-collector pause in the step)\n"
    )
    for size, before, after, steps in results:
        out.write(f"\ndescription of {size:,} characters\n")
        out.write(
            f"{'step':<32} {'longest':>9} {'cpu':>7} {'p50':>7} {'p95':>7} {'gc':>7} "
            f"{'first part':>11} {'wall':>8}\n"
        )
        for step in steps:
            first = f"{step.first_part * 1000:9.0f}ms" if step.first_part is not None else ""
            longest_gc = max(step.gc_pauses, default=0.0)
            out.write(
                f"{step.name:<32} {step.stall(1.0) * 1000:9.1f} "
                f"{max(step.cpu_gaps, default=0.0) * 1000:7.1f} {step.stall(0.5) * 1000:7.1f} "
                f"{step.stall(0.95) * 1000:7.1f} {longest_gc * 1000:7.1f} "
                f"{first:>11} {step.wall:7.2f}s\n"
            )
        longest = max(step.stall(1.0) for step in steps)
        longest_cpu = max(max(step.cpu_gaps, default=0.0) for step in steps)
        out.write(
            f"longest stall {longest * 1000:.1f} ms ({longest_cpu * 1000:.1f} ms cpu); "
            f"RSS {before:.1f} MiB before, {after:.1f} MiB after\n"
        )
    out.write(
        f"\ntotal {time.perf_counter() - began:.1f} s; machine load (1 min) "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
