"""``b24tui emulator``: serve a seeded emulated portal on 127.0.0.1.

The first line on stdout is the demo user's webhook URL, flushed at once, so a script
can read it and point a client there; log lines go to stderr. The portal's clock is the
system clock behind a movable offset (``POST /_emulator/clock``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence

from b24tui.clock import OffsetClock
from b24tui.emulator.app import EmulatorApp
from b24tui.emulator.seed import DEMO_USER_ID, build_portal
from b24tui.emulator.server import HOST, serve

logger = logging.getLogger("b24tui.emulator")

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The ``b24tui emulator`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="b24tui emulator",
        description=(
            "Serve an emulated Bitrix24 portal on 127.0.0.1. The first line printed is "
            "the demo user's webhook URL."
        ),
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--preset", choices=("demo", "large", "empty"), default="demo")
    parser.add_argument("--seed", type=int, default=0, help="seed for the generated data")
    parser.add_argument(
        "--limits",
        choices=("off", "cloud", "enterprise"),
        default="off",
        help="rate limits to enforce (only 'off' is available yet)",
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="RATE",
        help="share of requests that fail on purpose (only 0 is available yet)",
    )
    parser.add_argument(
        "--delay-ms", type=int, default=0, metavar="N", help="delay every answer by N ms"
    )
    parser.add_argument("--tls", action="store_true", help="serve HTTPS (not available yet)")
    return parser


def _unavailable(options: argparse.Namespace) -> str | None:
    """The first requested option that is not available yet, as a message."""
    if options.limits != "off":
        return f"--limits {options.limits} is not available yet (only 'off')"
    if options.faults != 0:
        return "--faults is not available yet (only 0)"
    if options.tls:
        return "--tls is not available yet: the emulator serves plain HTTP on 127.0.0.1"
    return None


def main(argv: Sequence[str]) -> int:
    """Run ``b24tui emulator``; returns the exit code (2 for usage errors)."""
    parser = build_parser()
    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    problem = _unavailable(options)
    if problem is None and options.delay_ms < 0:
        problem = "--delay-ms cannot be negative"
    if problem is None and not 0 <= options.port <= 65535:
        problem = "--port must be between 0 and 65535"
    if problem is not None:
        sys.stderr.write(f"b24tui emulator: {problem}\n")
        return EXIT_USAGE
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )
    portal = build_portal(options.preset, seed=options.seed, clock=OffsetClock())
    webhook = next(
        hook for hook in portal.credentials.webhooks.values() if hook.user_id == DEMO_USER_ID
    )
    app = EmulatorApp(portal, delay_ms=options.delay_ms)

    def announce(port: int) -> None:
        sys.stdout.write(f"http://{HOST}:{port}/rest/{webhook.user_id}/{webhook.code}/\n")
        sys.stdout.flush()
        logger.info(
            "serving the %s portal (seed %s) on %s:%s", options.preset, options.seed, HOST, port
        )

    # uvicorn re-raises a caught Ctrl+C once it has shut down cleanly.
    with contextlib.suppress(KeyboardInterrupt):
        try:
            serve(app, options.port, on_ready=announce)
        except OSError as error:
            sys.stderr.write(f"b24tui emulator: cannot listen on port {options.port}: {error}\n")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
