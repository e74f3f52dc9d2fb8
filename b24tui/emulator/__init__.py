"""The emulated Bitrix24 portal: state, seed data, method handlers and the ASGI app."""

from b24tui.emulator.app import EmulatorApp
from b24tui.emulator.journal import Journal, JournalEntry
from b24tui.emulator.seed import DEMO_USER_ID, build_portal
from b24tui.emulator.server import RunningEmulator, serve, serve_in_thread
from b24tui.emulator.state import Portal

__all__ = [
    "DEMO_USER_ID",
    "EmulatorApp",
    "Journal",
    "JournalEntry",
    "Portal",
    "RunningEmulator",
    "build_portal",
    "serve",
    "serve_in_thread",
]
