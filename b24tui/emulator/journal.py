"""What the emulated portal was asked: a bounded request journal and running counters.

Tests read the journal to assert the exact request the portal received; ``GET
/_emulator/stats`` serves the counters. Neither ever holds a webhook code or a token: paths
are not kept, and ``auth`` is dropped from parameters, even inside batch command strings.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from b24tui.emulator.registry import ApiGeneration

_AUTH_IN_QUERY = re.compile(r"(?i)(^|[?&])auth=[^&]*")


def scrubbed(params: Any) -> Any:
    """A deep copy of ``params`` with ``auth=…`` hidden inside strings (batch commands)."""
    if isinstance(params, dict):
        return {key: scrubbed(value) for key, value in params.items() if key != "auth"}
    if isinstance(params, list):
        return [scrubbed(value) for value in params]
    if isinstance(params, str) and "auth=" in params.lower():
        return _AUTH_IN_QUERY.sub(r"\1auth=[hidden]", params)
    return params


@dataclass(frozen=True)
class JournalEntry:
    """One call the portal answered: a direct HTTP call or one batch sub-command."""

    sequence: int
    """Position in the order calls finished (a batch's sub-commands precede the batch)."""
    method: str
    """The method name as called, lowercased (``tasks.task.list``)."""
    api: ApiGeneration
    params: dict[str, Any] | list[Any]
    """The parameters as parsed, without ``auth``."""
    http_method: str
    """``GET`` or ``POST`` (a sub-command carries its batch request's verb)."""
    content_type: str
    """The request's bare media type, ``""`` when none was sent."""
    via_batch: bool
    status: int
    """The HTTP status the call answered with (a sub-command's own, inside a 200 batch)."""
    error: str | None = None
    """The error code, ``None`` on success."""
    user_id: int | None = None
    """Who called, when the caller was recognised."""
    ran: bool = True
    """Whether the method's handler ran (``False`` when the call was refused before,
    by a limit, a fault, a bad credential, a missing scope or an unknown method)."""
    refused: bool = False
    """Whether a rate limit or the overload switch refused the call."""
    fault: str | None = None
    """The injected fault this request got (``"drop"``, ``"503"``, ...), if any."""
    replayed: bool = False
    """Whether the answer was a stored one sent again for a repeated ``Idempotency-Key``
    (the handler did not run: ``ran`` is ``False``)."""

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None


class Journal:
    """The last ``maxlen`` calls plus counters over all of them."""

    def __init__(self, maxlen: int = 2000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=maxlen)
        self._sequence = 0
        self.http_requests = 0
        """REST requests received over HTTP (a batch counts once)."""
        self.calls: Counter[str] = Counter()
        """Calls per method, batch sub-commands included."""
        self.errors: Counter[str] = Counter()
        """Failed calls per error code."""
        self.ran: Counter[str] = Counter()
        """Calls per method whose handler actually ran (a dropped write counts)."""
        self.refused: Counter[str] = Counter()
        """Calls refused by a rate limit or the overload switch, per error code."""
        self.faults: Counter[str] = Counter()
        """Injected faults per kind."""
        self.replayed: Counter[str] = Counter()
        """Calls per method answered from the ``Idempotency-Key`` store instead of run."""

    def record(
        self,
        *,
        method: str,
        api: ApiGeneration,
        params: dict[str, Any] | list[Any],
        http_method: str,
        content_type: str,
        via_batch: bool,
        status: int,
        error: str | None,
        user_id: int | None,
        ran: bool = True,
        refused: bool = False,
        fault: str | None = None,
        replayed: bool = False,
    ) -> JournalEntry:
        """Append one call. Its params are copied (later changes do not leak in) and any
        ``auth`` in them is hidden."""
        self._sequence += 1
        entry = JournalEntry(
            sequence=self._sequence,
            method=method,
            api=api,
            params=scrubbed(params),
            http_method=http_method,
            content_type=content_type,
            via_batch=via_batch,
            status=status,
            error=error,
            user_id=user_id,
            ran=ran,
            refused=refused,
            fault=fault,
            replayed=replayed,
        )
        self._entries.append(entry)
        if not via_batch:
            self.http_requests += 1
        self.calls[method] += 1
        if error is not None:
            self.errors[error] += 1
        if ran:
            self.ran[method] += 1
        if refused and error is not None:
            self.refused[error] += 1
        if fault is not None:
            self.faults[fault] += 1
        if replayed:
            self.replayed[method] += 1
        return entry

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(tuple(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self, method: str | None = None) -> list[JournalEntry]:
        """The kept entries, oldest first, optionally only those of ``method``."""
        wanted = method.lower() if method is not None else None
        return [entry for entry in self if wanted is None or entry.method == wanted]

    def last(self, method: str | None = None) -> JournalEntry:
        """The latest entry (of ``method``); ``LookupError`` when there is none."""
        found = self.entries(method)
        if not found:
            raise LookupError(f"no call of {method or 'any method'} in the journal")
        return found[-1]

    def clear(self) -> None:
        """Forget the kept entries and reset the counters."""
        self._entries.clear()
        self.http_requests = 0
        self.calls.clear()
        self.errors.clear()
        self.ran.clear()
        self.refused.clear()
        self.faults.clear()
        self.replayed.clear()

    def stats(self) -> dict[str, Any]:
        """The counters as served by ``GET /_emulator/stats``.

        ``requests``: REST requests over HTTP; ``calls``: calls, batch sub-commands
        included; ``methods``: calls per method; ``errors``: failed calls per code;
        ``ran``: calls per method whose handler ran; ``refused``: refusals by a limit per
        code; ``faults``: injected faults per kind; ``replayed``: calls per method
        answered from the ``Idempotency-Key`` store (their handler did not run).
        """
        return {
            "requests": self.http_requests,
            "calls": sum(self.calls.values()),
            "methods": dict(sorted(self.calls.items())),
            "errors": dict(sorted(self.errors.items())),
            "ran": dict(sorted(self.ran.items())),
            "refused": dict(sorted(self.refused.items())),
            "faults": dict(sorted(self.faults.items())),
            "replayed": dict(sorted(self.replayed.items())),
        }
