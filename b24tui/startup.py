"""Before the dashboard opens: find the credential, or let the person log in first.

The environment variable, then the keyring (probed once, with a deadline). If the
keyring works but holds nothing for the profile, an interactive terminal gets the login
screen; anything else gets a message saying what to do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

import httpx

from b24tui.api import Endpoint
from b24tui.auth import (
    CredentialsUnavailable,
    Prober,
    missing_credential_message,
    probe_keyring,
    resolve_credential,
)
from b24tui.config import ConfigError, load_settings

__all__ = ["endpoint_for_run"]


def endpoint_for_run(
    profile: str | None,
    *,
    interactive: bool | None = None,
    environ: Mapping[str, str] | None = None,
    probe: Prober = probe_keyring,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Endpoint:
    """The endpoint to open the dashboard with.

    Args:
        profile: ``--profile`` (default: the config's default profile).
        interactive: whether a login screen may be shown (default: stdin and stdout are
            terminals).
        environ: the environment (default: this process's).
        probe: the keyring probe.
        transport: for the login screen's checks (tests).

    Raises:
        CredentialsUnavailable: nothing usable; the message says what to do.
    """
    env = os.environ if environ is None else environ
    try:
        settings = load_settings(environ=env)
    except ConfigError as error:
        raise CredentialsUnavailable(str(error)) from None
    resolution = resolve_credential(profile, settings, environ=env, probe=probe)
    if resolution.credential is not None:
        return resolution.credential.endpoint()
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        raise CredentialsUnavailable(
            missing_credential_message(resolution.profile, default_profile=settings.default_profile)
        )
    from b24tui.screens.login import FirstRunApp

    verified = FirstRunApp(
        resolution.store, resolution.profile, settings, transport=transport
    ).run()
    if verified is None:
        raise CredentialsUnavailable(
            "not logged in; run 'b24tui' again, or 'b24tui login', when you have the webhook URL"
        )
    return verified.webhook
