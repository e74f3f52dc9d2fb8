"""Batches with references and per-command errors, and reading whole lists by chained
batches, against the emulated portal."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from urllib.parse import unquote

import pytest

from b24tui.api import (
    TASKS,
    USERS,
    B24Client,
    Batch,
    BatchError,
    NotFound,
    ValidationError,
    fetch_all,
    fetch_all_many,
)
from b24tui.api.paging import Row, fetch_lists
from b24tui.clock import FrozenClock
from b24tui.emulator import DEMO_USER_ID, Portal, build_portal
from b24tui.emulator.faults import FaultKind
from b24tui.models import Task, Workday
from tests.api.conftest import named
from tests.conftest import ServedEmulator


async def until(condition: Callable[[], bool]) -> None:
    """Until ``condition`` holds, letting the loop run (the emulator answers in a thread)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the portal never got there")


def visible_ids(portal: Portal, **wanted: int) -> list[int]:
    """The ids of the tasks the demo user can see (matching ``wanted``), ascending."""
    return sorted(
        task.id
        for task in portal.tasks.values()
        if portal.visible_task(DEMO_USER_ID, task.id) is not None
        and all(getattr(task, name) == value for name, value in wanted.items())
    )


async def test_batch_with_a_reference_and_a_failing_command(
    client: B24Client, emulator: ServedEmulator
) -> None:
    batch = Batch()
    me = batch.add("user.current", id="me")
    batch.add(
        "tasks.task.list",
        {"filter": {"RESPONSIBLE_ID": me["ID"]}, "select": ["ID", "RESPONSIBLE_ID"], "start": -1},
        id="mine",
    )
    batch.add("tasks.task.stopwatch", {"taskId": 999_999}, id="gone")
    batch.add("timeman.status", id="day")
    result = await client.batch(batch)

    assert emulator.app.journal.http_requests == 1
    listed = emulator.app.journal.last("tasks.task.list")
    assert listed.via_batch
    assert named(listed)["filter"] == {"RESPONSIBLE_ID": str(DEMO_USER_ID)}
    assert result["me"]["ID"] == str(DEMO_USER_ID)
    rows = result["mine"]["tasks"]
    assert rows
    assert {int(row["responsibleId"]) for row in rows} == {DEMO_USER_ID}
    with pytest.raises(NotFound):
        result["gone"]
    assert result.ok("day")
    assert result.response("day").time is not None


async def test_halted_batch_leaves_later_commands_unrun(
    client: B24Client, emulator: ServedEmulator
) -> None:
    batch = Batch(halt=True)
    batch.add("tasks.task.get", {"taskId": "abc"}, id="bad")
    batch.add("user.current", id="me")
    result = await client.batch(batch)
    assert isinstance(result.error("bad"), ValidationError)
    with pytest.raises(BatchError, match="did not run"):
        result["me"]
    assert emulator.app.journal.calls["user.current"] == 0


async def test_an_empty_batch_sends_nothing(client: B24Client, emulator: ServedEmulator) -> None:
    result = await client.batch(Batch())
    assert result.results == {}
    assert emulator.app.journal.http_requests == 0


async def test_list_all_on_the_demo_portal_takes_one_request(
    client: B24Client, emulator: ServedEmulator
) -> None:
    expected = visible_ids(emulator.portal)
    assert 50 < len(expected) < 100
    tasks = await client.tasks.list_all(select=["ID", "TITLE"])
    assert [t.id for t in tasks] == expected
    assert emulator.app.journal.http_requests == 1
    pages = emulator.app.journal.entries("tasks.task.list")
    assert len(pages) == 50
    assert all(page.via_batch for page in pages)
    assert all(str(named(page)["start"]) == "-1" for page in pages)
    assert all(named(page)["order"] == {"ID": "asc"} for page in pages)
    assert ">ID" not in named(pages[0]).get("filter", {})
    assert str(named(pages[1])["filter"][">ID"]) == str(expected[49])


async def test_list_all_with_a_filter(client: B24Client, emulator: ServedEmulator) -> None:
    expected = visible_ids(emulator.portal, responsible_id=DEMO_USER_ID)
    tasks = await client.tasks.list_all(
        filter={"RESPONSIBLE_ID": DEMO_USER_ID}, select=["TITLE", "RESPONSIBLE_ID"]
    )
    assert [t.id for t in tasks] == expected
    assert {t.responsible_id for t in tasks} == {DEMO_USER_ID}
    first = emulator.app.journal.entries("tasks.task.list")[0]
    assert named(first)["select"] == ["ID", "TITLE", "RESPONSIBLE_ID"]


ROLE_FILTERS = [
    {"RESPONSIBLE_ID": DEMO_USER_ID},
    {"ACCOMPLICE": DEMO_USER_ID},
    {"CREATED_BY": DEMO_USER_ID},
    {"AUDITOR": DEMO_USER_ID},
]
"""The four roles a person has in tasks: what the dashboard reads."""


async def test_several_filters_are_read_in_one_request_when_they_fit(
    client: B24Client, emulator: ServedEmulator
) -> None:
    one_by_one = [await fetch_all(client, TASKS, filter=f, select=["ID"]) for f in ROLE_FILTERS]
    before = emulator.app.journal.http_requests
    together = await fetch_all_many(client, TASKS, ROLE_FILTERS, select=["ID"])
    assert emulator.app.journal.http_requests - before == 1
    assert [[row["id"] for row in rows] for rows in together] == [
        [row["id"] for row in rows] for rows in one_by_one
    ]
    assert all(rows for rows in together), "the demo user has a task in every role"


class TestLargePortal:
    """10,000 seeded tasks: every visible one, once, in the fewest requests."""

    @pytest.fixture
    def portal(self, clock: FrozenClock) -> Portal:
        return build_portal("large", seed=0, clock=clock)

    async def test_list_all_reads_every_task_once_from_both_ends_in_few_requests(
        self, client: B24Client, emulator: ServedEmulator
    ) -> None:
        expected = visible_ids(emulator.portal)
        tasks = await client.tasks.list_all(select=["ID", "TITLE", "STATUS"])
        ids = [task.id for task in tasks]
        assert ids == expected
        assert len(set(ids)) == len(ids)
        assert emulator.app.journal.http_requests <= math.ceil(len(expected) / 2500) + 1
        first, *after = emulator.app.journal.entries("batch")
        assert "filter[>ID]" not in named(first)["cmd"]["p0"]
        assert "order[ID]=asc" in named(first)["cmd"]["p0"]
        downward = [b for b in after if "order[ID]=desc" in named(b)["cmd"]["p0"]]
        assert after
        assert len(downward) * 2 == len(after), "then up and down in pairs"
        up_again = next(b for b in after if "order[ID]=asc" in named(b)["cmd"]["p0"])
        assert f"filter[>ID]={expected[2499]}&" in named(up_again)["cmd"]["p0"]

    async def test_the_two_ends_are_read_side_by_side_while_rows_are_told(
        self, client: B24Client, emulator: ServedEmulator
    ) -> None:
        journal = emulator.app.journal
        told: list[int] = []

        def on_rows(rows: Sequence[Row]) -> None:
            told.extend(int(row["id"]) for row in rows)

        faults = emulator.app.faults
        pick, batches = faults.pick, 0

        def second_batch_waits(method: str) -> FaultKind | None:
            # Injecting once the first batch is seen would race the client: on an idle
            # machine both of the next two can leave before the test's next turn.
            nonlocal batches
            batches += method == "batch"
            return "timeout" if batches == 2 else pick(method)

        faults.pick = second_batch_waits  # type: ignore[method-assign]
        reading = asyncio.ensure_future(fetch_all(client, TASKS, select=["ID"], on_rows=on_rows))
        await until(lambda: emulator.app.held == 1 and len(journal.entries("batch")) == 3)
        # One end's answer is held back, and the other end was asked and answered anyway;
        # meanwhile the first request's rows are told, a piece per turn of the loop.
        await until(lambda: len(told) >= 2500)
        assert not reading.done()
        expected = visible_ids(emulator.portal)
        assert told == expected[:2500], "the first request's rows, told while waiting"
        assert emulator.app.release_held() == 1
        rows = await reading
        assert [int(row["id"]) for row in rows] == expected
        assert sorted(told) == expected, "every row told once"

    async def test_filters_of_different_sizes_share_the_requests(
        self, client: B24Client, emulator: ServedEmulator
    ) -> None:
        everything = visible_ids(emulator.portal)
        mine = visible_ids(emulator.portal, responsible_id=DEMO_USER_ID)
        filters = [{"RESPONSIBLE_ID": DEMO_USER_ID}, {}, {">ID": everything[-30]}]
        before = emulator.app.journal.http_requests
        rows = await fetch_all_many(client, TASKS, filters, select=["ID"])
        requests = emulator.app.journal.http_requests - before
        assert [[int(row["id"]) for row in found] for found in rows] == [
            mine,
            everything,
            everything[-29:],
        ]
        # 50 pages a request, shared while several filters are open, then all to the rest.
        assert requests <= (len(mine) + len(everything)) // 2500 + 2

    async def test_list_all_starts_after_a_given_id_and_stops_at_max_rows(
        self, client: B24Client, emulator: ServedEmulator
    ) -> None:
        expected = visible_ids(emulator.portal)
        start = expected[100]
        tasks = await client.tasks.list_all(filter={">ID": start}, select=["ID"], max_rows=120)
        assert [t.id for t in tasks] == expected[101:221]
        assert emulator.app.journal.http_requests == 1

    async def test_small_pages_per_request_still_return_each_row_once(
        self, client: B24Client, emulator: ServedEmulator
    ) -> None:
        expected = visible_ids(emulator.portal)[:730]
        rows = await fetch_all(
            client,
            TASKS,
            filter={"<=ID": expected[-1]},
            select=["ID"],
            pages_per_request=4,
        )
        assert [int(row["id"]) for row in rows] == expected
        assert emulator.app.journal.http_requests <= math.ceil(len(expected) / 200) + 1
        descending = [
            batch
            for batch in emulator.app.journal.entries("batch")
            if "order[ID]=desc" in named(batch)["cmd"]["p0"]
        ]
        assert descending, "read from its top as well"
        top = unquote(named(descending[0])["cmd"]["p0"])
        assert f"filter[<=ID]={expected[-1]}&" in top, "below the bound it was given"


async def test_expected_sizes_ask_for_the_pages_they_need_and_a_wrong_guess_goes_on(
    client: B24Client, emulator: ServedEmulator
) -> None:
    visible = visible_ids(emulator.portal)
    journal = emulator.app.journal
    assert len(visible) > 50
    small: dict[str, object] = {">ID": visible[-3]}
    everything: dict[str, object] = {}
    rows, _ = await fetch_lists(client, TASKS, [small, everything], select=["ID"], expected=[2, 0])
    assert [[int(row["id"]) for row in found] for found in rows] == [visible[-2:], visible]
    first, second = (len(named(batch)["cmd"]) for batch in journal.entries("batch"))
    assert first == 2, "a page each, as the sizes known said"
    assert second == 50, "the large one, whose guess was short, takes the next request whole"


async def test_fetch_all_works_for_user_get(client: B24Client, emulator: ServedEmulator) -> None:
    rows = await fetch_all(client, USERS, select=["ID", "NAME"])
    assert [int(row["ID"]) for row in rows] == sorted(emulator.portal.users)
    assert emulator.app.journal.http_requests == 1
    first = emulator.app.journal.entries("user.get")[0]
    assert (named(first)["sort"], named(first)["order"]) == ("ID", "ASC")


async def test_single_reads_ride_along_with_the_lists_in_one_request(
    client: B24Client, emulator: ServedEmulator
) -> None:
    """A refresh reads the lists, the workday, an open task and its checklist at once; a
    rider that fails leaves the lists and the other riders whole."""
    me = DEMO_USER_ID
    task_id = next(t.id for t in emulator.portal.tasks.values() if t.responsible_id == me)
    before = emulator.app.journal.http_requests
    read = await client.tasks.read_lists(
        [{"RESPONSIBLE_ID": me}, {"CREATED_BY": me}],
        select=["ID", "TITLE"],
        riders={
            "workday": client.timeman.status_query(),
            "open": client.tasks.get_query(task_id),
            "checklist": client.checklist.items_query(task_id),
            "gone": client.tasks.get_query(999_999),
        },
    )
    assert emulator.app.journal.http_requests - before == 1
    responsible = {t.id for t in emulator.portal.tasks.values() if t.responsible_id == me}
    assert {task.id for task in read.tasks[0]} == responsible
    assert isinstance(read.riders["workday"], Workday)
    opened = read.riders["open"]
    assert isinstance(opened, Task)
    assert opened.id == task_id
    items = read.riders["checklist"]
    assert isinstance(items, tuple)
    assert {item.id for item in items} == {
        item.id for item in emulator.portal.checklist_items.values() if item.task_id == task_id
    }
    assert isinstance(read.riders["gone"], NotFound)
