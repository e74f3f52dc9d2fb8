"""Who may call the emulated portal: inbound webhooks, OAuth apps and their tokens.

OAuth follows the Bitrix24 rules: an access token lives one hour and a refresh token 180
days, both on the portal's clock; every refresh token works once and is replaced by a new
one; an authorization code lives 30 seconds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
"""How long an OAuth access token is accepted."""
REFRESH_TOKEN_LIFETIME = timedelta(days=180)
"""How long an unused refresh token can be exchanged."""
CODE_LIFETIME = timedelta(seconds=30)
"""How long an authorization code can be exchanged."""

DEFAULT_SCOPES: frozenset[str] = frozenset({"task", "user", "timeman"})
"""The scopes b24tui asks people to tick when they create the webhook."""

ALWAYS_GRANTED: frozenset[str] = frozenset({"basic"})
"""Scopes every webhook and app has (``batch``, ``profile``, ``scope``, ``method.get``)."""


@dataclass(frozen=True)
class Webhook:
    """An inbound webhook: ``/rest/<user_id>/<code>/``; calls run as ``user_id``."""

    user_id: int
    code: str
    scopes: frozenset[str] = DEFAULT_SCOPES

    def __repr__(self) -> str:
        return f"Webhook(user_id={self.user_id}, scopes={sorted(self.scopes)})"


@dataclass(frozen=True)
class AccessToken:
    """An OAuth access token issued to an app acting for ``user_id``."""

    token: str
    user_id: int
    scopes: frozenset[str]
    expires_at: datetime

    def __repr__(self) -> str:
        return f"AccessToken(user_id={self.user_id}, expires_at={self.expires_at.isoformat()})"


@dataclass(frozen=True)
class OAuthApp:
    """An OAuth application installed on the portal (``client_id`` and ``client_secret``)."""

    client_id: str
    client_secret: str = field(repr=False)
    scopes: frozenset[str] = DEFAULT_SCOPES


@dataclass(frozen=True)
class Grant:
    """What a refresh token or an authorization code stands for: an app acting for a user."""

    value: str = field(repr=False)
    client_id: str
    user_id: int
    scopes: frozenset[str]
    expires_at: datetime


@dataclass(frozen=True)
class TokenPair:
    """A freshly issued access token and the refresh token that renews it."""

    access: AccessToken
    refresh: Grant


@dataclass
class OAuthApps:
    """The installed OAuth apps, their live refresh tokens and authorization codes."""

    apps: dict[str, OAuthApp] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)


class Credentials:
    """The portal's webhooks, OAuth apps and live OAuth tokens."""

    def __init__(self) -> None:
        self.webhooks: dict[str, Webhook] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.oauth = OAuthApps()
        """Installed apps, refresh tokens and authorization codes."""

    def __repr__(self) -> str:
        return (
            f"Credentials(webhooks={len(self.webhooks)}, apps={len(self.oauth.apps)}, "
            f"tokens={len(self.tokens)})"
        )

    def add_webhook(
        self, user_id: int, scopes: frozenset[str] = DEFAULT_SCOPES, code: str | None = None
    ) -> Webhook:
        """Create a webhook for ``user_id`` (a random 16-character code unless given)."""
        webhook = Webhook(user_id, code or secrets.token_hex(8), frozenset(scopes))
        self.webhooks[webhook.code] = webhook
        return webhook

    def find_webhook(self, user_id: int, code: str) -> Webhook | None:
        """The webhook with this code, if it belongs to ``user_id``."""
        webhook = self.webhooks.get(code)
        if webhook is None or webhook.user_id != user_id:
            return None
        return webhook

    def issue_token(
        self, user_id: int, scopes: frozenset[str], now: datetime, lifetime: timedelta
    ) -> AccessToken:
        """Issue an access token valid for ``lifetime`` from ``now``."""
        token = AccessToken(secrets.token_hex(16), user_id, frozenset(scopes), now + lifetime)
        self.tokens[token.token] = token
        return token

    def find_token(self, token: str) -> AccessToken | None:
        """The access token with this value, expired or not."""
        return self.tokens.get(token)

    # --- OAuth apps ---------------------------------------------------------------------

    def add_app(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        scopes: frozenset[str] = DEFAULT_SCOPES,
    ) -> OAuthApp:
        """Install an OAuth app (``local.<hex>`` id and a random secret unless given)."""
        app = OAuthApp(
            client_id or f"local.{secrets.token_hex(7)}.{secrets.randbelow(10**8):08d}",
            client_secret or secrets.token_urlsafe(36),
            frozenset(scopes),
        )
        self.oauth.apps[app.client_id] = app
        return app

    def find_app(self, client_id: str) -> OAuthApp | None:
        """The installed app with this ``client_id``."""
        return self.oauth.apps.get(client_id)

    def issue_code(self, client_id: str, user_id: int, now: datetime) -> Grant:
        """An authorization code for ``client_id`` acting for ``user_id`` (lives 30 s).

        Raises:
            KeyError: no such app.
        """
        app = self.oauth.apps[client_id]
        code = Grant(secrets.token_hex(16), client_id, user_id, app.scopes, now + CODE_LIFETIME)
        self.oauth.codes[code.value] = code
        return code

    def issue_refresh_token(self, client_id: str, user_id: int, now: datetime) -> Grant:
        """A refresh token for ``client_id`` acting for ``user_id`` (lives 180 days).

        The way a person gets the first refresh token from the app's install flow.

        Raises:
            KeyError: no such app.
        """
        app = self.oauth.apps[client_id]
        grant = Grant(
            secrets.token_hex(16), client_id, user_id, app.scopes, now + REFRESH_TOKEN_LIFETIME
        )
        self.oauth.refresh_tokens[grant.value] = grant
        return grant

    def redeem(self, kind: str, value: str, client_id: str, now: datetime) -> TokenPair | None:
        """Exchange a ``"code"`` or a ``"refresh_token"`` for a new token pair.

        The code or refresh token is used up whether or not it was still valid; ``None``
        when it is unknown, expired or belongs to another app.
        """
        pool = self.oauth.codes if kind == "code" else self.oauth.refresh_tokens
        grant = pool.get(value)
        if grant is None or grant.client_id != client_id:
            return None
        del pool[value]
        if grant.expires_at <= now:
            return None
        access = self.issue_token(grant.user_id, grant.scopes, now, ACCESS_TOKEN_LIFETIME)
        refresh = self.issue_refresh_token(client_id, grant.user_id, now)
        return TokenPair(access, refresh)
