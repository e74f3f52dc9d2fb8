"""Changing a checklist: each key's exact positional request, shown at once, rolled back
on a refusal, a ``false`` answer or a failure, read back (never resent) when the answer is
lost, rapid ticks ending as the portal has them, and only what is allowed offered."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from b24tui.actions import READ_ONLY_MESSAGE
from b24tui.api import B24Client, Webhook
from b24tui.app import B24App
from b24tui.emulator import DEMO_USER_ID
from b24tui.emulator.journal import JournalEntry
from b24tui.screens.checklist import ChecklistScreen
from b24tui.screens.checklist_title import TitleDialog
from b24tui.screens.confirm import ConfirmScreen
from b24tui.widgets.checklist_tree import ChecklistTree
from tests.conftest import ServedEmulator
from tests.ui.checklists import Nested, put_nested_checklist
from tests.ui.conftest import AppFactory
from tests.ui.waiting import settled, until_held


async def open_checklist(
    pilot: Pilot[None], task_id: int, cursor: int | None = None
) -> ChecklistTree:
    app = pilot.app
    assert isinstance(app, B24App)
    await settled(pilot)
    await app.push_screen(ChecklistScreen(app.services, task_id))
    await settled(pilot)
    tree = app.screen.query_one(ChecklistTree)
    if cursor is not None:
        tree.show_cursor_on(cursor)
        await pilot.pause()
    return tree


def writes(emulator: ServedEmulator) -> list[tuple[str, Any]]:
    """The checklist calls that change something, with their parameters, in order."""
    entries: list[JournalEntry] = list(emulator.app.journal)
    return [
        (entry.method.removeprefix("task.checklistitem."), entry.params)
        for entry in entries
        if entry.method.startswith("task.checklistitem.")
        and entry.method.rsplit(".", 1)[-1] not in ("getlist", "get", "isactionallowed")
    ]


def label(tree: ChecklistTree, item_id: int) -> str:
    text = tree.label_of(item_id)
    assert text is not None, f"item {item_id} is not shown"
    return text.plain


def toasts(app: B24App) -> list[str]:
    return [str(n.message) for n in app._notifications]


def portal_done(emulator: ServedEmulator, item_id: int) -> bool:
    return emulator.portal.checklist_items[item_id].is_complete


async def test_space_completes_then_renews_shown_at_once(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        emulator.app.faults.inject("timeout", method="task.checklistitem.complete")
        await pilot.press("space")
        await until_held(pilot, emulator)
        assert label(tree, n.tell).startswith("☑ Tell the team"), "ticked before the answer"
        assert label(tree, n.follow_up) == "Follow-up 1/1"
        emulator.app.release_held()
        await settled(pilot)
        await pilot.press("space")
        await settled(pilot)
        assert writes(emulator) == [
            ("complete", [n.task_id, n.tell]),
            ("renew", [n.task_id, n.tell]),
        ]
        assert label(tree, n.tell) == "☐ Tell the team"
        assert not portal_done(emulator, n.tell)


async def test_rapid_ticks_end_as_the_portal_has_them(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        emulator.app.faults.inject("timeout", method="task.checklistitem.complete")
        await pilot.press("space")
        await until_held(pilot, emulator)
        await pilot.press("space", "space", "space")
        assert label(tree, n.tell).startswith("☐"), "four ticks: not done"
        emulator.app.release_held()
        await settled(pilot)
        assert label(tree, n.tell) == "☐ Tell the team"
        assert not portal_done(emulator, n.tell)
        assert [method for method, _ in writes(emulator)] == ["complete", "renew"]


async def test_a_refused_tick_rolls_back_with_a_message(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        task = emulator.portal.tasks[n.task_id]
        task.responsible_id, task.auditors = 2, [DEMO_USER_ID]  # no longer mine to do
        await pilot.press("space")
        await settled(pilot)
        assert label(tree, n.tell) == "☐ Tell the team"
        assert any("not allowed" in t and "shown as before" in t for t in toasts(app)), toasts(app)


async def test_a_false_answer_rolls_back(make_app: AppFactory, emulator: ServedEmulator) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        del emulator.portal.checklist_items[n.tell]  # gone behind our back: complete says false
        await pilot.press("space")
        await settled(pilot)
        assert writes(emulator) == [("complete", [n.task_id, n.tell])]
        assert label(tree, n.tell) == "☐ Tell the team"
        assert any("Tell the team" in t and "shown as before" in t for t in toasts(app))


async def test_a_failure_before_sending_rolls_back_and_says_so(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.ship)
        emulator.app.faults.inject("500", method="task.checklistitem.update")
        await pilot.press("exclamation_mark")
        await settled(pilot)
        assert label(tree, n.ship).startswith("☐ Ship !"), "still important"
        assert emulator.portal.checklist_items[n.ship].is_important
        assert toasts(app), "a message says it was not done"


async def test_a_lost_answer_is_read_back_not_sent_again(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        emulator.app.faults.inject("drop", method="task.checklistitem.complete")
        await pilot.press("space")
        await settled(pilot)
        assert writes(emulator) == [("complete", [n.task_id, n.tell])], "sent once"
        assert portal_done(emulator, n.tell)
        assert label(tree, n.tell) == "☑ Tell the team", "shown as the portal has it"
        assert any("answer was lost" in t for t in toasts(app))
        emulator.app.faults.inject("drop", method="task.checklistitem.add")
        await pilot.press("A")
        await pilot.press(*"Call back", "enter")
        await settled(pilot)
        added = [i for i in emulator.portal.checklist_of(n.task_id) if i.title == "Call back"]
        assert len(added) == 1, "added once: the add was not sent again"
        assert [m for m, _ in writes(emulator)][-1] == "add"
        assert label(tree, added[0].id) == "☐ Call back"


async def test_add_after_the_cursor_and_add_a_sub_item(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.draft)
        emulator.app.faults.inject("timeout", method="task.checklistitem.add")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TitleDialog)
        await pilot.press(*"Proofread", "enter")
        await until_held(pilot, emulator)
        shown = list(tree.shown_ids)
        assert shown[shown.index(n.draft) + 1] < 0, "the new item shows at once, after Draft"
        assert label(tree, n.notes) == "☑ Write notes 1/5"
        emulator.app.release_held()
        await settled(pilot)
        new = next(i.id for i in emulator.portal.checklist_of(n.task_id) if i.title == "Proofread")
        assert writes(emulator) == [
            ("add", [n.task_id, {"TITLE": "Proofread", "PARENT_ID": n.notes}]),
            ("moveafteritem", [n.task_id, new, n.draft]),
        ]
        shown = list(tree.shown_ids)
        assert shown[shown.index(n.draft) : shown.index(n.draft) + 3] == [n.draft, new, n.review]
        assert tree.cursor_item_id == new
        tree.show_cursor_on(n.tell)
        await pilot.press("A", *"Book a room", "enter")
        await settled(pilot)
        sub = next(i for i in emulator.portal.checklist_of(n.task_id) if i.title == "Book a room")
        assert sub.parent_id == n.tell
        assert writes(emulator)[-1] == (
            "add",
            [n.task_id, {"TITLE": "Book a room", "PARENT_ID": n.tell}],
        )
        assert label(tree, n.tell) == "☐ Tell the team 0/1"


async def test_edit_important_and_moves_send_their_positional_requests(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.ship)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" it", "enter")
        await settled(pilot)
        await pilot.press("exclamation_mark")
        await settled(pilot)
        await pilot.press("ctrl+up")
        await settled(pilot)
        await pilot.press("ctrl+down")
        await settled(pilot)
        assert writes(emulator) == [
            ("update", [n.task_id, n.ship, {"TITLE": "Ship it"}]),
            ("update", [n.task_id, n.ship, {"IS_IMPORTANT": "N"}]),
            ("moveafteritem", [n.task_id, n.notes, n.ship]),
            ("moveafteritem", [n.task_id, n.ship, n.notes]),
        ]
        assert label(tree, n.ship).startswith("☐ Ship it ·")
        shown = list(tree.shown_ids)
        assert shown.index(n.notes) < shown.index(n.ship)


async def test_delete_asks_saying_how_many_sub_items_go(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.notes)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Delete this item and its 4 sub-items?"
        await pilot.press("y")
        await settled(pilot)
        assert writes(emulator) == [("delete", [n.task_id, n.notes])]
        assert not {n.notes, n.draft, n.review, n.level4, n.level5} & set(tree.shown_ids)
        assert label(tree, n.release) == "Release 0/1"


async def test_h_hides_done_items_and_shows_them_again(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id)
        await pilot.press("h")
        await pilot.pause()
        assert list(tree.shown_ids) == [n.release, n.ship, n.follow_up, n.tell]
        await pilot.press("h")
        await pilot.pause()
        assert len(tree.shown_ids) == 9


async def test_what_is_not_allowed_is_not_offered(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    task = emulator.portal.tasks[n.task_id]
    task.responsible_id, task.auditors = 2, [DEMO_USER_ID]  # I only watch it
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        assert screen.offered() == frozenset()
        assert "toggle_item" not in {b.binding.action for b in screen.active_bindings.values()}
        await pilot.press("space", "a", "d")
        await settled(pilot)
        assert writes(emulator) == []
        assert label(tree, n.tell) == "☐ Tell the team"


async def test_the_palette_offers_the_checklist_commands(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        assert [name for name, _ in screen.checklist_commands()] == [
            "Toggle item",
            "Add item",
            "Add sub-item",
            "Edit item",
            "Delete item",
            "Toggle important",
            "Move item up",
            "Move item down",
        ]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Toggle item")
        await pilot.pause()
        await pilot.press("enter")
        await settled(pilot)
        assert writes(emulator) == [("complete", [n.task_id, n.tell])]
        assert label(tree, n.tell) == "☑ Tell the team"


async def test_read_only_offers_no_change_and_says_so(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n: Nested = put_nested_checklist(emulator.portal)
    async with B24Client(Webhook.parse(emulator.webhook_url), read_only=True) as client:
        app = make_app(client=client)
        async with app.run_test(size=(120, 36)) as pilot:
            tree = await open_checklist(pilot, n.task_id, cursor=n.tell)
            screen = app.screen
            assert isinstance(screen, ChecklistScreen)
            assert screen.checklist_commands() == []
            await pilot.press("space")
            await settled(pilot)
            assert toasts(app) == [READ_ONLY_MESSAGE]
            assert label(tree, n.tell) == "☐ Tell the team"
            assert writes(emulator) == []
