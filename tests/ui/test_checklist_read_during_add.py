"""A read of the checklist (a refresh reads the open one along) landing while a new item
is being added: the item shows once, where it was asked for and the portal puts it."""

from __future__ import annotations

import asyncio

import pytest

from b24tui.screens.checklist import ChecklistScreen
from tests.conftest import ServedEmulator
from tests.ui.checklists import put_nested_checklist
from tests.ui.conftest import AppFactory
from tests.ui.test_checklist_changes import open_checklist, writes
from tests.ui.waiting import settled, until, until_held


async def test_a_read_while_a_new_item_is_added_shows_it_once_where_the_portal_has_it(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """A read of the checklist (as a refresh makes) landing while the add's answer is on
    its way holds the new item, last: it shows once, and after Draft once moved, as on the
    portal (it showed twice meanwhile, then last until the next read)."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.draft)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        emulator.app.faults.inject("timeout", method="task.checklistitem.add")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Proofread", "enter")
        await until_held(pilot, emulator)
        screen.load()  # as a refresh reads the open checklist along
        await until(
            pilot, lambda: not any(w.is_running for w in app.workers if w.group == "checklist")
        )
        assert emulator.app.held, "the add's answer is still held"

        def proofread() -> list[int]:
            items = app.services.store.checklist(n.task_id) or ()
            ids = {item.id for item in items if item.title == "Proofread"}
            return [item_id for item_id in tree.shown_ids if item_id in ids]

        assert len(proofread()) == 1, "the new item shows once"
        emulator.app.release_held()
        await settled(pilot)
        new = next(i.id for i in emulator.portal.checklist_of(n.task_id) if i.title == "Proofread")
        portal = [
            item.id
            for item in sorted(
                emulator.portal.checklist_of(n.task_id), key=lambda i: (i.sort_index, i.id)
            )
            if item.parent_id == n.notes
        ]
        assert portal[:2] == [n.draft, new]
        assert [item_id for item_id in tree.shown_ids if item_id in portal] == portal
        assert proofread() == [new]


async def test_a_read_before_a_new_items_move_leaves_it_where_it_was_asked_for(
    make_app: AppFactory, emulator: ServedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read landing after the add's answer and before its move has run holds the new
    item last: it still shows after Draft, where it was asked for and where the move puts
    it (it showed last until the next read)."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.draft)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        checklist = app.services.client.checklist
        move_after = checklist.move_after
        gate, moving = asyncio.Event(), asyncio.Event()

        async def slow_move(task_id: int, item_id: int, after_id: int) -> None:
            moving.set()
            await gate.wait()  # the request is slow to reach the portal
            await move_after(task_id, item_id, after_id)

        monkeypatch.setattr(checklist, "move_after", slow_move)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Proofread", "enter")
        await until(pilot, moving.is_set)
        new = next(i.id for i in emulator.portal.checklist_of(n.task_id) if i.title == "Proofread")
        screen.load()  # as a refresh reads the open checklist along
        await until(
            pilot, lambda: not any(w.is_running for w in app.workers if w.group == "checklist")
        )
        shown = list(tree.shown_ids)
        assert shown[shown.index(n.draft) + 1] == new, "still shown where it was asked for"
        gate.set()
        await settled(pilot)
        assert writes(emulator)[-1] == ("moveafteritem", [n.task_id, new, n.draft])
        shown = list(tree.shown_ids)
        assert shown[shown.index(n.draft) + 1] == new
