"""``b24tui emulator``: serve a seeded emulated portal on 127.0.0.1.

The first line on stdout is the demo user's webhook URL (with ``--tls`` followed by a
space and the CA file to trust), flushed at once, so a script can read it and point a
client there; log lines go to stderr. The portal's clock is the system clock behind a
movable offset (``POST /_emulator/clock``). The same server is the OAuth token server
(``/oauth/token/``) for the demo app; ``POST /_emulator/oauth/grant`` hands out its keys
and a first refresh token.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from types import FrameType

from b24tui.clock import OffsetClock
from b24tui.emulator.app import EmulatorApp
from b24tui.emulator.faults import Faults
from b24tui.emulator.latency import DEFAULT_RTT_S, Latency
from b24tui.emulator.oauth_server import GRANT_PATH, with_oauth
from b24tui.emulator.seed import ADMIN_USER_ID, DEMO_USER_ID, LARGE_TASK_COUNT, build_portal
from b24tui.emulator.server import HOST, serve
from b24tui.emulator.tls import TlsMaterial, throwaway_tls

logger = logging.getLogger("b24tui.emulator")

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The ``b24tui emulator`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="b24tui emulator",
        description=(
            "Serve an emulated Bitrix24 portal on 127.0.0.1. The first line printed is "
            "the demo user's webhook URL (with --tls, then the CA file to trust)."
        ),
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--preset", choices=("demo", "large", "empty"), default="demo")
    parser.add_argument(
        "--tasks",
        type=int,
        default=None,
        metavar="N",
        help=f"how many tasks the large preset has (default: {LARGE_TASK_COUNT:,})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the generated data")
    parser.add_argument(
        "--limits",
        choices=("off", "cloud", "enterprise"),
        default="cloud",
        help="rate limits to enforce (default: cloud)",
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="RATE",
        help="share of REST requests that fail on purpose, 0 to 1 (default: 0)",
    )
    parser.add_argument(
        "--delay-ms", type=int, default=0, metavar="N", help="delay every answer by N ms"
    )
    parser.add_argument(
        "--latency",
        choices=("instant", "realistic"),
        default="instant",
        help="instant (the default): answer as fast as the emulator computes; realistic: "
        "each request takes the server time its cost model says (a list counted on a big "
        "table is slow, a >ID page with start=-1 is not) plus a network round trip, and "
        "concurrent requests are served side by side",
    )
    parser.add_argument(
        "--rtt-ms",
        type=int,
        default=None,
        metavar="N",
        help="the network round trip of --latency realistic, once per HTTP request "
        f"(default: {DEFAULT_RTT_S * 1000:.0f})",
    )
    parser.add_argument(
        "--user",
        type=int,
        default=DEMO_USER_ID,
        metavar="ID",
        help=f"whose webhook to print (default: the demo user, {DEMO_USER_ID}; "
        f"{ADMIN_USER_ID} is the administrator, who sees every task)",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a throwaway CA; its file is printed after the URL",
    )
    return parser


def _problem(options: argparse.Namespace) -> str | None:
    """The first option value that cannot be used, as a message."""
    if not 0.0 <= options.faults <= 1.0:
        return "--faults must be between 0 and 1"
    if options.delay_ms < 0:
        return "--delay-ms cannot be negative"
    if options.rtt_ms is not None and options.latency != "realistic":
        return "--rtt-ms needs --latency realistic"
    if options.rtt_ms is not None and options.rtt_ms < 0:
        return "--rtt-ms cannot be negative"
    if options.tasks is not None and options.preset != "large":
        return "--tasks needs --preset large"
    if options.tasks is not None and options.tasks < 0:
        return "--tasks cannot be negative"
    if not 0 <= options.port <= 65535:
        return "--port must be between 0 and 65535"
    return None


def _latency_of(options: argparse.Namespace) -> Latency:
    """The latency the options ask for (the default round trip unless ``--rtt-ms``)."""
    if options.rtt_ms is None:
        return Latency(options.latency)
    return Latency(options.latency, rtt_s=options.rtt_ms / 1000)


@contextlib.contextmanager
def _tls_if(wanted: bool) -> Iterator[TlsMaterial | None]:
    if not wanted:
        yield None
        return
    with throwaway_tls() as material:
        yield material


def _described(latency: Latency) -> str:
    if not latency.realistic:
        return latency.mode
    return f"{latency.mode}, round trip {latency.rtt_s * 1000:g} ms"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _hang_up(signum: int, frame: FrameType | None) -> None:
    signal.raise_signal(signal.SIGTERM)


@contextlib.contextmanager
def _stopped_like_ctrl_c() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the emulator as Ctrl+C does, cleaning up on the way.

    Their default action ends the process at once, leaving the throwaway CA and private
    key behind. While uvicorn serves it takes SIGTERM itself, shuts down and raises it
    again once done: this handler then turns it into ``KeyboardInterrupt``. SIGHUP (a
    closed terminal) is passed on as SIGTERM, so uvicorn shuts down cleanly too.
    """
    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, _interrupted),
        signal.SIGHUP: signal.signal(signal.SIGHUP, _hang_up),
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str]) -> int:
    """Run ``b24tui emulator``; returns the exit code (2 for usage errors)."""
    parser = build_parser()
    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    problem = _problem(options)
    if problem is not None:
        sys.stderr.write(f"b24tui emulator: {problem}\n")
        return EXIT_USAGE
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )
    portal = build_portal(
        options.preset,
        seed=options.seed,
        clock=OffsetClock(),
        large_tasks=LARGE_TASK_COUNT if options.tasks is None else options.tasks,
    )
    if options.user not in portal.users:
        sys.stderr.write(
            f"b24tui emulator: the {options.preset} portal has no user {options.user}\n"
        )
        return EXIT_USAGE
    webhook = next(
        (hook for hook in portal.credentials.webhooks.values() if hook.user_id == options.user),
        None,
    ) or portal.credentials.add_webhook(options.user)
    app = EmulatorApp(
        portal,
        limits=options.limits,
        faults=Faults(options.faults, seed=options.seed),
        delay_ms=options.delay_ms,
        latency=_latency_of(options),
    )
    served = with_oauth(app, seed=options.seed)
    oauth_app = next(iter(portal.credentials.oauth.apps.values()))

    # uvicorn re-raises a caught Ctrl+C once it has shut down cleanly; SIGTERM and SIGHUP
    # end the same way. Caught outside the TLS block, so its files are gone by then.
    with (
        _stopped_like_ctrl_c(),
        contextlib.suppress(KeyboardInterrupt),
        _tls_if(options.tls) as tls,
    ):

        def announce(port: int) -> None:
            scheme = "https" if tls is not None else "http"
            line = f"{scheme}://{HOST}:{port}/rest/{webhook.user_id}/{webhook.code}/"
            if tls is not None:
                line += f" {tls.ca_file}"
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            logger.info(
                "serving the %s portal (seed %s, limits %s, faults %s, latency %s) on %s://%s:%s",
                options.preset,
                options.seed,
                options.limits,
                options.faults,
                _described(app.latency),
                scheme,
                HOST,
                port,
            )
            logger.info(
                "OAuth app %s: token server at /oauth/token/, keys and a refresh token from "
                "POST %s",
                oauth_app.client_id,
                GRANT_PATH,
            )

        try:
            serve(served, options.port, on_ready=announce, tls=tls)
        except OSError as error:
            sys.stderr.write(f"b24tui emulator: cannot listen on port {options.port}: {error}\n")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
