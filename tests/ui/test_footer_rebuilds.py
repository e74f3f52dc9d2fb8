"""The key footer is rebuilt only when the keys on offer change, once per frame at most."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from b24tui.widgets import AppFooter
from tests.ui.waiting import next_frame


class CountingFooter(AppFooter):
    """The app's footer, counting its rebuilds."""

    rebuilds = 0

    async def recompose(self) -> None:
        self.rebuilds += 1
        await super().recompose()


class Host(App[None]):
    """Two keys, one of them offered only while ``offer_more`` holds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("m", "more", "Show more"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.offer_more = True

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield CountingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offer_more if action == "more" else True

    def action_refresh(self) -> None:
        """Nothing: the key is only shown."""

    def action_more(self) -> None:
        """Nothing: the key is only shown."""


def keys(app: Host) -> list[Widget]:
    return list(app.query_one(CountingFooter).query("FooterKey"))


def descriptions(app: Host) -> list[str]:
    return [str(getattr(key, "description", "")) for key in keys(app)]


async def test_the_footer_keeps_its_keys_while_the_same_keys_are_on_offer() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await next_frame(pilot)
        footer = app.query_one(CountingFooter)
        shown = keys(app)
        assert "Show more" in descriptions(app)
        rebuilds = footer.rebuilds
        # What a repaint of a task does: the offer is checked again, nothing differs.
        for _ in range(3):
            app.screen.refresh_bindings()
            await next_frame(pilot)
        assert footer.rebuilds == rebuilds
        assert keys(app) == shown


async def test_changes_before_a_frame_rebuild_the_footer_once() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await next_frame(pilot)
        footer = app.query_one(CountingFooter)
        rebuilds = footer.rebuilds
        app.offer_more = False
        for _ in range(5):  # a screen shown, focus moved, an action's offer checked…
            app.screen.refresh_bindings()
        await next_frame(pilot)
        assert footer.rebuilds == rebuilds + 1
        assert "Show more" not in descriptions(app)
        assert "Refresh" in descriptions(app)
        app.offer_more = True
        app.screen.refresh_bindings()
        await next_frame(pilot)
        assert "Show more" in descriptions(app)
