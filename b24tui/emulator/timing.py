"""The ``time`` block of every answer and the per-method "operating" accounting behind it.

Bitrix24 sums each method's execution time per app or webhook in ten one-minute baskets;
``operating`` is that sum and ``operating_reset_at`` is when the oldest basket drops out
(REFERENCE §1.4, §1.7). The emulator answers in microseconds, so its execution time is a
**cost model** instead of a stopwatch, which keeps answers deterministic under a frozen
clock:

    cost = BASE_COST + ROW_COST * rows                       every call
         + COUNT_COST + COUNT_ROW_COST * table_rows          list calls with start >= 0

``rows`` is the number of records the answer carries (see :func:`rows_of`), 0 for
anything that is not a list. A list method called with ``start >= 0`` also counts its
matches for ``total``, and counting is what is slow on big tables
(``settings/performance/huge-data.md``: 2,387,743 rows took 49.9 s with the count and
0.097 s without, about 20 µs a row); ``table_rows`` is the size of the table the method
reads (every task for ``tasks.task.list``), not just the matches. With ``start=-1`` there
is no count and no such extra. The constants are fixed:

    BASE_COST 2 ms, ROW_COST 0.4 ms, COUNT_COST 1 ms, COUNT_ROW_COST 20 µs

so one page of 50 tasks costs 22 ms without the count and 223 ms with it on a portal
of 10,000 tasks. That cost is the call's ``processing``; ``duration`` is the larger of
the cost and the time the portal clock actually moved. The outer ``batch`` costs
nothing: each sub-command is charged against its own method.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, ClassVar

BASE_COST = 0.002
"""Seconds of modelled execution time every call costs."""
ROW_COST = 0.0004
"""Extra modelled seconds per record in a list answer."""
COUNT_COST = 0.001
"""Extra modelled seconds of a list call that counts its matches (``start >= 0``)."""
COUNT_ROW_COST = 0.00002
"""Extra modelled seconds per row of the counted table (the docs' huge-data example)."""


def rows_of(result: Any) -> int:
    """How many records an answer carries: a list's length, or the lists one level down
    (``{"tasks": [...]}``, ``{"items": [...]}``)."""
    if isinstance(result, list):
        return len(result)
    if isinstance(result, dict):
        return sum(len(value) for value in result.values() if isinstance(value, list))
    return 0


def cost_of(result: Any, *, counted_rows: int | None = None) -> float:
    """The modelled execution time of a call that answered ``result``.

    Args:
        result: the answer's ``result`` value.
        counted_rows: the size of the table a list call counted for ``total``; ``None``
            when it did not count (not a list, or ``start=-1``).
    """
    cost = BASE_COST + ROW_COST * rows_of(result)
    if counted_rows is not None:
        cost += COUNT_COST + COUNT_ROW_COST * max(counted_rows, 0)
    return cost


@dataclass
class _Basket:
    opened_at: float
    seconds: float


class OperatingMeter:
    """Accumulated execution time per ``(caller, method)`` over a sliding 10-minute window.

    A basket opens with the first call after the previous basket's minute has passed and
    expires ten minutes after it opened. The dispatcher reads :meth:`operating` before
    each call to refuse it with ``OPERATION_TIME_LIMIT`` once the budget is spent.
    """

    WINDOW: ClassVar[float] = 600.0
    """Seconds a basket counts towards ``operating``."""
    BASKET: ClassVar[float] = 60.0
    """Seconds of calls one basket collects."""

    def __init__(self) -> None:
        self._baskets: dict[tuple[Hashable, str], deque[_Basket]] = {}

    def _live(self, caller: Hashable, method: str, now: float) -> deque[_Basket]:
        baskets = self._baskets.setdefault((caller, method), deque())
        while baskets and baskets[0].opened_at + self.WINDOW <= now:
            baskets.popleft()
        return baskets

    def charge(self, caller: Hashable, method: str, now: float, seconds: float) -> None:
        """Add ``seconds`` of execution of ``method`` by ``caller`` at unix time ``now``."""
        baskets = self._live(caller, method, now)
        if baskets and now - baskets[-1].opened_at < self.BASKET:
            baskets[-1].seconds += seconds
        else:
            baskets.append(_Basket(now, seconds))

    def operating(self, caller: Hashable, method: str, now: float) -> tuple[float, int | None]:
        """``(operating, operating_reset_at)``: the window's sum and when its oldest basket
        expires (``None`` when nothing is counted)."""
        baskets = self._live(caller, method, now)
        if not baskets:
            return 0.0, None
        total = sum(basket.seconds for basket in baskets)
        return round(total, 6), int(baskets[0].opened_at + self.WINDOW)


def time_block(
    start: datetime,
    finish: datetime,
    tz: tzinfo,
    *,
    processing: float,
    operating: float = 0.0,
    operating_reset_at: int | None = None,
) -> dict[str, Any]:
    """The ``time`` object of an answer (REFERENCE §1.4)."""
    finish = max(finish, start + timedelta(seconds=processing))
    block: dict[str, Any] = {
        "start": round(start.timestamp(), 6),
        "finish": round(finish.timestamp(), 6),
        "duration": round((finish - start).total_seconds(), 6),
        "processing": round(processing, 6),
        "date_start": start.astimezone(tz).isoformat(timespec="seconds"),
        "date_finish": finish.astimezone(tz).isoformat(timespec="seconds"),
        "operating": operating,
    }
    if operating_reset_at is not None:
        block["operating_reset_at"] = operating_reset_at
    return block
