"""The dashboard's `/` filter and column sort: what is listed, in what order, where the cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input, Label, Tab

from b24tui.clock import FrozenClock
from b24tui.emulator.state import Task as PortalTask
from b24tui.screens.dashboard import DashboardScreen
from b24tui.text import clean
from b24tui.views import SORT_COLUMNS
from b24tui.widgets import TaskTable
from b24tui.widgets.filter_bar import FilterBar
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, cell_text, expected_view_ids, loaded, row_ids


def _matches(emulator: ServedEmulator, task_id: int, word: str) -> bool:
    task = emulator.portal.tasks[task_id]
    name = emulator.portal.users[task.responsible_id].full_name
    return word.casefold() in clean(task.title).casefold() or word.casefold() in name.casefold()


def _shown(bar: FilterBar) -> bool:
    return bar.display


async def test_filter_narrows_the_view_live_and_counts(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    active = expected_view_ids(emulator.portal, "active", clock.now())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        screen = app.screen
        table = screen.query_one(TaskTable)
        bar = screen.query_one(FilterBar)
        assert not _shown(bar)
        await pilot.press("slash", "F", "i")
        assert _shown(bar)
        assert app.screen.query_one(Input).has_focus
        expected = [task_id for task_id in active if _matches(emulator, task_id, "fi")]
        assert row_ids(table) == expected
        await pilot.press("x")
        expected = [task_id for task_id in active if _matches(emulator, task_id, "fix")]
        assert expected
        assert len(expected) < len(active)
        assert row_ids(table) == expected
        count = str(screen.query_one("#filter-count", Label).content)
        assert count == f"{len(expected)} of {len(active)}"
        # enter keeps the filter and goes back to the table
        await pilot.press("enter")
        assert table.has_focus
        assert _shown(bar)
        assert row_ids(table) == expected
        # esc clears it
        await pilot.press("escape")
        assert not _shown(bar)
        assert row_ids(table) == active


async def test_filter_by_id_and_by_responsible_name(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    active = expected_view_ids(emulator.portal, "active", clock.now())
    target = active[len(active) // 2]
    other = next(
        task_id
        for task_id in active
        if emulator.portal.tasks[task_id].responsible_id
        != emulator.portal.tasks[active[0]].responsible_id
    )
    surname = emulator.portal.users[emulator.portal.tasks[other].responsible_id].full_name.split()[
        -1
    ]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        for query in (f"#{target}", str(target)):
            await pilot.press("slash", *query)
            assert target in row_ids(table)
            if query.startswith("#"):
                assert row_ids(table) == [target]
            await pilot.press("escape")
        await pilot.press("slash", *surname.upper())
        expected = [task_id for task_id in active if _matches(emulator, task_id, surname)]
        assert other in expected
        assert row_ids(table) == expected


async def test_tab_counts_stay_the_view_totals_while_filtering(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    active = expected_view_ids(emulator.portal, "active", clock.now())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "z", "z", "z", "q")
        assert app.screen.query_one(TaskTable).row_count == 0
        assert str(app.screen.query_one("#active", Tab).label).endswith(f" {len(active)}")


async def test_filter_never_loses_the_selected_task(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        await pilot.press(*["j"] * 5)
        chosen = table.selected_task_id
        assert chosen is not None
        title_word = clean(emulator.portal.tasks[chosen].title).split()[-1]
        # A filter that keeps the task keeps the cursor on it.
        await pilot.press("slash", *title_word)
        assert chosen in row_ids(table)
        assert table.selected_task_id == chosen
        await pilot.press("escape")
        assert table.selected_task_id == chosen
        # A filter that hides it: the cursor comes back to it when the filter goes.
        await pilot.press("slash", "#", "9", "9", "9", "9", "9")
        assert table.row_count == 0
        await pilot.press("escape")
        assert table.selected_task_id == chosen


def _portal_sort_key(
    emulator: ServedEmulator, table: TaskTable, column: str
) -> Callable[[int], Any]:
    """The column's order restated from the portal (and, for the derived cells, the screen)."""
    portal = emulator.portal

    def task(task_id: int) -> PortalTask:
        return portal.tasks[task_id]

    def checklist(task_id: int) -> tuple[bool, float]:
        done, _, total = cell_text(table, task_id, "checklist").partition("/")
        return (not total, int(done) / int(total) if total else 0.0)

    def flags(task_id: int) -> tuple[bool, bool, bool]:
        shown = cell_text(table, task_id, "flags")
        return ("★" not in shown, "W" not in shown, "M" not in shown)

    keys: dict[str, Callable[[int], Any]] = {
        "id": lambda i: i,
        "status": lambda i: task(i).status,
        "priority": lambda i: -task(i).priority,
        "title": lambda i: clean(task(i).title, single_line=True).casefold(),
        "deadline": lambda i: (
            task(i).deadline is None,
            task(i).deadline.timestamp() if task(i).deadline is not None else 0.0,  # type: ignore[union-attr]
        ),
        "responsible": lambda i: portal.users[task(i).responsible_id].full_name.casefold(),
        "checklist": checklist,
        "flags": flags,
    }
    return keys[column]


async def test_s_sorts_by_each_column_in_turn_and_back_to_the_default(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    active = expected_view_ids(emulator.portal, "active", clock.now())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one(TaskTable)
        await pilot.press("j", "j", "j")
        chosen = table.selected_task_id
        assert table.shown_columns == list(SORT_COLUMNS)
        for column in SORT_COLUMNS:
            await pilot.press("S")
            key = _portal_sort_key(emulator, table, column)
            ids = row_ids(table)
            assert sorted(ids) == sorted(active)
            # ascending by the column; ties keep the default order
            assert ids == sorted(active, key=key), column
            assert str(table.columns[column].label).endswith("▲")
            assert table.selected_task_id == chosen
            await pilot.press("R")
            ids = row_ids(table)
            assert [key(i) for i in ids] == sorted((key(i) for i in ids), reverse=True), column
            assert str(table.columns[column].label).endswith("▼")
            assert table.selected_task_id == chosen
            await pilot.press("R")
        await pilot.press("S")
        assert screen.sort is None
        assert row_ids(table) == active
        assert not any(str(c.label)[-1] in "▲▼" for c in table.columns.values())


async def test_clicking_a_header_sorts_and_clicking_again_reverses(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        # The header row is the table's first line; the ID column starts at its left.
        assert await pilot.click(TaskTable, offset=(2, 0))
        await pilot.pause()
        assert row_ids(table) == sorted(row_ids(table))
        assert str(table.columns["id"].label) == "ID▲"
        assert await pilot.click(TaskTable, offset=(2, 0))
        await pilot.pause()
        assert row_ids(table) == sorted(row_ids(table), reverse=True)
        assert str(table.columns["id"].label) == "ID▼"


@pytest.mark.parametrize("size", [(80, 24)])
async def test_s_cycles_only_the_columns_on_screen(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one(TaskTable)
        seen = []
        for _ in table.shown_columns:
            await pilot.press("S")
            assert screen.sort is not None
            seen.append(screen.sort.column)
        assert seen == table.shown_columns
        assert "responsible" not in seen


async def test_filter_finds_names_and_titles_typed_without_their_accents(
    make_app: AppFactory, emulator: ServedEmulator, clock: FrozenClock
) -> None:
    portal = emulator.portal
    active = expected_view_ids(portal, "active", clock.now())

    def titled(word: str) -> list[int]:
        return [task_id for task_id in active if word in portal.tasks[task_id].title]

    zoe = [task_id for task_id in active if portal.tasks[task_id].responsible_id == 6]
    assert portal.users[6].full_name == "Zoë Lambert"
    cases = {
        "zoe": zoe,
        "ZOË": zoe,
        "reunion": titled("Réunion"),
        "отчет": titled("отчёт"),
    }
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TaskTable)
        for query, expected in cases.items():
            assert expected, f"the demo has tasks for {query!r}"
            await pilot.press("slash", *query)
            assert app.screen.query_one(Input).value == query
            assert row_ids(table) == expected, query
            await pilot.press("escape")
