"""What the app remembers of a profile between runs: the theme, the dashboard's view and sort.

One small JSON file per profile under the platform's state directory, never the config
file (the person's own, perhaps read-only). Nothing secret is kept: a theme name, a view
key and a sort column. A missing, unreadable or corrupt file reads as nothing remembered
and the next save replaces it; a save that cannot be written is logged and dropped, since
remembering is a courtesy and never a reason for the app to stop. The directory is made by
the first save, so a run that changes nothing leaves nothing behind.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b24tui.views import SortOrder

__all__ = ["STATE_VERSION", "Remembered", "StateFile", "write_atomically"]

log = logging.getLogger(__name__)

STATE_VERSION = 1
"""The file's format; a file of another version reads as nothing remembered."""


@dataclass(frozen=True)
class Remembered:
    """The choices kept for a profile; ``None`` where nothing was chosen."""

    theme: str | None = None
    """The theme picked in the palette (a name; the app checks it still exists)."""
    view: str | None = None
    """The dashboard's last view, by key (``"overdue"``)."""
    sort: SortOrder | None = None
    """The dashboard's column order; ``None`` is the default order."""

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        sort = (
            None
            if self.sort is None
            else {"column": self.sort.column, "descending": self.sort.descending}
        )
        return {"version": STATE_VERSION, "theme": self.theme, "view": self.view, "sort": sort}

    @classmethod
    def from_json(cls, data: object) -> Remembered:
        """What ``data`` (a parsed file) says; anything of the wrong shape is left out."""
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        theme, view = data.get("theme"), data.get("view")
        return cls(
            theme=theme if isinstance(theme, str) and theme else None,
            view=view if isinstance(view, str) and view else None,
            sort=_sort_from_json(data.get("sort")),
        )


def _sort_from_json(data: object) -> SortOrder | None:
    if not isinstance(data, dict):
        return None
    column, descending = data.get("column"), data.get("descending", False)
    if not isinstance(column, str) or not isinstance(descending, bool):
        return None
    try:
        return SortOrder(column, descending)
    except ValueError:  # a column this version does not sort by
        return None


class StateFile:
    """One profile's remembered choices, read once and written whenever one changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The JSON file (its directory may not exist yet)."""
        self._remembered: Remembered | None = None

    def load(self) -> Remembered:
        """The remembered choices (read from the file the first time only)."""
        if self._remembered is None:
            self._remembered = self._read()
        return self._remembered

    def save(self, remembered: Remembered) -> None:
        """Remember ``remembered``: the file is replaced whole, never left half written."""
        if remembered == self.load():
            return
        self._remembered = remembered
        text = json.dumps(remembered.to_json(), indent=2) + "\n"
        try:
            write_atomically(self.path, text)
        except OSError as error:
            log.warning("cannot remember the app's state in %s: %s", self.path, error)

    def _read(self) -> Remembered:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Remembered()
        except (OSError, UnicodeDecodeError) as error:
            log.warning("ignoring the app's state in %s: %s", self.path, error)
            return Remembered()
        try:
            data = json.loads(text)
        except ValueError as error:
            log.warning("ignoring the app's state in %s: %s", self.path, error)
            return Remembered()
        return Remembered.from_json(data)


def write_atomically(path: Path, text: str | Iterable[str], *, private: bool = False) -> None:
    """Write ``text`` to a temporary file beside ``path``, then put it in its place.

    ``text`` may come in pieces (an iterable of strings), written as they come, so a large
    file is never whole in memory.
    ``private``: the file is readable by its owner only, in a directory only they can enter
    (when this makes it).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        if private:
            os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            if isinstance(text, str):
                stream.write(text)
            else:
                stream.writelines(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
