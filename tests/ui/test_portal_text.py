"""Portal text is data: hostile titles pass through every place that shows them literally.

Each title below once crashed the app (a stray closing tag), lost its brackets, or ran an
action when clicked, in a Textual API that parses a ``str`` as markup.
"""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.widgets import Static

from b24tui.api import B24Client
from b24tui.screens.task_detail import TaskDetailScreen
from b24tui.widgets import TaskDetail
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory
from tests.ui.test_actions import task_titled, top
from tests.ui.waiting import settled

HOSTILE_TITLES = (
    "Cleanup after release [/WIP]",
    "[/]",
    "see [link=https://example.com]",
    "a[i] and b[/tmp]",
    "[WIP] refactor",
    "[@click=app.quit]x[/]",
    "[@click=app.screenshot('f.svg','{dir}')]x[/]",
)


def _plain(visual: object) -> str:
    return visual.plain if isinstance(visual, Content) else str(visual)


def _has_actions(content: Content) -> bool:
    """Whether any span of ``content`` carries a click action (markup was run)."""
    return any(getattr(span.style, "meta", None) for span in content.spans)


async def test_hostile_titles_show_literally_in_the_palette_and_detail(
    make_app: AppFactory, ui_client: B24Client, emulator: ServedEmulator, tmp_path: Path
) -> None:
    task_id = task_titled(emulator, "Prepare the demo for the client")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        for template in HOSTILE_TITLES:
            title = template.format(dir=tmp_path)
            emulator.portal.tasks[task_id].title = title
            await app.push_screen(TaskDetailScreen(app.services, task_id))
            await settled(pilot)
            await pilot.pause()
            detail = app.screen.query_one(TaskDetail)
            heading = detail.query_one("#detail-title", Static)
            assert _plain(heading.render()) == f"#{task_id} {title}"

            await pilot.press("ctrl+p")
            for _ in range(5):
                await settled(pilot)
                await pilot.pause()
            palette = top(app)
            assert isinstance(palette, CommandPalette), f"the palette opened for {title!r}"
            options = palette.query_one(CommandList)
            prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
            task_lines = [p for p in prompts if isinstance(p, Content) and title in p.plain]
            assert task_lines, f"{title!r} is shown as typed in the palette's help lines"
            assert not any(_has_actions(line) for line in task_lines)

            # Typing narrows the list to "Mute task"; clicking its line runs only that.
            await pilot.press(*"Mute")
            for _ in range(5):
                await settled(pilot)
                await pilot.pause()
            await pilot.click(CommandList, offset=(40, 1))
            await settled(pilot)
            await pilot.pause()
            assert app.is_running, f"clicking {title!r} in the palette did not quit"
            assert not (tmp_path / "f.svg").exists()
            while isinstance(top(app), CommandPalette | TaskDetailScreen):
                await pilot.press("escape")
                await pilot.pause()
