"""``b24tui workday [start|pause|resume|finish]``: the workday from a shell or a script.

``b24tui workday`` prints the day's status in one line (``--json`` for scripts); with an
action it reads the status, acts only when the status allows it, and prints the new status.
Exit codes: 0 done, 1 the portal refused or could not be reached, or the status does not
allow the action (one line on stderr saying why; nothing is sent then), 2 usage.

Credentials are the app's (``B24TUI_WEBHOOK_URL``, else the profile's keyring entry); the
command never asks for them. Read-only mode refuses every action before anything is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:  # the rest is imported when the command runs: --help and --version stay fast
    from b24tui.api import B24Client
    from b24tui.clock import Clock
    from b24tui.models.workday import WorkdaySeen
    from b24tui.workday_actions import WorkdayAction

__all__ = [
    "ACTION_WORDS",
    "add_workday_parser",
    "parse_clock_time",
    "run_workday",
    "run_workday_command",
    "workday_json",
]

ACTION_WORDS: Final = ("start", "pause", "resume", "finish")
"""The actions' words on the command line (the ids of the workday actions)."""

_HELP = "print the workday's status in one line, or start, pause, resume or finish it"


def parse_clock_time(text: str) -> time:
    """``--at``: a time of day as ``HH:MM`` (24-hour)."""
    hours, sep, minutes = text.strip().partition(":")
    digits = sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if digits and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise argparse.ArgumentTypeError(f"not a time: {text!r} (expected HH:MM, such as 17:30)")


def add_workday_parser(
    commands: Any, *, profile_help: str, read_only_help: str
) -> argparse.ArgumentParser:
    """Add ``workday`` to the command line's subcommands (``commands`` is argparse's)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "workday",
        help=_HELP,
        description=(
            "Print the workday's status in one line, or act on it and print its new status. "
            "An action the status does not allow (pausing a closed day) exits 1 saying why, "
            "and sends nothing."
        ),
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=ACTION_WORDS,
        metavar="{start,pause,resume,finish}",
        help="what to do; without it, only the status is printed",
    )
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument(
        "--report", metavar="TEXT", help="the reason (start and finish; needed with --at)"
    )
    parser.add_argument(
        "--at",
        metavar="HH:MM",
        type=parse_clock_time,
        help="an explicit time: today's to start, the day's own date to finish",
    )
    parser.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help=profile_help)
    parser.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS, help=read_only_help
    )
    return parser


def usage_problem(options: argparse.Namespace) -> str | None:
    """A combination argparse cannot see: ``--at``/``--report`` where they mean nothing."""
    action = options.action
    if action is None and (options.at is not None or options.report is not None):
        return "--at and --report go with start or finish"
    if action in ("pause", "resume") and (options.at is not None or options.report is not None):
        return f"workday {action} takes no --at or --report"
    return None


def workday_json(seen: WorkdaySeen, now: datetime) -> dict[str, Any]:
    """The status for scripts: the portal's fields plus the worked time as of ``now``."""
    from b24tui.models.workday import hms

    day = seen.day
    worked = seen.worked(now)

    def iso(moment: datetime | None) -> str | None:
        return day.local(moment).isoformat() if moment is not None else None

    return {
        "status": day.status.value,
        "label": day.status.label,
        "time_start": iso(day.time_start),
        "time_finish": iso(day.time_finish),
        "worked": hms(worked) if worked is not None else None,
        "worked_seconds": int(worked.total_seconds()) if worked is not None else None,
        "breaks": hms(day.time_leaks),
        "breaks_seconds": int(day.time_leaks.total_seconds()),
        "tz_offset": day.tz_offset,
        "time_finish_default": iso(day.time_finish_default),
        "active": day.active,
    }


async def run_workday(
    client: B24Client,
    action: WorkdayAction | None,
    *,
    clock: Clock,
    at: time | None = None,
    report: str | None = None,
    as_json: bool = False,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Print the status, or act (when the status allows it) and print the new one."""
    from b24tui.actions import READ_ONLY_MESSAGE
    from b24tui.api import B24Error
    from b24tui.models.workday import WorkdaySeen
    from b24tui.workday_actions import status_line, workday_error_text, workday_refusal

    def fail(text: str) -> int:
        stderr.write(f"b24tui: {text}\n")
        return 1

    if action is not None and client.read_only:
        return fail(f"read-only: {READ_ONLY_MESSAGE.split(': ', 1)[1]}; {action.id} not sent")
    try:
        day = await client.timeman.status()
    except B24Error as error:
        return fail(workday_error_text(error))
    seen = WorkdaySeen.first(day, clock.now())
    if action is not None:
        reason = workday_refusal(action, day)
        if reason is not None:
            return fail(f"{reason} Nothing was sent.")
        try:
            seen = await _act(client, action, seen, clock=clock, at=at, report=report or "")
        except _Refused as refused:
            return fail(str(refused))
        except B24Error as error:
            return fail(f"{action.id} not done: {workday_error_text(error)}")
    now = clock.now()
    if as_json:
        stdout.write(json.dumps(workday_json(seen, now)) + "\n")
    else:
        stdout.write(status_line(seen, now, clock) + "\n")
    return 0


class _Refused(Exception):
    """Refused here, before anything was sent."""


async def _act(
    client: B24Client,
    action: WorkdayAction,
    seen: WorkdaySeen,
    *,
    clock: Clock,
    at: time | None,
    report: str,
) -> WorkdaySeen:
    from b24tui.workday_actions import report_needed, send_workday_action, time_of_day

    day = seen.day
    when: datetime | None = None
    if at is not None:
        when = time_of_day(day, action, at, day.local(clock.now()).date())
    elif action.id == "finish" and day.time_finish_default is not None:
        when = day.time_finish_default  # an expired day ends on its own date
    if report_needed(None, when) and not report.strip():
        settings = await client.timeman.settings()
        if report_needed(settings, when):
            raise _Refused(
                "a report is needed with an explicit time on this schedule: add --report TEXT. "
                "Nothing was sent."
            )
    answer = await send_workday_action(client, action, when=when, report=report)
    return seen.then(answer, clock.now(), paused_here=action.id == "pause")


def run_workday_command(options: argparse.Namespace, *, clock: Clock | None = None) -> int:
    """Run ``b24tui workday …`` with the profile's credentials; the exit code."""
    from b24tui.api import B24Client
    from b24tui.api.pacing import PacingPolicy
    from b24tui.auth import CredentialsUnavailable
    from b24tui.clock import SystemClock
    from b24tui.startup import plan_run
    from b24tui.workday_actions import WORKDAY_ACTIONS_BY_ID

    problem = usage_problem(options)
    if problem is not None:
        sys.stderr.write(f"b24tui: {problem}\n")
        return 2
    profile = options.profile
    try:
        plan = plan_run(profile, interactive=False)
    except CredentialsUnavailable as error:
        sys.stderr.write(f"b24tui: {error}\n")
        return 1
    client = B24Client(
        plan.endpoint,
        policy=PacingPolicy(plan.settings.plan),
        token_refresher=plan.token_refresher,
        read_only=options.read_only or plan.settings.profile(profile).read_only,
    )
    action = WORKDAY_ACTIONS_BY_ID[options.action] if options.action else None

    async def run() -> int:
        async with client:
            return await run_workday(
                client,
                action,
                clock=clock or SystemClock(),
                at=options.at,
                report=options.report,
                as_json=options.json,
                stdout=sys.stdout,
                stderr=sys.stderr,
            )

    return asyncio.run(run())
