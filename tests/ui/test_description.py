"""A task's description: long ones render off the event loop, show in parts, render once."""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

import b24tui.widgets.task_detail as task_detail
from b24tui.bbcode import BBCodeStyles, render_bbcode
from b24tui.emulator import DEMO_USER_ID
from b24tui.models import Task
from b24tui.screens import DashboardScreen, TaskDetailScreen
from b24tui.widgets import TaskDetail, TaskTable
from b24tui.widgets.task_detail import (
    DESCRIPTIONS,
    PART_LINES,
    RENDERING,
    SYNC_LIMIT,
    DescriptionCache,
    DescriptionKey,
    DescriptionPart,
    RenderedDescription,
)
from b24tui.widgets.task_pane import TaskPane
from tests.conftest import ServedEmulator
from tests.ui.conftest import AppFactory, loaded
from tests.ui.waiting import next_frame, settled, until

NOW = datetime(2026, 3, 16, 9, 30).astimezone()
LINES = 700
"""Lines of the long description: 3 full parts and a half."""


def long_description(lines: int = LINES, tail: str = "") -> str:
    """BBCode of ``lines`` numbered lines (longer than the synchronous limit)."""
    body = "\n".join(f"[B]Line {n}[/B] of the release plan" for n in range(lines))
    assert len(body) > SYNC_LIMIT
    return body + tail


def a_task(description: str, **changes: object) -> Task:
    base = Task(
        id=7,
        title="Ship the release",
        description=description,
        responsible_id=2,
        created_by=3,
        changed_date=NOW - timedelta(minutes=5),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


class Host(App[None]):
    """One detail widget (or pane) with a cache of its own, nothing else."""

    def __init__(self, *, pane: bool = False) -> None:
        super().__init__()
        self.cache = DescriptionCache()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield TaskPane(cache=self.cache) if self.pane else TaskDetail(cache=self.cache)


class RenderCalls:
    """Counts the BBCode renders (and notes the thread each ran on)."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, source: str, **options: object) -> Text:
        self.threads.append(threading.current_thread())
        if threading.current_thread() is not threading.main_thread():
            # Held only when a test wants to look at the screen while a render runs.
            assert self.release.wait(timeout=30)
        return render_bbcode(source, **options)  # type: ignore[arg-type]

    @property
    def count(self) -> int:
        return len(self.threads)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[RenderCalls]:
    calls = RenderCalls()
    monkeypatch.setattr(task_detail, "render_bbcode", calls)
    yield calls
    calls.release.set()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def description_text(detail: TaskDetail) -> str:
    """The description as a person reads it: every displayed part, then the "more" line."""
    body = detail.query_one("#detail-body")
    return "\n".join(str(part.visual) for part in body.query(Static) if part.display)


def more_line(detail: TaskDetail) -> str | None:
    more = detail.query_one("#detail-more", Static)
    return str(more.visual) if more.display else None


async def test_a_long_description_shows_its_first_part_and_says_how_much_is_left() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(long_description()), NOW)
        await settle(pilot)
        shown = description_text(detail)
        assert shown.startswith("Line 0 of the release plan")
        assert f"Line {PART_LINES - 1} of" in shown
        assert f"Line {PART_LINES} of" not in shown
        assert more_line(detail) == f"… {LINES - PART_LINES:,} more lines — press m to show more"
        assert detail.check_action("show_more", ()) is True


async def test_m_shows_the_next_part_each_time_until_all_is_shown() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(long_description()), NOW)
        detail.focus()
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert f"Line {2 * PART_LINES - 1} of" in description_text(detail)
        assert f"Line {2 * PART_LINES} of" not in description_text(detail)
        assert (
            more_line(detail) == f"… {LINES - 2 * PART_LINES:,} more lines — press m to show more"
        )
        # Each part is a widget of its own, so a press lays out one part, not the whole text.
        assert len(detail.query(".detail-part")) == 1
        await pilot.press("m", "m")
        await pilot.pause()
        lines = description_text(detail).splitlines()
        assert lines == [f"Line {n} of the release plan" for n in range(LINES)]
        assert more_line(detail) is None
        assert detail.check_action("show_more", ()) is False
        await pilot.press("m")  # nothing more: nothing happens
        await pilot.pause()
        assert len(description_text(detail).splitlines()) == LINES


async def test_clicking_the_more_line_shows_the_next_part() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task(long_description()), NOW)
        await settle(pilot)
        detail.scroll_end(animate=False)
        # The scroll happens after the next refresh: on a busy machine, not by the pause.
        await until(pilot, lambda: 0 < detail.max_scroll_y <= detail.scroll_y)
        await next_frame(pilot)
        await pilot.click("#detail-more")
        await pilot.pause()
        assert detail.description_parts_shown == 2
        assert f"Line {2 * PART_LINES - 1} of" in description_text(detail)


async def test_showing_the_same_task_again_renders_and_mounts_nothing(
    renders: RenderCalls,
) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        task = a_task(long_description())
        detail.show(task, NOW)
        detail.focus()
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        detail.scroll_to(y=120, animate=False)
        await pilot.pause()
        scrolled = detail.scroll_y
        parts = list(detail.query(".detail-part"))
        assert renders.count == 1
        assert scrolled > 0

        # A refresh: the same task as changed at the same moment, a minute later.
        detail.show(dataclasses.replace(task), NOW + timedelta(minutes=1))
        await settle(pilot)
        assert renders.count == 1
        assert list(detail.query(".detail-part")) == parts
        assert detail.scroll_y == scrolled
        assert f"Line {2 * PART_LINES - 1} of" in description_text(detail)


async def test_a_task_changed_since_renders_again(renders: RenderCalls) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        task = a_task("[B]Before[/B] the change")
        detail.show(task, NOW)
        await settle(pilot)
        assert renders.count == 1
        changed = dataclasses.replace(
            task, description="[B]After[/B] the change", changed_date=NOW - timedelta(minutes=1)
        )
        detail.show(changed, NOW)
        await settle(pilot)
        assert renders.count == 2
        assert description_text(detail) == "After the change"


async def test_a_theme_change_renders_once_per_theme(renders: RenderCalls) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task("See [URL=https://example.com]the board[/URL]"), NOW)
        await settle(pilot)
        first = app.theme
        app.theme = "textual-light" if first != "textual-light" else "textual-dark"
        await settle(pilot)
        assert renders.count == 2  # the link's colour comes from the theme
        app.theme = first
        await settle(pilot)
        assert renders.count == 2  # back to a look already rendered: from the cache
        assert description_text(detail) == "See the board"


async def test_a_huge_description_renders_off_the_event_loop(renders: RenderCalls) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        renders.release.clear()  # the render waits until the test has looked
        detail.show(a_task(long_description(5_000)), NOW)
        await pilot.pause()
        # The rest of the task is on screen at once; the description says it is coming.
        assert str(detail.query_one("#detail-title", Static).visual) == "#7 Ship the release"
        assert description_text(detail) == RENDERING
        assert more_line(detail) is None
        renders.release.set()
        await settle(pilot)
        assert renders.threads
        assert renders.threads[0] is not threading.main_thread()
        assert description_text(detail).startswith("Line 0 of the release plan")
        assert more_line(detail) == f"… {5_000 - PART_LINES:,} more lines — press m to show more"


async def test_a_short_description_shows_at_once_without_a_placeholder(
    renders: RenderCalls,
) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        detail.show(a_task("[B]Why[/B]: nobody knows"), NOW)
        assert description_text(detail) == "Why: nobody knows"
        assert renders.threads == [threading.main_thread()]
        await pilot.pause()


async def test_another_task_while_rendering_never_shows_the_first_one(
    renders: RenderCalls,
) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        renders.release.clear()
        detail.show(a_task(long_description()), NOW)
        await pilot.pause()
        detail.show(a_task("[I]Short[/I] one", id=8), NOW)
        assert description_text(detail) == "Short one"
        renders.release.set()
        await settle(pilot)
        assert description_text(detail) == "Short one"
        assert more_line(detail) is None


HOSTILE = (
    "[bold]not bold[/] [@click=app.quit]no click[/] [link=https://example.com]x[/link] :smile: [/]"
)


@pytest.mark.parametrize("bbcode", [True, False])
async def test_markup_in_a_description_is_shown_literally(bbcode: bool) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        # A long one too: the parts after the first come from the thread and "m".
        detail.show(
            a_task(long_description(tail="\n" + HOSTILE), description_in_bbcode=bbcode), NOW
        )
        detail.focus()
        await settle(pilot)
        await pilot.press("m", "m", "m")
        await pilot.pause()
        assert app.is_running
        assert description_text(detail).splitlines()[-1] == HOSTILE
        for part in detail.query_one("#detail-body").query(Static):
            visual = part.visual
            assert isinstance(visual, Content)
            assert not any(getattr(span.style, "meta", None) for span in visual.spans)


async def test_the_pane_keeps_the_description_across_a_refresh(renders: RenderCalls) -> None:
    app = Host(pane=True)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(TaskPane)
        full = a_task(long_description())
        listed = dataclasses.replace(full, description="")  # the list carries none
        pane.show_task(listed, NOW)
        await settle(pilot)
        assert str(pane.query_one("#pane-loading", Static).visual) == "Loading…"
        assert not pane.query_one("#detail-body").display
        pane.show_task(full, NOW, complete=True)
        pane.focus()
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        parts = list(pane.query(".detail-part"))
        assert len(parts) == 1
        assert renders.count == 1

        # A refresh shows the list's copy first, then the full task again.
        pane.show_task(listed, NOW + timedelta(minutes=1))
        pane.show_task(full, NOW + timedelta(minutes=1), complete=True)
        await settle(pilot)
        assert renders.count == 1
        assert list(pane.query(".detail-part")) == parts
        assert f"Line {2 * PART_LINES - 1} of" in description_text(pane)

        # Another task: the first part of its own, never the last one's.
        pane.show_task(a_task("Other", id=9), NOW, complete=True)
        await settle(pilot)
        assert description_text(pane) == "Other"
        assert not pane.query(".detail-part")


def test_the_cache_is_bounded_by_entries_and_characters() -> None:
    def key(task_id: int) -> DescriptionKey:
        return DescriptionKey(task_id, NOW, 0, True, BBCodeStyles(), ())

    def rendered(chars: int) -> RenderedDescription:
        return RenderedDescription.of(Text("x" * chars))

    cache = DescriptionCache(max_entries=3, max_chars=100)
    for task_id in range(1, 5):
        cache.put(key(task_id), rendered(10))
    assert len(cache) == 3
    assert cache.get(key(1)) is None
    assert cache.get(key(2)) is not None  # now the most recent
    cache.put(key(5), rendered(80))
    assert cache.chars <= 100
    assert cache.get(key(2)) is not None
    assert cache.get(key(3)) is None
    cache.put(key(6), rendered(500))  # too big to share: kept alone
    assert len(cache) == 1
    assert cache.chars == 500


def test_rendered_parts_keep_their_styles() -> None:
    text = render_bbcode(long_description())
    rendered = RenderedDescription.of(text)
    assert len(rendered) == -(-LINES // PART_LINES)
    second = rendered.part(1)
    assert second.plain.startswith(f"Line {PART_LINES} of")
    bold = [
        span for span in second.spans if second.plain[span.start : span.end] == f"Line {PART_LINES}"
    ]
    assert bold
    assert bold[0].style == BBCodeStyles().bold


# --------------------------------------------------------------------------- responsiveness


async def test_no_garbage_collection_runs_while_a_long_description_renders(
    renders: RenderCalls,
) -> None:
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        renders.release.clear()  # the render holds, halfway, until the test has looked
        detail.show(a_task(long_description(5_000)), NOW)
        await pilot.pause()
        assert renders.count == 1
        gc.callbacks.append(count)
        try:
            # Meanwhile the app goes on making (and dropping) objects, cycles among them;
            # a collection now would walk the render's tree too, every thread waiting.
            for _ in range(50_000):
                cycle: list[object] = []
                cycle.append(cycle)
            assert collections == []
            renders.release.set()
            await settle(pilot)
        finally:
            gc.callbacks.remove(count)
        assert description_text(detail).startswith("Line 0 of the release plan")
        assert gc.isenabled()


async def test_a_render_leaves_the_collector_off_when_it_was_off(renders: RenderCalls) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        detail = app.query_one(TaskDetail)
        gc.disable()
        try:
            detail.show(a_task(long_description(5_000)), NOW)
            await settle(pilot)
            assert renders.threads[0] is not threading.main_thread()
            assert not gc.isenabled()
        finally:
            gc.enable()


def lines_drawn(widget: Static) -> list[str]:
    """Each line of ``widget`` as drawn: its characters and the styles on them."""
    return [
        "".join(f"{segment.text}\0{segment.style}\0" for segment in widget.render_line(y))
        for y in range(widget.size.height)
    ]


async def test_a_description_part_draws_what_a_static_draws() -> None:
    text = render_bbcode(
        "[B]Release plan[/B] for the [I]spring[/I] with a [URL=https://example.com/x]link[/URL] "
        "and words enough to wrap the line more than once at either width, "
        + "again and again " * 12
        + "\n[LIST][*]one item[*]and a second, longer item that wraps as well "
        + "on and on " * 8
        + "[/LIST]\n[QUOTE]A quote[/QUOTE]\n[CODE]SELECT 1;[/CODE]"
    )

    class Both(App[None]):
        def compose(self) -> ComposeResult:
            yield DescriptionPart(text.copy(), id="part")
            yield Static(text.copy(), id="static")

    app = Both()
    for width in (60, 97):
        async with app.run_test(size=(width, 60)) as pilot:
            await pilot.pause()
            part = app.query_one("#part", DescriptionPart)
            static = app.query_one("#static", Static)
            assert part.size == static.size
            assert part.size.height > 5
            assert lines_drawn(part) == lines_drawn(static)
        app = Both()


async def test_the_pane_names_mentioned_people_as_the_task_screen_does(
    make_app: AppFactory,
    emulator: ServedEmulator,
    renders: RenderCalls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the explicit flush fetches the pane's full task: no race with its timer.
    monkeypatch.setattr(DashboardScreen, "DETAIL_DELAY", 3600.0)
    DESCRIPTIONS.clear()
    portal = emulator.portal
    task = next(
        t for t in portal.tasks.values() if t.responsible_id == DEMO_USER_ID and t.status == 2
    )
    task.description = "Ask [USER=5]Greg[/USER] first.\n" + long_description()
    user = portal.users[5]
    asked = f"Ask @{user.name} {user.last_name} first."
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one(TaskTable)
        table.move_cursor(row=table.get_row_index(task.id))
        await pilot.pause()
        screen.flush_detail()
        await settled(pilot)
        pane = screen.query_one(TaskPane)
        assert pane.complete
        assert description_text(pane).startswith(asked)
        assert renders.count == 1

        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        assert description_text(app.screen.query_one(TaskDetail)).startswith(asked)
        assert renders.count == 1  # the pane's rendering, found in the cache
