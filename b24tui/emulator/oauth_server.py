"""The OAuth token server next to the emulated portal, so one loopback server plays both.

:func:`with_oauth` wraps an :class:`~b24tui.emulator.app.EmulatorApp`: ``GET`` or ``POST``
``/oauth/token/`` is answered here, as ``oauth.bitrix.info`` answers it; every other
request goes to the portal. Apps, refresh tokens and codes live in the portal's
:class:`~b24tui.emulator.credentials.Credentials`, so tokens expire on the portal's clock.

``POST /_emulator/oauth/grant`` (a test helper, like the other ``/_emulator/`` paths)
hands out what a person would get from the app's install flow: the app's id and secret,
a first refresh token and an authorization code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import urllib.parse
from collections import Counter
from collections.abc import Mapping
from typing import Any

from b24tui.emulator.app import EmulatorApp, Receive, Scope, Send, read_body
from b24tui.emulator.credentials import ACCESS_TOKEN_LIFETIME, OAuthApp, TokenPair
from b24tui.emulator.journal import Journal
from b24tui.emulator.seed import DEMO_USER_ID
from b24tui.emulator.state import Portal

__all__ = ["GRANT_PATH", "TOKEN_PATH", "OAuthServer", "register_demo_app", "with_oauth"]

log = logging.getLogger(__name__)

TOKEN_PATH = "/oauth/token/"
"""Where the token server answers (also without the trailing slash)."""
GRANT_PATH = "/_emulator/oauth/grant"
"""The test helper that issues a first refresh token and a code."""

_GRANT_TYPES = ("refresh_token", "authorization_code")
_JSON_HEADERS = [(b"content-type", b"application/json; charset=utf-8")]


class _TokenError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description


class OAuthServer:
    """An ASGI app: the OAuth token endpoint in front of an emulated portal.

    Args:
        app: the portal every other request goes to.
    """

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        """The emulated portal behind the token server."""
        self._stats: Counter[str] = Counter()

    @property
    def journal(self) -> Journal:
        """The portal app's request journal."""
        return self.app.journal

    def stats(self) -> dict[str, int]:
        """Token requests so far: ``requests``, ``refresh``, ``authorization_code``, ``errors``.

        ``refresh`` and ``authorization_code`` count the exchanges that issued a new pair.
        """
        return {
            key: self._stats[key] for key in ("requests", "refresh", "authorization_code", "errors")
        }

    def __repr__(self) -> str:
        return f"OAuthServer({self.app!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.rstrip("/") == TOKEN_PATH.rstrip("/"):
            body = await read_body(receive)
            status, payload = self._token(scope, body)
        elif path == GRANT_PATH and scope["method"] == "POST":
            body = await read_body(receive)
            status, payload = self._grant(body)
        else:
            await self.app(scope, receive, send)
            return
        encoded = json.dumps(payload, separators=(",", ":")).encode()
        headers = [*_JSON_HEADERS, (b"content-length", str(len(encoded)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": encoded})

    # --- the token endpoint -------------------------------------------------------------

    def _token(self, scope: Scope, body: bytes) -> tuple[int, dict[str, Any]]:
        self._stats["requests"] += 1
        try:
            if scope["method"] not in ("GET", "POST"):
                raise _TokenError(405, "invalid_request", "Use GET or POST")
            params = _params(scope, body)
            grant_type, pair = self._exchange(params)
        except _TokenError as error:
            self._stats["errors"] += 1
            log.info("oauth token -> %s %s", error.status, error.code)
            return error.status, {"error": error.code, "error_description": error.description}
        self._stats["refresh" if grant_type == "refresh_token" else grant_type] += 1
        log.info("oauth token (%s) -> 200 for user %d", grant_type, pair.access.user_id)
        return 200, self._answer(scope, pair)

    def _exchange(self, params: Mapping[str, str]) -> tuple[str, TokenPair]:
        grant_type = params.get("grant_type", "")
        if grant_type not in _GRANT_TYPES:
            raise _TokenError(
                400,
                "invalid_request",
                "grant_type must be refresh_token or authorization_code"
                if grant_type
                else "Missing parameter: grant_type",
            )
        secret_key = "refresh_token" if grant_type == "refresh_token" else "code"
        for key in ("client_id", "client_secret", secret_key):
            if not params.get(key):
                raise _TokenError(400, "invalid_request", f"Missing parameter: {key}")
        app = self.app.portal.credentials.find_app(params["client_id"])
        if app is None or app.client_secret != params["client_secret"]:
            raise _TokenError(401, "invalid_client", "Invalid client credentials")
        pair = self.app.portal.credentials.redeem(
            secret_key, params[secret_key], app.client_id, self.app.portal.now()
        )
        if pair is None:
            what = "refresh token" if secret_key == "refresh_token" else "authorization code"
            raise _TokenError(400, "invalid_grant", f"Invalid or expired {what}")
        return grant_type, pair

    def _answer(self, scope: Scope, pair: TokenPair) -> dict[str, Any]:
        base = _base_url(scope)
        access = pair.access
        return {
            "access_token": access.token,
            "expires": int(access.expires_at.timestamp()),
            "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
            "scope": ",".join(sorted(access.scopes)),
            "domain": urllib.parse.urlsplit(base).netloc,
            "server_endpoint": f"{base}/rest/",
            "status": "L",
            "client_endpoint": f"{base}/rest/",
            "member_id": self.member_id,
            "user_id": access.user_id,
            "refresh_token": pair.refresh.value,
        }

    @property
    def member_id(self) -> str:
        """The portal's stable id: a hash of its domain, as long as Bitrix24's."""
        return hashlib.md5(self.app.portal.domain.encode(), usedforsecurity=False).hexdigest()

    # --- the test helper ----------------------------------------------------------------

    def _grant(self, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return 400, {"error": "invalid_request", "error_description": "body must be JSON"}
        credentials = self.app.portal.credentials
        client_id = request.get("client_id")
        app: OAuthApp | None
        if client_id is None:
            app = next(iter(credentials.oauth.apps.values()), None)
        else:
            app = credentials.find_app(str(client_id))
        user_id = request.get("user_id", DEMO_USER_ID)
        if app is None or not isinstance(user_id, int) or user_id not in self.app.portal.users:
            return 404, {"error": "NOT_FOUND", "error_description": "no such app or user"}
        now = self.app.portal.now()
        return 200, {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "user_id": user_id,
            "refresh_token": credentials.issue_refresh_token(app.client_id, user_id, now).value,
            "code": credentials.issue_code(app.client_id, user_id, now).value,
        }


def register_demo_app(portal: Portal, seed: int = 0) -> OAuthApp:
    """Install the demo OAuth app on ``portal`` (the same id and secret for the same seed).

    Does nothing but return the first installed app when the portal already has one.
    """
    existing = next(iter(portal.credentials.oauth.apps.values()), None)
    if existing is not None:
        return existing
    rng = random.Random(f"oauth-app-{seed}")
    client_id = f"local.{rng.getrandbits(56):014x}.{rng.randrange(10**8):08d}"
    client_secret = f"{rng.getrandbits(192):048x}"
    return portal.credentials.add_app(client_id, client_secret)


def with_oauth(app: EmulatorApp, *, seed: int = 0) -> OAuthServer:
    """``app`` behind the OAuth token endpoint: one server for the portal and its tokens.

    The portal gets the demo OAuth app (:func:`register_demo_app`) unless it has an app.
    """
    register_demo_app(app.portal, seed)
    return OAuthServer(app)


def _params(scope: Scope, body: bytes) -> dict[str, str]:
    """Query parameters, and for ``POST`` the form (or JSON) body on top of them."""
    query = scope.get("query_string", b"").decode("latin-1")
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    if scope["method"] == "POST" and body.strip():
        headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
        content_type = headers.get("content-type", b"").decode("latin-1").lower()
        if "json" in content_type:
            try:
                decoded = json.loads(body)
            except ValueError:
                raise _TokenError(400, "invalid_request", "The body is not JSON") from None
            if not isinstance(decoded, dict):
                raise _TokenError(400, "invalid_request", "The body is not a JSON object")
            params.update({str(k): str(v) for k, v in decoded.items() if v is not None})
        else:
            form = body.decode("utf-8", errors="replace")
            params.update(urllib.parse.parse_qsl(form, keep_blank_values=True))
    return params


def _base_url(scope: Scope) -> str:
    """``scheme://host[:port]`` the request was sent to."""
    headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
    host = headers.get("host", b"").decode("latin-1")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"
