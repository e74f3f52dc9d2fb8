"""Where credentials are kept: the OS keyring, the environment, or memory.

A credential is a webhook URL or an OAuth token pair. Neither's ``repr`` or ``str``
shows the secret, and no error raised here carries it: credentials travel through
tracebacks (Textual prints frame locals) and logs.

In the keyring every profile has one entry under the service ``b24tui``, the profile
name as the user name, holding a small JSON document. A bare webhook URL put there by
hand (``keyring set b24tui default``) is read as well.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeAlias, TypeVar

from b24tui.api import EndpointError, OAuthToken, Webhook
from b24tui.paths import ENV_WEBHOOK

__all__ = [
    "ENV_WEBHOOK",
    "KEYRING_SERVICE",
    "Credential",
    "CredentialStore",
    "EnvStore",
    "KeyringStore",
    "KeyringTimeout",
    "KeyringUnavailable",
    "MemoryStore",
    "OAuthCredential",
    "StoreError",
    "WebhookCredential",
    "decode_credential",
    "encode_credential",
]

log = logging.getLogger(__name__)

KEYRING_SERVICE = "b24tui"
"""The keyring service name; the user name is the profile name."""

_FORMAT_VERSION = 1
_T = TypeVar("_T")


class StoreError(Exception):
    """A credential could not be read, saved or removed; the message says why (no secret)."""


class KeyringUnavailable(StoreError):
    """The keyring backend failed (no backend, locked, refused)."""


class KeyringTimeout(KeyringUnavailable):
    """The keyring did not answer in time (typically a locked collection waiting for a prompt)."""


@dataclass(frozen=True)
class WebhookCredential:
    """An inbound-webhook URL as stored; :meth:`endpoint` checks and parses it."""

    kind: ClassVar[str] = "webhook"
    url: str = field(repr=False)

    def endpoint(self) -> Webhook:
        """The parsed webhook.

        Raises:
            EndpointError: the URL is not a usable webhook URL (the message has no code).
        """
        return Webhook.parse(self.url)

    def secrets(self) -> tuple[str, ...]:
        """Strings to scrub from anything shown: the code (or the whole URL if unparsable)."""
        try:
            return self.endpoint().secrets()
        except EndpointError:
            return (self.url,) if self.url else ()

    def __repr__(self) -> str:
        try:
            shown = self.endpoint().redacted_url
        except EndpointError:
            shown = "<not a webhook URL>"
        return f"WebhookCredential({shown})"


@dataclass(frozen=True)
class OAuthCredential:
    """An OAuth access and refresh token, and the app's id and secret to renew them."""

    kind: ClassVar[str] = "oauth"
    portal: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    def endpoint(self) -> OAuthToken:
        """The access token as the client uses it.

        Raises:
            EndpointError: the portal address is not usable.
        """
        return OAuthToken(
            portal=self.portal,
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            expires_at=self.expires_at,
        )

    def with_token(self, token: OAuthToken) -> OAuthCredential:
        """This credential with a rotated token pair (the app's id and secret kept)."""
        return OAuthCredential(
            portal=token.portal,
            access_token=token.access_token,
            refresh_token=token.refresh_token,
            expires_at=token.expires_at,
            client_id=self.client_id,
            client_secret=self.client_secret,
        )

    def secrets(self) -> tuple[str, ...]:
        """The tokens and the app secret."""
        values = (self.access_token, self.refresh_token, self.client_secret)
        return tuple(value for value in values if value)


Credential: TypeAlias = WebhookCredential | OAuthCredential
"""What a store keeps for a profile."""


def encode_credential(credential: Credential) -> str:
    """The keyring text for ``credential`` (a small JSON document)."""
    data: dict[str, Any] = {"version": _FORMAT_VERSION, "kind": credential.kind}
    if isinstance(credential, WebhookCredential):
        data["url"] = credential.url
    else:
        data.update(
            portal=credential.portal,
            access_token=credential.access_token,
            refresh_token=credential.refresh_token,
            expires_at=credential.expires_at.isoformat() if credential.expires_at else None,
            client_id=credential.client_id,
            client_secret=credential.client_secret,
        )
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_credential(text: str, *, where: str) -> Credential:
    """Read what :func:`encode_credential` wrote, or a bare webhook URL.

    Raises:
        StoreError: the text is neither; the message names ``where`` but not the text.
    """
    stripped = text.strip()
    if stripped.lower().startswith(("https://", "http://")):
        return WebhookCredential(stripped)
    try:
        data = json.loads(stripped)
    except ValueError:
        data = None
    if not isinstance(data, Mapping):
        raise StoreError(f"{where} does not hold a b24tui credential; log in again")
    kind = data.get("kind")
    try:
        if kind == "webhook":
            return WebhookCredential(_text(data, "url"))
        if kind == "oauth":
            expires = data.get("expires_at")
            return OAuthCredential(
                portal=_text(data, "portal"),
                access_token=_text(data, "access_token"),
                refresh_token=_optional_text(data, "refresh_token"),
                expires_at=datetime.fromisoformat(expires) if isinstance(expires, str) else None,
                client_id=_optional_text(data, "client_id"),
                client_secret=_optional_text(data, "client_secret"),
            )
    except (KeyError, TypeError, ValueError):
        pass
    raise StoreError(f"{where} holds a credential b24tui cannot read; log in again")


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise TypeError(key)
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(key)
    return value


class CredentialStore(Protocol):
    """Keeps one credential per profile."""

    @property
    def description(self) -> str:
        """Where the credentials are, for people (``the keyring (SecretService)``)."""
        ...

    def load(self, profile: str) -> Credential | None:
        """The credential stored for ``profile``, or ``None``.

        Raises:
            StoreError: the store failed or holds something unreadable.
        """
        ...

    def save(self, profile: str, credential: Credential) -> None:
        """Store ``credential`` for ``profile``, replacing any earlier one.

        Raises:
            StoreError: the store refused or cannot be written.
        """
        ...

    def delete(self, profile: str) -> bool:
        """Remove ``profile``'s credential; ``False`` if there was none.

        Raises:
            StoreError: the store failed.
        """
        ...


class MemoryStore:
    """Credentials in a dict: for tests and the demo."""

    description = "memory"

    def __init__(self, credentials: Mapping[str, Credential] | None = None) -> None:
        self._credentials: dict[str, Credential] = dict(credentials or {})

    def load(self, profile: str) -> Credential | None:
        """The credential for ``profile``, or ``None``."""
        return self._credentials.get(profile)

    def save(self, profile: str, credential: Credential) -> None:
        """Keep ``credential`` for ``profile``."""
        self._credentials[profile] = credential

    def delete(self, profile: str) -> bool:
        """Forget ``profile``'s credential."""
        return self._credentials.pop(profile, None) is not None

    def __repr__(self) -> str:
        return f"MemoryStore(profiles={sorted(self._credentials)})"


class EnvStore:
    """The webhook URL in ``B24TUI_WEBHOOK_URL``, the same for every profile; read-only."""

    description = f"the environment variable {ENV_WEBHOOK}"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    @property
    def present(self) -> bool:
        """Whether the variable is set to something."""
        return bool(self._environ.get(ENV_WEBHOOK, "").strip())

    def load(self, profile: str) -> Credential | None:
        """The webhook in the variable, or ``None`` when it is unset or empty."""
        url = self._environ.get(ENV_WEBHOOK, "").strip()
        return WebhookCredential(url) if url else None

    def save(self, profile: str, credential: Credential) -> None:
        """Refused: the environment is set by whoever starts b24tui."""
        raise StoreError(f"{ENV_WEBHOOK} is read from the environment; b24tui cannot change it")

    def delete(self, profile: str) -> bool:
        """Refused, as :meth:`save`."""
        raise StoreError(f"{ENV_WEBHOOK} is read from the environment; unset it in your shell")

    def __repr__(self) -> str:
        return f"EnvStore(present={self.present})"


class KeyringStore:
    """The OS keyring (Secret Service, macOS Keychain, Windows Credential Locker…).

    Every call runs in a daemon thread and gives up after ``timeout`` seconds, so a
    keyring that waits forever for an unlock prompt cannot hang b24tui.

    Args:
        backend_name: the backend class to use (``keyring.backends.SecretService.Keyring``),
            as :func:`~b24tui.auth.probe.probe_keyring` found it; ``None``: keyring's choice
            (which honours ``PYTHON_KEYRING_BACKEND`` and keyring's own config file).
        backend: a ready backend instance (tests); wins over ``backend_name``.
        timeout: seconds to wait for each keyring call.
        service: the keyring service name.
    """

    def __init__(
        self,
        backend_name: str | None = None,
        *,
        backend: Any = None,
        timeout: float = 5.0,
        service: str = KEYRING_SERVICE,
    ) -> None:
        self._backend_name = backend_name
        self._backend = backend
        self._lock = threading.Lock()
        self.timeout = timeout
        self.service = service

    @property
    def description(self) -> str:
        """``the keyring (<backend>)``."""
        name = self._backend_name
        if name is None and self._backend is not None:
            name = f"{type(self._backend).__module__}.{type(self._backend).__qualname__}"
        return f"the keyring ({_short_backend_name(name)})" if name else "the keyring"

    def load(self, profile: str) -> Credential | None:
        """The credential stored for ``profile``, or ``None``."""
        text = self._call(lambda backend: backend.get_password(self.service, profile), "read")
        return self.decode(profile, text)

    def decode(self, profile: str, text: object) -> Credential | None:
        """The credential in ``text``, an entry read for ``profile`` (``None``: no entry)."""
        if text is None:
            return None
        return decode_credential(str(text), where=f"The keyring entry for profile {profile!r}")

    def save(self, profile: str, credential: Credential) -> None:
        """Store ``credential`` for ``profile`` (replacing an earlier one)."""
        encoded = encode_credential(credential)
        self._call(lambda backend: backend.set_password(self.service, profile, encoded), "write")
        log.info("stored the credential for profile %r in %s", profile, self.description)

    def delete(self, profile: str) -> bool:
        """Remove ``profile``'s entry; ``False`` when there was none."""

        def remove(backend: Any) -> bool:
            if backend.get_password(self.service, profile) is None:
                return False
            backend.delete_password(self.service, profile)
            return True

        removed = self._call(remove, "remove")
        if removed:
            log.info("removed the credential for profile %r from %s", profile, self.description)
        return removed

    def _instance(self) -> Any:
        with self._lock:
            if self._backend is None:
                import keyring

                if self._backend_name:
                    self._backend = keyring.core.load_keyring(self._backend_name)
                else:
                    self._backend = keyring.get_keyring()
            return self._backend

    def _call(self, action: Callable[[Any], _T], what: str) -> _T:
        outcome: list[_T] = []
        failure: list[BaseException] = []
        finished = threading.Event()

        def run() -> None:
            try:
                outcome.append(action(self._instance()))
            except BaseException as error:  # re-raised below, in the caller's thread
                failure.append(error)
            finally:
                finished.set()

        threading.Thread(target=run, name="b24tui-keyring", daemon=True).start()
        if not finished.wait(self.timeout):
            raise KeyringTimeout(
                f"{self.description} did not answer within {self.timeout:g} s "
                f"(to {what} the credential); it may be locked and waiting for a password"
            )
        if failure:
            raise _translate(failure[0], self.description, what) from None
        return outcome[0]

    def __repr__(self) -> str:
        return f"KeyringStore(backend={self._backend_name!r}, service={self.service!r})"


def _translate(error: BaseException, description: str, what: str) -> StoreError:
    """A keyring failure as a :class:`StoreError` naming the kind of failure, not data."""
    if isinstance(error, StoreError):
        return error
    name = type(error).__name__
    if name == "KeyringLocked":
        return KeyringUnavailable(f"{description} is locked; unlock it and try again")
    if name == "NoKeyringError":
        return KeyringUnavailable(f"{description} is not available ({name})")
    reason = str(error).strip().splitlines()[0] if str(error).strip() else name
    return KeyringUnavailable(f"cannot {what} the credential in {description}: {reason}")


def _short_backend_name(name: str) -> str:
    """``keyring.backends.SecretService.Keyring`` -> ``SecretService``."""
    parts = [part for part in name.split(".") if part not in ("keyring", "backends", "Keyring")]
    return ".".join(parts[-2:]) if parts else name
