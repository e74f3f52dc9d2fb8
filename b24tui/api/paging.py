"""Reading whole lists: one page for small asks, chained batches for everything.

Bitrix24 list methods answer 50 rows a page. The fast full scan the docs recommend orders
by ``ID`` ascending, filters ``>ID`` on the last id seen and sends ``start=-1`` so the portal
skips its ``COUNT``. :func:`fetch_all` runs 50 such pages per HTTP request: each batch
command filters ``>ID`` on the previous command's last row through a
``$result[prev][tasks][49][id]`` reference, so one request reads up to 2,500 rows. The
first command of the next request continues from the last id kept.

A list longer than one request is read from both of its ends after the first request:
one chain goes on up, another comes down from the top (``ID`` descending, ``<ID``), each
bounded by the other, in two requests the portal serves side by side, until they meet.

Paging stops at the first page with fewer than 50 rows. Rows of later commands are dropped
(a reference past a short page does not resolve, may become an empty filter and repeat
earlier rows), as is any row whose id is not above the last one kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from b24tui.api.batch import MAX_BATCH_COMMANDS, Batch, BatchCommand, BatchResult
from b24tui.api.caller import Caller
from b24tui.api.errors import BadResponse
from b24tui.api.query import Ref

log = logging.getLogger(__name__)

PAGE_SIZE = 50
"""Rows per page of a v1 list method (fixed by the portal)."""

Row = Mapping[str, Any]

PagesRead = Callable[[Sequence[Sequence[Row]], BatchResult, bool], None]
"""Told after each request of :func:`fetch_lists`: the rows each filter gained in it, the
request's answer, and whether every list is read now."""


@dataclass(frozen=True)
class ListShape:
    """How one list method is asked and answers.

    ``tasks.task.list`` filters on ``ID`` but answers ``id`` inside ``{"tasks": [...]}``;
    ``user.get`` answers its rows at the top level with ``ID``.
    """

    method: str
    rows_key: str | None
    """The key holding the rows in ``result``; ``None`` when ``result`` is the row list."""
    row_id_key: str
    """The id's key in a row."""
    id_filter: str = "ID"
    """The filter field of the id (the ``>`` prefix is added)."""
    order_params: Mapping[str, Any] = field(default_factory=dict)
    """The parameters that order by id ascending."""
    reverse_params: Mapping[str, Any] | None = None
    """The parameters that order by id descending (``None``: the list is read from its
    low end only)."""

    def rows(self, result: Any) -> list[Row]:
        """The rows of one page's ``result`` (``[]`` and missing keys give none)."""
        container: Any = result
        if self.rows_key is not None:
            if isinstance(result, Mapping):
                container = result.get(self.rows_key, [])
            elif result in ([], None):
                container = []
            else:
                raise BadResponse(
                    "The portal's list answer has an unexpected shape", method=self.method
                )
        if container is None:
            return []
        if not isinstance(container, list) or not all(isinstance(r, Mapping) for r in container):
            raise BadResponse(
                "The portal's list answer has an unexpected shape", method=self.method
            )
        return list(container)

    def row_id(self, row: Row) -> int:
        """A row's id as an int."""
        try:
            return int(row[self.row_id_key])
        except (KeyError, TypeError, ValueError):
            raise BadResponse(
                "The portal sent a list row without an id", method=self.method
            ) from None

    def last_id_ref(self, command_id: str) -> Ref:
        """A reference to the id of the last row of a full page of ``command_id``."""
        ref = Ref(command_id)
        if self.rows_key is not None:
            ref = ref[self.rows_key]
        return ref[PAGE_SIZE - 1][self.row_id_key]

    def page_params(
        self,
        filter: Mapping[str, Any],
        select: Sequence[str] | None,
        extra: Mapping[str, Any] | None,
        after: int | Ref | None,
        *,
        descending: bool = False,
    ) -> dict[str, Any]:
        """The parameters of one page: id order, ``>ID`` after ``after``, ``start=-1``.

        ``descending``: the page reads down from the top instead, ``<ID`` below ``after``
        (for a shape with :attr:`reverse_params`).
        """
        page_filter = dict(filter)
        if after is not None:
            page_filter[f"{'<' if descending else '>'}{self.id_filter}"] = after
        order = self.reverse_params if descending else self.order_params
        if order is None:
            raise ValueError(f"{self.method} is not read from the top down")
        params: dict[str, Any] = {**(extra or {}), **order, "filter": page_filter}
        if select is not None:
            params["select"] = list(select)
        params["start"] = -1
        return params


TASKS = ListShape(
    method="tasks.task.list",
    rows_key="tasks",
    row_id_key="id",
    order_params={"order": {"ID": "asc"}},
    reverse_params={"order": {"ID": "desc"}},
)
"""``tasks.task.list``: ``{"tasks": [{"id": "8017", ...}]}``."""

USERS = ListShape(
    method="user.get",
    rows_key=None,
    row_id_key="ID",
    order_params={"sort": "ID", "order": "ASC"},
)
"""``user.get``: ``[{"ID": "1", ...}]``."""


def _with_id(select: Sequence[str] | None, shape: ListShape) -> list[str] | None:
    """``select`` with the id field added (paging needs every row's id)."""
    if select is None:
        return None
    wanted = list(select)
    if not any(s.upper() == shape.id_filter or s == "*" for s in wanted):
        wanted.insert(0, shape.id_filter)
    return wanted


async def fetch_page(
    client: Caller,
    shape: ListShape,
    *,
    filter: Mapping[str, Any] | None = None,
    select: Sequence[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> list[Row]:
    """The first page (up to 50 rows) in id order, without the portal's row count."""
    params = shape.page_params(filter or {}, select, extra, None)
    response = await client.call(shape.method, params)
    return shape.rows(response.result)


async def fetch_all(
    client: Caller,
    shape: ListShape,
    *,
    filter: Mapping[str, Any] | None = None,
    select: Sequence[str] | None = None,
    extra: Mapping[str, Any] | None = None,
    pages_per_request: int = MAX_BATCH_COMMANDS,
    max_rows: int | None = None,
    on_rows: Callable[[Sequence[Row]], None] | None = None,
) -> list[Row]:
    """Every row matching ``filter``, in id order, each id once.

    Makes ``rows // (50 * pages_per_request) + 1`` HTTP requests.

    Args:
        filter: the list filter; a ``>ID`` in it is where reading starts.
        select: fields to return; the id field is added when missing.
        extra: other parameters of the method (``params`` of ``tasks.task.list``).
        pages_per_request: pages chained in one batch (at most 50).
        max_rows: stop once this many rows are read.
        on_rows: told of the rows read, each once, in pieces of :data:`TELL_EVERY`; when
            the list is read from both ends, while the next requests are under way, so a
            caller can make its models in the time the portal takes to answer.

    A list of more than one request's rows (of a shape with :attr:`ListShape.reverse_params`,
    and no ``max_rows``) is read from both ends at once after the first request: see
    :func:`_fetch_from_both_ends`.

    Raises:
        B24Error: the batch failed, or one of its pages did (its translated error).
    """
    told = _Teller(shape, on_rows)
    if max_rows is None and shape.reverse_params is not None:
        return await _fetch_from_both_ends(
            client, shape, filter or {}, select, extra, pages_per_request, told
        )
    (rows,) = await fetch_all_many(
        client,
        shape,
        [filter or {}],
        select=select,
        extra=extra,
        pages_per_request=pages_per_request,
        max_rows=max_rows,
    )
    await told(rows)
    return rows


TELL_EVERY = 250
"""Rows told to ``on_rows`` at a time (the event loop has a turn between two pieces)."""


class _Teller:
    """Tells a caller's ``on_rows`` of rows not told yet, in pieces."""

    def __init__(self, shape: ListShape, on_rows: Callable[[Sequence[Row]], None] | None):
        self._shape = shape
        self._on_rows = on_rows
        self._told: set[int] = set()

    async def __call__(self, rows: Sequence[Row]) -> None:
        if self._on_rows is None:
            return
        fresh: list[Row] = []
        for row in rows:
            row_id = self._shape.row_id(row)
            if row_id not in self._told:
                self._told.add(row_id)
                fresh.append(row)
        for start in range(0, len(fresh), TELL_EVERY):
            self._on_rows(fresh[start : start + TELL_EVERY])
            await asyncio.sleep(0)


async def _fetch_from_both_ends(
    client: Caller,
    shape: ListShape,
    filter: Mapping[str, Any],
    select: Sequence[str] | None,
    extra: Mapping[str, Any] | None,
    pages_per_request: int,
    tell: _Teller,
) -> list[Row]:
    """Every row of ``filter``: one request up from the low end, then, while rows remain,
    two requests side by side, one reading up and one reading down from the top, each
    bounded by where the other stands, until they meet.

    A portal serves independent requests on separate workers, so two chains halve the
    wall time of a long read. The requests stay within ``rows / 2500 + 1`` whatever the
    ids look like: every round after the first reads 5,000 new rows, except the last,
    where both chains may read the same remaining ones.
    """
    base = dict(filter)
    low_key, high_key = f">{shape.id_filter}", f"<{shape.id_filter}"
    low, high = base.pop(low_key, None), base.pop(high_key, None)
    up = _Chain(base, int(low) if low is not None else None)
    down = _Chain(base, int(high) if high is not None else None)
    wanted = _with_id(select, shape)

    def request(chain: _Chain, *, descending: bool) -> Batch:
        bound = up.last_id if descending else down.last_id
        chain_filter = dict(chain.filter)
        if bound is not None:
            chain_filter[low_key if descending else high_key] = bound
        batch = Batch()
        for index in range(pages_per_request):
            after: int | Ref | None = chain.last_id
            if index:
                after = shape.last_id_ref(f"p{index - 1}")
            params = shape.page_params(chain_filter, wanted, extra, after, descending=descending)
            batch.add(shape.method, params, id=f"p{index}")
        return batch

    def read(chain: _Chain, result: BatchResult, *, descending: bool) -> None:
        pages = [result[f"p{index}"] for index in range(pages_per_request)]
        _read_chain(shape, chain, pages, descending=descending)

    read(up, await client.batch(request(up, descending=False)), descending=False)
    requests = 1
    untold: list[Row] = list(up.rows)
    while not (up.done or down.done or _met(up, down)):
        up_before, down_before = len(up.rows), len(down.rows)
        upward, downward = request(up, descending=False), request(down, descending=True)
        results = await _side_by_side(client, [upward, downward], meanwhile=tell(untold))
        read(up, results[0], descending=False)
        read(down, results[1], descending=True)
        requests += 2
        untold = up.rows[up_before:] + down.rows[down_before:]
        if not untold and not (up.done or down.done):
            raise BadResponse("The portal keeps sending the same list rows", method=shape.method)
    await tell(untold)
    log.debug("%s: read from both ends in %d requests", shape.method, requests)
    if not down.rows:
        return up.rows
    merged = {shape.row_id(row): row for row in up.rows}
    for row in down.rows:
        merged.setdefault(shape.row_id(row), row)
    return [merged[row_id] for row_id in sorted(merged)]


def _met(up: _Chain, down: _Chain) -> bool:
    """Whether the chain reading up has reached the one reading down."""
    return up.last_id is not None and down.last_id is not None and up.last_id >= down.last_id


async def _side_by_side(
    client: Caller, batches: Sequence[Batch], *, meanwhile: Coroutine[Any, Any, None]
) -> list[BatchResult]:
    """The batches sent at once, and ``meanwhile`` run while they are under way; the
    first failure is raised and the rest cancelled."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(client.batch(batch)) for batch in batches]
            await asyncio.sleep(0)  # the requests leave before ``meanwhile`` takes the loop
            await meanwhile
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    finally:
        meanwhile.close()  # never awaited when a request failed first: no warning for it
    return [task.result() for task in tasks]


@dataclass
class _Chain:
    """One filter being read: where it stands and what it has read."""

    filter: dict[str, Any]
    last_id: int | None
    rows: list[Row] = field(default_factory=list)
    done: bool = False
    wanted: int | None = None
    """Pages the first request asks for (enough for the rows expected and the short page
    that ends them); ``None``: its share of the request."""


def _share_pages(
    chains: Sequence[_Chain], pages: int, *, first: bool = False
) -> list[tuple[int, _Chain]]:
    """How many chained pages each unfinished chain gets in the next request (at least one,
    the first chains taking what does not divide evenly; at most ``pages`` chains). In the
    ``first`` request a chain that expects few rows asks for no more pages than they need:
    a page past the end still costs the portal a query."""
    open_chains = [chain for chain in chains if not chain.done][:pages]
    if not open_chains:
        return []
    each, extra = divmod(pages, len(open_chains))
    shares = [each + (1 if index < extra else 0) for index in range(len(open_chains))]
    if first:
        shares = [
            share if chain.wanted is None else min(share, chain.wanted)
            for share, chain in zip(shares, open_chains, strict=True)
        ]
    return list(zip(shares, open_chains, strict=True))


async def fetch_all_many(
    client: Caller,
    shape: ListShape,
    filters: Sequence[Mapping[str, Any]],
    *,
    select: Sequence[str] | None = None,
    extra: Mapping[str, Any] | None = None,
    pages_per_request: int = MAX_BATCH_COMMANDS,
    max_rows: int | None = None,
) -> list[list[Row]]:
    """Every row of each filter, read together: one HTTP request while they fit in one.

    The batch's pages are shared among the filters still being read: with four filters,
    each reads 12 or 13 chained pages (600 rows or more) per request, so a dashboard of
    several roles refreshes with a single request. A filter whose page comes back short is
    done; the others go on in the next request with all the pages between them.

    Returns one list of rows per filter, in the order given, each in id order.

    Raises:
        B24Error: the batch failed, or one of its pages did (its translated error).
    """
    rows, _ = await fetch_lists(
        client,
        shape,
        filters,
        select=select,
        extra=extra,
        pages_per_request=pages_per_request,
        max_rows=max_rows,
    )
    return rows


async def fetch_lists(
    client: Caller,
    shape: ListShape,
    filters: Sequence[Mapping[str, Any]],
    *,
    select: Sequence[str] | None = None,
    extra: Mapping[str, Any] | None = None,
    riders: Sequence[BatchCommand] = (),
    pages_per_request: int = MAX_BATCH_COMMANDS,
    first_pages: int | None = None,
    max_rows: int | None = None,
    on_pages: PagesRead | None = None,
    expected: Sequence[int | None] | None = None,
) -> tuple[list[list[Row]], BatchResult | None]:
    """:func:`fetch_all_many`, with other commands riding along in the first request.

    ``riders`` (a workday status, an open task…) take places the first request's pages
    would have had, so a refresh of lists and of a few single reads stays one request
    while it fits. Their answers (or errors, which do not fail the lists) are in the
    returned :class:`BatchResult`, ``None`` only when there was nothing to read.

    Args:
        first_pages: at most this many pages in the first request (a small first answer
            comes back sooner; the requests after it carry ``pages_per_request``).
        on_pages: told of each request's rows as it lands (see :data:`PagesRead`), so a
            caller can show what is read before the lists are whole.
        expected: how many rows each filter is likely to hold (``None``: unknown), as a
            refresh knows from the last read: the first request asks for the pages those
            need and no more; a filter that holds more goes on in the next request.
    """
    if expected is not None and len(expected) != len(filters):
        raise ValueError("expected must give one figure per filter")
    if not 1 <= pages_per_request <= MAX_BATCH_COMMANDS:
        raise ValueError(f"pages_per_request must be 1..{MAX_BATCH_COMMANDS}")
    if first_pages is not None and first_pages < 1:
        raise ValueError("first_pages must be at least 1")
    start_key = f">{shape.id_filter}"
    chains: list[_Chain] = []
    for index, given in enumerate(filters):
        base_filter = dict(given)
        start = base_filter.pop(start_key, None)
        rows = expected[index] if expected is not None else None
        wanted = None if rows is None else rows // PAGE_SIZE + 1
        chains.append(_Chain(base_filter, int(start) if start is not None else None, wanted=wanted))
    if len(riders) >= pages_per_request:
        raise ValueError(f"at most {pages_per_request - 1} riders fit beside the pages")
    wanted_select = _with_id(select, shape)
    requests = 0
    first: BatchResult | None = None
    while requests == 0 or not all(chain.done for chain in chains):
        batch = Batch()
        pending = riders if requests == 0 else ()
        for rider in pending:
            batch.add(rider.method, rider.params, id=rider.id)
        plan: list[tuple[_Chain, list[str]]] = []
        room = pages_per_request - len(pending)
        if requests == 0 and first_pages is not None:
            room = min(room, first_pages)
        for number, (pages, chain) in enumerate(_share_pages(chains, room, first=requests == 0)):
            command_ids: list[str] = []
            for index in range(pages):
                command_id = f"f{number}p{index}"
                after: int | Ref | None = chain.last_id
                if command_ids:
                    after = shape.last_id_ref(command_ids[-1])
                batch.add(
                    shape.method,
                    shape.page_params(chain.filter, wanted_select, extra, after),
                    id=command_id,
                )
                command_ids.append(command_id)
            plan.append((chain, command_ids))
        if not batch.commands:
            break
        result = await client.batch(batch)
        if requests == 0:
            first = result
        requests += 1
        progressed = not plan
        kept_before = [len(chain.rows) for chain in chains]
        for chain, command_ids in plan:
            before = len(chain.rows)
            _read_chain(shape, chain, [result[command_id] for command_id in command_ids])
            if max_rows is not None and len(chain.rows) >= max_rows:
                chain.done = True
                del chain.rows[max_rows:]
            progressed = progressed or chain.done or len(chain.rows) > before
        if not progressed:
            raise BadResponse("The portal keeps sending the same list rows", method=shape.method)
        if on_pages is not None:
            gained = [chain.rows[kept:] for chain, kept in zip(chains, kept_before, strict=True)]
            on_pages(gained, result, all(chain.done for chain in chains))
    log.debug("%s: %d filters in %d requests", shape.method, len(chains), requests)
    return [chain.rows for chain in chains], first


def _read_chain(
    shape: ListShape, chain: _Chain, results: Sequence[Any], *, descending: bool = False
) -> None:
    """Keep the new rows of one chain's pages; stop at the first short page.

    Rows of later pages are dropped (a reference past a short page does not resolve, may
    become an empty filter and repeat earlier rows), as is any row whose id is not above
    the last one kept (below it, for a chain reading down).
    """
    for result in results:
        page = shape.rows(result)
        for row in page:
            row_id = shape.row_id(row)
            last = chain.last_id
            if last is None or (row_id < last if descending else row_id > last):
                chain.rows.append(row)
                chain.last_id = row_id
        if len(page) < PAGE_SIZE:
            chain.done = True
            return
