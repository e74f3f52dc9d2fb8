"""The checklist screen's footer at 80 columns: every key it offers shows whole, the app's
own (q Quit, ? Help) and the palette's included."""

from __future__ import annotations

from textual.widget import Widget

from b24tui.screens.checklist import ChecklistScreen
from b24tui.widgets import AppFooter
from tests.conftest import ServedEmulator
from tests.ui.checklists import put_nested_checklist
from tests.ui.conftest import AppFactory
from tests.ui.waiting import settled


def footer_keys(screen: ChecklistScreen) -> list[Widget]:
    return list(screen.query_one(AppFooter).query("FooterKey"))


async def test_every_key_of_the_footer_fits_at_80_columns(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    nested = put_nested_checklist(emulator.portal)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = ChecklistScreen(app.services, nested.task_id)
        await app.push_screen(screen)
        await settled(pilot)
        keys = footer_keys(screen)
        shown = {str(getattr(key, "key", "")) for key in keys}
        assert {"space", "a", "e", "d", "h", "q", "question_mark"} <= shown, shown
        footer = screen.query_one(AppFooter)
        assert footer.virtual_size.width <= footer.size.width, "keys beyond the edge"
        for key in keys:
            assert key.region.right <= 80, f"{getattr(key, 'key', key)} is cut"
