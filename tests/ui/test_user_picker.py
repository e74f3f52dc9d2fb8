"""The person picker finds people as the dashboard filter finds tasks: without case or accents.

The picker is shown on its own in a small host app, over a fixed list of people.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from b24tui.models import User
from b24tui.screens.user_picker import PeoplePickerScreen, UserPickerScreen
from tests.ui.bursts import burst
from tests.ui.hosts import DialogHost

PEOPLE = (
    User(id=4, name="María José", last_name="Fernández", work_position="Marketing Lead"),
    User(id=6, name="Zoë", last_name="Lambert", work_position="Product Designer"),
    User(id=7, name="Łukasz", last_name="Nowak", work_position="QA Engineer"),
    User(id=8, name="Anna", last_name="Schäfer", work_position="Accountant"),
    User(id=10, name="Ольга", last_name="Петрова", work_position="Sales Manager"),
    User(id=11, name="Пётр", last_name="Соловьёв", work_position="Водитель"),
    User(id=12, name="Zoe", last_name="Grant", email="zoe.grant@example.com"),
    User(id=13, name="Gregor", last_name="Straßmann", work_position="Backend Developer"),
)


async def load_people() -> Sequence[User]:
    return PEOPLE


async def shown_for(pilot: Pilot[None], picker: UserPickerScreen, query: str) -> list[int]:
    """``query`` in the field (as a paste puts it there: one change, not one per letter);
    the ids of the people listed."""
    field = picker.query_one(Input)
    field.value = query
    await pilot.pause()
    shown = [user.id for user in picker.shown]
    field.value = ""
    await pilot.pause()
    return shown


async def test_the_picker_finds_names_typed_without_accents_or_case() -> None:
    app = DialogHost()
    async with app.run_test(size=(80, 30)) as pilot:
        picker = UserPickerScreen(load_people)
        await app.push_screen(picker)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(picker.shown) == len(PEOPLE)
        assert await shown_for(pilot, picker, "zoe") == [6, 12]
        assert await shown_for(pilot, picker, "ZOË") == [6, 12]
        assert await shown_for(pilot, picker, "lukasz") == [7]
        assert await shown_for(pilot, picker, "fernandez maria") == [4]
        assert await shown_for(pilot, picker, "schafer") == [8]
        assert await shown_for(pilot, picker, "strassmann") == [13]
        assert await shown_for(pilot, picker, "петр соловьев") == [11]
        assert await shown_for(pilot, picker, "ПЕТРОВА") == [10]
        assert await shown_for(pilot, picker, "zoe lambert designer") == [6]


async def test_the_people_picker_adds_and_removes_with_enter_and_gives_them_with_ctrl_s() -> None:
    app = DialogHost()
    chosen: list[tuple[int, ...] | None] = []
    async with app.run_test(size=(80, 30)) as pilot:
        picker = PeoplePickerScreen(load_people, title="Auditors", chosen=(8,))
        await app.push_screen(picker, chosen.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"zoe", "enter")  # Zoë Lambert, the first match
        await pilot.press("ctrl+u", *"schafer", "enter")  # Anna Schäfer, chosen before
        await pilot.press("ctrl+u", *"nowak", "enter")
        await pilot.pause()
        labels = [str(option.prompt) for option in picker.query_one(OptionList).options]
        assert labels == ["[x] Łukasz Nowak · QA Engineer"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert chosen == [(6, 7)]


async def test_the_people_picker_cancelled_changes_nothing() -> None:
    app = DialogHost()
    chosen: list[tuple[int, ...] | None] = []
    async with app.run_test(size=(80, 30)) as pilot:
        await app.push_screen(PeoplePickerScreen(load_people, chosen=(8,)), chosen.append)
        await app.workers.wait_for_complete()
        await pilot.press("enter", "escape")
        await pilot.pause()
    assert chosen == [None]


async def test_a_name_and_enter_typed_in_one_burst_pick_that_person() -> None:
    """enter is the picker's own key, read before the field has the letters typed just
    before it: picking at once took whoever was highlighted before the name narrowed the
    list."""
    app = DialogHost()
    picked: list[User | None] = []
    async with app.run_test(size=(80, 30)) as pilot:
        await app.push_screen(UserPickerScreen(load_people), picked.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        burst(app, *"schafer", "enter")
        for _ in range(50):
            if picked:
                break
            await pilot.pause()
    assert [user.id for user in picked if user is not None] == [8]


async def test_names_enter_and_ctrl_s_typed_in_one_burst_choose_those_people() -> None:
    app = DialogHost()
    chosen: list[tuple[int, ...] | None] = []
    async with app.run_test(size=(80, 30)) as pilot:
        await app.push_screen(PeoplePickerScreen(load_people), chosen.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"nowak", "enter", "ctrl+u")
        burst(app, *"schafer", "enter", "ctrl+s")
        for _ in range(50):
            if chosen:
                break
            await pilot.pause()
    assert chosen == [(7, 8)]
