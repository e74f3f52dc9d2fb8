"""``b24tui login`` and ``b24tui logout``, and the checks the login screen shares.

A webhook URL is checked before anything is stored: its shape (and ``https://`` unless
the host is this machine), then live calls, ``profile`` (who it is) and ``scope`` (that
``task``, ``user`` and ``timeman`` are granted). Each way it can fail has its own plain
message; on any failure nothing is stored.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, TextIO

from b24tui.api import (
    AuthError,
    B24Client,
    B24Error,
    BadResponse,
    ConnectError,
    EndpointError,
    HttpTimeout,
    PortalMoved,
    TransportError,
    Webhook,
    is_loopback_host,
)
from b24tui.auth.probe import probe_keyring
from b24tui.auth.resolve import CredentialsUnavailable, Prober, open_keyring
from b24tui.auth.store import (
    ENV_WEBHOOK,
    Credential,
    CredentialStore,
    StoreError,
    WebhookCredential,
)
from b24tui.config import (
    ConfigError,
    ProfileSettings,
    Settings,
    check_profile_name,
    load_settings,
    save_profile,
)
from b24tui.models import Profile

if TYPE_CHECKING:
    import httpx

__all__ = [
    "LOGIN_TIMEOUT",
    "LOGIN_TRIES",
    "REQUIRED_SCOPES",
    "WEBHOOK_HELP",
    "LoginError",
    "LoginProblem",
    "VerifiedLogin",
    "missing_scopes",
    "parse_webhook",
    "run_login",
    "run_logout",
    "save_login",
    "verify_webhook",
]

log = logging.getLogger(__name__)

REQUIRED_SCOPES: tuple[str, ...] = ("task", "user", "timeman")
"""The scopes to tick when creating the webhook: tasks, users and the workday."""
_SCOPE_ALTERNATIVES: Mapping[str, frozenset[str]] = {
    "user": frozenset({"user_basic", "user_brief"})
}
LOGIN_TIMEOUT: HttpTimeout = (10.0, 20.0, 20.0, 20.0)
"""How long a login check waits for the portal (much less than a normal call's 65 s)."""

WEBHOOK_HELP = (
    "In Bitrix24 open Applications > Developer resources > Ready-made scenarios > Other > "
    "Incoming webhook, tick the scopes task, user and timeman, save, and copy the webhook URL "
    "(https://<portal>/rest/<user id>/<code>/)."
)
"""Where to get an inbound webhook, for the prompt and the login screen."""


class LoginProblem(StrEnum):
    """Why a webhook URL was not accepted."""

    SHAPE = "shape"
    INSECURE = "insecure"
    WRONG_CODE = "wrong_code"
    INACTIVE = "inactive"
    MISSING_SCOPE = "missing_scope"
    UNREACHABLE = "unreachable"
    NOT_BITRIX = "not_bitrix"
    PORTAL = "portal"
    OAUTH_GRANT = "oauth_grant"
    """The token server refused the refresh token (used, expired or another app's)."""
    OAUTH_CLIENT = "oauth_client"
    """The token server refused the app's client_id or client_secret."""


class LoginError(Exception):
    """A webhook URL that cannot be used; ``str()`` is the message, ``hint`` the fix."""

    def __init__(
        self,
        problem: LoginProblem,
        message: str,
        hint: str = "",
        *,
        missing: tuple[str, ...] = (),
    ) -> None:
        self.problem = problem
        self.message = message
        self.hint = hint
        self.missing = missing
        super().__init__(message)

    @property
    def full_text(self) -> str:
        """The message and the hint in one paragraph."""
        return f"{self.message} {self.hint}".strip()


@dataclass(frozen=True)
class VerifiedLogin:
    """A webhook that answered ``profile`` and has every required scope."""

    credential: WebhookCredential
    webhook: Webhook
    profile: Profile
    scopes: frozenset[str]

    stored_as: ClassVar[str] = "the webhook is"
    """How a warning names what was stored."""

    @property
    def host(self) -> str:
        """The portal's host name."""
        return self.webhook.host

    @property
    def summary(self) -> str:
        """``Anna Smith (user 1) on acme.bitrix24.com``."""
        return f"{self.profile.full_name} (user {self.profile.id}) on {self.host}"


class Verified(Protocol):
    """A checked login of either kind (webhook or OAuth token pair)."""

    stored_as: ClassVar[str]

    @property
    def credential(self) -> Credential: ...

    @property
    def profile(self) -> Profile: ...

    @property
    def host(self) -> str: ...


def missing_scopes(granted: frozenset[str]) -> tuple[str, ...]:
    """The required scopes ``granted`` lacks (``user_basic`` counts as ``user``)."""
    return tuple(
        scope
        for scope in REQUIRED_SCOPES
        if scope not in granted and not (_SCOPE_ALTERNATIVES.get(scope, frozenset()) & granted)
    )


def parse_webhook(credential: WebhookCredential) -> Webhook:
    """Check the URL's shape.

    Raises:
        LoginError: ``INSECURE`` for ``http://`` to a host that is not this machine,
            ``SHAPE`` for anything else that is not a webhook URL.
    """
    try:
        return credential.endpoint()
    except EndpointError as error:
        if _is_plain_http_to_network(credential.url):
            host = urllib.parse.urlsplit(credential.url.strip()).hostname or "the portal"
            raise LoginError(
                LoginProblem.INSECURE,
                f"Plain http:// is refused for {host}: the webhook code would cross the "
                "network unencrypted.",
                "Use the portal's https:// address (http:// is accepted only for this machine).",
            ) from None
        raise LoginError(LoginProblem.SHAPE, str(error), WEBHOOK_HELP) from None


def _is_plain_http_to_network(url: str) -> bool:
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() == "http" and bool(host) and not is_loopback_host(host or "")


async def verify_webhook(
    credential: WebhookCredential,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    http_timeout: HttpTimeout = LOGIN_TIMEOUT,
    ca_file: str | None = None,
) -> VerifiedLogin:
    """Check the URL's shape, then ask the portal who it is and what it may do.

    Raises:
        LoginError: the URL, the code, the scopes or the network; nothing was stored.
    """
    webhook = parse_webhook(credential)
    async with B24Client(
        webhook, transport=transport, timeout=http_timeout, ca_file=ca_file
    ) as client:
        try:
            profile = await client.system.profile()
            scopes = await client.system.scope()
        except B24Error as error:
            raise login_error(error, webhook.host) from None
    missing = missing_scopes(scopes)
    if missing:
        names = ", ".join(missing)
        plural = "s" if len(missing) > 1 else ""
        raise LoginError(
            LoginProblem.MISSING_SCOPE,
            f"The webhook lacks the scope{plural} {names}.",
            "Edit the webhook in Bitrix24 (Applications > Developer resources), tick "
            "task, user and timeman, save, and paste the URL again.",
            missing=missing,
        )
    log.info("webhook for %s checked: user %d, scopes %s", webhook.host, profile.id, sorted(scopes))
    return VerifiedLogin(credential, webhook, profile, scopes)


def login_error(error: B24Error, host: str) -> LoginError:
    """The :class:`LoginError` for a failed check call to the portal at ``host``."""
    if isinstance(error, AuthError):
        if error.code is None:
            return LoginError(LoginProblem.INACTIVE, error.title + ".", error.hint)
        return LoginError(
            LoginProblem.WRONG_CODE,
            f"{host} did not accept the webhook code.",
            "Check that you copied the whole URL; the webhook may have been deleted or its "
            "code regenerated: create a new one and paste its URL.",
        )
    if isinstance(error, PortalMoved):
        return LoginError(LoginProblem.PORTAL, error.title + ".", error.hint)
    if isinstance(error, BadResponse):
        return LoginError(
            LoginProblem.NOT_BITRIX,
            f"{host} answered, but not as a Bitrix24 REST API.",
            "Check the portal address in the URL.",
        )
    if isinstance(error, TransportError):
        hint = "Check the address and your network connection, then try again."
        return LoginError(
            LoginProblem.UNREACHABLE,
            f"Cannot reach {host}: {error.title[:1].lower()}{error.title[1:]}.",
            error.hint if isinstance(error, ConnectError) and error.hint else hint,
        )
    return LoginError(LoginProblem.PORTAL, f"{host}: {error.title}.", error.hint)


def save_login(
    verified: Verified, store: CredentialStore, profile: str, settings: Settings
) -> str | None:
    """Store a checked credential (webhook or token pair) for ``profile``, then note its
    portal and user in the config; the first profile becomes the default.

    Returns a warning when the config could not be updated (the credential is stored).

    Raises:
        StoreError: the credential could not be stored.
    """
    store.save(profile, verified.credential)
    entry = ProfileSettings(profile, portal=verified.host, user_id=verified.profile.id)
    try:
        save_profile(settings.path, entry, make_default=not settings.profiles)
    except ConfigError as error:
        return f"{verified.stored_as} stored, but the config was not updated: {error}"
    return None


HiddenReader = Callable[[str], str]

LOGIN_TRIES = 3
"""How many URLs an interactive login reads before it gives up (piped input: one)."""
_NO_URL = "no webhook URL given."


def _read_and_verify(
    stdin: TextIO,
    stderr: TextIO,
    read_hidden: HiddenReader | None,
    transport: httpx.AsyncBaseTransport | None,
) -> VerifiedLogin | str:
    """Read a webhook URL and check it; on a terminal ask again after a failure, saying
    why, up to :data:`LOGIN_TRIES` in all. Returns the checked login, or the last reason."""
    if not stdin.isatty():
        text = stdin.readline().strip()
        return _verify_text(text, transport) if text else f"{_NO_URL} {WEBHOOK_HELP}"
    stderr.write(WEBHOOK_HELP + "\n")
    read = read_hidden or (lambda prompt: getpass.getpass(prompt, stream=stderr))
    reason = _NO_URL
    for attempt in range(1, LOGIN_TRIES + 1):
        if attempt > 1:
            stderr.write(f"b24tui: {reason}\n")
        of = f", try {attempt} of {LOGIN_TRIES}" if attempt > 1 else ""
        prompt = f"Inbound webhook URL (hidden{of}): "
        try:
            text = read(prompt).strip()
        except EOFError:
            return _NO_URL
        outcome = _verify_text(text, transport) if text else _NO_URL
        if isinstance(outcome, VerifiedLogin):
            return outcome
        reason = outcome
    return reason


def _verify_text(text: str, transport: httpx.AsyncBaseTransport | None) -> VerifiedLogin | str:
    """The checked login for a typed or piped URL, or why it was not accepted."""
    try:
        return asyncio.run(verify_webhook(WebhookCredential(text), transport=transport))
    except LoginError as error:
        return error.full_text


def run_login(
    profile: str | None,
    *,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    probe: Prober = probe_keyring,
    read_hidden: HiddenReader | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """``b24tui login``: read, check and store a webhook URL; the exit code.

    On a terminal a URL that is refused is asked for again (up to :data:`LOGIN_TRIES`);
    piped input is read once and a refused URL ends the command.
    """
    try:
        settings = load_settings(settings_path, environ)
        name = check_profile_name(profile or settings.default_profile)
        store, _status = open_keyring(settings, environ=environ, probe=probe)
    except (ConfigError, ValueError, CredentialsUnavailable) as error:
        return _fail(stderr, str(error))
    verified = _read_and_verify(stdin, stderr, read_hidden, transport)
    if isinstance(verified, str):
        return _fail(stderr, verified)
    try:
        warning = save_login(verified, store, name, settings)
    except StoreError as error:
        return _fail(stderr, f"the webhook is fine but was not stored: {error}")
    if warning:
        stderr.write(f"b24tui: {warning}\n")
    scopes = ", ".join(sorted(verified.scopes))
    stdout.write(
        f"Logged in as {verified.summary} (scopes: {scopes}).\n"
        f"The webhook is stored in {store.description} for profile '{name}'.\n"
    )
    if (os.environ if environ is None else environ).get(ENV_WEBHOOK, "").strip():
        stdout.write(f"Note: {ENV_WEBHOOK} is set and overrides the keyring while it is.\n")
    return 0


def run_logout(
    profile: str | None,
    *,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    probe: Prober = probe_keyring,
) -> int:
    """``b24tui logout``: remove the profile's stored webhook; the exit code."""
    env_set = bool((os.environ if environ is None else environ).get(ENV_WEBHOOK))
    try:
        settings = load_settings(settings_path, environ)
        name = check_profile_name(profile or settings.default_profile)
        store, _status = open_keyring(settings, environ=environ, probe=probe)
        removed = store.delete(name)
    except (ConfigError, ValueError, CredentialsUnavailable, StoreError) as error:
        return _fail(stderr, str(error))
    if removed:
        stdout.write(f"Removed the webhook for profile '{name}' from {store.description}.\n")
    else:
        stdout.write(f"No webhook was stored for profile '{name}' in {store.description}.\n")
    if env_set:
        stdout.write(f"{ENV_WEBHOOK} is still set in this environment and still used.\n")
    return 0


def _fail(stderr: TextIO, message: str) -> int:
    stderr.write(f"b24tui: {message}\n")
    return 1
