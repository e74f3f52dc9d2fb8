"""Where and as whom the client calls: an inbound webhook or an OAuth access token.

An endpoint knows the portal host, builds method URLs for both API generations and
supplies the authentication the call needs. Its ``repr`` and ``str`` never contain the
webhook code or the token: endpoints end up in logs and error reports.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

ApiGeneration = Literal["v1", "v3"]
"""``"v1"``: the classic API under ``/rest/``; ``"v3"``: REST 3.0 under ``/rest/api/``."""

REDACTED = "***"
"""What a secret is replaced with wherever it would otherwise be shown."""

_METHOD_SEGMENT = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")
_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


class EndpointError(ValueError):
    """A webhook URL or OAuth portal address that cannot be used.

    The message says what is wrong and never repeats the webhook code.
    """


class Endpoint(Protocol):
    """What :class:`~b24tui.api.client.B24Client` needs from a credential."""

    @property
    def host(self) -> str:
        """The portal's host (with ``:port`` when not the default), e.g. ``acme.bitrix24.com``."""
        ...

    @property
    def base_url(self) -> str:
        """``scheme://host``, the portal's address without any path."""
        ...

    def method_url(self, method: str, api: ApiGeneration) -> str:
        """The URL to POST a call of ``method`` to."""
        ...

    def auth_params(self) -> dict[str, str]:
        """Parameters to add to every call (``{"auth": token}`` for OAuth, none for webhooks)."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """The secret strings to scrub from anything shown or logged."""
        ...


def is_loopback_host(hostname: str) -> bool:
    """Whether ``hostname`` is this machine: 127.0.0.0/8, ``::1`` or ``localhost``."""
    name = hostname.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _split_portal_url(url: str, *, what: str) -> tuple[str, str, str]:
    """Check scheme and host of ``url``; return ``(scheme, host[:port], path)``."""
    text = url.strip()
    if not text:
        raise EndpointError(f"The {what} is empty.")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        raise EndpointError(f"The {what} is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise EndpointError(f"The {what} must start with https:// (it starts with {scheme}://).")
    hostname = parts.hostname
    if not hostname:
        raise EndpointError(f"The {what} has no host name.")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(f"The {what} must not contain a user name or password before the host.")
    if scheme == "http" and not is_loopback_host(hostname):
        raise EndpointError(
            f"The {what} uses plain http:// for {hostname}. Bitrix24 requires https:// "
            "(plain http is accepted only for this machine: 127.0.0.1, ::1, localhost)."
        )
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is not None:
        host = f"{host}:{port}"
    return scheme, host.lower(), parts.path


def portal_base_url(url: str) -> str:
    """``scheme://host[:port]`` of a portal address (a host, ``https://portal/`` or its ``/rest/``).

    Raises:
        EndpointError: not a usable portal address (plain ``http://`` only for loopback).
    """
    scheme, host, path = _split_portal_url(url, what="portal address")
    if path.strip("/") not in ("", "rest"):
        raise EndpointError("The portal address must be the portal itself or its /rest/ endpoint.")
    return f"{scheme}://{host}"


@dataclass(frozen=True)
class Webhook:
    """An inbound webhook: ``https://<portal>/rest/<user id>/<code>/``.

    Calls run as the user who created the webhook, within the scopes ticked for it.
    """

    scheme: str
    host: str
    user_id: int
    code: str = field(repr=False)

    @classmethod
    def parse(cls, url: str) -> Webhook:
        """Read a webhook URL as Bitrix24 shows it.

        Accepted forms: ``https://portal/rest/<user>/<code>/`` with or without the trailing
        slash, the REST 3.0 form ``/rest/api/<user>/<code>/``, and a URL with a method name
        (``profile``, ``profile.json``), a query string or a fragment left on by copying an
        example; those extras are dropped. A URL without a scheme is taken as ``https://``.
        Plain ``http://`` is refused unless the host is loopback.

        Raises:
            EndpointError: the URL cannot be a webhook; the message never contains the code.
        """
        scheme, host, path = _split_portal_url(url, what="webhook URL")
        segments = [urllib.parse.unquote(s) for s in path.split("/") if s]
        if not segments or segments[0].lower() != "rest":
            raise EndpointError(
                "The webhook URL must look like https://<portal>/rest/<user id>/<code>/ "
                "(its path does not start with /rest/)."
            )
        segments = segments[1:]
        if segments and segments[0].lower() == "api":
            segments = segments[1:]
        if len(segments) < 2:
            raise EndpointError(
                "The webhook URL must look like https://<portal>/rest/<user id>/<code>/ "
                "(the user id or the code is missing)."
            )
        user_text, code, *rest = segments
        if not user_text.isdigit() or int(user_text) <= 0:
            raise EndpointError(
                "The webhook URL must have the user id, a positive number, right after /rest/."
            )
        if not _CODE.match(code):
            raise EndpointError(
                "The webhook code (the part after the user id) has characters a code cannot have."
            )
        if len(rest) > 1 or (rest and not _METHOD_SEGMENT.match(rest[0])):
            raise EndpointError(
                "The webhook URL has extra path segments after the code; "
                "paste it as Bitrix24 shows it: https://<portal>/rest/<user id>/<code>/"
            )
        return cls(scheme=scheme, host=host, user_id=int(user_text), code=code)

    @property
    def base_url(self) -> str:
        """``scheme://host``."""
        return f"{self.scheme}://{self.host}"

    @property
    def url(self) -> str:
        """The canonical webhook URL (contains the code: never log it)."""
        return self.v1_base_url

    @property
    def v1_base_url(self) -> str:
        """``…/rest/<user>/<code>/``: the classic API (contains the code)."""
        return f"{self.base_url}/rest/{self.user_id}/{self.code}/"

    @property
    def v3_base_url(self) -> str:
        """``…/rest/api/<user>/<code>/``: REST 3.0 (contains the code)."""
        return f"{self.base_url}/rest/api/{self.user_id}/{self.code}/"

    @property
    def redacted_url(self) -> str:
        """The webhook URL with the code masked, fit for logs and screens."""
        return f"{self.base_url}/rest/{self.user_id}/{REDACTED}/"

    def method_url(self, method: str, api: ApiGeneration) -> str:
        """The URL of ``method`` for the given API generation."""
        base = self.v3_base_url if api == "v3" else self.v1_base_url
        return base + method

    def auth_params(self) -> dict[str, str]:
        """Webhooks authenticate by the URL: nothing to add."""
        return {}

    def secrets(self) -> tuple[str, ...]:
        """The webhook code."""
        return (self.code,)

    def __repr__(self) -> str:
        return f"Webhook(host={self.host!r}, user_id={self.user_id})"

    def __str__(self) -> str:
        return self.redacted_url


@dataclass(frozen=True)
class OAuthToken:
    """An OAuth 2.0 access token for ``https://<portal>/rest/<method>`` with ``auth=``.

    Refreshing is not done here: :class:`~b24tui.api.client.B24Client` takes a
    :class:`TokenRefresher` and calls it once when the portal says ``expired_token``.
    """

    portal: str
    """The portal as given: a host or the ``client_endpoint`` URL (``https://portal/rest/``)."""
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scheme: str = field(init=False, repr=False, default="https")
    host: str = field(init=False, default="")

    def __post_init__(self) -> None:
        if not self.access_token:
            raise EndpointError("The OAuth access token is empty.")
        scheme, host, path = _split_portal_url(self.portal, what="portal address")
        if path.strip("/") not in ("", "rest"):
            raise EndpointError(
                "The portal address must be the portal itself or its /rest/ endpoint."
            )
        object.__setattr__(self, "scheme", scheme)
        object.__setattr__(self, "host", host)

    @property
    def base_url(self) -> str:
        """``scheme://host``."""
        return f"{self.scheme}://{self.host}"

    @property
    def v1_base_url(self) -> str:
        """``…/rest/``: the classic API."""
        return f"{self.base_url}/rest/"

    @property
    def v3_base_url(self) -> str:
        """``…/rest/api/``: REST 3.0."""
        return f"{self.base_url}/rest/api/"

    def method_url(self, method: str, api: ApiGeneration) -> str:
        """The URL of ``method`` for the given API generation."""
        base = self.v3_base_url if api == "v3" else self.v1_base_url
        return base + method

    def auth_params(self) -> dict[str, str]:
        """``{"auth": <access token>}``, sent with every call."""
        return {"auth": self.access_token}

    def secrets(self) -> tuple[str, ...]:
        """The access and refresh tokens."""
        return tuple(s for s in (self.access_token, self.refresh_token) if s)

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat() if self.expires_at else None
        return f"OAuthToken(host={self.host!r}, expires_at={expires!r})"

    def __str__(self) -> str:
        return f"{self.v1_base_url} (OAuth)"


TokenRefresher = Callable[[OAuthToken], Awaitable[OAuthToken]]
"""Gets a fresh access token (for the same portal) when the portal answers
``expired_token``; it is also where the new tokens get stored."""


_WEBHOOK_PATH = re.compile(r"(/rest/(?:api/)?\d+/)[^/?#\s]+")
_AUTH_QUERY = re.compile(r"((?:^|[?&\s])auth=)[^&\s]+")
_TOKEN_QUERY = re.compile(r"([?&](?:client_secret|refresh_token|access_token|code)=)[^&\s#]+")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with webhook codes, ``auth=`` values, OAuth query values (``client_secret``,
    ``refresh_token``, ``access_token``, ``code``) and the given secrets masked.

    Webhook URL paths are masked by shape (``/rest/<user>/<anything>/``) so even a
    secret this client was never told about does not leak through a URL.
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _WEBHOOK_PATH.sub(lambda m: m.group(1) + REDACTED, text)
    text = _TOKEN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    return _AUTH_QUERY.sub(lambda m: m.group(1) + REDACTED, text)
