"""`?`: every key of the screen below, in our words, from the same live source as the footer.

What is listed comes from the screen's live bindings (so a remapped key shows as remapped
and a key the screen does not have is not listed), described in this module's words, never
in Textual's ("super+c Copy selected text", "Scroll Left" and the like are its own and are
left out). A task screen's actions are all listed with their keys, whether or not the task
on screen allows them now: those it does not allow are marked, so the person learns the
keys and sees why one does nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from b24tui.actions import TASK_ACTIONS, TaskAction

__all__ = [
    "NOT_NOW",
    "NO_TASK",
    "PALETTE_COMMANDS",
    "TABLE_MARKS",
    "HelpScreen",
    "HelpSection",
    "help_sections",
]

HelpSection = tuple[str, list[tuple[str, str]]]
"""A heading and its (keys, what they do) rows."""

PALETTE_COMMANDS: tuple[str, ...] = ("Go to task…", "New task", "Refresh", "Change theme")
"""The palette's commands that are not a task's (the task's are listed with the task)."""

READ_ONLY_NOTE = "Read-only: nothing that changes the portal is offered"
"""The help's line in place of the writes, in read-only mode."""
NOT_NOW = "not for this task now"
"""The mark of a task action the task on screen does not allow."""
NO_TASK = "no task selected"
"""The mark of every task action when no task is on screen (an empty view)."""

_WORDS: dict[str, str] = {
    "select_cursor": "Open the task",
    "cursor_down": "Down",
    "cursor_up": "Up",
    "page_down": "Page down",
    "page_up": "Page up",
    "cursor_top": "To the first task",
    "cursor_bottom": "To the last task",
    "scroll_down": "Scroll down",
    "scroll_up": "Scroll up",
    "scroll_home": "To the top",
    "scroll_end": "To the end",
    "show_more": "Show more of a long description",
    "next_view": "Next view",
    "previous_view": "Previous view",
    "filter": "Filter: words of the title or a person's name, or #id",
    "clear_filter": "Clear the filter",
    "sort": "Sort by the next column, then back to the default order",
    "reverse_sort": "Reverse the sort (after S)",
    "refresh": "Read the portal again now",
    "open_workday": "The workday screen",
    "new_task": "A new task: the task form",
    "save": "Save: only what changed is sent",
    "cancel": "Close the form (asks when something was typed)",
    "editor": "Edit the description in $EDITOR",
    "workday_start": "Start the workday",
    "workday_pause": "Pause the workday",
    "workday_resume": "Resume the workday",
    "workday_finish": "Finish the workday, with a report",
    "back": "Back to the list",
    "undo": "Undo the last action (cancel it while nothing was sent)",
    "close": "Close the help",
    "quit": "Quit",
    "help": "This help",
    "command_palette": "Command palette: every command by name",
    "toggle_item": "Tick the item, or untick it",
    "add_item": "Add an item after this one",
    "add_sub_item": "Add a sub-item to this one",
    "edit_item": "Edit the item's title",
    "delete_item": "Delete the item and its sub-items (asks first)",
    "toggle_important": "Mark the item important, or not",
    "move_item_up": "Move the item up",
    "move_item_down": "Move the item down",
    "hide_done": "Hide done items, or show them again",
    "toggle_expand": "Expand or collapse the item",
    "expand_or_down": "Expand the item, or down",
    "collapse_or_up": "Collapse the item, or to its parent",
    "expand_all": "Expand every item",
    "collapse_all": "Collapse every item",
}
"""What each key does, in our words, by action name. A binding whose action is not here
is Textual's own (or has no words yet) and is not listed."""

TABLE_MARKS: tuple[tuple[str, str], ...] = (
    ("▲ ▽", "high, low priority"),
    ("M", "muted: no notifications from the task"),
    ("W", "I watch it (an auditor)"),
    ("★", "one of my favourites"),
    ("red", "the deadline has passed"),
    ("Starting…", "an action under way; (queued) waits its turn, +1 one more after it"),
    ("…", "cut to fit: the task's screen shows it in full"),
)
"""The marks of the task table, for the legend under the dashboard's keys."""


def _action_name(binding: Binding) -> str:
    """``app.quit`` → ``quit``; ``task_action('start')`` → ``task_action``."""
    return binding.action.rsplit(".", 1)[-1].split("(", 1)[0]


def _key_display(app: App[Any], keys: str) -> str:
    """``s`` or ``ctrl+s,f5`` as the footer shows them (``s``, ``^s f5``)."""
    return " ".join(app.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))


def _task_rows(
    app: App[Any],
    actions: Sequence[TaskAction],
    allowed: frozenset[str],
    keymap: Mapping[str, str],
    *,
    has_task: bool,
    keyed: bool,
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for action in actions:
        if (action.key is not None) != keyed:
            continue
        mark = "" if action.id in allowed else f"  ({NOT_NOW if has_task else NO_TASK})"
        keys = _key_display(app, keymap.get(action.binding_id, action.key or "")) if keyed else ""
        rows.append((keys, action.palette + mark))
    return rows


_WORDS_NEW_TASK = "New task"
"""The palette's command for a new task (not offered in read-only mode)."""


def help_sections(
    app: App[Any],
    screen: Screen[Any],
    *,
    keymap: Mapping[str, str] | None = None,
    palette: Sequence[str] = PALETTE_COMMANDS,
) -> list[HelpSection]:
    """The help for ``screen``: its task's actions, its own keys, the app's, the palette's
    commands and (on a list of tasks) the legend of its marks.

    ``keymap`` is the config file's (binding id → keys), for the keys of task actions the
    task does not allow now (which the live bindings leave out).
    """
    # A screen's task actions come from TaskActionsMixin, found by duck typing: that
    # module imports this one's neighbours, and the help must not depend on it.
    allowed_actions = getattr(screen, "allowed_task_actions", None)
    current_task = getattr(screen, "current_task", None)
    keymap = keymap or {}
    read_only_app = bool(getattr(getattr(app, "services", None), "read_only", False))
    sections: list[HelpSection] = []
    palette_rows: list[tuple[str, str]] = []
    if callable(allowed_actions) and callable(current_task):
        allowed = frozenset(action.id for action in allowed_actions())
        has_task = current_task() is not None
        heading = getattr(screen, "TASK_HEADING", "This task")
        read_only = bool(getattr(getattr(screen, "services", None), "read_only", False))
        # Read-only: no write is offered anywhere, the help included.
        actions = [action for action in TASK_ACTIONS if not (read_only and action.writes)]
        rows = _task_rows(app, actions, allowed, keymap, has_task=has_task, keyed=True)
        if read_only:
            rows.append(("", READ_ONLY_NOTE))
        sections.append((heading, rows))
        palette_rows = _task_rows(app, actions, allowed, keymap, has_task=has_task, keyed=False)
    screen_rows, app_rows = _binding_rows(app, screen.active_bindings)
    if sections and (undo := screen_rows.pop(_WORDS["undo"], None)):
        sections[0][1].append((undo, _WORDS["undo"]))
    sections.append(("This screen", [(keys, words) for words, keys in screen_rows.items()]))
    palette_key = app_rows.get(_WORDS["command_palette"], "^p")
    if read_only_app:
        app_rows.pop(_WORDS["new_task"], None)
    everywhere = [(keys, words) for words, keys in app_rows.items()]
    if _WORDS["command_palette"] not in app_rows:
        everywhere.append((palette_key, _WORDS["command_palette"]))
    sections.append(("Everywhere", everywhere))
    palette_rows += [
        ("", name) for name in palette if not (read_only_app and name == _WORDS_NEW_TASK)
    ]
    sections.append((f"Command palette ({palette_key})", palette_rows))
    if getattr(screen, "SHOWS_TASK_TABLE", False):
        sections.append(("Marks in the list", list(TABLE_MARKS)))
    return [(heading, rows) for heading, rows in sections if rows]


def _binding_rows(
    app: App[Any], bindings: Mapping[str, ActiveBinding]
) -> tuple[dict[str, str], dict[str, str]]:
    """(the screen's rows, the app's rows): words → keys, in the order first bound, for the
    live bindings this module has words for. Keys doing the same are listed together."""
    screen_keys: dict[str, list[str]] = {}
    app_keys: dict[str, list[str]] = {}
    for active in bindings.values():
        binding = active.binding
        words = _WORDS.get(_action_name(binding))
        if words is None:
            continue
        keys = (app_keys if isinstance(active.node, App) else screen_keys).setdefault(words, [])
        key = app.get_key_display(binding)
        if key not in keys:
            keys.append(key)
    return (
        {words: " ".join(keys) for words, keys in screen_keys.items()},
        {words: " ".join(keys) for words, keys in app_keys.items()},
    )


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, grouped; `esc` or `?` closes, `j`/`k`/`g`/`G` scroll."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-box {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .help-heading { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .help-rows { width: 100%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help_close"),
        Binding("question_mark", "close", "Close", show=False, id="help_close_question"),
        Binding("j", "scroll('down')", "Down", show=False, id="help_down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help_up"),
        Binding("g", "scroll('home')", "Top", show=False, id="help_top"),
        Binding("G", "scroll('end')", "End", show=False, id="help_end"),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections: list[HelpSection] = list(sections)
        """What is shown: headings and their (keys, description) rows."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label("Keys", classes="help-heading")
            for heading, entries in self.sections:
                yield Label(Content(heading), classes="help-heading")
                width = max((len(keys) for keys, _ in entries), default=0)
                lines = [
                    f"{keys:<{width}}  {description}" if width else description
                    for keys, description in entries
                ]
                yield Static(Content("\n".join(lines)), classes="help-rows")

    def action_scroll(self, where: str) -> None:
        """Scroll the help: ``down``, ``up``, ``home`` or ``end``."""
        box = self.query_one("#help-box", VerticalScroll)
        {
            "down": box.scroll_down,
            "up": box.scroll_up,
            "home": box.scroll_home,
            "end": box.scroll_end,
        }[where](animate=False)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
