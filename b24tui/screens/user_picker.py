"""Pick people of the portal by typing part of their name: one (delegating a task, the
responsible person of the task form) or several (the form's accomplices and auditors)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from b24tui.matching import matches_words
from b24tui.messages import CallFailed
from b24tui.models import User
from b24tui.text import clean

__all__ = ["PeoplePickerScreen", "UserPickerScreen", "matches_user"]

UserLoader = Callable[[], Awaitable[Sequence[User]]]
Picked = TypeVar("Picked")


def matches_user(user: User, query: str) -> bool:
    """Whether every word of ``query`` is in the user's name, e-mail or position, without
    regard to case or accents (``lukasz`` finds "Łukasz", ``петр`` finds "Пётр")."""
    return matches_words(query, user.full_name, user.email, user.work_position)


class _PeopleList(ModalScreen[Picked], Generic[Picked]):
    """A filter-as-you-type list of the portal's people, loaded once; what picking does is
    the subclass's."""

    HINT: ClassVar[str] = ""
    """The keys, said under the list (when the footer-less dialog needs to)."""

    DEFAULT_CSS = """
    _PeopleList { align: center middle; }
    _PeopleList > #picker-box {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    _PeopleList #picker-title { width: 100%; text-style: bold; margin-bottom: 1; }
    _PeopleList #picker-users { height: auto; max-height: 16; }
    _PeopleList #picker-keys { width: 100%; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker_cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker_down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker_up"),
        Binding("enter", "pick", "Pick", priority=True, id="picker_pick"),
    ]

    def __init__(
        self, load_users: UserLoader, *, title: str = "Pick a person", exclude: Collection[int] = ()
    ) -> None:
        super().__init__()
        self._load_users = load_users
        self.title_text = title
        """The question above the list; portal text in it is shown literally."""
        self.exclude = frozenset(exclude)
        """Ids not offered (the task's current responsible person)."""
        self.users: list[User] = []
        """Everyone loaded, in name order."""
        self.shown: list[User] = []
        """The people the filter lets through, in the list's order."""
        self._shown_for: str | None = None
        """The query the list was last narrowed by."""

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(Content(clean(self.title_text, single_line=True)), id="picker-title")
            yield Input(placeholder="Type a name…", id="picker-query")
            yield OptionList(id="picker-users")
            if self.HINT:
                yield Label(self.HINT, id="picker-keys")

    def on_mount(self) -> None:
        self.query_one("#picker-users", OptionList).can_focus = False
        self.query_one("#picker-query", Input).loading = True
        self.load()

    @work(exclusive=True, group="users", exit_on_error=False)
    async def load(self) -> None:
        """Read the people once; filtering happens here, not on the portal."""
        users = await self._load_users()
        self.users = [user for user in users if user.id not in self.exclude]
        self.query_one("#picker-query", Input).loading = False
        self.show_matches(self.query_one("#picker-query", Input).value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed load is reported like any failed call, and there is nothing to pick.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.post_message(CallFailed(event.worker.error))
            self.dismiss(None)

    @on(Input.Changed, "#picker-query")
    def _filter(self, event: Input.Changed) -> None:
        self.show_matches(event.value)

    def show_matches(self, query: str) -> None:
        """List the people matching ``query``, the first one highlighted."""
        self._shown_for = query
        self.shown = [user for user in self.users if matches_user(user, query)]
        options = self.query_one("#picker-users", OptionList)
        options.clear_options()
        options.add_options(
            Option(Content(clean(self.label(user), single_line=True)), id=str(user.id))
            for user in self.shown
        )
        options.highlighted = 0 if self.shown else None

    def action_move(self, step: int) -> None:
        """Move the highlight in the list while typing goes on in the field."""
        options = self.query_one("#picker-users", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_pick(self) -> None:
        """Pick the highlighted person once the name typed before `enter` has narrowed the
        list: `enter` is read as it arrives, the letters before it wait in the field, and
        the list may not have followed them yet."""
        field = self.query_one("#picker-query", Input)

        def typed() -> None:  # in the field's queue: its value is what came before enter
            self.call_later(self._pick_for, field.value)  # dismiss belongs to this screen

        field.call_later(typed)

    def _pick_for(self, query: str) -> None:
        """Pick the highlighted person among those ``query`` finds (nothing happens while
        none is found)."""
        if query != self._shown_for:  # its Changed message is still on the way
            self.show_matches(query)
        highlighted = self.query_one("#picker-users", OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.shown):
            self.picked(self.shown[highlighted])

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#picker-users")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.shown):
            self.picked(self.shown[event.option_index])

    def picked(self, user: User) -> None:
        """``user`` was picked (enter, or a click)."""
        raise NotImplementedError

    def label(self, user: User) -> str:
        """The person's line in the list."""
        return _label(user)


class UserPickerScreen(_PeopleList[User | None]):
    """Pick one person: `enter` picks, `esc` cancels (None)."""

    def picked(self, user: User) -> None:
        self.dismiss(user)


class PeoplePickerScreen(_PeopleList[tuple[int, ...] | None]):
    """Choose several people: `enter` adds or removes the highlighted one, `ctrl+s` gives
    the people chosen (in the order chosen), `esc` cancels (None)."""

    HINT = "enter adds or removes · ctrl+s done · esc cancel"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Add/remove", priority=True, id="picker_toggle"),
        Binding("ctrl+s", "done", "Done", priority=True, id="picker_done"),
    ]

    def __init__(
        self,
        load_users: UserLoader,
        *,
        title: str = "Choose people",
        chosen: Sequence[int] = (),
        exclude: Collection[int] = (),
    ) -> None:
        super().__init__(load_users, title=title, exclude=exclude)
        self.chosen: list[int] = list(dict.fromkeys(chosen))
        """The ids chosen so far, in the order chosen."""

    def picked(self, user: User) -> None:
        if user.id in self.chosen:
            self.chosen.remove(user.id)
        else:
            self.chosen.append(user.id)
        options = self.query_one("#picker-users", OptionList)
        highlighted = options.highlighted
        index = self.shown.index(user)
        options.replace_option_prompt_at_index(
            index, Content(clean(self.label(user), single_line=True))
        )
        options.highlighted = highlighted

    def label(self, user: User) -> str:
        mark = "[x]" if user.id in self.chosen else "[ ]"
        return f"{mark} {_label(user)}"

    def action_done(self) -> None:
        """Give the people chosen, after the adds and removes typed before `ctrl+s`."""
        field = self.query_one("#picker-query", Input)
        field.call_later(self.call_later, self._give_chosen)

    def _give_chosen(self) -> None:
        self.dismiss(tuple(self.chosen))


def _label(user: User) -> str:
    return f"{user.full_name} · {user.work_position}" if user.work_position else user.full_name
