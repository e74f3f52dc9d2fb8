"""How long the checklist tree takes with 500 items: build, a tick, and a tick's paint.

Run: ``.venv/bin/python -m bench.checklist``. Builds 500 items (checklists of 9 items with 4
sub-items each) through the models (no portal, no network), puts a
:class:`~b24tui.widgets.checklist_tree.ChecklistTree` on a headless 120x36 screen and
prints the median wall-clock time of: building the forest from the items, the first show
(every node made), a tick's show (one label and its ancestors' counts drawn again), and a
tick shown and painted.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import replace

from textual.app import App, ComposeResult

from b24tui.models import ChecklistItem, build_checklist_tree
from b24tui.widgets.checklist_tree import ChecklistTree

RUNS = 15


def build_items() -> tuple[ChecklistItem, ...]:
    """500 items: checklists of 9 items with 4 sub-items each (the last one cut short)."""
    items: list[ChecklistItem] = []
    next_id = 1
    for checklist in range(11):
        root = next_id
        items.append(ChecklistItem(root, 1, 0, f"Checklist {checklist}", sort_index=checklist))
        next_id += 1
        for index in range(9):
            item = next_id
            items.append(ChecklistItem(item, 1, root, f"Item {checklist}.{index}", index))
            next_id += 1
            for sub in range(4):
                items.append(
                    ChecklistItem(next_id, 1, item, f"Sub {index}.{sub}", sub, sub % 2 == 0)
                )
                next_id += 1
    return tuple(items[:500])


class Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield ChecklistTree()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


async def main() -> None:
    items = build_items()
    app = Bench()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = app.query_one(ChecklistTree)
        builds, firsts, ticks, painted = [], [], [], []
        for run in range(RUNS):
            began = time.perf_counter()
            forest = build_checklist_tree(items)
            builds.append(time.perf_counter() - began)
            tree.show(())  # emptied: the next show makes every node
            began = time.perf_counter()
            tree.show(forest)
            firsts.append(time.perf_counter() - began)
            await pilot.pause()
            target = items[2 + run]
            ticked = tuple(
                replace(i, is_complete=not i.is_complete) if i.id == target.id else i for i in items
            )
            began = time.perf_counter()
            tree.show(build_checklist_tree(ticked))
            ticks.append(time.perf_counter() - began)
            await pilot.pause()
            painted.append(time.perf_counter() - began)
    sys.stdout.write(f"checklist tree, {len(items)} items, median of {RUNS} runs" + "\n")
    sys.stdout.write(f"  build the forest      {ms(statistics.median(builds))}" + "\n")
    sys.stdout.write(f"  first show            {ms(statistics.median(firsts))}" + "\n")
    sys.stdout.write(f"  a tick (tree + show)  {ms(statistics.median(ticks))}" + "\n")
    sys.stdout.write(f"  a tick, painted       {ms(statistics.median(painted))}" + "\n")


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
