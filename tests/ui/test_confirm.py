"""The confirm dialog: y/enter yes, n/esc no, buttons for the mouse, the subject literal.

The dialog is shown on its own in a small host app: what it answers does not depend on the
screen below.
"""

from __future__ import annotations

import pytest
from textual.widgets import Label

from b24tui.emulator.seed import HOSTILE_ESCAPE_TITLE, HOSTILE_MARKUP_TITLE
from b24tui.screens.confirm import ConfirmScreen
from tests.ui.hosts import DialogHost


@pytest.mark.parametrize(
    ("keys", "answer"),
    [(("y",), True), (("enter",), True), (("n",), False), (("escape",), False)],
)
async def test_keys_answer(keys: tuple[str, ...], answer: bool) -> None:
    app = DialogHost()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        below = app.screen
        await app.push_screen(ConfirmScreen("Complete this task?", "Ship it"), answers.append)
        await pilot.press(*keys)
        await pilot.pause()
        assert answers == [answer]
        assert app.screen is below


async def test_buttons_answer() -> None:
    app = DialogHost()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ConfirmScreen("Defer this task?", "Ship it"), answers.append)
        await pilot.click("#confirm-no")
        await app.push_screen(ConfirmScreen("Defer this task?", "Ship it"), answers.append)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert answers == [False, True]


async def test_other_keys_do_not_answer() -> None:
    app = DialogHost()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = ConfirmScreen("Complete this task?", "Ship it")
        await app.push_screen(dialog, answers.append)
        await pilot.press("x", "s", "q")
        await pilot.pause()
        assert answers == []
        assert app.screen is dialog
        assert app.return_code is None, "q quits the app, but not from under a question"


async def test_the_subject_is_shown_literally() -> None:
    app = DialogHost()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = ConfirmScreen("Complete this task?", HOSTILE_MARKUP_TITLE)
        await app.push_screen(dialog)
        await pilot.pause()
        subject = dialog.query_one("#confirm-subject", Label)
        assert str(subject.content) == HOSTILE_MARKUP_TITLE
        rendered = str(subject.render())
        assert "[bold]x[/]" in rendered

        other = ConfirmScreen("Complete this task?", HOSTILE_ESCAPE_TITLE)
        await app.push_screen(other)
        await pilot.pause()
        text = str(other.query_one("#confirm-subject", Label).content)
        assert "\x1b" not in text
        assert text == "Log viewer prints red codes raw"


@pytest.mark.parametrize(
    ("keys", "answer"),
    [
        (("tab", "enter"), False),
        (("tab", "tab", "enter"), True),
        (("shift+tab", "enter"), False),
    ],
)
async def test_enter_presses_the_focused_button(keys: tuple[str, ...], answer: bool) -> None:
    """Tab to "No" then enter answers No: enter follows the focus, Yes only by default."""
    app = DialogHost()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ConfirmScreen("Complete this task?", "Ship it"), answers.append)
        await pilot.press(*keys)
        await pilot.pause()
        assert answers == [answer]
