"""Keyring backends for the probe tests, loaded in child processes by name through
``PYTHON_KEYRING_BACKEND`` (never imported by the tests themselves, so keyring's
backend discovery in the test process never sees them)."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend


class HangingKeyring(KeyringBackend):
    """A keyring that never answers, like a locked collection waiting for a prompt."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        threading.Event().wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        threading.Event().wait()

    def delete_password(self, service: str, username: str) -> None:
        threading.Event().wait()


class PlaintextKeyring(KeyringBackend):
    """Stands for a backend that writes secrets unencrypted (recognised by its name)."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError
