"""Finding the credential for a run: the environment, then the keyring, then advice.

``B24TUI_WEBHOOK_URL`` wins and skips the keyring entirely (no probe: headless and CI
runs must not touch D-Bus). Otherwise the keyring is probed once, with a deadline; a
backend that cannot keep secrets safely ends the run with :func:`keyring_guidance`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from b24tui.api import EndpointError
from b24tui.auth.probe import KeyringProbe, KeyringStatus, keyring_guidance, probe_keyring
from b24tui.auth.store import (
    ENV_WEBHOOK,
    Credential,
    CredentialStore,
    EnvStore,
    KeyringStore,
    StoreError,
)
from b24tui.config import Settings

__all__ = [
    "CredentialsUnavailable",
    "Prober",
    "Resolution",
    "missing_credential_message",
    "open_keyring",
    "resolve_credential",
]

Prober = Callable[..., KeyringStatus]
""":func:`~b24tui.auth.probe.probe_keyring` or a stand-in with the same keywords."""


class CredentialsUnavailable(Exception):
    """No usable credential store or credential; the message says exactly what to do."""


@dataclass(frozen=True)
class Resolution:
    """Where this run's credential comes from."""

    profile: str
    store: CredentialStore
    """Where the credential was found, and where a first-run login saves one."""
    credential: Credential | None
    """``None``: the keyring works but holds nothing for :attr:`profile` (first run)."""
    keyring: KeyringStatus | None
    """The probe's finding; ``None`` when the environment variable made it unnecessary."""

    @property
    def from_environment(self) -> bool:
        """Whether ``B24TUI_WEBHOOK_URL`` supplied the credential."""
        return isinstance(self.store, EnvStore)


def missing_credential_message(profile: str, *, default_profile: str | None = None) -> str:
    """The advice when the keyring holds no credential for ``profile``."""
    option = "" if profile == default_profile else f" --profile {profile}"
    return (
        f"no webhook stored for profile '{profile}': run 'b24tui login{option}', "
        f"or set {ENV_WEBHOOK} to your inbound webhook URL (or try 'b24tui --demo')"
    )


def open_keyring(
    settings: Settings,
    *,
    environ: Mapping[str, str] | None = None,
    probe: Prober = probe_keyring,
) -> tuple[KeyringStore, KeyringStatus]:
    """Probe the keyring and open it as a store.

    Raises:
        CredentialsUnavailable: no secure backend answers; the message lists the choices.
    """
    status = probe(
        allow_plaintext=settings.allow_plaintext_keyring,
        timeout=settings.keyring_timeout,
        environ=environ,
    )
    if not status.usable:
        raise CredentialsUnavailable(keyring_guidance(status, config_path=settings.path))
    store = KeyringStore(status.backend, timeout=settings.keyring_timeout)
    return store, status


def resolve_credential(
    profile: str | None,
    settings: Settings,
    *,
    environ: Mapping[str, str] | None = None,
    probe: Prober = probe_keyring,
) -> Resolution:
    """The credential for ``profile`` (default: the config's default profile).

    Raises:
        CredentialsUnavailable: the environment variable holds no usable URL, or no
            secure keyring answers, or the keyring entry cannot be read.
    """
    env = os.environ if environ is None else environ
    name = profile or settings.default_profile
    from_env = EnvStore(env)
    credential = from_env.load(name)
    if credential is not None:
        try:
            credential.endpoint()
        except EndpointError as error:
            raise CredentialsUnavailable(f"{ENV_WEBHOOK}: {error}") from None
        return Resolution(name, from_env, credential, None)
    store, status = open_keyring(settings, environ=env, probe=probe)
    try:
        if isinstance(probe, KeyringProbe) and probe.profile == name:
            stored = store.decode(name, probe.entry())  # read by the probe's child
        else:
            stored = store.load(name)
    except StoreError as error:
        raise CredentialsUnavailable(str(error)) from None
    if stored is not None:
        try:
            stored.endpoint()
        except EndpointError as error:
            raise CredentialsUnavailable(
                f"the keyring entry for profile '{name}' is not usable ({error}); "
                "run 'b24tui login' again"
            ) from None
    return Resolution(name, store, stored, status)
