"""The checklist screen under a quick typist (or over SSH, where keys arrive in one read):
the letters typed right after the key that opens the title dialog, and a doubled enter."""

from __future__ import annotations

from b24tui.screens.checklist import ChecklistScreen
from b24tui.screens.checklist_title import TitleDialog
from tests.conftest import ServedEmulator
from tests.ui.bursts import burst
from tests.ui.checklists import put_nested_checklist
from tests.ui.conftest import AppFactory
from tests.ui.test_checklist_changes import open_checklist, writes
from tests.ui.waiting import settled


async def test_the_title_typed_right_after_a_keeps_its_first_letters(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """`a` then the title in one read: the letters read before the dialog opened are typed
    into its field, not dropped (a `j` is not the tree's move down either)."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_checklist(pilot, n.task_id, cursor=n.tell)
        burst(app, "a", *"jam it")
        await settled(pilot)
        assert isinstance(app.screen, TitleDialog)
        await pilot.press("enter")
        await settled(pilot)
        assert writes(emulator) == [
            ("add", [n.task_id, {"TITLE": "jam it", "PARENT_ID": n.follow_up}]),
        ]


async def test_a_doubled_enter_in_the_title_dialog_stays_on_the_checklist(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """Two enters in one read: the item is added once and the checklist stays open (the
    second enter closed the checklist screen under the dialog)."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_checklist(pilot, n.task_id, cursor=n.tell)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Bread")
        burst(app, "enter", "enter")
        await settled(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert [method for method, _ in writes(emulator)] == ["add"]


async def test_keys_before_a_in_the_same_read_still_run_first(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """`j`, `a` and the title in one read: the cursor moves down first, so the item goes
    after the one the cursor moved to (Draft, under Write notes), and the title is whole."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.notes)
        burst(app, "j", "a", *"Zip it", "enter")
        await settled(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        new = next(i.id for i in emulator.portal.checklist_of(n.task_id) if i.title == "Zip it")
        assert writes(emulator) == [
            ("add", [n.task_id, {"TITLE": "Zip it", "PARENT_ID": n.notes}]),
            ("moveafteritem", [n.task_id, new, n.draft]),
        ]
        assert tree.cursor_item_id == new


async def test_keys_after_one_that_opens_no_dialog_go_on_as_typed(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """`A` on an empty checklist opens no dialog (no item to add under): the `a` read with
    it is not held back, it opens the dialog of a first checklist."""
    n = put_nested_checklist(emulator.portal)
    for item in emulator.portal.checklist_of(n.task_id):
        del emulator.portal.checklist_items[item.id]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_checklist(pilot, n.task_id)
        burst(app, "A", "a")
        await settled(pilot)
        assert "No item here" in [str(n.message) for n in app._notifications]
        dialog = app.screen
        assert isinstance(dialog, TitleDialog)
        assert dialog.question == "New checklist"


async def test_after_a_delete_the_cursor_is_on_the_line_above_not_the_checklist(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """`d y` on Draft leaves the cursor on the line above it (Write notes), as the tree
    promises, not on the first checklist, where a second hurried `d y` deleted the
    whole checklist."""
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.draft)
        await pilot.press("d", "y")
        await settled(pilot)
        assert writes(emulator) == [("delete", [n.task_id, n.draft])]
        assert tree.cursor_item_id == n.notes


async def test_the_first_checklist_added_can_be_ticked_edited_and_deleted(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """On a task without a checklist, the items added are offered the changes the portal
    allows on them (asked once there is an item to ask about): they were not, so space,
    e and d did nothing until the screen was opened again."""
    n = put_nested_checklist(emulator.portal)
    for item in emulator.portal.checklist_of(n.task_id):
        del emulator.portal.checklist_items[item.id]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_checklist(pilot, n.task_id)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        await pilot.press("a", *"Plan", "enter")
        await settled(pilot)
        await pilot.press("A", *"Book a room", "enter")
        await settled(pilot)
        assert {"toggle_item", "edit_item", "delete_item"} <= screen.offered()
        await pilot.press("space")
        await settled(pilot)
        room = next(i for i in emulator.portal.checklist_of(n.task_id) if i.title == "Book a room")
        assert room.is_complete
