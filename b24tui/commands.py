"""The command palette's providers: task actions, "Go to task…", "Refresh" and the theme.

Task commands act on the task on screen (the detail screen's task or the dashboard's
selected row) through :class:`~b24tui.screens.task_actions.TaskActionsMixin`, so they are
offered exactly when the task's permissions allow them, on both screens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, cast

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.style import Style
from textual.system_commands import SystemCommandsProvider

from b24tui.matching import fold, fold_with_offsets, original_spans
from b24tui.messages import TaskChosen
from b24tui.models import Task
from b24tui.screens.task_actions import TaskActionsMixin
from b24tui.screens.workday import WorkdayScreen, ask_workday_action
from b24tui.services import Services
from b24tui.text import clean

__all__ = [
    "ChecklistCommands",
    "FoldingMatcher",
    "GoToTaskCommands",
    "PaletteCommands",
    "TaskCommands",
    "TaskSearchCommands",
    "WorkdayCommands",
    "loaded_tasks",
]

GO_TO_TASK = "Go to task…"
REFRESH = "Refresh"
NEW_TASK = "New task"
OPEN_WORKDAY = "Open workday"
EXACT_ID = float("inf")
"""The score of the hit for a typed task id: above every fuzzy score (which is not bounded
by 1, whatever Textual's docstring says: "10" scores 6 in "#101 …")."""
MAX_TASK_HITS = 100
"""At most this many tasks are offered for one query (the large portal has thousands)."""

_TASK_NUMBER = re.compile(r"^\s*#?\s*(\d{1,12})\s*$")


def _task_number(query: str) -> int | None:
    match = _TASK_NUMBER.match(query)
    return int(match.group(1)) if match else None


def loaded_tasks(provider: Provider) -> list[Task]:
    """The tasks the portal store knows (mine, and any opened; none before the first load)."""
    services = getattr(provider.app, "services", None)
    if not isinstance(services, Services):
        return []
    return list(services.store.tasks.values())


def _go_to(provider: Provider, task_id: int) -> Callable[[], object]:
    return partial(provider.app.post_message, TaskChosen(task_id))


Listed = tuple[str, Callable[[], object], str]
"""A command as a source lists it: its name, what it runs, its help line ("" for none)."""


class ListedCommands(Provider):
    """A provider of a short list of commands (:meth:`_commands`, asked at each opening and
    each keystroke): all of them when the palette opens, those whose names match as typed."""

    def _commands(self) -> list[Listed]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        """The commands offered now, listed when the palette opens."""
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text or None)

    async def search(self, query: str) -> Hits:
        """The commands offered now whose names match ``query``."""
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                hit = _highlight(matcher, name)
                yield Hit(score, hit, command, text=name, help=help_text or None)


class TaskCommands(ListedCommands):
    """Every action the task on screen allows, by its palette name ("Start task")."""

    def _screen(self) -> TaskActionsMixin | None:
        return self.screen if isinstance(self.screen, TaskActionsMixin) else None

    def _commands(self) -> list[Listed]:
        screen = self._screen()
        if screen is None:
            return []
        task = screen.current_task()
        if task is None:
            return []
        subject = clean(task.title, single_line=True)
        return [
            (
                action.palette,
                partial(screen.run_task_action, action.id),
                _literal(f"#{task.id} {subject}"),
            )
            for action in screen.allowed_task_actions()
        ]


class ChecklistCommands(ListedCommands):
    """On the checklist screen, the changes it offers now ("Toggle item", "Add item"…)."""

    def _commands(self) -> list[Listed]:
        offered = getattr(self.screen, "checklist_commands", None)
        if not callable(offered):
            return []
        return [(name, partial(self.screen.run_action, action), "") for name, action in offered()]


class GoToTaskCommands(ListedCommands):
    """ "Go to task…" (opens a search over the loaded tasks), "Go to task #N", "Refresh"."""

    def _commands(self) -> list[Listed]:
        commands: list[Listed] = [(GO_TO_TASK, self._open_search, "Find a task by its title or id")]
        services = getattr(self.app, "services", None)
        if isinstance(services, Services) and not services.read_only:
            new_task = partial(self.app.run_action, "new_task")
            commands.append((NEW_TASK, new_task, "Create a task: title, deadline, people…"))
        if hasattr(self.screen, "action_refresh"):
            refresh = partial(self.screen.run_action, "refresh")
            commands.append((REFRESH, refresh, "Read the tasks from the portal again"))
        return commands

    def _open_search(self) -> None:
        self.app.push_screen(
            CommandPalette(providers=[TaskSearchCommands], placeholder="Task id or title…")
        )

    async def search(self, query: str) -> Hits:
        """The commands matching ``query``; a number offers "Go to task #N" at once."""
        task_id = _task_number(query)
        if task_id is not None:
            name = f"Go to task #{task_id}"
            yield Hit(EXACT_ID, Content(name), _go_to(self, task_id), text=name)
        async for hit in super().search(query):
            yield hit


class WorkdayCommands(ListedCommands):
    """ "Open workday" everywhere but on the workday screen, and the workday actions its
    status allows now ("Pause workday"); none of the actions in read-only mode or while one
    is under way."""

    def _commands(self) -> list[Listed]:
        services = getattr(self.app, "services", None)
        if not isinstance(services, Services):
            return []
        commands: list[Listed] = []
        if not isinstance(self.screen, WorkdayScreen):  # not the screen already open
            open_it = partial(self.app.run_action, "open_workday")
            commands.append((OPEN_WORKDAY, open_it, "The workday screen"))
        for action in services.workday.offered():
            run = partial(ask_workday_action, self.app, services, action.id)
            commands.append((action.palette, run, f"{action.method} on my workday"))
        return commands


class PaletteCommands(Provider):
    """The main palette's one provider: its sources' commands, always in the same order.

    Textual runs a palette's providers concurrently and lists their hits as they arrive
    (and gathers the providers in a set), so with one provider per source the list came in
    a different order from one run to the next. One provider asking its sources in turn
    lists them in :attr:`SOURCES` order; hits of equal score keep it too.
    """

    SOURCES: ClassVar[tuple[type[Provider], ...]] = (
        TaskCommands,
        ChecklistCommands,
        GoToTaskCommands,
        WorkdayCommands,
        SystemCommandsProvider,
    )
    """Where the commands come from, in the order they are listed (the system commands
    are what :meth:`~b24tui.app.B24App.get_system_commands` offers)."""

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self._sources = [source(screen, match_style) for source in self.SOURCES]

    async def startup(self) -> None:
        """Start every source."""
        for source in self._sources:
            await source.startup()

    async def shutdown(self) -> None:
        """Shut every source down."""
        for source in self._sources:
            await source.shutdown()

    async def discover(self) -> Hits:
        """Every source's commands, one source after the other."""
        for source in self._sources:
            async for hit in source.discover():
                yield hit

    async def search(self, query: str) -> Hits:
        """Every source's matches for ``query``, one source after the other."""
        for source in self._sources:
            async for hit in source.search(query):
                if hit is not NotImplemented:
                    yield hit


class FoldingMatcher(Matcher):
    """Textual's fuzzy matcher comparing folded text: ``reunion`` finds "Réunion".

    Query and candidate are folded as the dashboard filter folds them
    (:func:`~b24tui.matching.fold`); :meth:`spans` names the candidate's own characters.
    """

    def __init__(self, query: str, *, match_style: Style | None = None) -> None:
        super().__init__(query, match_style=match_style)
        self.folded_query = fold(query)
        """The query as compared."""

    def match(self, candidate: str) -> float:
        """How well ``candidate`` matches, from 0 (not at all) up."""
        return self.fuzzy_search.match(self.folded_query, fold(candidate))[0]

    def spans(self, candidate: str) -> list[range]:
        """The characters of ``candidate`` (with their accents) that the match is made of."""
        folded, owners = fold_with_offsets(candidate)
        _, offsets = self.fuzzy_search.match(self.folded_query, folded)
        return original_spans(candidate, owners, offsets)


class TaskSearchCommands(Provider):
    """The loaded tasks, found by title or id; a number not loaded is still offered."""

    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        """A :class:`FoldingMatcher`: a title is found without typing its case or accents."""
        return FoldingMatcher(user_input, match_style=self.match_style)

    async def discover(self) -> Hits:
        """The first loaded tasks, in id order."""
        for task in sorted(loaded_tasks(self), key=lambda task: task.id)[:MAX_TASK_HITS]:
            name = _task_label(task)
            yield DiscoveryHit(Content(name), _go_to(self, task.id), text=name)

    async def search(self, query: str) -> Hits:
        """Tasks whose "#id title" matches ``query``; an exact id comes first."""
        tasks = loaded_tasks(self)
        task_id = _task_number(query)
        if task_id is not None:
            exact = next((task for task in tasks if task.id == task_id), None)
            name = _task_label(exact) if exact is not None else f"Go to task #{task_id}"
            yield Hit(EXACT_ID, Content(name), _go_to(self, task_id), text=name)
        matcher = self.matcher(query)
        hits = 0
        for task in tasks:
            if task.id == task_id:
                continue
            name = _task_label(task)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), _go_to(self, task.id), text=name)
                hits += 1
                if hits >= MAX_TASK_HITS:
                    return


def _literal(text: str) -> str:
    """``text`` as a palette hit's help line, shown exactly as typed.

    The palette reads a ``str`` help as markup (``Content.from_markup``): a task title such
    as ``[/WIP]`` would crash it and ``[@click=app.quit]`` would run when clicked. A
    ``Content`` passes through unparsed; the field is annotated ``str`` only.
    """
    return cast(str, Content(text))


def _highlight(matcher: Matcher, text: str) -> Content:
    """``text`` with the matched letters marked, read literally (``Matcher.highlight``
    would parse a task title as markup).

    A :class:`FoldingMatcher` compared folded text, whose offsets are not ``text``'s
    ("ß" folds to "ss"); its spans are, and each keeps a letter with its accents.
    """
    content = Content(text)
    if isinstance(matcher, FoldingMatcher):
        spans = matcher.spans(text)
    else:
        _, offsets = matcher.fuzzy_search.match(matcher.query, text)
        spans = [range(offset, offset + 1) for offset in offsets]
    for span in spans:
        if not text[span.start].isspace():
            content = content.stylize(matcher.match_style, span.start, span.stop)
    return content


def _task_label(task: Task) -> str:
    return f"#{task.id} {clean(task.title, single_line=True)}"
