"""Before the dashboard opens: find the credential, or let the person log in first.

The environment variable, then the keyring (probed once, with a deadline). If the
keyring works but holds nothing for the profile, an interactive terminal gets the login
screen; anything else gets a message saying what to do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from b24tui.api import Endpoint, TokenRefresher
from b24tui.api.oauth import OAuthApp, TokenServerRefresher
from b24tui.auth import (
    CredentialsUnavailable,
    OAuthCredential,
    Prober,
    SavingTokenRefresher,
    missing_credential_message,
    probe_keyring,
    resolve_credential,
)
from b24tui.auth.oauth import oauth_token_url
from b24tui.config import ConfigError, Settings, load_settings
from b24tui.paths import profile_cache_file, profile_state_file
from b24tui.state import StateFile

if TYPE_CHECKING:
    import httpx

__all__ = ["RunPlan", "endpoint_for_run", "plan_run"]


@dataclass(frozen=True)
class RunPlan:
    """What this run talks to: the endpoint, the settings, how to renew an OAuth token, and
    where the profile's remembered choices live."""

    endpoint: Endpoint
    settings: Settings
    token_refresher: TokenRefresher | None = None
    remembered: StateFile | None = None
    """The profile's theme, last view and sort (under the platform's state directory)."""
    cache: Path | None = None
    """The profile's snapshot cache (under the platform's cache directory)."""


def endpoint_for_run(
    profile: str | None,
    *,
    interactive: bool | None = None,
    environ: Mapping[str, str] | None = None,
    probe: Prober = probe_keyring,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Endpoint:
    """The endpoint to open the dashboard with (see :func:`plan_run`)."""
    return plan_run(
        profile, interactive=interactive, environ=environ, probe=probe, transport=transport
    ).endpoint


def plan_run(
    profile: str | None,
    *,
    interactive: bool | None = None,
    environ: Mapping[str, str] | None = None,
    probe: Prober = probe_keyring,
    transport: httpx.AsyncBaseTransport | None = None,
) -> RunPlan:
    """The endpoint to open the dashboard with, the settings, an OAuth token renewer, and
    the profile's remembered choices.

    A stored OAuth credential comes with a refresher that renews the access token at the
    token server and saves the rotated pair to the store before it is used.

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
    remembered = StateFile(profile_state_file(resolution.profile))
    cache = profile_cache_file(resolution.profile)
    credential = resolution.credential
    if credential is not None:
        refresher: TokenRefresher | None = None
        if (
            isinstance(credential, OAuthCredential)
            and credential.client_id
            and credential.client_secret
        ):
            app = OAuthApp(credential.client_id, credential.client_secret, oauth_token_url(env))
            refresher = SavingTokenRefresher(
                TokenServerRefresher(app), resolution.store, resolution.profile, credential
            )
        return RunPlan(credential.endpoint(), settings, refresher, remembered, cache)
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
    return RunPlan(verified.webhook, settings, remembered=remembered, cache=cache)
