"""``--debug`` (or ``debug = true``): a rotated log file under the platform's log dir.

The file is the person's own (mode 0600) and never holds a secret: every record is run
through :class:`RedactingFilter`, which masks webhook codes (``/rest/<user>/<code>/``),
``auth=`` values and OAuth tokens in the message *and* its arguments, and the formatter
masks the finished line again, tracebacks included. The terminal still sees no record
(the command line keeps them off it); this only adds the file.

Headless: no Textual here.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from b24tui.api import redact

__all__ = [
    "LOG_BACKUPS",
    "LOG_MAX_BYTES",
    "RedactingFilter",
    "active_log_file",
    "debug_logging",
    "mask_secrets",
]

LOG_MAX_BYTES = 1_000_000
"""The size at which the log file is rotated."""
LOG_BACKUPS = 3
"""How many rotated files are kept besides the current one (``b24tui.log.1`` …)."""

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_NAMED_SECRET = re.compile(
    r"""(?P<name>\b(?:access_token|refresh_token|client_secret|auth|password)\b["']?\s*[:=]\s*["']?)"""
    r"""(?P<value>[^"'&\s,;}\])]+)""",
    re.IGNORECASE,
)
"""A secret named in the text, as a query parameter, a JSON key or a repr'd dict."""

_active: Path | None = None


def mask_secrets(text: str) -> str:
    """``text`` with webhook codes, ``auth=`` and OAuth values masked, however they are
    written (``?auth=…``, ``"access_token": "…"``, ``'refresh_token': '…'``)."""
    text = redact(text)
    return _NAMED_SECRET.sub(lambda m: m.group("name") + "***", text)


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message and arguments before any handler writes it.

    The arguments are rendered into the message and dropped, so a handler (or a formatter
    of someone else's) has no unmasked value left to print.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!s} {record.args!r}"
        record.msg = mask_secrets(message)
        record.args = None
        return True


class _RedactingFormatter(logging.Formatter):
    """Masks the finished line too: a traceback's text is only made here."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating file handler whose files (the current one and each new one after a
    rotation) are readable by their owner only."""

    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(descriptor, 0o600)  # a file left by an older run may be wider
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)


def active_log_file() -> Path | None:
    """The debug log being written now, or ``None`` when debug logging is off."""
    return _active


@contextmanager
def debug_logging(
    path: Path, *, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS
) -> Iterator[Path]:
    """Write b24tui's records (DEBUG and up) and others' warnings to ``path`` meanwhile.

    The directory is made (private) when missing. On leaving, the handler is removed and
    the file closed, so a test that runs the command line in-process leaves no handler
    behind.
    """
    global _active
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    handler.setLevel(logging.DEBUG)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(_RedactingFormatter(_FORMAT))
    ours = logging.getLogger("b24tui")
    root = logging.getLogger()
    level = ours.level
    root.addHandler(handler)
    ours.setLevel(logging.DEBUG)
    _active = path
    try:
        yield path
    finally:
        _active = None
        ours.setLevel(level)
        root.removeHandler(handler)
        handler.close()
