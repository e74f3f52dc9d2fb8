"""The emulated Bitrix24 portal: state, seed data, method handlers and the ASGI app."""

from b24tui.emulator.app import EmulatorApp
from b24tui.emulator.faults import Faults
from b24tui.emulator.journal import Journal, JournalEntry
from b24tui.emulator.limits import LimitSettings
from b24tui.emulator.oauth_server import OAuthServer, with_oauth
from b24tui.emulator.seed import DEMO_USER_ID, build_portal
from b24tui.emulator.server import RunningEmulator, serve, serve_in_thread
from b24tui.emulator.state import Portal

__all__ = [
    "DEMO_USER_ID",
    "EmulatorApp",
    "Faults",
    "Journal",
    "JournalEntry",
    "LimitSettings",
    "OAuthServer",
    "Portal",
    "RunningEmulator",
    "build_portal",
    "serve",
    "serve_in_thread",
    "with_oauth",
]
