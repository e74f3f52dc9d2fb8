"""Clocks: the one place b24tui and its emulator learn what time it is.

Injecting a clock keeps the emulator's seed data, the dashboard's relative deadlines and
the snapshot tests independent of the wall clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Something that tells the time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes backwards (for pacing)."""
        ...

    def local_offset(self, moment: datetime) -> timedelta:
        """The terminal's offset from UTC at ``moment`` (summer time included): times in
        another zone say which."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def local_offset(self, moment: datetime) -> timedelta:
        return moment.astimezone().utcoffset() or timedelta()


class FrozenClock:
    """A clock that only moves when told to: for tests, snapshots and the emulator.

    Its terminal sits in ``local_zone``, by default the zone ``moment`` is given in.
    """

    def __init__(self, moment: datetime, *, local_zone: tzinfo | None = None) -> None:
        if moment.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._moment = moment.astimezone(UTC)
        self._monotonic = 0.0
        self.local_zone: tzinfo = local_zone or moment.tzinfo
        """The terminal's zone."""

    def now(self) -> datetime:
        return self._moment

    def monotonic(self) -> float:
        return self._monotonic

    def local_offset(self, moment: datetime) -> timedelta:
        return moment.astimezone(self.local_zone).utcoffset() or timedelta()

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._moment += timedelta(seconds=seconds)
        self._monotonic += seconds

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (forward only)."""
        moment = moment.astimezone(UTC)
        self.advance((moment - self._moment).total_seconds())


class OffsetClock:
    """The system clock shifted by a movable offset: the served emulator's clock.

    ``POST /_emulator/clock`` moves it forward so a test can make a workday expire
    or a deadline pass without waiting.
    """

    def __init__(self, base: Clock | None = None) -> None:
        self._base: Clock = base or SystemClock()
        self._offset = 0.0

    def now(self) -> datetime:
        return self._base.now() + timedelta(seconds=self._offset)

    def monotonic(self) -> float:
        return self._base.monotonic() + self._offset

    def local_offset(self, moment: datetime) -> timedelta:
        return self._base.local_offset(moment)

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._offset += seconds

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (forward only)."""
        self.advance((moment - self.now()).total_seconds())
