"""The checklist screen's tree: opened with c, the palette and ``--checklist``; counts,
marks, members, depth, literal titles, and expanding with enter, arrows, + and -."""

from __future__ import annotations

from textual.pilot import Pilot

from b24tui.app import B24App
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.screens.checklist import ChecklistScreen
from b24tui.widgets import TaskTable
from b24tui.widgets.checklist_tree import ChecklistTree
from tests.conftest import ServedEmulator
from tests.ui.checklists import Nested, put_nested_checklist
from tests.ui.conftest import AppFactory, row_ids
from tests.ui.waiting import settled


def tree_of(app: B24App) -> ChecklistTree:
    screen = app.screen
    assert isinstance(screen, ChecklistScreen), f"on {type(screen).__name__}"
    return screen.query_one(ChecklistTree)


def label(tree: ChecklistTree, item_id: int) -> str:
    text = tree.label_of(item_id)
    assert text is not None, f"item {item_id} is not in the tree"
    return text.plain


def visible_lines(tree: ChecklistTree) -> int:
    return tree.last_line + 1


async def open_from_dashboard(pilot: Pilot[None], task_id: int) -> ChecklistTree:
    await settled(pilot)
    table = pilot.app.screen.query_one(TaskTable)
    table.move_cursor(row=row_ids(table).index(task_id))
    await pilot.press("c")
    await settled(pilot)
    assert isinstance(pilot.app, B24App)
    return tree_of(pilot.app)


async def test_c_on_the_dashboard_opens_the_tree_in_order_with_counts(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_from_dashboard(pilot, nested.task_id)
        n = nested
        order = [n.release, n.notes, n.draft, n.review, n.level4, n.level5, n.ship]
        assert list(tree.shown_ids) == [*order, n.follow_up, n.tell]
        assert label(tree, n.release) == "Release 2/6"
        assert label(tree, n.notes) == "☑ Write notes 1/4"
        assert label(tree, n.draft) == "☑ Draft", "a leaf has no count"
        assert label(tree, n.follow_up) == "Follow-up 0/1"
        assert visible_lines(tree) == 9, "everything is expanded at first"
        assert tree.cursor_item_id == n.release


async def test_marks_members_and_done_items_look_done(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_from_dashboard(pilot, nested.task_id)
        assert label(tree, nested.ship) == "☐ Ship ! · Victoria Adams"
        done = tree.label_of(nested.draft)
        assert done is not None
        title_style = done.get_style_at_offset(app.console, len("☑ "))
        assert title_style.strike, "a done item is struck through"
        assert (
            not tree.label_of(nested.tell)
            .get_style_at_offset(  # type: ignore[union-attr]
                app.console, len("☐ ")
            )
            .strike
        )


async def test_hostile_titles_render_literally_and_deep_trees_render(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_from_dashboard(pilot, nested.task_id)
        assert label(tree, nested.review) == "☐ [bold]Review[/] red [@click=app.quit]x[/] 0/2"
        assert label(tree, nested.level5) == "☐ Level five", "a fifth level is shown"
        assert isinstance(app.screen, ChecklistScreen), "nothing ran from the title"


async def test_enter_arrows_plus_and_minus_expand_and_collapse(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    n: Nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = await open_from_dashboard(pilot, n.task_id)
        await pilot.press("minus")
        assert visible_lines(tree) == 2, "only the checklists"
        await pilot.press("enter")
        assert visible_lines(tree) == 4, "enter expands Release: its two items"
        await pilot.press("down", "right")
        assert tree.cursor_item_id == n.notes
        assert visible_lines(tree) == 6, "right expands Write notes"
        await pilot.press("left")
        assert visible_lines(tree) == 4, "left collapses it"
        await pilot.press("left")
        assert tree.cursor_item_id == n.release, "left again goes to the parent"
        await pilot.press("plus")
        assert visible_lines(tree) == 9
        await pilot.press("space")
        assert visible_lines(tree) == 9, "space is not the tree's expand"


async def test_the_detail_screen_and_the_palette_open_it_and_esc_goes_back(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await app.push_screen(TaskDetailScreen(app.services, nested.task_id))
        await settled(pilot)
        await pilot.press("c")
        await settled(pilot)
        assert label(tree_of(app), nested.release) == "Release 2/6"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open checklist")
        await pilot.pause()
        await pilot.press("enter")
        await settled(pilot)
        assert label(tree_of(app), nested.follow_up) == "Follow-up 0/1"


async def test_task_id_with_checklist_opens_on_it_and_esc_selects_the_task(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    services = make_app().services
    app = B24App(services, task_id=nested.task_id, checklist=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert label(tree_of(app), nested.tell) == "☐ Tell the team"
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(TaskTable).selected_task_id == nested.task_id


async def test_a_task_without_checklist_says_so(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = put_nested_checklist(emulator.portal).task_id
    for item in emulator.portal.checklist_of(task_id):
        del emulator.portal.checklist_items[item.id]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await app.push_screen(ChecklistScreen(app.services, task_id))
        await settled(pilot)
        assert "no checklist yet" in str(app.screen.query_one("#checklist-state").render())


async def test_a_title_wider_than_the_terminal_ends_in_an_ellipsis_and_nothing_scrolls_sideways(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    long_title = "Check every invoice of the quarter against the bank statement " * 3
    emulator.portal.checklist_items[nested.level5].title = long_title.strip()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = await open_from_dashboard(pilot, nested.task_id)
        tree.show_cursor_on(nested.level5)
        await settled(pilot)
        width = tree.scrollable_content_region.width
        assert tree.virtual_size.width <= width, "no sideways scroll, no scrollbar"
        line = tree.render_line(tree.cursor_line - int(tree.scroll_y)).text.rstrip()
        assert line.endswith("…")
        assert len(line) <= width
        assert "Check every invoice" in line
