"""REST 3.0's ``Idempotency-Key``: a repeated write answered from a store, not run again.

As ``api-reference/rest-v3.md`` (#idempotency) describes it: a method that creates,
modifies or deletes data, called at ``/rest/api/`` with the header, runs as usual and its
successful answer is stored for 24 hours; the same key with the same body gets the stored
answer (same status, same body) with ``Idempotent-Replayed: true`` and the method does not
run; the same key with another body is refused (422 ``IDEMPOTENCYKEYREUSEDEXCEPTION``). A
key is one to 255 printable ASCII characters (else 400 ``INVALIDIDEMPOTENCYKEYEXCEPTION``).
Errors are not stored, so a repeat after an error runs again. Keys are kept apart per
webhook or token, user and method. The classic API ignores the header.

The page gives the two errors' codes and reasons, not their messages: the messages here are
the reasons, as the page words them. Two bodies are the same when they parse to the same
parameters (``auth`` aside): key order and spacing do not matter.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from b24tui.emulator.errors import V3_PREFIX, V3Error

__all__ = [
    "KEY_HEADER",
    "MAX_KEY_LENGTH",
    "REPLAYED_HEADER",
    "STORED_FOR",
    "IdempotencyStore",
    "KeyScope",
    "StoredAnswer",
    "body_fingerprint",
    "checked_key",
]

KEY_HEADER: Final = "idempotency-key"
"""The request header, lowercase as ASGI gives it (``Idempotency-Key`` on the wire)."""
REPLAYED_HEADER: Final = b"idempotent-replayed"
"""The response header marking a stored answer (``Idempotent-Replayed: true``)."""
STORED_FOR: Final = timedelta(hours=24)
"""How long a successful answer is kept, on the portal's clock."""
MAX_KEY_LENGTH: Final = 255
"""The longest key accepted, in characters."""

KeyScope = tuple[Hashable, int, str, str]
"""What a key is unique within: (webhook or token, user id, method, key)."""


def invalid_key() -> V3Error:
    """400 ``INVALIDIDEMPOTENCYKEYEXCEPTION``: empty, too long or not printable ASCII."""
    return V3Error(
        400,
        V3_PREFIX + "INVALIDIDEMPOTENCYKEYEXCEPTION",
        "The key value does not fit the length limit or contains invalid characters",
    )


def key_reused() -> V3Error:
    """422 ``IDEMPOTENCYKEYREUSEDEXCEPTION``: the key came before with another body."""
    return V3Error(
        422,
        V3_PREFIX + "IDEMPOTENCYKEYREUSEDEXCEPTION",
        "The key was already used with a different request body",
    )


def checked_key(raw: bytes) -> str:
    """The header's value as a key; :func:`invalid_key` when it cannot be one.

    Printable ASCII is space (0x20) to tilde (0x7E); the HTTP server has already cut the
    spaces around a header value.
    """
    if not 1 <= len(raw) <= MAX_KEY_LENGTH or any(not 0x20 <= byte <= 0x7E for byte in raw):
        raise invalid_key()
    return raw.decode("ascii")


def body_fingerprint(params: Any) -> str:
    """The request's parameters as one canonical text (``auth`` left out)."""
    if isinstance(params, dict):
        params = {name: value for name, value in params.items() if name != "auth"}
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StoredAnswer:
    """A successful answer kept for replay."""

    status: int
    body: Any
    """The whole JSON body as sent the first time, ``time`` block included."""
    fingerprint: str
    """The parameters it answered (:func:`body_fingerprint`)."""
    stored_at: datetime


class IdempotencyStore:
    """The answers kept for replay, by :data:`KeyScope`, forgotten after :data:`STORED_FOR`."""

    def __init__(self, stored_for: timedelta = STORED_FOR) -> None:
        self.stored_for = stored_for
        self._answers: dict[KeyScope, StoredAnswer] = {}

    def __len__(self) -> int:
        return len(self._answers)

    def __repr__(self) -> str:
        return f"IdempotencyStore(stored={len(self._answers)})"

    def replay(self, scope: KeyScope, fingerprint: str, now: datetime) -> StoredAnswer | None:
        """The answer to send again for this key, ``None`` when the call should run.

        Raises:
            V3Error: the key was used with another body (:func:`key_reused`).
        """
        stored = self._answers.get(scope)
        if stored is None:
            return None
        if now - stored.stored_at >= self.stored_for:
            del self._answers[scope]
            return None
        if stored.fingerprint != fingerprint:
            raise key_reused()
        return stored

    def keep(
        self, scope: KeyScope, fingerprint: str, status: int, body: Any, now: datetime
    ) -> None:
        """Store a successful answer for replay (and drop those that have expired)."""
        expired = [
            key for key, kept in self._answers.items() if now - kept.stored_at >= self.stored_for
        ]
        for key in expired:
            del self._answers[key]
        self._answers[scope] = StoredAnswer(status, body, fingerprint, now)

    def clear(self) -> None:
        """Forget every stored answer."""
        self._answers.clear()
