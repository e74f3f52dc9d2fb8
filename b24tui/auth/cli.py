"""The ``login``, ``logout`` and ``doctor`` subcommands, as the command line calls them."""

from __future__ import annotations

import sys

from b24tui.auth.doctor import run_doctor
from b24tui.auth.login import run_login, run_logout
from b24tui.auth.oauth import run_oauth_login

__all__ = ["run_auth_command"]


def run_auth_command(command: str, profile: str | None, *, oauth: bool = False) -> int:
    """Run ``b24tui login [--oauth]|logout|doctor`` on the process's streams; the exit code."""
    if command == "login" and oauth:
        return run_oauth_login(profile, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
    if command == "login":
        return run_login(profile, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
    if command == "logout":
        return run_logout(profile, stdout=sys.stdout, stderr=sys.stderr)
    if command == "doctor":
        return run_doctor(profile, stdout=sys.stdout)
    raise ValueError(f"unknown command {command!r}")
