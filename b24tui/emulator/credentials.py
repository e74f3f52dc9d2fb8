"""Who may call the emulated portal: inbound webhooks and OAuth access tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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


@dataclass
class Credentials:
    """The portal's webhooks and live OAuth access tokens."""

    webhooks: dict[str, Webhook] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)

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
