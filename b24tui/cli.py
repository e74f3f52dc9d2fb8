"""The command line: ``b24tui``, ``b24tui --demo``, ``b24tui task ID``, ``b24tui emulator …``.

Exit codes: 0 ok, 1 a runtime error (one line on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from b24tui import __version__
from b24tui.paths import ENV_WEBHOOK

if TYPE_CHECKING:
    from pathlib import Path

    from b24tui.api import B24Client
    from b24tui.auth import KeyringProbe
    from b24tui.clock import Clock
    from b24tui.config import Settings
    from b24tui.state import StateFile

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The ``b24tui`` argument parser (the emulator subcommand parses its own flags)."""
    parser = argparse.ArgumentParser(
        prog="b24tui",
        description="A keyboard-first terminal client for Bitrix24 tasks and the workday.",
        epilog=(
            "commands: 'b24tui emulator --help' serves the emulated portal on 127.0.0.1. "
            "Credentials: 'b24tui login' stores your inbound webhook URL "
            f"(https://<portal>/rest/<user>/<code>/) in the OS keyring; {ENV_WEBHOOK} overrides it."
        ),
    )
    parser.add_argument("--version", action="version", version=f"b24tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the dashboard against the built-in emulated portal (no account, no network)",
    )
    profile_help = "the profile (portal account) to use; default: the config's default_profile"
    parser.add_argument("--profile", metavar="NAME", help=profile_help)
    parser.add_argument("--read-only", action="store_true", help=_READ_ONLY_HELP)
    parser.add_argument(
        "--debug",
        action="store_true",
        help="write a debug log (rotated, never a secret) under the platform's log dir; "
        "'b24tui doctor' says where",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in _AUTH_COMMANDS.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "--profile", metavar="NAME", default=argparse.SUPPRESS, help=profile_help
        )
        if name == "login":
            command.add_argument(
                "--oauth",
                action="store_true",
                help="log in with an OAuth app (portal, client_id, client_secret and a refresh "
                "token) instead of an inbound webhook",
            )
    task = commands.add_parser(
        "task",
        help="open straight on a task's detail screen (esc goes to the dashboard)",
        description="Open straight on a task's detail screen; esc goes to the dashboard.",
    )
    task.add_argument("task_id", metavar="ID", type=_task_id, help="the task's id (a number)")
    task.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help=profile_help)
    task.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="use the emulated portal"
    )
    task.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS, help=_READ_ONLY_HELP
    )
    task.add_argument(
        "--checklist",
        action="store_true",
        help="open on the task's checklist instead (esc goes to the dashboard)",
    )
    from b24tui.workday_cli import add_workday_parser

    add_workday_parser(commands, profile_help=profile_help, read_only_help=_READ_ONLY_HELP)
    return parser


_READ_ONLY_HELP = "offer and send no write, only read (also read_only = true in a profile's config)"


def _task_id(text: str) -> int:
    """A task id from the command line: a positive whole number."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(f"not a task id: {text!r} (expected a number such as 12)")
    return int(value)


_AUTH_COMMANDS = {
    "login": "check an inbound webhook URL with the portal and store it in the OS keyring "
    "(a hidden prompt, asked again after a mistake, up to 3 tries; read once from stdin "
    "when it is not a terminal)",
    "logout": "remove the stored webhook of the profile",
    "doctor": "report keyring backend, credential, portal, scopes and API version "
    "(never prints a secret)",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["emulator"]:
        from b24tui.emulator.cli import main as emulator_main

        return emulator_main(args[1:])
    options = build_parser().parse_args(args)
    if options.profile is not None:
        from b24tui.config import check_profile_name

        try:
            check_profile_name(options.profile)
        except ValueError as error:
            return _usage_error(str(error))
    _keep_log_records_off_the_terminal()
    with _debug_log(options.debug):
        log.info(
            "b24tui %s: %s, profile %s%s",
            __version__,
            options.command or "dashboard",
            options.profile or "(default)",
            ", read-only asked" if options.read_only else "",
        )
        return _run_command(options)


def _run_command(options: argparse.Namespace) -> int:
    if options.command in _AUTH_COMMANDS:
        from b24tui.auth.cli import run_auth_command

        return run_auth_command(
            options.command, options.profile, oauth=getattr(options, "oauth", False)
        )
    if options.command == "workday":
        from b24tui.workday_cli import run_workday_command

        return run_workday_command(options)
    task_id: int | None = options.task_id if options.command == "task" else None
    checklist = bool(getattr(options, "checklist", False))
    if options.demo:
        return _run_demo(task_id, read_only=options.read_only, checklist=checklist)
    return _run_portal(options.profile, task_id, read_only=options.read_only, checklist=checklist)


@contextmanager
def _debug_log(asked: bool) -> Iterator[None]:
    """Write the debug log meanwhile, when ``--debug`` or the config's ``debug`` asks.

    A config file that cannot be read turns nothing on here: the command itself says
    what is wrong with it. A log that cannot be written is said in one line, and the
    command goes on without it.
    """
    from b24tui.config import ConfigError, load_settings

    if not asked:
        try:
            asked = load_settings().debug
        except ConfigError:
            asked = False
    with ExitStack() as stack:
        if asked:
            from b24tui.debug_log import debug_logging
            from b24tui.paths import log_file

            path = log_file()
            try:
                stack.enter_context(debug_logging(path))
            except OSError as error:
                sys.stderr.write(
                    f"b24tui: the debug log cannot be written at {path} "
                    f"({error.strerror or error}); going on without it\n"
                )
        yield


_DROP_RECORDS = logging.NullHandler()


def _keep_log_records_off_the_terminal() -> None:
    """Give the root logger a handler that drops records, unless one is set up already.

    Without any handler Python's last-resort handler prints warnings to stderr, so a
    failed call's raw ``POST … failed`` line would come before the command's own message
    (and across the dashboard). The commands say what went wrong in their own words.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(_DROP_RECORDS)


def _fail(message: str) -> int:
    sys.stderr.write(f"b24tui: {message}\n")
    return 1


def _usage_error(message: str) -> int:
    """A usage error found after parsing (a bad ``--profile``): one line, exit code 2."""
    sys.stderr.write(f"b24tui: {message}\n")
    return 2


def _run_demo(
    task_id: int | None = None, *, read_only: bool = False, checklist: bool = False
) -> int:
    from b24tui.clock import SystemClock
    from b24tui.config import ConfigError, load_settings
    from b24tui.demo import demo_client, demo_portal
    from b24tui.paths import demo_cache_file, demo_state_file
    from b24tui.state import StateFile

    try:
        settings = load_settings()
    except ConfigError as error:
        return _fail(str(error))
    clock = SystemClock()
    client = demo_client(demo_portal(clock), read_only=read_only)
    remembered = StateFile(demo_state_file())
    return asyncio.run(
        _run_app(
            client,
            clock,
            demo=True,
            task_id=task_id,
            checklist=checklist,
            settings=settings,
            remembered=remembered,
            cache=demo_cache_file(),
        )
    )


def _run_portal(
    profile: str | None,
    task_id: int | None = None,
    *,
    read_only: bool = False,
    checklist: bool = False,
) -> int:
    from b24tui.api import B24Client
    from b24tui.api.pacing import PacingPolicy
    from b24tui.auth import CredentialsUnavailable, probe_keyring
    from b24tui.clock import SystemClock
    from b24tui.startup import plan_run

    early = _early_probe(profile)
    try:
        _import_the_app()
        plan = plan_run(profile, probe=early or probe_keyring)
    except CredentialsUnavailable as error:
        return _fail(str(error))
    finally:
        if early is not None:
            early.close()
    client = B24Client(
        plan.endpoint,
        policy=PacingPolicy(plan.settings.plan),
        token_refresher=plan.token_refresher,
        read_only=read_only or plan.settings.profile(profile).read_only,
    )
    return asyncio.run(
        _run_app(
            client,
            SystemClock(),
            demo=False,
            task_id=task_id,
            checklist=checklist,
            settings=plan.settings,
            remembered=plan.remembered,
            cache=plan.cache,
            user_id=plan.settings.profile(profile).user_id,
        )
    )


def _early_probe(profile: str | None) -> KeyringProbe | None:
    """The keyring's probe, started now: its child (a Python, keyring and D-Bus: some
    300 ms) checks the keyring and reads the profile's entry on another core while this
    one imports the dashboard. None when the webhook is in the environment, or the config
    cannot be read (the start then says why)."""
    from b24tui.auth import KeyringProbe
    from b24tui.config import ConfigError, load_settings

    if os.environ.get(ENV_WEBHOOK, "").strip():
        return None
    try:
        settings = load_settings()
    except ConfigError:
        return None
    return KeyringProbe(profile=profile or settings.default_profile)


def _import_the_app() -> None:
    """Import the dashboard, Textual and all (some 150 ms the first time).

    Textual is imported only here, so --version and the emulator start fast. What the
    imports make (modules, classes, functions) lives as long as the process, so the
    collector is off meanwhile and then never walks it: without the freeze, its first
    passes over those objects took some 90 ms of the time to the first paint.
    """
    gc.disable()
    try:
        from b24tui import app, cache, services  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


async def _run_app(
    client: B24Client,
    clock: Clock,
    *,
    demo: bool,
    task_id: int | None = None,
    checklist: bool = False,
    settings: Settings | None = None,
    remembered: StateFile | None = None,
    cache: Path | None = None,
    user_id: int | None = None,
    headless: bool = False,
) -> int:
    """Run the app until it quits; its exit code (1 after a crash, whose traceback Textual
    has printed). The snapshot cache at ``cache`` is read to start from and written as the
    app quits (``user_id``: whose it must be, when the profile says)."""
    _import_the_app()
    from b24tui.app import B24App
    from b24tui.cache import SnapshotCache
    from b24tui.services import Services

    snapshots = (
        SnapshotCache(cache, portal=client.host, user_id=user_id) if cache is not None else None
    )
    async with client:
        services = Services(
            client=client,
            clock=clock,
            demo=demo,
            settings=settings,
            remembered=remembered,
            cache=snapshots,
        )
        app = B24App(services, task_id=task_id, checklist=checklist, manage_collector=True)
        await app.run_async(headless=headless)
    services.keep_snapshot()
    return app.return_code or 0
