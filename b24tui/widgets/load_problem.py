"""Why nothing could be read yet, in the place of what would have been shown."""

from __future__ import annotations

import math
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from b24tui.store import Health
from b24tui.text import clean


class LoadProblem(Static):
    """What failed (the error's title and hint), its cause in words, when it is tried
    again (or that only ``b24tui login`` helps), and the keys and command that help.

    Feed it with :meth:`show_health`; every text from the portal is shown literally.
    """

    DEFAULT_CSS = """
    LoadProblem { width: 1fr; height: 1fr; padding: 1 2; }
    """

    def __init__(self, what: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.what = what
        """What could not be loaded ("your tasks")."""

    def show_health(self, health: Health, now: datetime, *, refreshing: bool = False) -> None:
        """Say why ``health`` fails, as of ``now``; an empty widget when it does not."""
        self.update(problem_text(self.what, health, now, refreshing=refreshing))


def problem_text(what: str, health: Health, now: datetime, *, refreshing: bool = False) -> Text:
    """The text of a :class:`LoadProblem` (empty when ``health`` is fine)."""
    error, cause = health.error, health.cause
    if error is None or cause is None:
        return Text()
    text = Text()
    text.append(f"Could not load {what}\n\n", style="bold")
    text.append(clean(error.title, single_line=True), style="bold")
    if error.hint:
        text.append(f"\n{clean(error.hint)}")
    text.append(f"\n\n{cause.words}", style="italic")
    text.append("\n\n")
    if refreshing:
        text.append("Trying again now…")
    elif health.retry_at is None:
        text.append("It will not be tried again by itself: run ")
        text.append("b24tui login", style="bold")
        text.append(" in a shell to sign in again, then press r.")
    else:
        seconds = max(0, math.ceil((health.retry_at - now).total_seconds()))
        again = f" (failed {health.failures} times in a row)" if health.failures > 1 else ""
        text.append(f"Trying again in {seconds} s{again}. ")
        text.append("Press ")
        text.append("r", style="bold")
        text.append(" to try now.")
    text.append("\nFor more, run ")
    text.append("b24tui doctor", style="bold")
    text.append(" in a shell.")
    return text
