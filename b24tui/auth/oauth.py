"""OAuth tokens that rotate: every renewed pair is saved to the store at once; and
``b24tui login --oauth``.

Bitrix24 returns a new refresh token with every renewal and the old one stops working,
so a renewed pair that is not saved before the next crash logs the person out. The
exchange with the token server is done by the wrapped refresher; :class:`SavingTokenRefresher`
only makes sure its result lands in the credential store before the client uses it.

``login --oauth`` takes the portal address, the app's ``client_id`` and ``client_secret``
and a refresh token (a terminal app's realistic start: the person gets the first refresh
token from the app's install or authorize flow), exchanges the token at the token server,
checks ``profile`` and ``scope`` with the new access token and stores the rotated pair.
Nothing is stored when any step fails.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TextIO

from b24tui.api import (
    B24Client,
    B24Error,
    EndpointError,
    HttpTimeout,
    OAuthToken,
    TokenRefresher,
    TransportError,
)
from b24tui.api.endpoint import portal_base_url
from b24tui.api.oauth import DEFAULT_TOKEN_URL, OAuthApp, OAuthGrantError, TokenServerRefresher
from b24tui.auth.login import (
    LOGIN_TIMEOUT,
    HiddenReader,
    LoginError,
    LoginProblem,
    login_error,
    missing_scopes,
    save_login,
)
from b24tui.auth.probe import probe_keyring
from b24tui.auth.resolve import CredentialsUnavailable, Prober, open_keyring
from b24tui.auth.store import ENV_WEBHOOK, CredentialStore, OAuthCredential, StoreError
from b24tui.config import (
    ConfigError,
    check_profile_name,
    load_settings,
)
from b24tui.models import Profile

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ENV_OAUTH_TOKEN_URL",
    "OAUTH_HELP",
    "OAuthLoginDetails",
    "SavingTokenRefresher",
    "VerifiedOAuthLogin",
    "oauth_token_url",
    "run_oauth_login",
    "verify_oauth_login",
]

log = logging.getLogger(__name__)

ENV_OAUTH_TOKEN_URL = "B24TUI_OAUTH_TOKEN_URL"
"""Overrides the token server's URL (the emulator: ``http://127.0.0.1:PORT/oauth/token/``)."""

OAUTH_HELP = (
    "In Bitrix24 open Applications > Developer resources > Other > Local application, "
    "tick the scopes task, user and timeman, and copy the application's client_id and "
    "client_secret. The refresh token comes with the app's first tokens (its install "
    "handler or the authorization code exchange); each refresh token works once."
)
"""Where the OAuth details come from, for the prompt."""

_SPENT = (
    "The refresh token you entered has been exchanged and no longer works; get a new one "
    "from the app before trying again."
)


class SavingTokenRefresher:
    """A :class:`~b24tui.api.TokenRefresher` that stores each rotated token pair.

    Args:
        renew: does the exchange with the token server.
        store: where the profile's credential lives (the keyring).
        profile: the profile the credential belongs to.
        credential: the stored credential (keeps the app's id and secret).
    """

    def __init__(
        self,
        renew: TokenRefresher,
        store: CredentialStore,
        profile: str,
        credential: OAuthCredential,
    ) -> None:
        self._renew = renew
        self._store = store
        self._profile = profile
        self.credential = credential
        """The credential as last saved."""

    async def __call__(self, expired: OAuthToken) -> OAuthToken:
        """Renew ``expired`` and save the new pair before returning it.

        Raises:
            StoreError: the new pair could not be saved (the old one no longer works).
        """
        fresh = await self._renew(expired)
        updated = self.credential.with_token(fresh)
        await asyncio.to_thread(self._store.save, self._profile, updated)
        self.credential = updated
        log.info("saved the renewed OAuth token for profile %r", self._profile)
        return fresh

    def __repr__(self) -> str:
        return f"SavingTokenRefresher(profile={self._profile!r})"


# --- login --oauth -----------------------------------------------------------------------


def oauth_token_url(environ: Mapping[str, str] | None = None) -> str:
    """The token server: ``B24TUI_OAUTH_TOKEN_URL`` if set, else ``oauth.bitrix.info``."""
    env = os.environ if environ is None else environ
    return env.get(ENV_OAUTH_TOKEN_URL, "").strip() or DEFAULT_TOKEN_URL


@dataclass(frozen=True)
class OAuthLoginDetails:
    """What the person enters for ``login --oauth``."""

    portal: str
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def secrets(self) -> tuple[str, ...]:
        """The app secret and the refresh token."""
        return tuple(s for s in (self.client_secret, self.refresh_token) if s)


@dataclass(frozen=True)
class VerifiedOAuthLogin:
    """A renewed token pair that answered ``profile`` and has every required scope."""

    credential: OAuthCredential
    token: OAuthToken
    profile: Profile
    scopes: frozenset[str]

    stored_as: ClassVar[str] = "the tokens are"
    """How a warning names what was stored."""

    @property
    def host(self) -> str:
        """The portal's host name."""
        return self.token.host

    @property
    def summary(self) -> str:
        """``Anna Smith (user 1) on acme.bitrix24.com``."""
        return f"{self.profile.full_name} (user {self.profile.id}) on {self.host}"


def _token_server_error(error: B24Error, token_url: str) -> LoginError:
    if isinstance(error, OAuthGrantError) and error.code == "invalid_client":
        return LoginError(
            LoginProblem.OAUTH_CLIENT,
            "The token server did not accept the client_id or the client_secret.",
            "Copy both again from the application's settings in Bitrix24; the app must be "
            "installed on the portal.",
        )
    if isinstance(error, OAuthGrantError):
        return LoginError(
            LoginProblem.OAUTH_GRANT,
            "The token server did not accept the refresh token.",
            "It may have been used already (each works once), have expired (after 180 days) "
            "or belong to another app; get a new one from the app.",
        )
    if isinstance(error, TransportError):
        import httpx  # loaded by the failed exchange

        host = httpx.URL(token_url).host
        return LoginError(
            LoginProblem.UNREACHABLE,
            f"Cannot reach the token server {host}: {error.title.lower()}.",
            "Check your network connection, then try again.",
        )
    return LoginError(LoginProblem.PORTAL, f"The token server: {error.title}.", error.hint)


def _after_exchange(error: LoginError) -> LoginError:
    """``error`` with the note that the entered refresh token is used up."""
    return LoginError(
        error.problem, error.message, f"{error.hint} {_SPENT}".strip(), missing=error.missing
    )


async def verify_oauth_login(
    details: OAuthLoginDetails,
    *,
    token_url: str = DEFAULT_TOKEN_URL,
    transport: httpx.AsyncBaseTransport | None = None,
    http_timeout: HttpTimeout = LOGIN_TIMEOUT,
    ca_file: str | None = None,
) -> VerifiedOAuthLogin:
    """Exchange the refresh token, then ask the portal who it is and what it may do.

    Raises:
        LoginError: the address, the app's keys, the refresh token, the scopes or the
            network; nothing was stored.
    """
    try:
        portal = portal_base_url(details.portal)
    except EndpointError as error:
        problem = LoginProblem.INSECURE if "http://" in str(error) else LoginProblem.SHAPE
        raise LoginError(problem, str(error), OAUTH_HELP) from None
    try:
        app = OAuthApp(details.client_id.strip(), details.client_secret, token_url)
    except EndpointError as error:
        problem = LoginProblem.INSECURE if "http://" in str(error) else LoginProblem.SHAPE
        raise LoginError(problem, str(error), OAUTH_HELP) from None
    if not details.refresh_token:
        raise LoginError(LoginProblem.SHAPE, "No refresh token given.", OAUTH_HELP)
    refresher = TokenServerRefresher(
        app, transport=transport, ca_file=ca_file, timeout=http_timeout
    )
    try:
        grant = await refresher.refresh(details.refresh_token)
    except B24Error as error:
        raise _token_server_error(error, token_url) from None
    token = grant.token()
    import httpx  # loaded by the exchange

    if httpx.URL(token.base_url) != httpx.URL(portal):
        log.info("the token server names %s as the portal for %s", token.host, portal)
    async with B24Client(
        token, transport=transport, timeout=http_timeout, ca_file=ca_file
    ) as client:
        try:
            profile = await client.system.profile()
            scopes = await client.system.scope()
        except B24Error as error:
            raise _after_exchange(login_error(error, token.host)) from None
    missing = missing_scopes(scopes)
    if missing:
        names = ", ".join(missing)
        plural = "s" if len(missing) > 1 else ""
        raise _after_exchange(
            LoginError(
                LoginProblem.MISSING_SCOPE,
                f"The application lacks the scope{plural} {names}.",
                "Tick task, user and timeman in the application's settings in Bitrix24 and "
                "reinstall it.",
                missing=missing,
            )
        )
    credential = OAuthCredential(
        portal=grant.client_endpoint,
        access_token=grant.access_token,
        refresh_token=grant.refresh_token,
        expires_at=grant.expires_at,
        client_id=app.client_id,
        client_secret=app.client_secret,
    )
    log.info(
        "OAuth login for %s checked: user %d, scopes %s", token.host, profile.id, sorted(scopes)
    )
    return VerifiedOAuthLogin(credential, token, profile, scopes)


VisibleReader = Callable[[str], str]


def _read_details(
    stdin: TextIO,
    stderr: TextIO,
    read_visible: VisibleReader | None,
    read_hidden: HiddenReader | None,
) -> OAuthLoginDetails:
    """Four answers: prompts on a terminal, else four lines from ``stdin``."""
    if not stdin.isatty():
        lines = [stdin.readline().strip() for _ in range(4)]
        return OAuthLoginDetails(*lines)
    stderr.write(OAUTH_HELP + "\n")

    def visible(prompt: str) -> str:
        if read_visible is not None:
            return read_visible(prompt)
        stderr.write(prompt)
        stderr.flush()
        return stdin.readline()

    def hidden(prompt: str) -> str:
        if read_hidden is not None:
            return read_hidden(prompt)
        return getpass.getpass(prompt, stream=stderr)

    return OAuthLoginDetails(
        visible("Portal address (https://<portal>.bitrix24.com): ").strip(),
        visible("Application client_id: ").strip(),
        hidden("Application client_secret (hidden): ").strip(),
        hidden("Refresh token (hidden): ").strip(),
    )


def run_oauth_login(
    profile: str | None,
    *,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] | None = None,
    settings_path: Path | None = None,
    probe: Prober = probe_keyring,
    read_visible: VisibleReader | None = None,
    read_hidden: HiddenReader | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    ca_file: str | None = None,
) -> int:
    """``b24tui login --oauth``: read, exchange, check and store OAuth tokens; the exit code."""
    try:
        settings = load_settings(settings_path, environ)
        name = check_profile_name(profile or settings.default_profile)
        store, _status = open_keyring(settings, environ=environ, probe=probe)
    except (ConfigError, ValueError, CredentialsUnavailable) as error:
        return _fail(stderr, str(error))
    details = _read_details(stdin, stderr, read_visible, read_hidden)
    if not (details.portal and details.client_id and details.client_secret):
        return _fail(stderr, "the portal, client_id and client_secret are needed. " + OAUTH_HELP)
    token_url = oauth_token_url(environ)
    try:
        verified = asyncio.run(
            verify_oauth_login(details, token_url=token_url, transport=transport, ca_file=ca_file)
        )
    except LoginError as error:
        return _fail(stderr, error.full_text)
    try:
        warning = save_login(verified, store, name, settings)
    except StoreError as error:
        return _fail(stderr, f"the tokens are fine but were not stored: {error} {_SPENT}")
    if warning:
        stderr.write(f"b24tui: {warning}\n")
    scopes = ", ".join(sorted(verified.scopes))
    stdout.write(
        f"Logged in as {verified.summary} over OAuth (scopes: {scopes}).\n"
        f"The tokens are stored in {store.description} for profile '{name}'; "
        "b24tui renews them as they expire.\n"
    )
    if (os.environ if environ is None else environ).get(ENV_WEBHOOK, "").strip():
        stdout.write(f"Note: {ENV_WEBHOOK} is set and overrides the keyring while it is.\n")
    return 0


def _fail(stderr: TextIO, message: str) -> int:
    stderr.write(f"b24tui: {message}\n")
    return 1
