"""The envelope of a successful call: ``result`` plus ``total``, ``next`` and ``time``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from b24tui.api.endpoint import ApiGeneration


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


@dataclass(frozen=True)
class CallTime:
    """The ``time`` block: how long the call took and the method's operating budget."""

    start: float | None = None
    finish: float | None = None
    duration: float | None = None
    processing: float | None = None
    operating: float | None = None
    """Seconds this method has run for this webhook over the sliding 10-minute window."""
    operating_reset_at: float | None = None
    """Unix time when the oldest minute drops out of ``operating``."""

    @classmethod
    def from_api(cls, data: Any) -> CallTime | None:
        """Parse a ``time`` block; ``None`` when absent or not an object."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            start=_number(data.get("start")),
            finish=_number(data.get("finish")),
            duration=_number(data.get("duration")),
            processing=_number(data.get("processing")),
            operating=_number(data.get("operating")),
            operating_reset_at=_number(data.get("operating_reset_at")),
        )


@dataclass(frozen=True)
class Response:
    """One successful call."""

    result: Any
    """The method's data, as decoded JSON."""
    total: int | None
    """List methods: the row count (0 with ``start=-1``); ``None`` otherwise."""
    next: int | None
    """List methods: the ``start`` of the next page; ``None`` on the last page."""
    time: CallTime | None
    method: str
    api: ApiGeneration
    """The generation that answered (matters after an ``api="auto"`` call)."""

    @classmethod
    def from_envelope(
        cls, envelope: Mapping[str, Any], *, method: str, api: ApiGeneration
    ) -> Response:
        """Build from the decoded JSON body of a successful call."""
        return cls(
            result=envelope.get("result"),
            total=_integer(envelope.get("total")),
            next=_integer(envelope.get("next")),
            time=CallTime.from_api(envelope.get("time")),
            method=method,
            api=api,
        )
