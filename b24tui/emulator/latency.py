"""How long the emulated portal takes to answer: as fast as Python runs, or as a portal would.

By default (``instant``) an answer leaves as soon as it is computed, so a test suite talking
to the emulator stays fast and the cost model of :mod:`b24tui.emulator.timing` is only
reported in each answer's ``time`` block. In ``realistic`` mode it is felt: a REST request's
answer is held back until the request has taken

    wall time = server time + round trip

``server time`` is the modelled execution time of every call the request ran (the sum of
their ``processing``: one call, or each command of a batch, run one after the other as a
portal runs them; nothing for a request refused before any method ran), and the time
Python took to compute the answer counts towards it (read on the portal clock's monotonic
time, so a frozen clock counts it as nothing). ``round trip`` is the network's, once
per HTTP request, refusals included.

The answer is computed when the request arrives, in one piece on the event loop, so every
change to the portal applies at once and in arrival order; only then is it held back, with
a non-blocking sleep. Requests that arrive together are therefore answered together, as a
portal's workers answer them, and a page counted on a big table keeps its own request
waiting, not the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DEFAULT_RTT_S", "Latency", "LatencyMode", "Sleep", "latency_for"]

LatencyMode = Literal["instant", "realistic"]
"""``instant``: answers as fast as Python gives them; ``realistic``: as a portal would."""

Sleep = Callable[[float], Awaitable[None]]
"""Waits the given seconds without blocking the event loop (``asyncio.sleep``)."""

DEFAULT_RTT_S = 0.04
"""The network round trip of realistic mode unless told otherwise: a portal in another
country."""


@dataclass(frozen=True)
class Latency:
    """How long a REST request takes to be answered.

    Args:
        mode: ``instant`` (the default) or ``realistic``.
        rtt_s: the network round trip added once per HTTP request in realistic mode.
        sleep: how an answer is held back; tests pass one that records what it is asked.
    """

    mode: LatencyMode = "instant"
    rtt_s: float = DEFAULT_RTT_S
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.rtt_s < 0:
            raise ValueError("the round trip cannot be negative")

    @property
    def realistic(self) -> bool:
        """Whether answers take the time a portal would take."""
        return self.mode == "realistic"

    def hold_for(self, server_time: float, computed_in: float) -> float:
        """Seconds to hold back the answer of a request whose calls cost ``server_time``
        and whose answer took ``computed_in`` seconds to compute (0 when instant)."""
        if not self.realistic:
            return 0.0
        return max(server_time - computed_in, 0.0) + self.rtt_s

    def describe(self) -> dict[str, Any]:
        """The settings as ``/_emulator/stats`` reports them."""
        return {"mode": self.mode, "rtt_ms": round(self.rtt_s * 1000, 3)}


def latency_for(latency: LatencyMode | Latency) -> Latency:
    """A :class:`Latency` from a mode name (its default round trip) or as given."""
    if isinstance(latency, Latency):
        return latency
    if latency not in ("instant", "realistic"):
        raise ValueError(f"unknown latency mode {latency!r}")
    return Latency(latency)
