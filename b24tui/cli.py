"""The command line: ``b24tui``, ``b24tui --demo``, ``b24tui emulator …``.

Exit codes: 0 ok, 1 a runtime error (one line on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from b24tui import __version__

if TYPE_CHECKING:
    from b24tui.api import B24Client
    from b24tui.clock import Clock

ENV_WEBHOOK = "B24TUI_WEBHOOK_URL"


def build_parser() -> argparse.ArgumentParser:
    """The ``b24tui`` argument parser (the emulator subcommand parses its own flags)."""
    parser = argparse.ArgumentParser(
        prog="b24tui",
        description="A keyboard-first terminal client for Bitrix24 tasks and the workday.",
        epilog=(
            "commands: 'b24tui emulator --help' serves the emulated portal on 127.0.0.1. "
            f"Credentials: set {ENV_WEBHOOK} to your inbound webhook URL "
            "(https://<portal>/rest/<user>/<code>/)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"b24tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the dashboard against the built-in emulated portal (no account, no network)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["emulator"]:
        from b24tui.emulator.cli import main as emulator_main

        return emulator_main(args[1:])
    options = build_parser().parse_args(args)
    if options.demo:
        return _run_demo()
    return _run_portal()


def _fail(message: str) -> int:
    sys.stderr.write(f"b24tui: {message}\n")
    return 1


def _run_demo() -> int:
    from b24tui.clock import SystemClock
    from b24tui.demo import demo_client, demo_portal

    clock = SystemClock()
    return asyncio.run(_run_app(demo_client(demo_portal(clock)), clock, demo=True))


def _run_portal() -> int:
    from b24tui.api import B24Client, EndpointError, Webhook
    from b24tui.clock import SystemClock

    url = os.environ.get(ENV_WEBHOOK, "").strip()
    if not url:
        return _fail(
            f"no credentials: set {ENV_WEBHOOK} to your inbound webhook URL "
            "(https://<portal>/rest/<user>/<code>/), or try 'b24tui --demo'"
        )
    try:
        endpoint = Webhook.parse(url)
    except EndpointError as error:
        return _fail(f"{ENV_WEBHOOK}: {error}")
    return asyncio.run(_run_app(B24Client(endpoint), SystemClock(), demo=False))


async def _run_app(client: B24Client, clock: Clock, *, demo: bool) -> int:
    # Textual is imported only here, so --version and the emulator start fast.
    from b24tui.app import B24App
    from b24tui.services import Services

    async with client:
        await B24App(Services(client=client, clock=clock, demo=demo)).run_async()
    return 0
