"""Fault injection: REST requests that fail on purpose, as a flaky portal or network would.

Kinds, and what a client sees:

* ``"503"``: 503 ``QUERY_LIMIT_EXCEEDED``, as if the request bucket were full.
* ``"429"``: 429 ``OPERATION_TIME_LIMIT`` with a ``time`` block, as if the method's
  operating budget were spent.
* ``"500"``: 500 ``INTERNAL_SERVER_ERROR`` JSON.
* ``"html"``: a 502 ``text/html`` page from the front web server instead of JSON.
* ``"truncated"``: 200 with the real JSON answer cut in half (the call ran).
* ``"timeout"``: the call runs, then its answer is held back until released (or the client
  hangs up, or :attr:`Faults.hold_s` pass).
* ``"drop"``: the call runs (a write is applied and journaled), then the connection is cut
  without an answer.

The first four are decided before the method runs, so the call never happens. Faults hit
only REST requests (``/rest/...``), never the ``/_emulator/`` helpers. Forced faults
(:meth:`Faults.inject`) go first; otherwise a seeded RNG fails ``rate`` of the requests,
so a run with the same seed and the same requests fails the same ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

import httpx

__all__ = [
    "ALL_KINDS",
    "BEFORE_RUN",
    "DroppedConnection",
    "FaultKind",
    "Faults",
]

FaultKind = Literal["503", "429", "500", "html", "truncated", "timeout", "drop"]
"""How an injected fault shows itself (see the module docstring)."""

ALL_KINDS: Final[tuple[FaultKind, ...]] = get_args(FaultKind)
"""Every fault kind, in a fixed order (random faults pick from these)."""

BEFORE_RUN: Final[frozenset[FaultKind]] = frozenset({"503", "429", "500", "html"})
"""Kinds that refuse the request before its method runs."""


class DroppedConnection(httpx.RemoteProtocolError):
    """The ``drop`` fault of an app run in-process (``httpx.ASGITransport``).

    ``ASGITransport`` re-raises what the app raises, so the client sees this transport
    error where a real server would have cut the connection.
    """


@dataclass
class _Forced:
    kind: FaultKind
    method: str | None
    remaining: int


class Faults:
    """Which REST requests fail, and how.

    Args:
        rate: the share of REST requests (0..1) that fail with a random kind.
        seed: the seed of the RNG behind ``rate``.
        kinds: the kinds random faults pick from.
    """

    hold_s: float = 120.0
    """How long a ``timeout`` fault holds its answer back when nobody releases it:
    longer than any client timeout worth having, and twice the cloud's 60 s."""

    def __init__(
        self, rate: float = 0.0, *, seed: int = 0, kinds: Sequence[FaultKind] = ALL_KINDS
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("the fault rate must be between 0 and 1")
        unknown = [kind for kind in kinds if kind not in ALL_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown!r}; expected some of {ALL_KINDS}")
        if rate > 0 and not kinds:
            raise ValueError("random faults need at least one kind")
        self.rate = rate
        self.seed = seed
        self.kinds: tuple[FaultKind, ...] = tuple(kinds)
        self._random = random.Random(seed)
        self._forced: list[_Forced] = []

    def __repr__(self) -> str:
        return (
            f"Faults(rate={self.rate}, seed={self.seed}, kinds={self.kinds!r}, "
            f"forced={self.pending})"
        )

    @property
    def pending(self) -> int:
        """Forced faults still to come."""
        return sum(forced.remaining for forced in self._forced)

    def inject(self, kind: FaultKind, *, method: str | None = None, count: int = 1) -> None:
        """Make the next ``count`` REST requests (of ``method`` only, if given) fail with
        ``kind``. Injections are used in the order they were made."""
        if kind not in ALL_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {ALL_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        self._forced.append(_Forced(kind, method.lower() if method else None, count))

    def clear(self) -> None:
        """Forget the forced faults not used yet (random ones go on at ``rate``)."""
        self._forced.clear()

    def pick(self, method: str) -> FaultKind | None:
        """The fault for the next REST request, to ``method``; ``None`` to answer normally.

        A forced fault that fits is used up first. Otherwise, with a non-zero ``rate``,
        the RNG is drawn once per request, so the sequence depends only on the seed
        and the order of requests.
        """
        method = method.lower()
        for index, forced in enumerate(self._forced):
            if forced.method is None or forced.method == method:
                forced.remaining -= 1
                if forced.remaining == 0:
                    del self._forced[index]
                return forced.kind
        if self.rate <= 0:
            return None
        draw = self._random.random()
        if draw >= self.rate:
            return None
        kind = self._random.choice(self.kinds)
        if kind == "429" and method == "batch":
            # The outer batch has no operating time of its own (REFERENCE §1.7): a portal
            # never answers it with OPERATION_TIME_LIMIT, so neither does a random fault.
            return None
        return kind
