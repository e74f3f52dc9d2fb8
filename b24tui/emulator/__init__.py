"""The emulated Bitrix24 portal: state, seed data, method handlers and the ASGI app.

The loopback server (:mod:`b24tui.emulator.server`, uvicorn, and through it
:mod:`b24tui.emulator.tls`, trustme) is imported on first use of its names, so the
in-process demo never loads either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from b24tui.emulator.app import EmulatorApp
from b24tui.emulator.faults import Faults
from b24tui.emulator.journal import Journal, JournalEntry
from b24tui.emulator.latency import Latency
from b24tui.emulator.limits import LimitSettings
from b24tui.emulator.oauth_server import OAuthServer, with_oauth
from b24tui.emulator.seed import DEMO_USER_ID, build_portal
from b24tui.emulator.state import Portal

if TYPE_CHECKING:
    from b24tui.emulator.server import RunningEmulator, serve, serve_in_thread

__all__ = [
    "DEMO_USER_ID",
    "EmulatorApp",
    "Faults",
    "Journal",
    "JournalEntry",
    "Latency",
    "LimitSettings",
    "OAuthServer",
    "Portal",
    "RunningEmulator",
    "build_portal",
    "serve",
    "serve_in_thread",
    "with_oauth",
]

_LAZY: dict[str, str] = {
    "RunningEmulator": "b24tui.emulator.server",
    "serve": "b24tui.emulator.server",
    "serve_in_thread": "b24tui.emulator.server",
}
"""Names imported on first access, and the module each comes from."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
