"""The task form against the emulated portal over real HTTP: what a save sends, where the
portal's errors show, and that nothing typed is lost or saved twice.

The form is pushed on the app's blank screen (:class:`~tests.ui.hosts.BareApp`) over the
served emulator; the emulator's journal says what the portal was sent and what it ran.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from b24tui.api import B24Client, ValidationError, Webhook
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, JournalEntry
from b24tui.screens import DashboardScreen
from b24tui.screens.confirm import ConfirmScreen
from b24tui.screens.task_conflict import ConflictScreen
from b24tui.screens.task_form import EditorFailed, TaskFormScreen, run_editor
from b24tui.screens.user_picker import UserPickerScreen
from b24tui.services import Services
from b24tui.state import StateFile
from b24tui.widgets import AppHeader, TaskTable
from tests.conftest import ServedEmulator
from tests.ui.bursts import burst
from tests.ui.conftest import AppFactory, row_ids
from tests.ui.hosts import BareApp
from tests.ui.test_dashboard import footer_keys
from tests.ui.waiting import HeldWaits, settled, until

MY_TASK = 121
"""A demo task the demo user created and is responsible for: the form may edit it."""
SOMEONE = 4
"""Another person on the demo portal."""


def app_with(client: B24Client, clock: FrozenClock, state: Path | None = None) -> BareApp:
    remembered = StateFile(state) if state is not None else None
    return BareApp(Services(client=client, clock=clock, remembered=remembered))


async def open_form(
    pilot: Pilot[None],
    task_id: int | None = MY_TASK,
    *,
    editor: Callable[[str], str] | None = None,
) -> TaskFormScreen:
    """The form on ``task_id`` (read into the store first, as the task's screen has it)."""
    app = pilot.app
    assert isinstance(app, BareApp)
    if task_id is not None:
        await app.services.store.load_task(task_id)
    form = TaskFormScreen(app.services, task_id, editor=editor)
    await app.push_screen(form)
    await settled(pilot)
    return form


async def on_the_dashboard(pilot: Pilot[None], task_id: int | None = None) -> DashboardScreen:
    """The dashboard, loaded, with ``task_id``'s row selected."""
    await settled(pilot)
    dashboard = pilot.app.screen
    assert isinstance(dashboard, DashboardScreen)
    if task_id is not None:
        table = dashboard.query_one(TaskTable)
        table.move_cursor(row=row_ids(table).index(task_id))
        await settled(pilot)
    return dashboard


def sent(emulator: ServedEmulator, method: str) -> list[JournalEntry]:
    return emulator.app.journal.entries(method)


def problem_text(form: TaskFormScreen) -> str:
    problem = form.query_one("#form-problem", Static)
    return str(problem.render()) if problem.display else ""


async def retitle(pilot: Pilot[None], title: str) -> None:
    """Clear the focused title and type ``title``."""
    await pilot.press("ctrl+u", *title)


async def closed(pilot: Pilot[None], form: TaskFormScreen) -> None:
    await settled(pilot)
    await until(pilot, lambda: not form.is_attached)


# --- what a save sends ---------------------------------------------------------------------


async def test_a_title_change_sends_exactly_the_title_to_rest_3(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        assert app.focused is form.query_one("#form-title", Input), "the title is focused"
        assert form.query_one(AppHeader).status.startswith("updated"), "not 'loading…'"
        await retitle(pilot, "Quarterly report")
        before = len(emulator.app.journal)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        calls = [entry.method for entry in emulator.app.journal][before:]
        # Read it (has it changed there?), write, read it back: nothing more.
        assert calls == ["tasks.task.get", "tasks.task.update", "tasks.task.get"]
        (update,) = sent(emulator, "tasks.task.update")
        assert update.api == "v3"
        assert update.params == {"id": MY_TASK, "fields": {"title": "Quarterly report"}}
        assert emulator.portal.tasks[MY_TASK].title == "Quarterly report"
        kept = app.services.store.task(MY_TASK)
        assert kept is not None
        assert kept.title == "Quarterly report", "every screen shows it"
        assert any("Saved “Quarterly report”" in n.message for n in app._notifications)


async def test_on_a_portal_without_rest_3_the_classic_form_is_sent(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    emulator.portal.v3_enabled = False
    ui_client.generations.remember(ui_client.host, "v1", reason="a portal without REST 3.0")
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await retitle(pilot, "Classic")
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        (update,) = sent(emulator, "tasks.task.update")
        assert update.api == "v1"
        assert update.params == {"taskId": MY_TASK, "fields": {"TITLE": "Classic"}}
        assert emulator.portal.tasks[MY_TASK].title == "Classic"


async def test_a_form_left_as_it_opened_sends_nothing(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    emulator.portal.tasks[MY_TASK].description = "Bold \x1b[31mred\x1b[0m [b]text[/b]"
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        assert sent(emulator, "tasks.task.update") == []
        assert any("Nothing changed" in n.message for n in app._notifications)


async def test_a_new_task_sends_only_the_fields_filled_in(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, None)
        await pilot.press(*"Order new chairs", "tab", "tab", *"tomorrow 18:00")
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        (add,) = sent(emulator, "tasks.task.add")
        assert add.api == "v3"
        assert isinstance(add.params, dict)
        fields = add.params["fields"]
        tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
        assert set(fields) == {"title", "deadline", "creatorId", "responsibleId"}
        assert fields["title"] == "Order new chairs"
        assert fields["deadline"].startswith(tomorrow)
        assert "T18:00:00" in fields["deadline"]
        created = [t for t in emulator.portal.tasks.values() if t.title == "Order new chairs"]
        assert len(created) == 1
        assert created[0].responsible_id == DEMO_USER_ID
        assert app.services.store.task(created[0].id) is not None


# --- errors at their field -----------------------------------------------------------------


async def test_a_deadline_is_checked_as_it_is_typed(
    ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await pilot.press("tab", "tab", "ctrl+u", *"fri 15")
        await settled(pilot)
        assert form.field_errors()["deadline"].startswith("Not a date")
        said = form.query_one("#form-deadline-said")
        assert str(said.render()) == ""
        await pilot.press(*":00")
        await settled(pilot)
        assert "deadline" not in form.field_errors()
        assert str(said.render()).startswith("Fri 20 Mar 15:00")


async def test_fields_are_checked_before_anything_is_sent(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await pilot.press("ctrl+u", "tab", "tab", "ctrl+u", *"+2x")
        await pilot.press("ctrl+s")
        await settled(pilot)
        errors = form.field_errors()
        assert errors["title"] == "A task needs a title"
        assert "deadline" in errors
        assert "Correct the fields marked" in problem_text(form)
        assert sent(emulator, "tasks.task.update") == []
        assert form.query_one("#form-deadline", Input).value == "+2x", "the text is kept"


async def test_a_person_gone_from_the_portal_is_named_at_the_responsible_field(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        form.query_one("#form-responsible").focus()
        await pilot.press("enter")
        await settled(pilot)
        picker = app.screen
        assert isinstance(picker, UserPickerScreen)
        name = emulator.portal.users[SOMEONE].name
        await pilot.press(*name, "enter")
        await settled(pilot)
        assert form.values.responsible_id == SOMEONE
        del emulator.portal.users[SOMEONE]
        await pilot.press("ctrl+s")
        await settled(pilot)
        (update,) = sent(emulator, "tasks.task.update")
        assert update.params == {"id": MY_TASK, "fields": {"responsibleId": SOMEONE}}
        assert form.field_errors() == {"responsible": "Responsible: no such person on the portal"}
        assert "did not save" in problem_text(form)
        assert form.is_attached
        assert form.values.responsible_id == SOMEONE


SEED_ERRORS: list[tuple[str, str, str | None, str]] = [
    # (the portal's field, its message, the form's field or None, what the person reads)
    ("id", "Required field `id` is missing", None, "Task: is required"),
    ("fields", "Required field `fields` is missing", None, "fields: is required"),
    (
        "deadline",
        "The field `deadline` requires data type `datetime` for such a request",
        "deadline",
        "Deadline: must be a date and time",
    ),
    (
        "responsibleId",
        'The user specified in the "Responsible" field was not found',
        "responsible",
        "Responsible: no such person on the portal",
    ),
    (
        "parentId",
        'The task specified in the "Parent Task" field was not found',
        None,
        "Parent task: no such task on the portal",
    ),
    ("parentId", "Cannot bind a node to itself", None, "Parent task: cannot be the task itself"),
    (
        "endPlan",
        "The end date specified in the planning is earlier than the start date",
        None,
        "Planned end: is earlier than the planned start",
    ),
    (
        "endPlan",
        "The duration of the task specified in the planning is too long",
        None,
        "Planned end: makes the task too long",
    ),
    (
        "creatorId",
        "In DTO `TaskDto`, the field `creatorId` requires the presence of the `Editable` "
        "attribute for such a request",
        None,
        "Creator: cannot be changed",
    ),
]


@pytest.mark.parametrize(("field", "message", "at", "said"), SEED_ERRORS)
async def test_each_validation_error_of_the_seed_lands_at_its_field(
    ui_client: B24Client, clock: FrozenClock, field: str, message: str, at: str | None, said: str
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        form.show_failure(ValidationError(fields=((field, message),)))
        await pilot.pause()
        if at is not None:
            assert form.field_errors() == {at: said}
            assert "Correct the fields marked" in problem_text(form)
        else:
            assert form.field_errors() == {}
            assert said in problem_text(form)


# --- nothing lost, nothing twice -----------------------------------------------------------


async def test_a_lost_answer_keeps_the_text_and_the_retry_is_applied_once(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await retitle(pilot, "Sent once")
        emulator.app.faults.inject("drop", method="tasks.task.update")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert form.is_attached
        assert form.query_one("#form-title", Input).value == "Sent once"
        assert "answer was lost" in problem_text(form)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        # The task is read before the retry: the lost save had landed, so none is sent.
        assert len(sent(emulator, "tasks.task.update")) == 1
        assert emulator.app.journal.ran["tasks.task.update"] == 1
        assert emulator.portal.tasks[MY_TASK].title == "Sent once"
        assert any(
            "Saved “Sent once”: the portal already had" in n.message for n in app._notifications
        )


async def test_a_lost_create_and_its_retry_make_one_task(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    before = len(emulator.portal.tasks)
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, None)
        await pilot.press(*"Made once")
        emulator.app.faults.inject("drop", method="tasks.task.add")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert form.is_attached
        assert "answer was lost" in problem_text(form)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
    made = [t for t in emulator.portal.tasks.values() if t.title == "Made once"]
    assert len(made) == 1
    assert len(emulator.portal.tasks) == before + 1
    assert emulator.app.journal.replayed["tasks.task.add"] == 1


async def test_a_refused_save_keeps_the_text_and_says_what_to_do(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await retitle(pilot, "Try again later")
        emulator.app.faults.inject("500", method="tasks.task.update")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert form.query_one("#form-title", Input).value == "Try again later"
        assert "Your text is kept; ctrl+s tries again" in problem_text(form)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        assert emulator.portal.tasks[MY_TASK].title == "Try again later"


async def test_a_save_held_by_the_portals_limits_says_so_and_goes_out_after(
    emulator: ServedEmulator, clock: FrozenClock
) -> None:
    waits = HeldWaits()
    policy = waits.policy
    async with B24Client(Webhook.parse(emulator.webhook_url), policy=policy) as client:
        app = app_with(client, clock)
        async with app.run_test(size=(120, 36)) as pilot:
            form = await open_form(pilot)
            await retitle(pilot, "Held back")
            emulator.app.faults.inject("429", method="tasks.task.get")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: bool(policy.state().parked))
            form.tick()
            status = form.query_one(AppHeader).status
            assert status.startswith("saving… waiting for tasks.task.get (portal limit),")
            waits.release()
            await closed(pilot, form)
            assert emulator.portal.tasks[MY_TASK].title == "Held back"


# --- conflicts -----------------------------------------------------------------------------


async def changed_there(
    emulator: ServedEmulator, clock: FrozenClock, *, title: str, priority: int | None = None
) -> None:
    """Someone else changes the task on the portal a minute later."""
    clock.advance(60)
    task = emulator.portal.tasks[MY_TASK]
    task.title = title
    if priority is not None:
        task.priority = priority
    emulator.portal.touch(task, SOMEONE)


async def conflict_over_title(
    pilot: Pilot[None], emulator: ServedEmulator, clock: FrozenClock
) -> tuple[TaskFormScreen, ConflictScreen]:
    form = await open_form(pilot)
    await retitle(pilot, "Mine")
    await changed_there(emulator, clock, title="Theirs", priority=2)
    await pilot.press("ctrl+s")
    # The save waits for the choice: its worker runs until the dialog is answered.
    await until(pilot, lambda: isinstance(pilot.app.screen, ConflictScreen))
    conflict = pilot.app.screen
    assert isinstance(conflict, ConflictScreen)
    assert conflict.conflict.fields == ("title",)
    assert conflict.conflict.theirs_only == ("priority",)
    assert sent(emulator, "tasks.task.update") == [], "nothing is sent before the choice"
    return form, conflict


async def test_a_conflict_keeping_mine_saves_mine_and_their_other_changes_stay(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form, conflict = await conflict_over_title(pilot, emulator, clock)
        who = str(conflict.query_one("#conflict-who").render())
        assert emulator.portal.users[SOMEONE].name in who
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        (update,) = sent(emulator, "tasks.task.update")
        assert update.params == {"id": MY_TASK, "fields": {"title": "Mine"}}
        assert emulator.portal.tasks[MY_TASK].priority == 2, "their priority is not undone"


async def test_a_conflict_taking_the_portals_value_sends_nothing_for_it(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form, _ = await conflict_over_title(pilot, emulator, clock)
        await pilot.press("enter", "ctrl+s")
        await closed(pilot, form)
        assert sent(emulator, "tasks.task.update") == []
        assert emulator.portal.tasks[MY_TASK].title == "Theirs"
        assert any("already had these values" in n.message for n in app._notifications)


async def test_a_conflict_all_theirs_with_t_takes_every_field_from_the_portal(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form, _ = await conflict_over_title(pilot, emulator, clock)
        await pilot.press("t", "ctrl+s")
        await closed(pilot, form)
        assert sent(emulator, "tasks.task.update") == []


async def test_a_conflict_left_with_esc_keeps_editing_with_the_portals_other_changes(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form, _ = await conflict_over_title(pilot, emulator, clock)
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is form
        assert form.query_one("#form-title", Input).value == "Mine"
        assert form.values.priority == 2, "what only the portal changed is taken in"
        assert "Nothing was saved" in problem_text(form)
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        (update,) = sent(emulator, "tasks.task.update")
        assert update.params == {"id": MY_TASK, "fields": {"title": "Mine"}}


# --- drafts, esc, the editor ---------------------------------------------------------------


async def test_a_draft_survives_a_restart(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    first = app_with(ui_client, clock, state)
    async with first.run_test(size=(120, 36)) as pilot:
        await open_form(pilot)
        await retitle(pilot, "Typed before the crash")
        await pilot.press("tab", "x")
    # The app is gone; the draft it kept is not.
    drafts = list((tmp_path / "state-drafts").iterdir())
    assert [path.name for path in drafts] == [f"task-{MY_TASK}.json"]
    assert drafts[0].stat().st_mode & 0o077 == 0, "only its owner can read it"
    second = app_with(ui_client, clock, state)
    async with second.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        assert second.screen is form, "the offer is no dialog: typing goes on into the title"
        assert "ctrl+r brings it back" in problem_text(form)
        assert form.query_one("#form-title", Input).value == "Café menu update 🍰"
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert problem_text(form) == ""
        assert form.query_one("#form-title", Input).value == "Typed before the crash"
        assert form.query_one("#form-description", TextArea).text.endswith("x")
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        assert emulator.portal.tasks[MY_TASK].title == "Typed before the crash"
    assert not any((tmp_path / "state-drafts").iterdir()), "a saved draft is forgotten"


async def test_letters_typed_over_a_draft_offer_go_to_the_title_and_the_draft_stays(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    first = app_with(ui_client, clock, state)
    async with first.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, None)
        await pilot.press(*"Left unsaved")
    second = app_with(ui_client, clock, state)
    async with second.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, None)
        burst(second, *"Buy yoghurt")  # a y or an n must answer nothing
        await settled(pilot)
        assert form.query_one("#form-title", Input).value == "Buy yoghurt"
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert form.query_one("#form-title", Input).value == "Left unsaved"


async def test_esc_asks_before_dropping_what_was_typed(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        await pilot.press("escape")
        await closed(pilot, form)
        form = await open_form(pilot)
        await pilot.press("z", "escape")
        await settled(pilot)
        asking = app.screen
        assert isinstance(asking, ConfirmScreen)
        await pilot.press("n")
        await settled(pilot)
        assert not asking.is_attached
        assert form.is_current
        assert form.values.title.endswith("z")
        await pilot.press("escape", "y")
        await closed(pilot, form)
        assert sent(emulator, "tasks.task.update") == []


async def test_ctrl_e_edits_the_description_in_the_editor(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    handed: list[str] = []

    def editor(text: str) -> str:
        handed.append(text)
        return "[b]Steps[/b]\n1. order\n2. check\n"

    emulator.portal.tasks[MY_TASK].description = "Before"
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, editor=editor)
        await pilot.press("ctrl+e")
        await settled(pilot)
        assert handed == ["Before"]
        area = form.query_one("#form-description", TextArea)
        assert area.text == "[b]Steps[/b]\n1. order\n2. check"
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        (update,) = sent(emulator, "tasks.task.update")
        assert update.params == {
            "id": MY_TASK,
            "fields": {"description": "[b]Steps[/b]\n1. order\n2. check"},
        }


def test_the_editor_gets_the_text_in_a_private_file_and_gives_back_what_it_saved(
    tmp_path: Path,
) -> None:
    script = tmp_path / "fake-editor"
    seen = tmp_path / "seen"
    script.write_text(
        f'#!/bin/sh\nstat -c %a "$1" > {seen}; cat "$1" >> {seen}\nprintf \'edited\\n\' >> "$1"\n'
    )
    script.chmod(0o700)
    assert run_editor("first\n", environ={"EDITOR": str(script)}) == "first\nedited\n"
    assert seen.read_text() == "600\nfirst\n"
    assert not list(Path(tempfile.gettempdir()).glob("b24tui-description-*")), "removed"


@pytest.mark.parametrize(
    ("editor", "said"),
    [
        ("/nonexistent/editor", "No editor '/nonexistent/editor' here: set $EDITOR"),
        ("false", "false exited with status 1"),
        ("'unclosed", "$EDITOR cannot be run as written"),
    ],
)
def test_an_editor_that_fails_says_why(editor: str, said: str) -> None:
    with pytest.raises(EditorFailed, match=re.escape(said)):
        run_editor("text", environ={"EDITOR": editor})


async def test_an_editor_that_fails_leaves_the_description_as_it_was(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    def editor(text: str) -> str:
        raise EditorFailed("No editor 'nano' here: set $EDITOR to one you have")

    emulator.portal.tasks[MY_TASK].description = "Kept"
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, editor=editor)
        await pilot.press("ctrl+e")
        await settled(pilot)
        assert form.query_one("#form-description", TextArea).text == "Kept"
        (said,) = [n.message for n in app._notifications]
        assert said == (
            "No editor 'nano' here: set $EDITOR to one you have. The description is as it was."
        )


# --- portal text is data -------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["Cleanup after release [/WIP]", "[@click=app.quit]x[/]", "a[i] and b[/tmp]"]
)
async def test_hostile_titles_are_shown_and_saved_literally(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock, title: str
) -> None:
    emulator.portal.tasks[MY_TASK].title = title
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        assert title in str(form.query_one("#form-heading").render())
        assert form.query_one("#form-title", Input).value == title
        await pilot.press("end", "!")
        await pilot.press("ctrl+s")
        await closed(pilot, form)
        assert emulator.portal.tasks[MY_TASK].title == title + "!"
        assert any(f"Saved “{title}!”" in n.message for n in app._notifications)
        assert app.is_running


async def test_keys_typed_in_one_burst_land_in_the_fields_they_were_typed_for(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    """Over SSH a title, tab and the next field's text can arrive in one read."""
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, None)
        burst(app, *"Call", "tab", *"Bring", "tab", *"fri", "shift+tab", *"s")
        await settled(pilot)
        assert form.query_one("#form-title", Input).value == "Call"
        assert form.query_one("#form-description", TextArea).text == "Brings"
        assert form.query_one("#form-deadline", Input).value == "fri"


async def test_ctrl_s_typed_right_after_the_last_letters_saves_them(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    """ctrl+s is the app's own key, read before the field has typed what came just before
    it: the save must wait for the field, or it sends the text without its last letters
    (and, seeing nothing changed, closed the form with them)."""
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot)
        burst(app, "end", *" now", "ctrl+s")
        await closed(pilot, form)
        assert emulator.portal.tasks[MY_TASK].title == "Café menu update 🍰 now"


async def test_ctrl_e_typed_right_after_the_last_letters_hands_them_to_the_editor(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock
) -> None:
    handed: list[str] = []

    def editor(text: str) -> str:
        handed.append(text)
        return text

    emulator.portal.tasks[MY_TASK].description = ""
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, editor=editor)
        await pilot.press("tab")
        burst(app, *"Steps", "ctrl+e")
        await settled(pilot)
        assert handed == ["Steps"]
        assert form.query_one("#form-description", TextArea).text == "Steps"


# --- the keys that open it -----------------------------------------------------------------


async def test_e_on_a_task_i_may_edit_opens_its_form_and_n_a_new_one(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        dashboard = await on_the_dashboard(pilot, MY_TASK)
        assert "e" in footer_keys(dashboard)
        await pilot.press("e")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, TaskFormScreen)
        assert form.task_id == MY_TASK
        await pilot.press("e")  # a letter typed in the title, not another form
        await settled(pilot)
        assert app.screen is form
        await pilot.press("ctrl+u", "escape", "y")
        await settled(pilot)
        assert not form.is_attached
        assert dashboard.is_current
        await pilot.press("n")
        await settled(pilot)
        new = app.screen
        assert isinstance(new, TaskFormScreen)
        assert new.task_id is None
        assert str(new.query_one("#form-heading").render()) == "New task"


async def test_letters_typed_right_after_n_are_the_title_not_the_dashboards_keys(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_the_dashboard(pilot, MY_TASK)
        before = len(emulator.app.journal)
        burst(app, "n", *"Ship sx")
        await settled(pilot)
        form = app.screen
        assert isinstance(form, TaskFormScreen)
        assert form.query_one("#form-title", Input).value == "Ship sx"
        writes = [e.method for e in emulator.app.journal][before:]
        assert not [m for m in writes if not m.endswith((".get", ".list", "batch"))]


async def test_a_task_created_from_the_list_is_where_its_cursor_goes(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        dashboard = await on_the_dashboard(pilot)
        await pilot.press("n", *"Due today", "tab", "tab", *"eod", "ctrl+s")
        await settled(pilot)
        assert dashboard.is_current
        (made,) = [t for t in emulator.portal.tasks.values() if t.title == "Due today"]
        assert dashboard.query_one(TaskTable).selected_task_id == made.id


async def test_n_and_e_typed_in_the_filter_are_letters(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        dashboard = await on_the_dashboard(pilot, MY_TASK)
        await pilot.press("slash", *"ne")
        await settled(pilot)
        assert app.screen is dashboard
        focused = app.focused
        assert isinstance(focused, Input)
        assert focused.value == "ne"


async def test_a_task_i_may_not_edit_offers_no_e(
    make_app: AppFactory, emulator: ServedEmulator
) -> None:
    others = next(
        task.id
        for task in emulator.portal.tasks.values()
        if task.responsible_id == DEMO_USER_ID
        and task.created_by != DEMO_USER_ID
        and task.status in (2, 3)
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        dashboard = await on_the_dashboard(pilot, others)
        assert "e" not in footer_keys(dashboard)
        await pilot.press("e")
        await settled(pilot)
        assert app.screen is dashboard


@pytest.mark.parametrize("name", ["Team [/WIP]", "[@click=app.quit]x[/]", "[bold]Ops[/]"])
async def test_a_group_named_like_markup_is_offered_literally(
    emulator: ServedEmulator, ui_client: B24Client, clock: FrozenClock, name: str
) -> None:
    task = emulator.portal.tasks[MY_TASK]
    group = next(iter(emulator.portal.groups.values()))
    group.name = name
    task.group_id = group.id
    group.member_ids.add(DEMO_USER_ID)
    app = app_with(ui_client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.services.store.load_task(MY_TASK)
        form = await open_form(pilot, None)
        groups = form.query_one("#form-group", Select)
        groups.focus()
        await pilot.press("enter")  # the list of groups
        await settled(pilot)
        prompts = [option.prompt for option in groups.query_one(OptionList).options]
        assert all(isinstance(prompt, Content) for prompt in prompts), "never parsed as markup"
        assert name in [str(prompt) for prompt in prompts]
        assert app.is_running
