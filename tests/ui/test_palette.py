"""The command palette: task actions by their spec names, "Go to task…", Refresh, themes.

A task's actions are looked up over a task screen in the app without its dashboard
(:class:`BareApp`); "Go to task…", Refresh and the theme run in the whole app.
"""

from __future__ import annotations

from textual import events
from textual.command import CommandInput, CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot

from b24tui.api import B24Client
from b24tui.emulator.seed import HOSTILE_MARKUP_TITLE
from b24tui.screens.dashboard import DashboardScreen
from b24tui.screens.task_detail import TaskDetailScreen
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.hosts import BareApp
from tests.ui.test_actions import (
    action_calls,
    assert_single_call,
    open_task,
    shown,
    task_titled,
    top,
)
from tests.ui.waiting import settled


async def search(pilot: Pilot[None], text: str) -> list[str]:
    """Paste ``text`` into the open palette; the offered commands' names.

    A paste is one search; typing it key by key would start (and drop) one per letter.
    """
    pilot.app.post_message(events.Paste(text))
    return await offered(pilot)


async def offered(pilot: Pilot[None]) -> list[str]:
    """The names of the commands the open palette offers for what is in its input."""
    palette = top(pilot.app)
    assert isinstance(palette, CommandPalette)
    await pilot.pause()
    # The palette gathers hits in a worker; let every provider answer.
    for _ in range(5):
        await settled(pilot)
        await pilot.pause()
    commands = palette.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def open_palette(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(top(pilot.app), CommandPalette)


def first_lines(names: list[str]) -> list[str]:
    """Each option's first line (the help text is on the next)."""
    return [name.split("\n")[0] for name in names]


async def test_typing_start_offers_start_task_and_running_it_starts(
    bare_app: BareApp, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_task(app, ui_client, task_id)
        await open_palette(pilot)
        await pilot.press(*"Start")
        names = first_lines(await offered(pilot))
        assert names[0] == "Start task"
        assert "Start watching" in names
        await pilot.press("enter")
        await pilot.pause()
        await settled(pilot)
        await pilot.pause()
        assert_single_call(emulator, "tasks.task.start", {"taskId": task_id})
        assert shown(screen).status.label == "In progress"


async def test_palette_offers_only_what_the_task_allows(
    bare_app: BareApp, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Benchmark the search index")
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        await open_palette(pilot)
        names = first_lines(await search(pilot, "task"))
        assert "Complete task" not in names
        assert "Start task" not in names
        assert {"Mute task", "Go to task…"} <= set(names), "the search itself works"
        await pilot.press("escape")
        await open_palette(pilot)
        names = first_lines(await search(pilot, "watching"))
        assert "Stop watching" in names
        assert "Start watching" not in names
        assert action_calls(emulator) == []


async def test_palette_task_actions_come_from_the_spec(
    bare_app: BareApp, ui_client: B24Client, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Draft the supplier contract")
    app = bare_app
    async with app.run_test(size=(120, 36)) as pilot:
        await open_task(app, ui_client, task_id)
        await open_palette(pilot)
        names = first_lines(await search(pilot, "task"))
        assert {"Approve task", "Disapprove task", "Mute task", "Go to task…"} <= set(names)
        assert "Start task" not in names, "awaiting control: not startable"


async def test_change_theme_and_refresh_are_offered(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await open_palette(pilot)
        names = first_lines(await search(pilot, "Change theme"))
        assert names[0] == "Change theme"
        await pilot.press("escape")
        await open_palette(pilot)
        names = first_lines(await search(pilot, "Refresh"))
        assert names[0] == "Refresh"


async def go_to_search(pilot: Pilot[None]) -> None:
    """Open "Go to task…" from the palette: a second palette that searches tasks."""
    await open_palette(pilot)
    names = first_lines(await search(pilot, "Go to task"))
    assert names[0] == "Go to task…"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    palette = top(pilot.app)
    assert isinstance(palette, CommandPalette)
    assert "Task id or title" in str(palette.query_one(CommandInput).placeholder)


async def test_go_to_task_finds_a_task_by_id(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Draft the supplier contract")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert isinstance(top(app), DashboardScreen)
        await go_to_search(pilot)
        names = first_lines(await search(pilot, str(task_id)))
        assert names[0] == f"#{task_id} Draft the supplier contract"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        detail = top(app)
        assert isinstance(detail, TaskDetailScreen)
        assert detail.task_id == task_id


async def test_go_to_task_finds_a_task_by_title_literally(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    task_id = task_titled(emulator, "Draft the supplier contract")
    hostile_id = task_titled(emulator, HOSTILE_MARKUP_TITLE)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "supplier contract"))
        assert names[0] == f"#{task_id} Draft the supplier contract"
        await pilot.press("escape")
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "export dialog"))
        assert f"#{hostile_id} {HOSTILE_MARKUP_TITLE}" in names


async def test_go_to_a_task_that_is_not_loaded_is_still_offered(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "#987654"))
        assert names[0] == "Go to task #987654"
        await pilot.press("escape")
        # A bare number in the main palette goes there too.
        await open_palette(pilot)
        names = first_lines(await search(pilot, "987654"))
        assert names[0] == "Go to task #987654"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        detail = top(app)
        assert isinstance(detail, TaskDetailScreen)
        assert detail.task_id == 987654


async def palette_list(pilot: Pilot[None]) -> list[str]:
    """Open the palette, read what it lists before anything is typed, close it."""
    await open_palette(pilot)
    names = first_lines(await offered(pilot))
    await pilot.press("escape")
    await pilot.pause()
    return names


async def test_palette_lists_the_same_commands_in_the_same_order_every_time(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        dashboard = top(app)
        assert isinstance(dashboard, DashboardScreen)
        task_commands = [action.palette for action in dashboard.allowed_task_actions()]
        assert task_commands, "the selected row's task allows some actions"
        workday = ["Open workday", "Pause workday", "Finish workday"]
        expected = [*task_commands, "Go to task…", "New task", "Refresh", *workday, "Change theme"]
        for _ in range(3):
            assert await palette_list(pilot) == expected


async def test_palette_offers_none_of_textuals_own_tools(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        for tool in ("Screenshot", "Maximize", "Minimize", "Keys", "Quit"):
            await open_palette(pilot)
            assert tool not in first_lines(await search(pilot, tool))
            await pilot.press("escape")
            await pilot.pause()


def highlighted(prompt: object) -> list[str]:
    """The runs of a palette option's text that the match marks."""
    assert isinstance(prompt, Content)
    return [prompt.plain[span.start : span.end] for span in prompt.spans]


async def test_go_to_task_finds_a_title_typed_without_its_accents(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    reunion = task_titled(emulator, "Réunion de lancement: ordre du jour")
    renamed = task_titled(emulator, "Draft the supplier contract")
    # "e" and a combining acute, as some keyboards and pastes write "é".
    emulator.portal.tasks[renamed].title = "Cafe\u0301 in der Hauptstraße"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "reunion"))
        assert f"#{reunion} Réunion de lancement: ordre du jour" in names
        await pilot.press("escape")
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "hauptstrasse"))
        label = f"#{renamed} Cafe\u0301 in der Hauptstraße"
        assert names[0] == label
        prompt = top(app).query_one(CommandList).get_option_at_index(0).prompt
        assert "".join(highlighted(prompt)) == "Hauptstraße", "the letters shown are marked"
        await pilot.press("escape")
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "café in der"))
        assert names[0] == label
        prompt = top(app).query_one(CommandList).get_option_at_index(0).prompt
        marked = highlighted(prompt)
        assert "".join(marked) == "Cafe\u0301inder", "spaces are not marked"
        assert "e\u0301" in marked, "the accent goes with its letter"


async def test_an_id_typed_in_go_to_task_comes_first_above_titles_holding_it(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    """ "10" is task #10 (not loaded here), not "#101 …", "#110 …" whose digits match
    better by the fuzzy score: an exact id is what the person asked for."""
    loaded = sorted(emulator.portal.tasks)
    assert 10 not in emulator.portal.tasks
    assert any(str(task_id).startswith("10") for task_id in loaded)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await go_to_search(pilot)
        names = first_lines(await search(pilot, "10"))
        assert names[0] == "Go to task #10"
        assert len(names) > 1, "the titles and ids holding 10 follow"
        await pilot.press("escape")
        await open_palette(pilot)
        assert first_lines(await search(pilot, "10"))[0] == "Go to task #10"
