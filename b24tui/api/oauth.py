"""Renewing OAuth tokens at the Bitrix24 token server (``oauth.bitrix.info``).

:class:`TokenServerRefresher` is the :data:`~b24tui.api.endpoint.TokenRefresher` a
:class:`~b24tui.api.client.B24Client` calls when the portal answers ``expired_token``:
it exchanges the refresh token (``grant_type=refresh_token``) for a new pair. Refresh
tokens rotate, so whoever calls it must save the new pair at once (see
``b24tui.auth.SavingTokenRefresher``).

The app secret and the tokens travel only in the query string to the token server, as
its documentation asks; they never appear in a ``repr``, a log line or an error.
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from b24tui import __version__
from b24tui.api.client import HttpTimeout, _guard_httpx_logging
from b24tui.api.endpoint import EndpointError, OAuthToken, is_loopback_host, redact
from b24tui.api.errors import (
    AccessDenied,
    ApiError,
    AuthError,
    B24Error,
    BadResponse,
    ScopeError,
    translate_transport,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_TOKEN_URL",
    "TOKEN_TIMEOUT",
    "OAuthApp",
    "OAuthGrantError",
    "TokenGrant",
    "TokenServerRefresher",
]

log = logging.getLogger(__name__)

DEFAULT_TOKEN_URL = "https://oauth.bitrix.info/oauth/token/"
"""The Bitrix24 token server."""
TOKEN_TIMEOUT: HttpTimeout = (10.0, 20.0, 20.0, 20.0)
"""How long a token exchange may take (connect, read, write, pool)."""
_METHOD = "oauth.token"
"""The name token-server errors carry in ``method``."""


@dataclass(frozen=True)
class OAuthApp:
    """An OAuth app's keys and the token server that renews its tokens.

    Raises:
        EndpointError: an empty id or secret, or a token URL that is neither ``https://``
            nor plain ``http://`` to this machine.
    """

    client_id: str
    client_secret: str = field(repr=False)
    token_url: str = DEFAULT_TOKEN_URL

    def __post_init__(self) -> None:
        if not self.client_id.strip():
            raise EndpointError("The OAuth app's client_id is empty.")
        if not self.client_secret:
            raise EndpointError("The OAuth app's client_secret is empty.")
        try:
            parts = urllib.parse.urlsplit(self.token_url.strip())
            host = parts.hostname or ""
        except ValueError:
            raise EndpointError("The OAuth token URL is not a valid URL.") from None
        if parts.scheme not in ("https", "http") or not host:
            raise EndpointError("The OAuth token URL must be an https:// address.")
        if parts.scheme == "http" and not is_loopback_host(host):
            raise EndpointError(
                f"The OAuth token URL uses plain http:// for {host}; the app secret would "
                "cross the network unencrypted (http:// is accepted only for this machine)."
            )
        if parts.query or parts.fragment or parts.username or parts.password:
            raise EndpointError("The OAuth token URL must be a plain address.")

    def secrets(self) -> tuple[str, ...]:
        """The app secret, to scrub from anything shown."""
        return (self.client_secret,)


@dataclass(frozen=True)
class TokenGrant:
    """A token pair the token server issued, with what it said about it."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    client_endpoint: str
    """Where calls go: ``https://<portal>/rest/``."""
    scopes: frozenset[str]
    user_id: int | None = None
    member_id: str = ""

    def token(self) -> OAuthToken:
        """The pair as the client uses it, for the portal at ``client_endpoint``.

        Raises:
            EndpointError: ``client_endpoint`` is not a usable portal address.
        """
        return OAuthToken(
            portal=self.client_endpoint,
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            expires_at=self.expires_at,
        )


class OAuthGrantError(AuthError):
    """The token server refused to issue tokens (``invalid_grant``, ``invalid_client``…)."""

    default_title = "The portal sign-in has expired"
    default_hint = "Run 'b24tui login --oauth' to sign in again."


class TokenServerRefresher:
    """Renews tokens at the app's token server; a :data:`~b24tui.api.TokenRefresher`.

    Args:
        app: the app's keys and token server.
        transport: an httpx transport (tests, the in-process emulator); default: the network.
        ca_file: an extra CA bundle to trust (the emulator's ``--tls`` certificate).
        timeout: see :data:`~b24tui.api.client.HttpTimeout`.
    """

    def __init__(
        self,
        app: OAuthApp,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_file: str | None = None,
        timeout: HttpTimeout = TOKEN_TIMEOUT,
    ) -> None:
        self.app = app
        self._transport = transport
        self._ca_file = ca_file
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"TokenServerRefresher(client_id={self.app.client_id!r})"

    async def __call__(self, expired: OAuthToken) -> OAuthToken:
        """A new pair for ``expired``'s refresh token (which stops working).

        Raises:
            OAuthGrantError: no refresh token, or the token server refused it.
            B24Error: the token server could not be reached or answered oddly.
        """
        if not expired.refresh_token:
            raise OAuthGrantError(
                "There is no refresh token to renew the sign-in with", method=_METHOD
            )
        grant = await self.refresh(expired.refresh_token)
        if grant.token().host != expired.host:
            log.info("the token server moved the portal from %s", expired.host)
        return grant.token()

    async def refresh(self, refresh_token: str) -> TokenGrant:
        """Exchange ``refresh_token`` (``grant_type=refresh_token``) for a new pair."""
        return await self._exchange("refresh_token", "refresh_token", refresh_token)

    async def exchange_code(self, code: str) -> TokenGrant:
        """Exchange an authorization code (``grant_type=authorization_code``) for a pair."""
        return await self._exchange("authorization_code", "code", code)

    async def _exchange(self, grant_type: str, key: str, value: str) -> TokenGrant:
        secrets = (*self.app.secrets(), value)
        params = {
            "grant_type": grant_type,
            "client_id": self.app.client_id,
            "client_secret": self.app.client_secret,
            key: value,
        }
        import httpx  # with the first exchange, not at start

        from b24tui.api.borrowed import Borrowed

        _guard_httpx_logging()
        verify: ssl.SSLContext | bool = True
        if self._ca_file is not None:
            verify = ssl.create_default_context(cafile=self._ca_file)
        transport = Borrowed(self._transport) if self._transport is not None else None
        async with httpx.AsyncClient(
            transport=transport,
            timeout=self._timeout,
            verify=verify,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": f"b24tui/{__version__}"},
        ) as http:
            try:
                answer = await http.get(self.app.token_url, params=params)
            except httpx.HTTPError as exc:
                error = translate_transport(exc, _METHOD, "v1", secrets=secrets)
                log.warning("token request failed: %s", error.description)
                raise error from None
        grant = _grant_from_answer(answer, secrets)
        log.info("the token server issued a new token pair (%s)", grant_type)
        return grant


def _grant_from_answer(answer: httpx.Response, secrets: tuple[str, ...]) -> TokenGrant:
    """The pair in a token-server answer, or the error it stands for."""
    common: dict[str, Any] = {"http_status": answer.status_code, "method": _METHOD}
    if 300 <= answer.status_code < 400:
        raise BadResponse("The token server answered with a redirect", **common)
    try:
        payload = json.loads(answer.content)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, Mapping):
        raise BadResponse(
            f"The token server's answer is not JSON (HTTP {answer.status_code})",
            retryable=answer.status_code >= 500,
            **common,
        )
    if "error" in payload:
        raise _token_error(payload, secrets, common)
    try:
        return _parse_grant(payload)
    except (KeyError, TypeError, ValueError):
        raise BadResponse("The token server's answer has no usable tokens", **common) from None


def _parse_grant(payload: Mapping[str, Any]) -> TokenGrant:
    access, refresh = payload["access_token"], payload["refresh_token"]
    endpoint = payload["client_endpoint"]
    if not all(isinstance(v, str) and v for v in (access, refresh, endpoint)):
        raise TypeError("tokens")
    expires = payload.get("expires")
    if isinstance(expires, int | float) and not isinstance(expires, bool):
        expires_at = datetime.fromtimestamp(expires, UTC)
    else:
        expires_at = datetime.now(UTC) + timedelta(seconds=int(payload["expires_in"]))
    scope = payload.get("scope") or ""
    user_id = payload.get("user_id")
    grant = TokenGrant(
        access_token=access,
        refresh_token=refresh,
        expires_at=expires_at,
        client_endpoint=endpoint,
        scopes=frozenset(s.strip() for s in str(scope).split(",") if s.strip()),
        user_id=int(user_id) if user_id is not None else None,
        member_id=str(payload.get("member_id") or ""),
    )
    try:
        grant.token()
    except EndpointError as error:
        raise ValueError(str(error)) from None
    return grant


def _token_error(
    payload: Mapping[str, Any], secrets: tuple[str, ...], common: dict[str, Any]
) -> B24Error:
    code = redact(str(payload.get("error")), secrets)
    description = redact(str(payload.get("error_description") or ""), secrets)
    kwargs = {**common, "code": code, "description": description}
    if code == "invalid_grant":
        return OAuthGrantError(
            "The saved sign-in is no longer valid",
            hint="The refresh token expired or was already used; run 'b24tui login --oauth' "
            "with a new one.",
            **kwargs,
        )
    if code == "invalid_client":
        return OAuthGrantError(
            "The token server did not accept the app's client_id or client_secret",
            hint="Check the app's keys, and that the app is still installed on the portal.",
            **kwargs,
        )
    if code in ("insufficient_scope", "invalid_scope"):
        return ScopeError(
            "The app asks for permissions its settings do not list",
            hint="Add the scopes task, user and timeman to the app's settings.",
            **kwargs,
        )
    if code.upper() == "PAYMENT_REQUIRED":
        return AccessDenied(
            "The application's subscription has run out",
            hint="Renew the Bitrix24 Market subscription.",
            **kwargs,
        )
    if code == "invalid_request":
        return ApiError("The token server refused the request", **kwargs)
    return ApiError(**kwargs)
