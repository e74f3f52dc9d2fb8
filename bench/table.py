"""How long the dashboard's table takes with 10,000 tasks: view, filter, sort, render.

Run: ``.venv/bin/python -m bench.table``. Builds 10,000 tasks through the models (no
portal, no network), puts a :class:`~b24tui.widgets.TaskTable` on a headless 120x36
screen and prints the time of each step a person triggers: cutting a view, filtering by a
typed query, sorting by a column, filling the table, a refresh with nothing changed (cells
updated in place), a keystroke of the filter, and painting the screen. Each figure is
the wall-clock time and the CPU time of this process; the painted steps wait for the
screen to settle, so their wall time includes the frame timer (the baseline row).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from textual.app import App, ComposeResult

from b24tui.emulator.state import PORTAL_TZ
from b24tui.models import Person, Priority, Task, TaskStatus
from b24tui.views import VIEWS_BY_KEY, SortOrder, filter_tasks, sort_tasks
from b24tui.widgets import TaskTable

COUNT = 10_000
ME = 1
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=PORTAL_TZ)
WORDS = [
    "fix",
    "check",
    "write",
    "plan",
    "review",
    "migrate",
    "report",
    "invoice",
    "login",
    "server",
    "router",
    "video",
]


def build_tasks(count: int, seed: int = 0) -> list[Task]:
    """``count`` varied tasks of mine (responsible or accomplice), through the models."""
    rng = random.Random(seed)
    people = [Person(id=n, name=f"Person {n}") for n in range(1, 40)]
    tasks = []
    for task_id in range(1, count + 1):
        responsible = rng.choice(people)
        deadline = (
            NOW + timedelta(hours=rng.randint(-24 * 20, 24 * 40)) if rng.random() < 0.8 else None
        )
        tasks.append(
            Task(
                id=task_id,
                title=" ".join(rng.choices(WORDS, k=rng.randint(2, 6))).capitalize(),
                status=rng.choice(list(TaskStatus)),
                priority=rng.choice(list(Priority)),
                created_by=rng.choice(people).id,
                responsible_id=responsible.id,
                responsible=responsible,
                accomplices=(ME,) if responsible.id != ME else (),
                auditors=(ME,) if rng.random() < 0.1 else (),
                deadline=deadline,
                is_favorite=rng.random() < 0.05,
            )
        )
    return tasks


Figure = tuple[str, float, float]
"""A step's name, its wall-clock seconds and the CPU seconds this process spent on it."""


def timed(figures: list[Figure], name: str, step: Callable[[], object]) -> object:
    """Run ``step`` and record how long it took under ``name``."""
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    figures.append((name, time.perf_counter() - started, time.process_time() - cpu))
    return result


class TableApp(App[None]):
    """A screen with the task table only."""

    def compose(self) -> ComposeResult:
        yield TaskTable(id="tasks")


async def measure(tasks: list[Task]) -> list[Figure]:
    """The figures, in the order the steps ran."""
    figures: list[Figure] = []
    view = VIEWS_BY_KEY["all"]
    shown = timed(
        figures, "view 'All': select + default order", lambda: view.select(tasks, ME, NOW)
    )
    assert isinstance(shown, list)
    timed(figures, "filter 'fix login'", lambda: filter_tasks(shown, "fix login"))
    timed(figures, "sort by title", lambda: sort_tasks(shown, SortOrder("title"), ME))
    timed(
        figures,
        "sort by deadline, descending",
        lambda: sort_tasks(shown, SortOrder("deadline", True), ME),
    )
    app = TableApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(TaskTable)
        await pilot.pause()

        async def painted(name: str, step: Callable[[], object]) -> None:
            """Time ``step`` until the screen has settled after it."""
            started, cpu = time.perf_counter(), time.process_time()
            step()
            await pilot.pause()
            figures.append((name, time.perf_counter() - started, time.process_time() - cpu))

        narrowed = filter_tasks(shown, "f")
        # What waiting for the screen to settle costs with nothing to paint: the
        # "painted" figures below include it.
        await painted("settling, nothing changed (baseline)", lambda: None)
        await painted(
            f"fill the table ({len(shown):,} rows)", lambda: table.show_tasks(shown, NOW, ME)
        )
        await painted("refresh, same rows (in place)", lambda: table.show_tasks(shown, NOW, ME))
        await painted(
            f"filter keystroke ({len(narrowed):,} rows)",
            lambda: table.show_tasks(narrowed, NOW, ME),
        )
        await painted("filter cleared (all rows)", lambda: table.show_tasks(shown, NOW, ME))
        for where, row in (("top", 0), ("bottom", table.row_count - 101)):
            table.move_cursor(row=row)
            await pilot.pause()
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(100):
                table.action_cursor_down()
                await pilot.pause()
            figures.append(
                (
                    f"100 cursor moves at the {where}, each painted",
                    time.perf_counter() - started,
                    time.process_time() - cpu,
                )
            )
        table.move_cursor(row=0)
        await pilot.pause()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(20):
            table.action_page_down()
            await pilot.pause()
        figures.append(
            (
                "20 page downs, each painted",
                time.perf_counter() - started,
                time.process_time() - cpu,
            )
        )
    return figures


def main() -> int:
    started = time.perf_counter()
    tasks = build_tasks(COUNT)
    sys.stdout.write(f"built {len(tasks):,} tasks in {time.perf_counter() - started:.2f} s\n")
    sys.stdout.write(f"{'step':<45} {'wall ms':>9} {'cpu ms':>9}\n")
    for name, seconds, cpu in asyncio.run(measure(tasks)):
        sys.stdout.write(f"{name:<45} {seconds * 1000:9.1f} {cpu * 1000:9.1f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
